package io.github.jglommio.kv.store;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The size estimate ({@link Keyspace#usedBytes()}): kept incrementally through writes, back to the
 * empty figure after deletes, and within a stated error of what the heap really holds (measured
 * after full collections; see kv/README.md, "Memory").
 */
class MemoryAccountingTest {
    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldFollowWritesAndDeletesIncrementally() {
        Databases dbs = new Databases(clock::get, 1);
        Keyspace ks = dbs.get(0);
        long empty = dbs.usedBytes();
        ks.set(b("s"), new byte[1000], Keyspace.NO_EXPIRY);
        long withString = dbs.usedBytes();
        assertTrue(withString - empty >= 1000 + 16, "a 1000-byte string counts at least its bytes");
        HashMap<Key, byte[]> h = ks.getOrCreateHash(b("h"));
        for (int i = 0; i < 100; i++) {
            h.put(Key.of("field" + i), new byte[50]);
        }
        long withHash = dbs.usedBytes(); // settles the hash the command filled
        assertTrue(withHash - withString >= 100 * (50 + 16), "the hash counts its fields: " + (withHash - withString));
        ks.getHash(b("h")).clear();
        ks.removeIfEmpty(b("h"));
        ks.delete(b("s"));
        assertEquals(empty, dbs.usedBytes());
        // Overwriting a string with a shorter one gives bytes back.
        ks.set(b("s"), new byte[5000], Keyspace.NO_EXPIRY);
        ks.set(b("s"), new byte[10], Keyspace.NO_EXPIRY);
        assertTrue(dbs.usedBytes() - empty < 200);
        dbs.clearAll();
        assertEquals(empty, dbs.usedBytes());
    }

    @Test
    void shouldEstimateTheHeapWithinAQuarter() {
        // Strings, hashes, sets, lists and sorted sets, each a fifth of the keys.
        int n = 100_000;
        MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
        long before = heapAfterGc(mx);
        Databases dbs = new Databases(clock::get, 1);
        Keyspace ks = dbs.get(0);
        for (int i = 0; i < n; i++) {
            byte[] key = b("key:" + i);
            switch (i % 5) {
                case 0 -> ks.set(key, b("value-of-some-length-" + i), Keyspace.NO_EXPIRY);
                case 1 -> {
                    HashMap<Key, byte[]> h = ks.getOrCreateHash(key);
                    for (int f = 0; f < 8; f++) {
                        h.put(Key.of("f" + f), b("v" + i));
                    }
                }
                case 2 -> {
                    HashSet<Key> s = ks.getOrCreateSet(key);
                    for (int f = 0; f < 8; f++) {
                        s.add(Key.of("m" + f + ":" + i));
                    }
                }
                case 3 -> {
                    ListValue l = ks.getOrCreateList(key);
                    for (int f = 0; f < 8; f++) {
                        l.addLast(b("e" + f));
                    }
                }
                default -> {
                    ZSet z = ks.getOrCreateZSet(key);
                    for (int f = 0; f < 8; f++) {
                        z.put(Key.of("z" + f), f);
                    }
                }
            }
            if (i % 1000 == 0) {
                ks.expireAt(key); // a read between writes, as a server interleaves them
            }
        }
        long estimate = dbs.usedBytes();
        long heap = heapAfterGc(mx) - before;
        double ratio = (double) estimate / heap;
        System.out.printf("memory estimate %d bytes, heap %d bytes, estimate/heap %.3f%n", estimate, heap, ratio);
        assertTrue(ratio > 0.75 && ratio < 1.33, "estimate/heap " + ratio);
        assertEquals(n, ks.size()); // keeps the keyspace reachable up to the measurement
    }

    private static long heapAfterGc(MemoryMXBean mx) {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, mx.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
