package io.github.jglommio.kv.store;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;

/**
 * Estimates of the heap bytes keys and values take, for {@code maxmemory} and {@code INFO memory}.
 * Stateless.
 *
 * <p>The figures assume the JVM this server runs on by default: 64-bit with compressed references
 * (4-byte references, 12-byte object headers, 16-byte array headers, 8-byte alignment). A string
 * costs its array; an aggregate costs its objects' fixed parts plus, per element, the nodes and
 * wrappers its collection makes and the element's arrays. The element bytes of an aggregate of
 * more than {@value #SAMPLED} elements are estimated from its first {@value #SAMPLED} (as Redis's
 * {@code MEMORY USAGE} samples), so one call costs O(1) however large the value. What the
 * estimate misses: {@code HashMap} tables that do not shrink after removals, and the sharing of
 * one array by several values. {@code MemoryAccountingTest} measures the error against the heap.
 */
final class MemorySizes {
    /** The elements an aggregate's element bytes are measured on; beyond, the mean times the size. */
    static final int SAMPLED = 16;

    /**
     * {@link SlotTable.Entry}: header, key, hash, value, expireAt, slot, size, meta (access data and
     * encoding mark), volatileIndex, dirty.
     */
    static final int ENTRY = 56;
    /** A {@code java.util.HashMap.Node}: header, hash, key, value, next. */
    private static final int MAP_NODE = 32;
    /** A {@link Key}: header, bytes, hash. */
    private static final int KEY = 24;
    /** A {@code HashMap} object; a {@code HashSet} adds its own header and reference. */
    private static final int HASH_MAP = 48;
    private static final int HASH_SET = 16 + HASH_MAP;
    /** A {@link ListValue}: header, items, head, size. */
    private static final int LIST = 24;
    /** A {@link ZSet} with its head node and first arrays (slots, free slots, head's links). */
    private static final int ZSET = 64 + HASH_MAP + 40 + 2 * 32 + 2 * 32;
    /**
     * A sorted-set member beyond its map node, key and bytes: its skip-list node, its level
     * arrays at the mean level of 4/3 (p = 1/4), and its two slot-table cells.
     */
    private static final int ZSET_NODE = 40 + 2 * 24 + 8;

    private MemorySizes() {
    }

    /** The bytes of an array of {@code n} bytes. */
    static long bytes(int n) {
        return align(16L + n);
    }

    /** The bytes of an array of {@code n} references (or ints). */
    static long refs(long n) {
        return align(16L + 4 * n);
    }

    /** The bytes of a key's entry in the keyspace, with its key and value, without the table cells. */
    static long entry(byte[] key, Object value) {
        return ENTRY + bytes(key.length) + value(value);
    }

    /** The bytes of a stored value (see the class comment). */
    static long value(Object value) {
        return switch (value) {
            case byte[] b -> bytes(b.length);
            case ListValue l -> LIST + refs(l.capacity()) + sampled(l.size(), l.iterator(), MemorySizes::arrayOf);
            case HashSet<?> s -> HASH_SET + mapTable(s.size())
                    + sampled(s.size(), s.iterator(), k -> MAP_NODE + KEY + bytes(((Key) k).bytes().length));
            case HashMap<?, ?> m -> HASH_MAP + mapTable(m.size())
                    + sampled(m.size(), m.entrySet().iterator(), MemorySizes::fieldOf);
            case ZSet z -> ZSET + refs(z.size()) * 2 + mapTable(z.size())
                    + sampled(z.size(), z.ascending(),
                        i -> MAP_NODE + KEY + ZSET_NODE + bytes(((ZSet.Item) i).member().bytes().length));
            default -> throw new IllegalArgumentException("not a keyspace value: " + value.getClass());
        };
    }

    private static long arrayOf(Object o) {
        return bytes(((byte[]) o).length);
    }

    private static long fieldOf(Object o) {
        Map.Entry<?, ?> e = (Map.Entry<?, ?>) o;
        return MAP_NODE + KEY + bytes(((Key) e.getKey()).bytes().length) + bytes(((byte[]) e.getValue()).length);
    }

    /** A {@code HashMap}'s table for {@code n} mappings: a power of two at least n / 0.75 (16 at least). */
    static long mapTable(int n) {
        if (n == 0) {
            return 0; // the table is made on the first put
        }
        long cap = Math.max(16, Long.highestOneBit(Math.max(1, (long) Math.ceil(n / 0.75) - 1)) << 1);
        return refs(cap);
    }

    /** The element bytes of {@code size} elements, measured on the first {@value #SAMPLED}. */
    private static long sampled(int size, Iterator<?> elements, java.util.function.ToLongFunction<Object> cost) {
        long sum = 0;
        int seen = 0;
        while (seen < SAMPLED && elements.hasNext()) {
            sum += cost.applyAsLong(elements.next());
            seen++;
        }
        if (seen == 0) {
            return 0;
        }
        return seen == size ? sum : sum * size / seen;
    }

    private static long align(long n) {
        return (n + 7) & ~7L;
    }
}
