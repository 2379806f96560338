package io.github.jglommio.kv.store;

import io.github.jglommio.kv.store.SlotTable.Entry;

import java.util.Arrays;

/**
 * The hash index of a {@link SlotTable}: from key bytes to the key's entry. Single-threaded, like
 * its table.
 *
 * <p>Open addressing with linear probing over two parallel arrays, the entries and their keys'
 * hashes. A look-up compares stored hashes first, so it usually reads one cache line of hashes,
 * then the entry and its key bytes; {@code java.util.HashMap}, which this replaces, also chases a
 * node and a key wrapper per look-up, and with 100,000 keys every hop is a cache miss. Removal
 * shifts the rest of the probe run back instead of leaving a tombstone, so churn never lengthens
 * probes. The table doubles when it would pass half full, and shrinks only on {@link #clear()}.
 */
final class KeyIndex {

    private static final int MIN_CAPACITY = 16;

    /** The stored keys' hashes ({@link #hash}); 0 marks a free cell, and no hash is 0. */
    private int[] hashes = new int[MIN_CAPACITY];
    private Entry[] entries = new Entry[MIN_CAPACITY];
    private int size;

    /** The hash a key is stored under: never 0, well mixed in its low bits (they pick the cell). */
    static int hash(byte[] key) {
        int h = Arrays.hashCode(key);
        // MurmurHash3's finalizer: Arrays.hashCode of short keys that differ only in their last
        // bytes differs only in its low bits, and linear probing needs every bit mixed in.
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h == 0 ? 1 : h;
    }

    /** The entry of {@code key}, whose {@link #hash} is {@code hash}, or {@code null}. */
    Entry get(byte[] key, int hash) {
        int mask = hashes.length - 1;
        for (int i = hash & mask; ; i = (i + 1) & mask) {
            int h = hashes[i];
            if (h == 0) {
                return null;
            }
            if (h == hash) {
                Entry e = entries[i];
                if (Arrays.equals(e.key, key)) {
                    return e;
                }
            }
        }
    }

    /** Adds {@code e}, whose key must not be in the index yet. */
    void add(Entry e) {
        if ((size + 1) * 2 > hashes.length) {
            resize(hashes.length * 2);
        }
        place(e);
        size++;
    }

    /** Removes {@code e}, which must be in the index. */
    void remove(Entry e) {
        int mask = hashes.length - 1;
        int gap = e.hash & mask;
        while (entries[gap] != e) {
            if (hashes[gap] == 0) {
                throw new IllegalStateException("entry not in the index");
            }
            gap = (gap + 1) & mask;
        }
        // Backward shift: walk the rest of the run; a member whose home cell is not between the
        // gap and its own cell (cyclically) can move into the gap, which then moves to its cell.
        for (int j = (gap + 1) & mask; hashes[j] != 0; j = (j + 1) & mask) {
            int home = hashes[j] & mask;
            if (((j - home) & mask) >= ((j - gap) & mask)) {
                hashes[gap] = hashes[j];
                entries[gap] = entries[j];
                gap = j;
            }
        }
        hashes[gap] = 0;
        entries[gap] = null;
        size--;
    }

    int size() {
        return size;
    }

    /** Removes every entry and gives the arrays back. */
    void clear() {
        hashes = new int[MIN_CAPACITY];
        entries = new Entry[MIN_CAPACITY];
        size = 0;
    }

    /** Cells in the table (tests). */
    int capacity() {
        return hashes.length;
    }

    private void place(Entry e) {
        int mask = hashes.length - 1;
        int i = e.hash & mask;
        while (hashes[i] != 0) {
            i = (i + 1) & mask;
        }
        hashes[i] = e.hash;
        entries[i] = e;
    }

    private void resize(int capacity) {
        Entry[] old = entries;
        hashes = new int[capacity];
        entries = new Entry[capacity];
        for (Entry e : old) {
            if (e != null) {
                place(e);
            }
        }
    }
}
