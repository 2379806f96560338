package io.github.jglommio.kv.store;

import java.util.Locale;

/**
 * Redis's {@code maxmemory-policy}: which keys go when a shard is over its memory bound. The
 * {@code volatile-*} policies choose among the keys with an expiry time only; {@code allkeys-*}
 * among all keys; {@link #NOEVICTION} never evicts (writes that would grow the data are refused).
 */
public enum EvictionPolicy {
    /** Keys with an expiry time, least recently used first. */
    VOLATILE_LRU,
    /** Keys with an expiry time, least frequently used first. */
    VOLATILE_LFU,
    /** Keys with an expiry time, at random. */
    VOLATILE_RANDOM,
    /** Keys with an expiry time, the nearest expiry first. */
    VOLATILE_TTL,
    /** All keys, least recently used first. */
    ALLKEYS_LRU,
    /** All keys, least frequently used first. */
    ALLKEYS_LFU,
    /** All keys, at random. */
    ALLKEYS_RANDOM,
    /** No key is evicted. */
    NOEVICTION;

    /** @return the redis.conf name, e.g. {@code allkeys-lru} */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Returns the policy of a redis.conf name.
     *
     * @param name e.g. {@code volatile-ttl}, any case
     * @return the policy
     * @throws IllegalArgumentException for an unknown name
     */
    public static EvictionPolicy byName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** @return whether keys carry an LFU counter (rather than an LRU clock) under this policy */
    public boolean isLfu() {
        return this == VOLATILE_LFU || this == ALLKEYS_LFU;
    }

    /** @return whether only keys with an expiry time may be evicted */
    public boolean isVolatileOnly() {
        return this == VOLATILE_LRU || this == VOLATILE_LFU || this == VOLATILE_RANDOM || this == VOLATILE_TTL;
    }

    /** @return whether the victim is chosen at random, without the eviction pool */
    public boolean isRandom() {
        return this == VOLATILE_RANDOM || this == ALLKEYS_RANDOM;
    }
}
