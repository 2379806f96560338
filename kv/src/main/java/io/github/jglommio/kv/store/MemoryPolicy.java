package io.github.jglommio.kv.store;

import io.github.jglommio.kv.store.SlotTable.Entry;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * One shard's memory bookkeeping, shared by its databases: the eviction policy and its settings
 * ({@code maxmemory-policy}, {@code maxmemory-samples}, {@code lfu-log-factor},
 * {@code lfu-decay-time}), the access data every key carries, the list of keys whose size estimate
 * must be settled after the command that touched them, and the eviction pool.
 *
 * <p>Access data, as Redis keeps it in 24 bits per key: under an LRU (or TTL, random, noeviction)
 * policy, the LRU clock in seconds at the last access; under an LFU policy, the time in minutes
 * (16 bits) of the last decrement and a logarithmic access counter (8 bits) that starts at 5, grows
 * with probability {@code 1 / ((counter - 5) * lfu-log-factor + 1)} on each access and loses one per
 * {@code lfu-decay-time} minutes without access. Switching policies at runtime reinterprets the
 * data, as in Redis, until keys are accessed again.
 *
 * <p>Eviction ({@link Databases#evictToFit}). The random policies pick a random key (with an expiry
 * time for {@code volatile-random}) from each database in turn. The others sample
 * {@code maxmemory-samples} keys per database into a pool of the {@value #POOL_SIZE} best
 * candidates seen, kept across calls and ordered by idleness (idle time for LRU, 255 minus the
 * counter for LFU, the nearness of the expiry time for TTL), and evict the idlest candidate that
 * still exists. Like Redis's, this approximates the exact policy; more samples, closer.
 *
 * <p>Threading: the shard's executor, like its keyspaces.
 */
public final class MemoryPolicy {
    /** The eviction pool's capacity, as Redis's {@code EVPOOL_SIZE}. */
    static final int POOL_SIZE = 16;
    /** The counter a new key starts with under an LFU policy ({@code LFU_INIT_VAL}). */
    static final int LFU_INIT = 5;
    private static final int LRU_BITS_MASK = (1 << 24) - 1;

    private final LongSupplier nowMillis;
    private final SplittableRandom random = new SplittableRandom();
    private EvictionPolicy policy = EvictionPolicy.NOEVICTION;
    private int samples = 5;
    private int lfuLogFactor = 10;
    private int lfuDecayMinutes = 1;
    private long evictedKeys;

    // The clock read once per command (see tick()), not once per key access.
    private long clockMillis;
    private boolean clockStale = true;

    // Entries whose value a command may have changed, with their keyspaces; see settle().
    private Entry[] dirty = new Entry[64];
    private Keyspace[] dirtyOwners = new Keyspace[64];
    private int dirtyCount;
    private static final int SETTLE_BETWEEN_COMMANDS = 1024;
    // Settled inside a command only past this (a replay, which has no between-commands): an entry the
    // command touched before may be settled before its change, and then lags until its next access.
    private static final int MAX_DIRTY = 1 << 16;

    // The eviction pool: ascending idleness; slots 0..poolCount-1 in use.
    private final long[] poolIdle = new long[POOL_SIZE];
    private final byte[][] poolKey = new byte[POOL_SIZE][];
    private final Keyspace[] poolDb = new Keyspace[POOL_SIZE];
    private int poolCount;
    private int nextRandomDb;

    /**
     * Creates the bookkeeping of one shard, with the defaults of Redis (noeviction, 5 samples,
     * log factor 10, decay time 1).
     *
     * @param nowMillis the clock, epoch milliseconds
     */
    public MemoryPolicy(LongSupplier nowMillis) {
        this.nowMillis = Objects.requireNonNull(nowMillis, "nowMillis");
    }

    /**
     * Applies the settings (the server calls it when CONFIG SET changed one).
     *
     * @param policy the eviction policy
     * @param samples {@code maxmemory-samples}, at least 1
     * @param lfuLogFactor {@code lfu-log-factor}, at least 0
     * @param lfuDecayMinutes {@code lfu-decay-time}, at least 0 (0: counters never decay)
     */
    public void configure(EvictionPolicy policy, int samples, int lfuLogFactor, int lfuDecayMinutes) {
        if (policy != this.policy) {
            poolCount = 0; // idleness of another kind: not comparable
            Arrays.fill(poolKey, null);
            Arrays.fill(poolDb, null);
        }
        this.policy = Objects.requireNonNull(policy, "policy");
        this.samples = Math.max(1, samples);
        this.lfuLogFactor = Math.max(0, lfuLogFactor);
        this.lfuDecayMinutes = Math.max(0, lfuDecayMinutes);
    }

    /** @return the eviction policy */
    public EvictionPolicy policy() {
        return policy;
    }

    /** @return the keys evicted since the start ({@code evicted_keys}) */
    public long evictedKeys() {
        return evictedKeys;
    }

    /** Sets {@code evicted_keys} back to 0 (CONFIG RESETSTAT). */
    public void resetStats() {
        evictedKeys = 0;
    }

    /**
     * Called between commands: makes the next key access read the clock again, and settles the
     * sizes of the keys touched so far once there are many (without a bound, nobody asks for the
     * figure, and the list would only grow).
     */
    public void tick() {
        clockStale = true;
        if (dirtyCount >= SETTLE_BETWEEN_COMMANDS) {
            settle();
        }
    }

    private long clock() {
        if (clockStale) {
            clockMillis = nowMillis.getAsLong();
            clockStale = false;
        }
        return clockMillis;
    }

    // ---- access data -----------------------------------------------------------------------

    /** Access data for a key just made. */
    void created(Entry e) {
        e.setAccess(policy.isLfu() ? (lfuMinutes() << 8) | LFU_INIT : lruClock());
    }

    /** A key was read or written. */
    void touched(Entry e) {
        if (policy.isLfu()) {
            int counter = logIncrement(decayedCounter(e));
            e.setAccess((lfuMinutes() << 8) | counter);
        } else {
            e.setAccess(lruClock());
        }
    }

    private int lruClock() {
        return (int) ((clock() / 1000) & LRU_BITS_MASK);
    }

    private int lfuMinutes() {
        return (int) ((clock() / 60_000) & 0xffff);
    }

    /** The idle time of a key under the LRU reading of its access data, in milliseconds. */
    long idleMillis(Entry e) {
        int now = lruClock();
        int then = e.access();
        long seconds = now >= then ? now - then : (LRU_BITS_MASK - then) + now; // the clock wrapped
        return seconds * 1000;
    }

    /** The LFU counter of a key after the decay of the minutes since its last decrement. */
    int decayedCounter(Entry e) {
        int then = e.access() >>> 8;
        int counter = e.access() & 0xff;
        int now = lfuMinutes();
        int elapsed = now >= then ? now - then : 0xffff - then + now;
        int periods = lfuDecayMinutes == 0 ? 0 : elapsed / lfuDecayMinutes;
        return periods > counter ? 0 : counter - periods;
    }

    private int logIncrement(int counter) {
        if (counter == 255) {
            return 255;
        }
        double base = Math.max(0, counter - LFU_INIT);
        double p = 1.0 / (base * lfuLogFactor + 1);
        return random.nextDouble() < p ? counter + 1 : counter;
    }

    // ---- size estimates --------------------------------------------------------------------

    /** {@code e} of {@code owner} was handed to a command, which may change its value: settle it after. */
    void markDirty(Entry e, Keyspace owner) {
        if (e.dirty) {
            return;
        }
        if (dirtyCount == MAX_DIRTY) {
            settle(); // a long replay or a command of many keys: settle what came before
        }
        if (dirtyCount == dirty.length) {
            dirty = Arrays.copyOf(dirty, dirtyCount * 2);
            dirtyOwners = Arrays.copyOf(dirtyOwners, dirtyCount * 2);
        }
        e.dirty = true;
        dirty[dirtyCount] = e;
        dirtyOwners[dirtyCount++] = owner;
    }

    /** Re-estimates the size of every entry touched since the last call and updates its keyspace's total. */
    public void settle() {
        for (int i = 0; i < dirtyCount; i++) {
            Entry e = dirty[i];
            e.dirty = false;
            dirtyOwners[i].resize(e);
            dirty[i] = null;
            dirtyOwners[i] = null;
        }
        dirtyCount = 0;
    }

    // ---- eviction --------------------------------------------------------------------------

    /**
     * Evicts one key of {@code dbs} as the policy says.
     *
     * @return the database index of the evicted key, its bytes in {@link #lastEvictedKey}, or -1
     *     when the policy may evict nothing (noeviction, or no candidate)
     */
    int evictOne(Databases dbs) {
        if (policy == EvictionPolicy.NOEVICTION) {
            return -1;
        }
        boolean volatileOnly = policy.isVolatileOnly();
        if (policy.isRandom()) {
            for (int i = 0; i < dbs.count(); i++) {
                int db = nextRandomDb;
                nextRandomDb = (nextRandomDb + 1) % dbs.count();
                Keyspace ks = dbs.peek(db);
                Entry e = ks == null ? null : ks.randomEntry(volatileOnly);
                if (e != null) {
                    return evict(ks, e);
                }
            }
            return -1;
        }
        while (true) {
            long candidates = 0;
            for (int db = 0; db < dbs.count(); db++) {
                Keyspace ks = dbs.peek(db);
                if (ks != null) {
                    candidates += populate(ks, volatileOnly);
                }
            }
            if (candidates == 0) {
                return -1;
            }
            // The idlest candidate that still exists; the others that are gone leave the pool too.
            while (poolCount > 0) {
                int k = --poolCount;
                Keyspace ks = poolDb[k];
                byte[] key = poolKey[k];
                poolDb[k] = null;
                poolKey[k] = null;
                Entry e = ks.entryOf(key, volatileOnly);
                if (e != null) {
                    return evict(ks, e);
                }
            }
        }
    }

    /** The key {@link #evictOne} evicted last. */
    byte[] lastEvictedKey;

    private int evict(Keyspace ks, Entry e) {
        lastEvictedKey = e.key;
        ks.evict(e);
        evictedKeys++;
        return ks.index();
    }

    /** Samples {@code ks} into the pool; returns how many keys it could sample from. */
    private int populate(Keyspace ks, boolean volatileOnly) {
        int n = ks.candidateCount(volatileOnly);
        if (n == 0) {
            return 0;
        }
        for (int i = 0; i < samples; i++) {
            Entry e = ks.randomEntry(volatileOnly);
            if (e != null) {
                offer(ks, e.key, idleness(e));
            }
        }
        return n;
    }

    /** How good a victim {@code e} is: the larger, the sooner evicted. */
    long idleness(Entry e) {
        return switch (policy) {
            case VOLATILE_TTL -> Long.MAX_VALUE - e.expireAtMillis;
            case VOLATILE_LFU, ALLKEYS_LFU -> 255 - decayedCounter(e);
            default -> idleMillis(e);
        };
    }

    /** Puts a candidate into the pool in order of idleness, dropping the least idle when full. */
    private void offer(Keyspace ks, byte[] key, long idle) {
        for (int i = 0; i < poolCount; i++) {
            if (poolDb[i] == ks && Arrays.equals(poolKey[i], key)) {
                return; // sampled again: already a candidate
            }
        }
        int k = 0;
        while (k < poolCount && poolIdle[k] < idle) {
            k++;
        }
        if (poolCount == POOL_SIZE) {
            if (k == 0) {
                return; // less idle than every candidate in a full pool
            }
            // Drop the least idle (slot 0) and shift the smaller ones left.
            k--;
            System.arraycopy(poolIdle, 1, poolIdle, 0, k);
            System.arraycopy(poolKey, 1, poolKey, 0, k);
            System.arraycopy(poolDb, 1, poolDb, 0, k);
        } else {
            System.arraycopy(poolIdle, k, poolIdle, k + 1, poolCount - k);
            System.arraycopy(poolKey, k, poolKey, k + 1, poolCount - k);
            System.arraycopy(poolDb, k, poolDb, k + 1, poolCount - k);
            poolCount++;
        }
        poolIdle[k] = idle;
        poolKey[k] = key;
        poolDb[k] = ks;
    }

    /** The pool's candidates' keys, least idle first (tests). */
    java.util.List<byte[]> poolKeys() {
        return java.util.Arrays.asList(Arrays.copyOf(poolKey, poolCount));
    }
}
