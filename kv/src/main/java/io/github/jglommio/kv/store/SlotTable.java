package io.github.jglommio.kv.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The entries of a {@link Keyspace}: a map from key to entry, plus the slot table that gives SCAN
 * its cursor, RANDOMKEY its samples and active expiry its clock hand. Single-threaded, like its
 * keyspace. It holds no policy: whether an entry is dead is decided against the {@code now} each
 * walk is given, and removing dead entries is the keyspace's business.
 *
 * <p>Each entry owns a fixed index ("slot") in {@link #slots} from insertion until removal; freed
 * slots are reused, LIFO. Because a live entry never moves, a cursor that is a slot index gives
 * SCAN the Redis guarantee for free (every key present for the whole iteration is returned, in fact
 * exactly once). The slots array only grows (to the peak key count) until {@link #clear()}.
 */
final class SlotTable {
    /** One key's value and expiry time, and the slot it owns. */
    static final class Entry {
        /** The bits of {@link #meta} that hold the access data. */
        static final int ACCESS_MASK = (1 << 24) - 1;

        /** The key's bytes, never modified. */
        final byte[] key;
        /** {@link KeyIndex#hash} of {@link #key}. */
        final int hash;
        Object value;
        long expireAtMillis = Keyspace.NO_EXPIRY;
        int slot;
        /** The estimated bytes of the entry, key and value ({@link MemorySizes#entry}), as last settled. */
        long size;
        /**
         * Two things in one int, as Redis packs its object's LRU field beside type and encoding:
         * bits 0..23 the key's access data, the LRU clock (seconds) or the LFU time and counter
         * (see {@link MemoryPolicy}, the only writer); bits 24..31 the value's encoding mark (see
         * {@link Keyspace#encodingMark}, the keyspace the only writer). Read and write them
         * through the methods below, which leave the other part alone.
         */
        int meta;
        /** The entry's index in the table's array of entries with an expiry time, or -1. */
        int volatileIndex = -1;
        /** Whether the entry waits in {@link MemoryPolicy}'s list of entries whose size to settle. */
        boolean dirty;

        Entry(byte[] key, int hash, Object value) {
            this.key = key;
            this.hash = hash;
            this.value = value;
        }

        /** The access data: 24 bits, see {@link MemoryPolicy}. */
        int access() {
            return meta & ACCESS_MASK;
        }

        /** Sets the access data (24 bits), keeping the encoding mark. */
        void setAccess(int access) {
            meta = (meta & ~ACCESS_MASK) | (access & ACCESS_MASK);
        }

        /** The value's encoding mark, in [0, 255]. */
        int mark() {
            return meta >>> 24;
        }

        /** Sets the encoding mark (in [0, 255]), keeping the access data. */
        void setMark(int mark) {
            meta = (mark << 24) | (meta & ACCESS_MASK);
        }

        /** Whether the expiry time has passed at {@code now} (epoch milliseconds). */
        boolean isDeadAt(long now) {
            return expireAtMillis != Keyspace.NO_EXPIRY && now > expireAtMillis;
        }
    }

    private final KeyIndex index = new KeyIndex();
    private final SplittableRandom random = new SplittableRandom();
    private Entry[] slots = new Entry[16];
    private int slotCount;
    private int[] freeSlots = new int[16];
    private int freeCount;
    private int hand;
    // The entries with an expiry time, densely, so that active expiry costs nothing while there are
    // none and the volatile-* eviction policies sample them directly.
    private Entry[] volatiles = new Entry[0];
    private int volatileCount;

    /** Returns the entry of a key, dead or alive, or {@code null}. */
    Entry lookup(byte[] key) {
        return index.get(key, KeyIndex.hash(key));
    }

    /** Adds an entry for a key that has none, in a free slot; the key array is kept by reference. */
    Entry insert(byte[] key, Object value) {
        Entry e = new Entry(key, KeyIndex.hash(key), value);
        if (freeCount > 0) {
            e.slot = freeSlots[--freeCount];
        } else {
            if (slotCount == slots.length) {
                slots = Arrays.copyOf(slots, slots.length * 2);
            }
            e.slot = slotCount++;
        }
        slots[e.slot] = e;
        index.add(e);
        return e;
    }

    /** Removes an entry and frees its slot. */
    void remove(Entry e) {
        index.remove(e);
        slots[e.slot] = null;
        if (freeCount == freeSlots.length) {
            freeSlots = Arrays.copyOf(freeSlots, freeSlots.length * 2);
        }
        freeSlots[freeCount++] = e.slot;
        if (e.volatileIndex >= 0) {
            dropVolatile(e);
        }
        e.slot = -1;
    }

    /** Sets an entry's expiry time (or {@link Keyspace#NO_EXPIRY}), keeping count of those that have one. */
    void setExpiry(Entry e, long expireAtMillis) {
        if (e.volatileIndex < 0 && expireAtMillis != Keyspace.NO_EXPIRY) {
            if (volatileCount == volatiles.length) {
                volatiles = Arrays.copyOf(volatiles, Math.max(16, volatileCount * 2));
            }
            e.volatileIndex = volatileCount;
            volatiles[volatileCount++] = e;
        } else if (e.volatileIndex >= 0 && expireAtMillis == Keyspace.NO_EXPIRY) {
            dropVolatile(e);
        }
        e.expireAtMillis = expireAtMillis;
    }

    private void dropVolatile(Entry e) {
        Entry last = volatiles[--volatileCount];
        volatiles[e.volatileIndex] = last;
        last.volatileIndex = e.volatileIndex;
        volatiles[volatileCount] = null;
        e.volatileIndex = -1;
    }

    /** The number of entries with an expiry time. */
    int volatileCount() {
        return volatileCount;
    }

    /** Whether {@code e} is still in the table (not removed since it was handed out). */
    boolean contains(Entry e) {
        return e.slot >= 0 && e.slot < slotCount && slots[e.slot] == e;
    }

    /**
     * A random entry, dead or alive, among all ({@code volatileOnly} false) or among those with an
     * expiry time; {@code null} when there is none.
     */
    Entry randomEntry(boolean volatileOnly) {
        if (volatileOnly) {
            return volatileCount == 0 ? null : volatiles[random.nextInt(volatileCount)];
        }
        if (index.size() == 0) {
            return null;
        }
        for (int tries = 0; tries < 16; tries++) {
            Entry e = slots[random.nextInt(slotCount)];
            if (e != null) {
                return e;
            }
        }
        // Mostly free slots: walk on from a random one to the next entry.
        int start = random.nextInt(slotCount);
        for (int i = 0; i < slotCount; i++) {
            Entry e = slots[(start + i) % slotCount];
            if (e != null) {
                return e;
            }
        }
        return null;
    }

    /** The bytes of the table's own arrays (index, slots, free slots, entries with an expiry time). */
    long tableBytes() {
        return 2 * MemorySizes.refs(index.capacity()) + MemorySizes.refs(slots.length)
                + MemorySizes.refs(freeSlots.length) + MemorySizes.refs(volatiles.length);
    }

    /** Whether any entry has an expiry time. */
    boolean hasExpiryTimes() {
        return volatileCount > 0;
    }

    /** The number of entries, dead ones included. */
    int size() {
        return index.size();
    }

    /** One past the highest slot ever used since the last clear: the extent of every walk. */
    int slotCount() {
        return slotCount;
    }

    /** Removes every entry and releases the slot table. */
    void clear() {
        index.clear();
        slots = new Entry[16];
        slotCount = 0;
        freeSlots = new int[16];
        freeCount = 0;
        hand = 0;
        volatiles = new Entry[0];
        volatileCount = 0;
    }

    /**
     * Returns the entry (or {@code null} for a free slot) under the clock hand and advances the
     * hand, wrapping around at {@link #slotCount()}. Removing the returned entry is allowed.
     * Requires {@code slotCount() > 0}.
     */
    Entry advanceHand() {
        if (hand >= slotCount) {
            hand = 0;
        }
        return slots[hand++];
    }

    /** The keys of the entries alive at {@code now} that match a glob pattern, in slot order. */
    List<byte[]> keys(byte[] globPattern, long now) {
        boolean all = Glob.matchesAll(globPattern);
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < slotCount; i++) {
            Entry e = slots[i];
            if (e != null && !e.isDeadAt(now) && (all || Glob.matches(globPattern, e.key))) {
                out.add(e.key);
            }
        }
        return out;
    }

    /** One SCAN step over the entries alive at {@code now}; see {@link Keyspace#scan(long, byte[], int, ValueType)}. */
    ScanResult scan(long cursor, byte[] pattern, int count, ValueType type, long now) {
        List<byte[]> out = new ArrayList<>(Math.min(count, 64));
        if (cursor < 0 || cursor >= slotCount) {
            return new ScanResult(0, out);
        }
        boolean all = Glob.matchesAll(pattern);
        int i = (int) cursor;
        long budget = 10L * Math.max(1, count);
        int found = 0;
        for (; i < slotCount && found < count && budget > 0; i++, budget--) {
            Entry e = slots[i];
            if (e == null || e.isDeadAt(now)) {
                continue;
            }
            found++;
            if ((all || Glob.matches(pattern, e.key)) && (type == null || ValueType.of(e.value) == type)) {
                out.add(e.key);
            }
        }
        return new ScanResult(i >= slotCount ? 0 : i, out);
    }

    /** A random key alive at {@code now}, or {@code null} if there is none. */
    byte[] randomKey(long now) {
        if (index.size() == 0) {
            return null;
        }
        // Random probes find a live slot quickly unless most slots are free; then scan instead.
        for (int tries = 0; tries < 16; tries++) {
            Entry e = slots[random.nextInt(slotCount)];
            if (e != null && !e.isDeadAt(now)) {
                return e.key;
            }
        }
        for (int i = 0; i < slotCount; i++) {
            Entry e = slots[i];
            if (e != null && !e.isDeadAt(now)) {
                return e.key;
            }
        }
        return null;
    }

    /** Visits the entries alive at {@code now}, in slot order. */
    void forEachLive(EntryVisitor visitor, long now) {
        for (int i = 0; i < slotCount; i++) {
            Entry e = slots[i];
            if (e != null && !e.isDeadAt(now)) {
                visitor.visit(e.key, e.value, e.expireAtMillis);
            }
        }
    }
}
