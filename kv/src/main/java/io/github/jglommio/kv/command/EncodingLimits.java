package io.github.jglommio.kv.command;

/**
 * The encoding limits in force: Redis's {@code set-max-intset-entries},
 * {@code hash-max-listpack-entries/-value} and {@code zset-max-listpack-entries/-value} (and their
 * {@code ziplist} aliases), as the configuration and CONFIG SET leave them. OBJECT ENCODING reports,
 * and each write records, whether a value still fits the compact encoding under these limits; a
 * value that outgrew them once stays in the big encoding, as in Redis (see {@link ObjectCommands}).
 *
 * <p>Threading: one instance per server, read by every shard, written by CONFIG SET on any thread;
 * each limit is a volatile field, so a write sees the limit set before it started.
 */
public final class EncodingLimits {
    private volatile long setMaxIntsetEntries = 512;
    private volatile long hashMaxListpackEntries = 512;
    private volatile long hashMaxListpackValue = 64;
    private volatile long zsetMaxListpackEntries = 128;
    private volatile long zsetMaxListpackValue = 64;

    /** Limits at Redis 7.0's built-in defaults (its sample redis.conf says 128 hash entries; the binary's default is 512). */
    public EncodingLimits() {
    }

    /**
     * Sets every limit at once (from CONFIG SET or the starting configuration).
     *
     * @param setIntsetEntries {@code set-max-intset-entries}
     * @param hashEntries {@code hash-max-listpack-entries}
     * @param hashValue {@code hash-max-listpack-value}, bytes
     * @param zsetEntries {@code zset-max-listpack-entries}
     * @param zsetValue {@code zset-max-listpack-value}, bytes
     */
    public void set(long setIntsetEntries, long hashEntries, long hashValue, long zsetEntries, long zsetValue) {
        setMaxIntsetEntries = setIntsetEntries;
        hashMaxListpackEntries = hashEntries;
        hashMaxListpackValue = hashValue;
        zsetMaxListpackEntries = zsetEntries;
        zsetMaxListpackValue = zsetValue;
    }

    long setMaxIntsetEntries() {
        return setMaxIntsetEntries;
    }

    long hashMaxListpackEntries() {
        return hashMaxListpackEntries;
    }

    long hashMaxListpackValue() {
        return hashMaxListpackValue;
    }

    long zsetMaxListpackEntries() {
        return zsetMaxListpackEntries;
    }

    long zsetMaxListpackValue() {
        return zsetMaxListpackValue;
    }
}
