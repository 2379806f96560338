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
        /** The key's bytes, never modified. */
        final byte[] key;
        /** {@link KeyIndex#hash} of {@link #key}. */
        final int hash;
        Object value;
        long expireAtMillis = Keyspace.NO_EXPIRY;
        int slot;
        /**
         * The value's encoding mark (bits 24..31, see {@link Keyspace#encodingMark}) and the
         * last access time (bits 0..23, {@link Keyspace#lruClock} seconds): one int, so the entry
         * stays 40 bytes as it was before these existed.
         */
        int meta;

        Entry(byte[] key, int hash, Object value) {
            this.key = key;
            this.hash = hash;
            this.value = value;
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
    // Entries with an expiry time, so that active expiry costs nothing while there are none.
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
        if (e.expireAtMillis != Keyspace.NO_EXPIRY) {
            volatileCount--;
        }
    }

    /** Sets an entry's expiry time (or {@link Keyspace#NO_EXPIRY}), keeping count of those that have one. */
    void setExpiry(Entry e, long expireAtMillis) {
        if (e.expireAtMillis == Keyspace.NO_EXPIRY && expireAtMillis != Keyspace.NO_EXPIRY) {
            volatileCount++;
        } else if (e.expireAtMillis != Keyspace.NO_EXPIRY && expireAtMillis == Keyspace.NO_EXPIRY) {
            volatileCount--;
        }
        e.expireAtMillis = expireAtMillis;
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
