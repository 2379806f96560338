package io.github.jglommio.kv.store;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * One shard's numbered databases (Redis's {@code SELECT 0..databases-1}): a {@link Keyspace} per
 * index, made on first use, so that fifteen databases nobody selects cost one empty array slot
 * each. Database 0 always exists.
 *
 * <p>Each keyspace knows its index and its siblings ({@link Keyspace#index()},
 * {@link Keyspace#databases()}), so that MOVE, COPY ... DB and FLUSHALL, which run on one keyspace,
 * reach the others. {@link #swap} exchanges two slots (SWAPDB): the keyspaces change index, not
 * content.
 *
 * <p>Threading: the shard's executor only, like its keyspaces.
 */
public final class Databases {

    /** Told of every key a database's keyspace expires, with the index the database has then. */
    @FunctionalInterface
    public interface ExpiryListener {
        /**
         * A key of database {@code db} died because its time passed.
         *
         * @param db the database's index at that moment
         * @param key the dead key's bytes
         */
        void expired(int db, byte[] key);
    }

    private final LongSupplier nowMillis;
    private final Keyspace[] dbs;
    private ExpiryListener expiryListener = (db, key) -> { };
    private boolean loading;
    private final MemoryPolicy memory;
    /** The keyspace-event classes on (0 while none is, or neither K nor E); read by every keyspace. */
    int eventFlags;
    private KeyspaceEvents.Listener events = (db, event, key) -> { };

    /**
     * Creates {@code count} empty databases on {@code nowMillis}.
     *
     * @param nowMillis the clock of every keyspace
     * @param count how many databases (the {@code databases} setting), at least 1
     * @throws IllegalArgumentException when {@code count} is less than 1
     */
    public Databases(LongSupplier nowMillis, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("databases must be at least 1: " + count);
        }
        this.nowMillis = Objects.requireNonNull(nowMillis, "nowMillis");
        this.dbs = new Keyspace[count];
        this.memory = new MemoryPolicy(nowMillis);
        get(0);
    }

    /** @return the memory bookkeeping and eviction policy every database shares */
    public MemoryPolicy memory() {
        return memory;
    }

    /**
     * Returns the estimated heap bytes of every database's keys and values (see
     * {@link Keyspace#usedBytes()}).
     *
     * @return bytes
     */
    public long usedBytes() {
        memory.settle();
        long n = 0;
        for (Keyspace ks : dbs) {
            if (ks != null) {
                n += ks.usedBytes();
            }
        }
        return n;
    }

    /**
     * Evicts keys as the {@linkplain MemoryPolicy#policy() policy} says until
     * {@link #usedBytes()} is at most {@code limitBytes}, telling {@code evicted} of each (the
     * server logs a {@code DEL} and marks the watches, as for an expired key).
     *
     * @param limitBytes the bound, positive
     * @param evicted told the database index and key of each evicted key
     * @return whether the bound holds now; {@code false} when nothing more may be evicted
     */
    public boolean evictToFit(long limitBytes, ExpiryListener evicted) {
        while (usedBytes() > limitBytes) {
            int db = memory.evictOne(this);
            if (db < 0) {
                return false;
            }
            evicted.expired(db, memory.lastEvictedKey);
            dbs[db].notify(KeyspaceEvents.EVICTED, "evicted", memory.lastEvictedKey);
        }
        return true;
    }

    /**
     * {@link #evictToFit(long, ExpiryListener)} telling the {@linkplain #setExpiryListener expiry
     * listener} of each evicted key, as of an expired one: the server logs its {@code DEL} and
     * marks the watches there.
     *
     * @param limitBytes the bound, positive
     * @return whether the bound holds now
     */
    public boolean evictToFit(long limitBytes) {
        return evictToFit(limitBytes, expiryListener);
    }

    /** @return how many databases there are (valid indexes are 0 to count-1) */
    public int count() {
        return dbs.length;
    }

    /** @return whether {@code db} is a valid index */
    public boolean isValid(long db) {
        return db >= 0 && db < dbs.length;
    }

    /**
     * Returns database {@code db}, making it if it was never used.
     *
     * @param db a valid index
     * @return its keyspace
     * @throws ArrayIndexOutOfBoundsException for an invalid index
     */
    public Keyspace get(int db) {
        Keyspace ks = dbs[db];
        if (ks == null) {
            ks = new Keyspace(nowMillis);
            ks.attach(this, db);
            ks.setLoading(loading);
            Keyspace made = ks;
            ks.setExpiryListener(key -> expiryListener.expired(made.index(), key));
            dbs[db] = ks;
        }
        return ks;
    }

    /**
     * Returns database {@code db} if it was ever used, without making it.
     *
     * @param db a valid index
     * @return its keyspace, or null
     */
    public Keyspace peek(int db) {
        return dbs[db];
    }

    /**
     * SWAPDB: databases {@code a} and {@code b} exchange their contents (no-op when equal).
     *
     * @param a a valid index
     * @param b a valid index
     */
    public void swap(int a, int b) {
        Keyspace ka = get(a);
        Keyspace kb = get(b);
        dbs[a] = kb;
        dbs[b] = ka;
        kb.attach(this, a);
        ka.attach(this, b);
    }

    /** FLUSHALL: empties every database; returns whether any held a key. */
    public boolean clearAll() {
        boolean any = false;
        for (Keyspace ks : dbs) {
            if (ks != null && ks.size() > 0) {
                any = true;
                ks.clear();
            }
        }
        return any;
    }

    /** @return the keys of every database together */
    public long totalSize() {
        long n = 0;
        for (Keyspace ks : dbs) {
            if (ks != null) {
                n += ks.size();
            }
        }
        return n;
    }

    /**
     * Sets the listener told about every key any database expires (see
     * {@link Keyspace#setExpiryListener}).
     *
     * @param listener receives the database index and the key; must not modify the keyspaces
     */
    public void setExpiryListener(ExpiryListener listener) {
        this.expiryListener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Sets the keyspace-event classes that are on and the listener told of their events (see
     * {@link KeyspaceEvents}); with {@code flags} 0 (the default) no event is passed on.
     *
     * @param flags classes from {@link KeyspaceEvents#parse}; none counts unless K or E is among them
     * @param listener receives each event; must not modify the keyspaces
     */
    public void setEventListener(int flags, KeyspaceEvents.Listener listener) {
        this.events = Objects.requireNonNull(listener, "listener");
        this.eventFlags = KeyspaceEvents.effective(flags);
    }

    /** @return the keyspace-event classes that are on (0: none) */
    public int eventFlags() {
        return eventFlags;
    }

    /** Passes event {@code event} of class {@code type} on {@code key} of database {@code db} to the listener, if the class is on. */
    void notify(int type, String event, byte[] key, int db) {
        if ((eventFlags & type) != 0) {
            events.event(db, event, key);
        }
    }

    /**
     * Turns loading mode on or off in every database, present and future (see
     * {@link Keyspace#setLoading}).
     *
     * @param loading {@code true} while replaying the log
     */
    public void setLoading(boolean loading) {
        this.loading = loading;
        for (Keyspace ks : dbs) {
            if (ks != null) {
                ks.setLoading(loading);
            }
        }
    }

    /**
     * Runs one step of active expiry in every database that exists.
     *
     * @param maxSlotsEach the budget of slots each database may visit
     */
    public void expireCycle(int maxSlotsEach) {
        for (Keyspace ks : dbs) {
            if (ks != null && ks.size() > 0) {
                ks.expireCycle(maxSlotsEach);
            }
        }
    }
}
