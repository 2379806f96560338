package io.github.jglommio.kv.aof;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * When the append-only log makes a record durable: Redis's {@code appendfsync}. The policy decides
 * when {@link AppendOnlyLog#awaitDurable(long)} returns, so when the server may acknowledge a write.
 *
 * <p>Threading: an immutable constant, usable from any thread.
 */
public enum FsyncPolicy {

    /**
     * {@code awaitDurable} returns once the record is written to the file and {@code fdatasync}ed. An
     * acknowledged write survives the server's death (kill -9), a kernel crash and a power loss
     * (on a device that honours cache flushes). Many connections' records share one sync (group commit).
     */
    ALWAYS,

    /**
     * {@code awaitDurable} returns once the record is written to the file, that is copied into the
     * kernel's page cache; a timer {@code fdatasync}s the file every second. An acknowledged write
     * survives kill -9 of the server; a kernel crash or power loss loses at most what was written since
     * the last sync, about the last 1 to 2 seconds. Redis's default, and ours.
     */
    EVERYSEC,

    /**
     * As {@link #EVERYSEC} without the timer: {@code awaitDurable} returns once the record is in the
     * page cache, so an acknowledged write survives kill -9 of the server; the kernel writes it to the
     * device when it likes (typically within 30 seconds), and the log syncs only on rewrite and close,
     * so a kernel crash or power loss may lose that much.
     */
    NO;

    /**
     * Parses a policy name as in {@code redis.conf}, ignoring case: {@code always}, {@code everysec} or
     * {@code no}.
     *
     * @throws IllegalArgumentException naming the value and the allowed ones when it is none of them
     */
    public static FsyncPolicy parse(String value) {
        if (value != null) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            for (FsyncPolicy p : values()) {
                if (p.configName().equals(v)) {
                    return p;
                }
            }
        }
        throw new IllegalArgumentException("invalid appendfsync policy '" + value + "': expected one of "
                + Arrays.stream(values()).map(FsyncPolicy::configName).collect(Collectors.joining(", ")));
    }

    /** The name as written in {@code redis.conf} and shown by {@code INFO}: {@code always}, {@code everysec}, {@code no}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
