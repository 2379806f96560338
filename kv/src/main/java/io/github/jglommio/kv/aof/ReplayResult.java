package io.github.jglommio.kv.aof;

import java.time.Duration;

/**
 * What replaying an append-only log found: Redis's {@code aof_loading_*} figures.
 *
 * @param commands       the commands applied
 * @param bytes          the bytes of the complete records applied (the log's valid length)
 * @param truncatedBytes the bytes after the last complete record that were dropped: an incomplete
 *                       record or zero padding left by a crash during a write (0 normally)
 * @param duration       how long the replay took
 */
public record ReplayResult(long commands, long bytes, long truncatedBytes, Duration duration) {

    /** The result of replaying no file at all (a shard's first start). */
    public static final ReplayResult EMPTY = new ReplayResult(0, 0, 0, Duration.ZERO);
}
