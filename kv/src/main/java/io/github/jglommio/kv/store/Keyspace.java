package io.github.jglommio.kv.store;

import io.github.jglommio.kv.store.SlotTable.Entry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One shard's keys and values, with optional absolute expiry times. Single-threaded: owned by one
 * executor, never shared (see the package comment).
 *
 * <p>Values are {@code byte[]} (string), {@link ListValue} (list),
 * {@code HashSet<Key>} (set), {@code HashMap<Key, byte[]>} (hash) and {@link ZSet} (sorted set).
 * The typed accessors ({@link #getList}, {@link #getOrCreateList}, ...) return the live
 * collection for the caller to modify in place; a caller that empties a collection must call
 * {@link #removeIfEmpty(byte[])}, because Redis never keeps an empty aggregate.
 *
 * <p>Expiry. A key with expiry time {@code t} (epoch milliseconds, from the injected clock) is
 * dead once {@code now > t}. Every access checks and removes dead keys (lazy expiry);
 * {@link #expireCycle(int)} reclaims dead keys nobody touches (active expiry). Each such
 * time-driven deletion is reported to the {@linkplain #setExpiryListener expiry listener}, which
 * the server uses to append {@code DEL key} to the append-only log at that point, as Redis does:
 * the log then says exactly when each key died, and replay never has to decide it.
 *
 * <p>Loading. While {@linkplain #setLoading(boolean) loading} (replaying the log), nothing
 * expires: dead keys stay readable and writable and expiry times in the past are stored as
 * given, because the log already records every expiration as a {@code DEL} at the point it
 * happened. Replaying with expiry active would be wrong: a key that was alive when a logged
 * {@code INCR} ran may be dead at replay time. Leave loading mode when the replay is done; the
 * keys that died meanwhile are then reclaimed as usual.
 *
 * <p>Typed accessors throw {@link WrongTypeException} when the key holds another type.
 */
public final class Keyspace {
    /** The expiry time of a key that does not expire, as returned by {@link #expireAt(byte[])}. */
    public static final long NO_EXPIRY = -1;
    /** Returned by {@link #expireAt(byte[])} for a missing key. */
    public static final long MISSING = -2;

    /*
     * Implementation overview. The entries live in a SlotTable: a map by key, plus a fixed slot
     * per entry that gives SCAN a stable cursor, RANDOMKEY cheap samples and active expiry a clock
     * hand (see SlotTable). This class holds the policy on top: types, expiry times, lazy and
     * active expiry, loading mode. The table judges liveness against the time it is given, so
     * every walk is handed expiryNow(), which encodes loading mode.
     */
    private final LongSupplier nowMillis;
    private final SlotTable table = new SlotTable();
    private boolean loading;
    /** Whether a look-up counts as an access (idle time, LFU counter); off for TYPE, TTL, EXISTS, OBJECT. */
    private boolean touching = true;
    private Consumer<byte[]> expiryListener = key -> { };
    /** The databases this keyspace is one of (null when it stands alone), and its index there. */
    private Databases databases;
    private int index;
    /** The shard's memory bookkeeping (its databases'), or this keyspace's own when it stands alone. */
    private MemoryPolicy memory;
    /** The estimated bytes of the entries, keys and values, as last settled (see usedBytes()). */
    private long entryBytes;

    /**
     * Creates an empty keyspace.
     *
     * @param nowMillis the clock, epoch milliseconds; {@code System::currentTimeMillis} in the
     *     server, a controllable supplier in tests
     */
    public Keyspace(LongSupplier nowMillis) {
        this.nowMillis = nowMillis;
        this.memory = new MemoryPolicy(nowMillis);
    }

    /**
     * Sets the callback told about every key deleted because its time passed (lazily on access or
     * by {@link #expireCycle(int)}), before the operation that noticed it continues; the server
     * appends {@code DEL key} to the log there. Not called for explicit deletions.
     *
     * @param listener receives the dead key's bytes; must not modify this keyspace
     */
    public void setExpiryListener(Consumer<byte[]> listener) {
        this.expiryListener = listener;
    }

    /** Called by {@link Databases} when it makes this keyspace or SWAPDB moves it to {@code index}. */
    void attach(Databases owner, int index) {
        this.databases = owner;
        this.index = index;
        this.memory = owner.memory();
    }

    /** @return the memory bookkeeping this keyspace reports to (its databases', or its own) */
    public MemoryPolicy memory() {
        return memory;
    }

    /** @return this keyspace's database index (0 for a keyspace that stands alone) */
    public int index() {
        return index;
    }

    /**
     * Returns the databases this keyspace is one of: MOVE, COPY ... DB and FLUSHALL reach the
     * others through it.
     *
     * @return the databases, or null for a keyspace that stands alone (tests, a scratch keyspace)
     */
    public Databases databases() {
        return databases;
    }

    /**
     * Turns loading mode on or off (see the class comment): while on, no key expires.
     *
     * @param loading {@code true} while replaying the append-only log
     */
    public void setLoading(boolean loading) {
        this.loading = loading;
    }

    /**
     * Tells the databases' listener that {@code event} (Redis's name) of class {@code type} (a
     * {@link KeyspaceEvents} constant) happened to {@code key}, if that class is on; nothing for a
     * keyspace that stands alone. Costs a field read and a compare while notifications are off.
     *
     * @param type the event's class
     * @param event the event's name
     * @param key the key
     */
    public void notify(int type, String event, byte[] key) {
        Databases d = databases;
        if (d != null && d.eventFlags != 0) {
            d.notify(type, event, key, index);
        }
    }

    /**
     * Whether events of class {@code type} are on: a caller whose event name costs something to make
     * asks first.
     *
     * @param type a {@link KeyspaceEvents} class
     * @return whether {@link #notify} would pass such an event on
     */
    public boolean notifies(int type) {
        Databases d = databases;
        return d != null && (d.eventFlags & type) != 0;
    }

    /** @return whether the keyspace is in loading mode */
    public boolean isLoading() {
        return loading;
    }

    /**
     * Returns the keyspace clock's current time.
     *
     * @return epoch milliseconds
     */
    public long now() {
        return nowMillis.getAsLong();
    }

    // ---- generic access ------------------------------------------------------------------

    /**
     * Returns the value of a live key.
     *
     * @param key the key
     * @return the value (see the class comment for its types), or {@code null} if absent
     */
    public Object get(byte[] key) {
        Entry e = find(key);
        return e == null ? null : e.value;
    }

    /**
     * Returns whether a live key exists.
     *
     * @param key the key
     * @return {@code true} if present
     */
    public boolean exists(byte[] key) {
        return peekEntry(key) != null;
    }

    /**
     * Returns the type of a live key.
     *
     * @param key the key
     * @return the type, or {@code null} if absent
     */
    public ValueType type(byte[] key) {
        Entry e = peekEntry(key);
        return e == null ? null : ValueType.of(e.value);
    }

    /**
     * Returns the value of a live key without counting an access (OBJECT, DEBUG): its idle time
     * and frequency stay as they were.
     *
     * @param key the key
     * @return the value, or {@code null} if absent
     */
    public Object peek(byte[] key) {
        Entry e = peekEntry(key);
        return e == null ? null : e.value;
    }

    /**
     * Returns the seconds since a live key's last access, as OBJECT IDLETIME (meaningful under a
     * policy other than LFU), without counting an access.
     *
     * @param key the key
     * @return the idle seconds, or -1 if absent
     */
    public long idleSeconds(byte[] key) {
        Entry e = peekEntry(key);
        return e == null ? -1 : memory.idleMillis(e) / 1000;
    }

    /**
     * Returns a live key's LFU counter after decay, as OBJECT FREQ (meaningful under an LFU policy),
     * without counting an access.
     *
     * @param key the key
     * @return 0..255, or -1 if absent
     */
    public int frequency(byte[] key) {
        Entry e = peekEntry(key);
        return e == null ? -1 : memory.decayedCounter(e);
    }

    /**
     * Stores a value under a key, replacing any value and expiry. An expiry time that has already
     * passed ({@code <= now}) deletes the key instead, as Redis does.
     *
     * @param key the key; kept by reference
     * @param value the value, of one of the supported types; kept by reference
     * @param expireAtMillis the absolute expiry time, or {@link #NO_EXPIRY}
     */
    public void set(byte[] key, Object value, long expireAtMillis) {
        if (expireAtMillis != NO_EXPIRY && !loading && expireAtMillis <= now()) {
            delete(key);
            return;
        }
        Entry e = find(key);
        if (e == null) {
            e = insert(key, value);
            added(key);
        } else {
            replace(e, value);
        }
        table.setExpiry(e, expireAtMillis);
    }

    /**
     * Stores a value under a key, keeping the key's expiry time if it has one.
     *
     * @param key the key; kept by reference
     * @param value the value; kept by reference
     */
    public void setKeepTtl(byte[] key, Object value) {
        Entry e = find(key);
        if (e == null) {
            insert(key, value);
            added(key);
        } else {
            replace(e, value);
        }
    }

    // ---- access times and encoding marks ---------------------------------------------------

    /**
     * Says whether the look-ups that follow count as accesses of the keys they find (their access
     * data, see {@link MemoryPolicy}): the command executor turns it off for the commands Redis
     * runs without touching a key (TYPE, TTL, EXISTS, OBJECT...) and on for every other. The
     * look-ups those commands make through {@link #exists}, {@link #type}, {@link #expireAt} and
     * {@link #peek} never count; this covers any other they make.
     *
     * @param touching {@code false} while running a command that must not change access data
     */
    public void setTouching(boolean touching) {
        this.touching = touching;
    }

    /**
     * Returns the encoding mark of a live key's value: a number in [0, 255] that the command layer
     * keeps beside the value to remember how it was built (Redis's encoding history; the store
     * gives it no meaning). A new or replaced value has mark 0; moving a value to another key
     * does not carry its mark unless the mover copies it ({@link #setEncodingMark}).
     *
     * @param key the key
     * @return the mark, or 0 if the key is absent
     */
    public int encodingMark(byte[] key) {
        Entry e = peekEntry(key);
        return e == null ? 0 : e.mark();
    }

    /**
     * Sets the encoding mark of a live key's value (see {@link #encodingMark}); nothing if absent.
     *
     * @param key the key
     * @param mark the mark, in [0, 255]
     */
    public void setEncodingMark(byte[] key, int mark) {
        Entry e = peekEntry(key);
        if (e != null) {
            e.setMark(mark);
        }
    }

    /**
     * Recomputes the encoding mark of a live key's value in one look-up; nothing if absent.
     *
     * @param key the key
     * @param rule gives the new mark from the value and its current mark
     */
    public void remark(byte[] key, MarkRule rule) {
        Entry e = peekEntry(key);
        if (e != null) {
            e.setMark(rule.next(e.value, e.mark()));
        }
    }

    /** Computes a value's next encoding mark; see {@link #remark}. */
    @FunctionalInterface
    public interface MarkRule {
        /**
         * @param value the live value
         * @param mark its current mark
         * @return its new mark, in [0, 255]
         */
        int next(Object value, int mark);
    }

    /**
     * Deletes a live key.
     *
     * @param key the key
     * @return {@code true} if a live key was removed
     */
    public boolean delete(byte[] key) {
        Entry e = find(key);
        if (e == null) {
            return false;
        }
        remove(e);
        return true;
    }

    /**
     * Deletes a key if it holds an empty list, set, hash or sorted set.
     *
     * @param key the key
     * @return whether it did
     */
    public boolean removeIfEmpty(byte[] key) {
        Entry e = peekEntry(key); // the command's own look-up was the access
        if (e != null && ValueType.isEmptyAggregate(e.value)) {
            remove(e);
            return true;
        }
        return false;
    }

    /**
     * {@link #removeIfEmpty}, telling a {@code del} event ({@link KeyspaceEvents#GENERIC}) when it
     * deletes: what Redis does after a command took the last element.
     *
     * @param key the key
     */
    public void deleteIfEmpty(byte[] key) {
        if (removeIfEmpty(key)) {
            notify(KeyspaceEvents.GENERIC, "del", key);
        }
    }

    // ---- expiry ----------------------------------------------------------------------------

    /**
     * Returns a key's absolute expiry time.
     *
     * @param key the key
     * @return epoch milliseconds, {@link #NO_EXPIRY} or {@link #MISSING}
     */
    public long expireAt(byte[] key) {
        Entry e = peekEntry(key);
        return e == null ? MISSING : e.expireAtMillis;
    }

    /**
     * Sets a live key's absolute expiry time; a time {@code <= now} deletes the key.
     *
     * @param key the key
     * @param expireAtMillis epoch milliseconds
     * @return {@code false} if the key is absent
     */
    public boolean setExpireAt(byte[] key, long expireAtMillis) {
        Entry e = find(key);
        if (e == null) {
            return false;
        }
        if (!loading && expireAtMillis <= now()) {
            remove(e);
        } else {
            table.setExpiry(e, expireAtMillis);
        }
        return true;
    }

    /**
     * Removes a live key's expiry time.
     *
     * @param key the key
     * @return {@code true} if the key existed and had an expiry time
     */
    public boolean persist(byte[] key) {
        Entry e = find(key);
        if (e == null || e.expireAtMillis == NO_EXPIRY) {
            return false;
        }
        table.setExpiry(e, NO_EXPIRY);
        return true;
    }

    /**
     * Active expiry: advances a clock hand over up to {@code maxSlots} key slots (wrapping around),
     * deleting the dead keys it finds. Calling it from a timer with a bound per tick reclaims every
     * dead key within {@code ceil(peak key count / maxSlots)} ticks, while bounding the work per
     * tick; it returns at once while no key has an expiry time.
     *
     * @param maxSlots the most slots to examine in this call
     * @return the number of keys deleted
     */
    public int expireCycle(int maxSlots) {
        if (!table.hasExpiryTimes() || table.slotCount() == 0 || loading) {
            return 0;
        }
        long now = now();
        int deleted = 0;
        int n = Math.min(maxSlots, table.slotCount());
        for (int i = 0; i < n; i++) {
            Entry e = table.advanceHand();
            if (e != null && e.isDeadAt(now)) {
                expire(e);
                deleted++;
            }
        }
        return deleted;
    }

    // ---- typed access ----------------------------------------------------------------------

    /**
     * Returns the string value of a key.
     *
     * @param key the key
     * @return the bytes (not to be modified), or {@code null} if absent
     * @throws WrongTypeException if the key holds another type
     */
    public byte[] getString(byte[] key) {
        Object v = get(key);
        if (v == null || v instanceof byte[]) {
            return (byte[]) v;
        }
        throw WrongTypeException.INSTANCE;
    }

    /**
     * Returns the list at a key.
     *
     * @param key the key
     * @return the live list, or {@code null} if absent
     * @throws WrongTypeException if the key holds another type
     */
    public ListValue getList(byte[] key) {
        return typed(key, ValueType.LIST, false);
    }

    /**
     * Returns the list at a key, creating an empty one (without expiry) if absent.
     *
     * @param key the key; kept by reference when created
     * @return the live list
     * @throws WrongTypeException if the key holds another type
     */
    public ListValue getOrCreateList(byte[] key) {
        return typed(key, ValueType.LIST, true);
    }

    /**
     * Returns the set at a key.
     *
     * @param key the key
     * @return the live set, or {@code null} if absent
     * @throws WrongTypeException if the key holds another type
     */
    public HashSet<Key> getSet(byte[] key) {
        return typed(key, ValueType.SET, false);
    }

    /**
     * Returns the set at a key, creating an empty one if absent.
     *
     * @param key the key; kept by reference when created
     * @return the live set
     * @throws WrongTypeException if the key holds another type
     */
    public HashSet<Key> getOrCreateSet(byte[] key) {
        return typed(key, ValueType.SET, true);
    }

    /**
     * Returns the hash at a key.
     *
     * @param key the key
     * @return the live hash, or {@code null} if absent
     * @throws WrongTypeException if the key holds another type
     */
    public HashMap<Key, byte[]> getHash(byte[] key) {
        return typed(key, ValueType.HASH, false);
    }

    /**
     * Returns the hash at a key, creating an empty one if absent.
     *
     * @param key the key; kept by reference when created
     * @return the live hash
     * @throws WrongTypeException if the key holds another type
     */
    public HashMap<Key, byte[]> getOrCreateHash(byte[] key) {
        return typed(key, ValueType.HASH, true);
    }

    /**
     * Returns the sorted set at a key.
     *
     * @param key the key
     * @return the live sorted set, or {@code null} if absent
     * @throws WrongTypeException if the key holds another type
     */
    public ZSet getZSet(byte[] key) {
        return typed(key, ValueType.ZSET, false);
    }

    /**
     * Returns the sorted set at a key, creating an empty one if absent.
     *
     * @param key the key; kept by reference when created
     * @return the live sorted set
     * @throws WrongTypeException if the key holds another type
     */
    public ZSet getOrCreateZSet(byte[] key) {
        return typed(key, ValueType.ZSET, true);
    }

    // ---- whole-keyspace operations ---------------------------------------------------------

    /**
     * Returns the number of keys, like {@code DBSIZE}: keys whose time has passed but that neither
     * an access nor {@link #expireCycle(int)} has reclaimed yet are still counted, as in Redis.
     *
     * @return the key count
     */
    public int size() {
        return table.size();
    }

    /** Deletes every key ({@code FLUSHDB}) and releases the slot table. */
    public void clear() {
        table.clear();
        entryBytes = 0;
    }

    // ---- memory ----------------------------------------------------------------------------

    /**
     * Returns the estimated heap bytes of this keyspace: its table's arrays and every entry with
     * its key and value (see {@link MemorySizes}). Settles the sizes of the values commands touched
     * since the last call first ({@link MemoryPolicy#settle()}).
     *
     * @return bytes
     */
    public long usedBytes() {
        memory.settle();
        return entryBytes + table.tableBytes();
    }

    /** Re-estimates the size of {@code e} if it is still here (see {@link MemoryPolicy#settle()}). */
    void resize(Entry e) {
        if (table.contains(e)) {
            long size = MemorySizes.entry(e.key, e.value);
            entryBytes += size - e.size;
            e.size = size;
        }
    }

    /** The entry of {@code key}, dead or alive, if it may be evicted under a volatile-only policy or any. */
    Entry entryOf(byte[] key, boolean volatileOnly) {
        Entry e = table.lookup(key);
        return e == null || (volatileOnly && e.volatileIndex < 0) ? null : e;
    }

    /** How many keys an eviction may choose from. */
    int candidateCount(boolean volatileOnly) {
        return volatileOnly ? table.volatileCount() : table.size();
    }

    /** A random eviction candidate, or null. */
    Entry randomEntry(boolean volatileOnly) {
        return table.randomEntry(volatileOnly);
    }

    /** Removes an entry chosen for eviction; the server logs the deletion. */
    void evict(Entry e) {
        remove(e);
    }

    /**
     * Returns every live key matching a glob pattern ({@code KEYS}), in slot order.
     *
     * @param globPattern the pattern (see {@link Glob})
     * @return the matching keys (the stored arrays, not to be modified)
     */
    public List<byte[]> keys(byte[] globPattern) {
        return table.keys(globPattern, expiryNow());
    }

    /**
     * One step of a cursor iteration ({@code SCAN}). The cursor is a slot index: start with 0 and
     * pass back the returned cursor until it is 0 again. Every key present for the whole iteration
     * is returned exactly once; keys added or removed meanwhile may or may not be. A step examines
     * slots until it has {@code count} keys (before filtering) or has looked at
     * {@code 10 * count} slots, so a step may return no key without the iteration being over.
     * Cursors are below {@link Integer#MAX_VALUE}; an unknown cursor ends the iteration.
     *
     * @param cursor 0 to start, else a cursor returned by the previous step
     * @param pattern a glob filter, or {@code null}
     * @param count the work hint, at least 1
     * @param type a type-name filter ({@link ValueType#typeName()}, any case), or {@code null};
     *     an unknown name matches no key
     * @return the next cursor and the keys found
     */
    public ScanResult scan(long cursor, byte[] pattern, int count, String type) {
        if (type == null) {
            return scan(cursor, pattern, count, (ValueType) null);
        }
        ValueType t = ValueType.byName(type);
        if (t == null) {
            // An unknown type matches nothing, but the cursor still advances as usual.
            ScanResult r = scan(cursor, pattern, count, (ValueType) null);
            return new ScanResult(r.cursor(), new ArrayList<>());
        }
        return scan(cursor, pattern, count, t);
    }

    /**
     * Like {@link #scan(long, byte[], int, String)} with the type filter as a {@link ValueType}.
     *
     * @param cursor 0 to start, else a cursor returned by the previous step
     * @param pattern a glob filter, or {@code null}
     * @param count the work hint, at least 1
     * @param type a type filter, or {@code null}
     * @return the next cursor and the keys found
     */
    public ScanResult scan(long cursor, byte[] pattern, int count, ValueType type) {
        return table.scan(cursor, pattern, count, type, expiryNow());
    }

    /**
     * Returns a random live key ({@code RANDOMKEY}).
     *
     * @return the key (the stored array), or {@code null} if the keyspace is empty
     */
    public byte[] randomKey() {
        return table.randomKey(expiryNow());
    }

    /**
     * Visits every live entry, for snapshots and log rewrites. The visitor must not modify the
     * keyspace.
     *
     * @param visitor receives key, value and expiry time
     */
    public void forEachLive(EntryVisitor visitor) {
        table.forEachLive(visitor, expiryNow());
    }

    // ---- internals -------------------------------------------------------------------------

    /**
     * The live entry of {@code key}, counted as an access; the caller may change its value, so its
     * size is settled after the command.
     */
    private Entry find(byte[] key) {
        Entry e = peekEntry(key);
        if (e != null) {
            if (touching) {
                memory.touched(e);
            }
            memory.markDirty(e, this);
        }
        return e;
    }

    /** The live entry of {@code key}, without counting an access; the caller must not change it. */
    private Entry peekEntry(byte[] key) {
        Entry e = table.lookup(key);
        if (e == null) {
            return null;
        }
        // Test the expiry time before reading the clock: most keys have none.
        if (e.expireAtMillis != NO_EXPIRY && !loading && e.isDeadAt(now())) {
            expire(e);
            return null;
        }
        return e;
    }

    /** Adds an entry for a key that has none, with its size, fresh access data and encoding mark 0. */
    private Entry insert(byte[] key, Object value) {
        Entry e = table.insert(key, value);
        e.size = MemorySizes.entry(key, value);
        entryBytes += e.size;
        memory.created(e);
        memory.markDirty(e, this); // an aggregate is made empty, then filled by the command
        return e;
    }

    /**
     * A new value for an existing entry, found (so accessed) by the caller: a different object
     * starts over with encoding mark 0; the access data stays, as Redis keeps an overwritten key's
     * LFU counter (and under LRU the look-up has just set the clock).
     */
    private void replace(Entry e, Object value) {
        if (e.value != value) {
            e.value = value;
            e.setMark(0);
        }
        resize(e);
    }

    private void remove(Entry e) {
        table.remove(e);
        entryBytes -= e.size;
    }

    /**
     * The time to judge liveness by in a walk of the table: the clock, or while loading a time
     * before every expiry time, since then nothing expires.
     */
    private long expiryNow() {
        long now = now();
        return loading ? Long.MIN_VALUE : now;
    }

    private void expire(Entry e) {
        remove(e);
        expiryListener.accept(e.key);
        notify(KeyspaceEvents.EXPIRED, "expired", e.key);
    }

    /** A key was added ({@code n} events): called right after each insert into the table. */
    private void added(byte[] key) {
        notify(KeyspaceEvents.NEW, "new", key);
    }

    @SuppressWarnings("unchecked")
    private <T> T typed(byte[] key, ValueType type, boolean create) {
        Entry e = find(key);
        if (e == null) {
            if (!create) {
                return null;
            }
            T made = (T) insert(key, type.newEmpty()).value;
            added(key);
            return made;
        }
        if (ValueType.of(e.value) != type) {
            throw WrongTypeException.INSTANCE;
        }
        return (T) e.value;
    }
}
