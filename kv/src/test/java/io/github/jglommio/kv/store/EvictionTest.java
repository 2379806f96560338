package io.github.jglommio.kv.store;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The eviction policies and pool of {@link MemoryPolicy} through {@link Databases#evictToFit}, on a
 * controlled clock. The tests that need an exact order sample far more keys than there are
 * (maxmemory-samples 1000 over 10 keys), so that every key is sampled with near certainty and the
 * approximation is exact.
 */
class EvictionTest {
    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    private final Databases dbs = new Databases(clock::get, 4);
    private final Keyspace ks = dbs.get(0);
    private final List<String> evicted = new ArrayList<>();

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void configure(EvictionPolicy p, int samples) {
        dbs.memory().configure(p, samples, 10, 1);
    }

    private void advanceSeconds(long s) {
        clock.addAndGet(s * 1000);
        dbs.memory().tick();
    }

    /** Evicts exactly one key (by setting the bound just below the use) and returns it, or null. */
    private String evictOne() {
        int before = evicted.size();
        dbs.evictToFit(dbs.usedBytes() - 1, (db, key) -> evicted.add(db + ":" + new String(key, StandardCharsets.UTF_8)));
        return evicted.size() == before ? null : evicted.get(evicted.size() - 1);
    }

    @Test
    void shouldNeverEvictKeysWithoutTtlUnderVolatilePolicies() {
        for (EvictionPolicy p : List.of(EvictionPolicy.VOLATILE_LRU, EvictionPolicy.VOLATILE_LFU,
                EvictionPolicy.VOLATILE_RANDOM, EvictionPolicy.VOLATILE_TTL)) {
            dbs.clearAll();
            evicted.clear();
            configure(p, 5);
            for (int i = 0; i < 50; i++) {
                ks.set(b("plain" + i), b("v"), Keyspace.NO_EXPIRY);
            }
            for (int i = 0; i < 5; i++) {
                ks.set(b("ttl" + i), b("v"), clock.get() + 100_000 + i);
            }
            assertFalse(dbs.evictToFit(1, (db, key) -> evicted.add(new String(key, StandardCharsets.UTF_8))), p.name());
            assertEquals(5, evicted.size(), p.name());
            assertTrue(evicted.stream().allMatch(k -> k.startsWith("ttl")), p + ": " + evicted);
            assertEquals(50, ks.size(), p.name());
        }
    }

    @Test
    void shouldEvictTheNearestExpiryFirstUnderVolatileTtl() {
        configure(EvictionPolicy.VOLATILE_TTL, 1000);
        long now = clock.get();
        int[] order = {7, 2, 9, 0, 5, 1, 8, 3, 6, 4};
        for (int i = 0; i < order.length; i++) {
            ks.set(b("k" + order[i]), b("v"), now + 10_000 + 1000L * order[i]);
        }
        ks.set(b("forever"), b("v"), Keyspace.NO_EXPIRY);
        for (int i = 0; i < 10; i++) {
            assertEquals("0:k" + i, evictOne());
        }
        assertNull(evictOne()); // only the key without a TTL is left
        assertTrue(ks.exists(b("forever")));
    }

    @Test
    void shouldEvictTheIdlestKeysUnderAllkeysLru() {
        configure(EvictionPolicy.ALLKEYS_LRU, 1000);
        for (int i = 0; i < 10; i++) {
            ks.set(b("k" + i), b("v"), Keyspace.NO_EXPIRY);
        }
        // Each key is read once more, k3 first and so on: the access order is 3 8 1 6 0 9 4 2 7 5.
        int[] accesses = {3, 8, 1, 6, 0, 9, 4, 2, 7, 5};
        for (int k : accesses) {
            advanceSeconds(10);
            ks.getString(b("k" + k));
        }
        advanceSeconds(10);
        for (int i = 0; i < 5; i++) {
            assertEquals("0:k" + accesses[i], evictOne());
        }
        assertEquals(5, ks.size());
        assertEquals(5, dbs.memory().evictedKeys());
    }

    @Test
    void shouldNotCountTypeExistsOrObjectAsAccess() {
        configure(EvictionPolicy.ALLKEYS_LRU, 5);
        ks.set(b("k"), b("v"), Keyspace.NO_EXPIRY);
        advanceSeconds(30);
        ks.type(b("k"));
        ks.exists(b("k"));
        ks.peek(b("k"));
        assertEquals(30, ks.idleSeconds(b("k")));
        ks.getString(b("k"));
        assertEquals(0, ks.idleSeconds(b("k")));
        assertEquals(-1, ks.idleSeconds(b("missing")));
    }

    @Test
    void shouldKeepFrequentlyUsedKeysUnderAllkeysLfu() {
        // Log factor 0: every access adds one to the counter, so the frequencies are exact.
        dbs.memory().configure(EvictionPolicy.ALLKEYS_LFU, 1000, 0, 1);
        for (int i = 0; i < 10; i++) {
            ks.set(b("k" + i), b("v"), Keyspace.NO_EXPIRY);
            for (int a = 0; a < i * 3; a++) {
                ks.getString(b("k" + i));
            }
        }
        // A new key starts at 5, as in Redis; each read adds one here.
        assertEquals(MemoryPolicy.LFU_INIT + 27, ks.frequency(b("k9")));
        for (int i = 0; i < 4; i++) {
            assertEquals("0:k" + i, evictOne());
        }
        // Counters decay by one per lfu-decay-time minutes without access.
        advanceSeconds(60 * 10);
        assertEquals(MemoryPolicy.LFU_INIT + 27 - 10, ks.frequency(b("k9")));
    }

    @Test
    void shouldEvictAcrossDatabasesAtRandomUntilTheBoundHolds() {
        configure(EvictionPolicy.ALLKEYS_RANDOM, 5);
        Keyspace other = dbs.get(2);
        for (int i = 0; i < 200; i++) {
            ks.set(b("a" + i), new byte[100], Keyspace.NO_EXPIRY);
            other.set(b("b" + i), new byte[100], Keyspace.NO_EXPIRY);
        }
        long full = dbs.usedBytes();
        long bound = full / 2;
        assertTrue(dbs.evictToFit(bound, (db, key) -> evicted.add(db + ":" + new String(key, StandardCharsets.UTF_8))));
        assertTrue(dbs.usedBytes() <= bound);
        assertEquals(400 - ks.size() - other.size(), evicted.size());
        assertTrue(evicted.stream().anyMatch(k -> k.startsWith("0:a")) && evicted.stream().anyMatch(k -> k.startsWith("2:b")),
                "both databases lose keys: " + evicted);
    }

    @Test
    void shouldEvictNothingUnderNoeviction() {
        configure(EvictionPolicy.NOEVICTION, 5);
        ks.set(b("k"), b("v"), Keyspace.NO_EXPIRY);
        assertFalse(dbs.evictToFit(1, (db, key) -> evicted.add("x")));
        assertTrue(evicted.isEmpty());
        assertTrue(ks.exists(b("k")));
    }

    @Test
    void shouldKeepThePoolInOrderOfIdleness() {
        configure(EvictionPolicy.VOLATILE_TTL, 1000);
        long now = clock.get();
        for (int i = 0; i < 40; i++) {
            ks.set(b("k" + i), b("v"), now + 100_000 - 1000L * i); // k39 expires first
        }
        assertEquals("0:k39", evictOne());
        // The pool holds the 16 best candidates but one, least idle first: k24 .. k38.
        List<String> pool = new ArrayList<>();
        for (byte[] k : dbs.memory().poolKeys()) {
            pool.add(new String(k, StandardCharsets.UTF_8));
        }
        List<String> expected = new ArrayList<>();
        for (int i = 24; i <= 38; i++) {
            expected.add("k" + i);
        }
        assertEquals(expected, pool);
        // A pooled key deleted meanwhile is skipped: the next best goes.
        ks.delete(b("k38"));
        assertEquals("0:k37", evictOne());
    }

    @Test
    void shouldKeepEncodingMarksAndAccessDataApartInTheirSharedInt() {
        dbs.memory().configure(EvictionPolicy.ALLKEYS_LFU, 5, 0, 0); // each access adds one, no decay
        ks.set(b("k"), b("v"), Keyspace.NO_EXPIRY);
        assertEquals(MemoryPolicy.LFU_INIT, ks.frequency(b("k")));
        ks.setEncodingMark(b("k"), 255);
        ks.remark(b("k"), (value, mark) -> mark);
        assertEquals(255, ks.encodingMark(b("k")));
        assertEquals(MemoryPolicy.LFU_INIT, ks.frequency(b("k")), "reading or writing the mark is no access");
        for (int i = 0; i < 300; i++) {
            ks.get(b("k"));
        }
        assertEquals(255, ks.frequency(b("k")), "the counter saturates without spilling into the mark");
        assertEquals(255, ks.encodingMark(b("k")));
        ks.setTouching(false);
        ks.get(b("k2"));
        ks.set(b("k2"), b("v"), Keyspace.NO_EXPIRY);
        ks.get(b("k2"));
        ks.setTouching(true);
        assertEquals(MemoryPolicy.LFU_INIT, ks.frequency(b("k2")), "a look-up while not touching counts nothing");
        ks.set(b("k"), b("other"), Keyspace.NO_EXPIRY);
        assertEquals(0, ks.encodingMark(b("k")), "a new value starts unmarked");
        assertEquals(255, ks.frequency(b("k")), "an overwrite keeps the counter, as Redis");

        configure(EvictionPolicy.ALLKEYS_LRU, 5);
        ks.set(b("l"), b("v"), Keyspace.NO_EXPIRY);
        ks.setEncodingMark(b("l"), 0xA5);
        advanceSeconds(42);
        ks.setEncodingMark(b("l"), 0x5A);
        assertEquals(42, ks.idleSeconds(b("l")), "a mark leaves the clock");
        ks.get(b("l"));
        assertEquals(0, ks.idleSeconds(b("l")));
        assertEquals(0x5A, ks.encodingMark(b("l")), "the clock leaves the mark");
    }
}
