package io.github.jglommio.kv.store;

import java.util.List;

/**
 * One step of {@link Keyspace#scan}: the cursor to pass next (0 when the iteration is complete)
 * and the keys found in this step.
 *
 * @param cursor the next cursor, 0 at the end
 * @param keys the keys of this step, possibly none
 */
public record ScanResult(long cursor, List<byte[]> keys) {
}
