package io.github.jglommio.kv.store;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyspaceTest {
    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final Keyspace ks = new Keyspace(clock::get);

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Set<String> strings(List<byte[]> keys) {
        Set<String> out = new HashSet<>();
        for (byte[] k : keys) {
            out.add(new String(k, StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void shouldStoreAndDeleteValues() {
        ks.set(b("k"), b("v"), Keyspace.NO_EXPIRY);
        assertArrayEquals(b("v"), ks.getString(b("k")));
        assertEquals(ValueType.STRING, ks.type(b("k")));
        assertEquals(1, ks.size());
        assertTrue(ks.delete(b("k")));
        assertFalse(ks.delete(b("k")));
        assertNull(ks.get(b("k")));
        assertEquals(0, ks.size());
    }

    @Test
    void shouldRaiseWrongTypeForTypedAccess() {
        ks.getOrCreateList(b("l")).addLast(b("x"));
        assertSame(WrongTypeException.INSTANCE, assertThrows(WrongTypeException.class, () -> ks.getString(b("l"))));
        assertThrows(WrongTypeException.class, () -> ks.getOrCreateSet(b("l")));
        assertThrows(WrongTypeException.class, () -> ks.getHash(b("l")));
        assertThrows(WrongTypeException.class, () -> ks.getZSet(b("l")));
        assertEquals(1, ks.getList(b("l")).size());
    }

    @Test
    void shouldRemoveEmptiedAggregates() {
        ks.getOrCreateSet(b("s")).add(Key.of("m"));
        ks.getSet(b("s")).clear();
        ks.removeIfEmpty(b("s"));
        assertFalse(ks.exists(b("s")));
    }

    @Test
    void shouldExpireLazilyOnAccessAfterTheDeadline() {
        ks.set(b("k"), b("v"), clock.get() + 100);
        clock.addAndGet(100);
        assertTrue(ks.exists(b("k")), "alive at exactly its expiry time, as in Redis");
        clock.addAndGet(1);
        assertFalse(ks.exists(b("k")));
        assertEquals(0, ks.size(), "the access reclaimed it");
    }

    @Test
    void shouldExpireActivelyWithABoundedClockHand() {
        for (int i = 0; i < 100; i++) {
            ks.set(b("v" + i), b("x"), clock.get() + 10);
            ks.set(b("p" + i), b("x"), Keyspace.NO_EXPIRY);
        }
        clock.addAndGet(11);
        assertEquals(200, ks.size(), "nothing reclaimed before a cycle or an access");
        int total = 0;
        for (int tick = 0; tick < 20; tick++) {
            int n = ks.expireCycle(10);
            assertTrue(n <= 10);
            total += n;
        }
        assertEquals(100, total);
        assertEquals(100, ks.size());
        assertEquals(0, ks.expireCycle(1000));
    }

    @Test
    void shouldSetPersistAndReportExpiry() {
        ks.set(b("k"), b("v"), Keyspace.NO_EXPIRY);
        assertEquals(Keyspace.NO_EXPIRY, ks.expireAt(b("k")));
        assertEquals(Keyspace.MISSING, ks.expireAt(b("nope")));
        assertTrue(ks.setExpireAt(b("k"), clock.get() + 50));
        assertEquals(clock.get() + 50, ks.expireAt(b("k")));
        assertTrue(ks.persist(b("k")));
        assertFalse(ks.persist(b("k")));
        assertTrue(ks.setExpireAt(b("k"), clock.get()), "a time not in the future deletes");
        assertFalse(ks.exists(b("k")));
        ks.set(b("k"), b("v"), clock.get() - 1);
        assertFalse(ks.exists(b("k")), "storing with a past expiry stores nothing");
    }

    @Test
    void shouldKeepTtlWhenAsked() {
        ks.set(b("k"), b("v"), clock.get() + 50);
        ks.setKeepTtl(b("k"), b("w"));
        assertEquals(clock.get() + 50, ks.expireAt(b("k")));
        ks.set(b("k"), b("x"), Keyspace.NO_EXPIRY);
        assertEquals(Keyspace.NO_EXPIRY, ks.expireAt(b("k")));
    }

    @Test
    void shouldListKeysMatchingAGlob() {
        for (String k : new String[] {"user:1", "user:2", "order:1", "u"}) {
            ks.set(b(k), b("x"), Keyspace.NO_EXPIRY);
        }
        ks.set(b("user:3"), b("x"), clock.get() + 1);
        clock.addAndGet(2);
        assertEquals(Set.of("user:1", "user:2"), strings(ks.keys(b("user:*"))));
        assertEquals(Set.of("user:1", "order:1"), strings(ks.keys(b("*:1"))));
        assertEquals(4, ks.keys(b("*")).size());
    }

    @Test
    void shouldScanEveryStableKeyExactlyOnceWhileKeysComeAndGo() {
        Random random = new Random(7);
        for (int i = 0; i < 1000; i++) {
            ks.set(b("stable" + i), b("x"), Keyspace.NO_EXPIRY);
            ks.set(b("churn" + i), b("x"), Keyspace.NO_EXPIRY);
        }
        Map<String, Integer> seen = new HashMap<>();
        long cursor = 0;
        int steps = 0;
        int next = 1000;
        do {
            ScanResult r = ks.scan(cursor, null, 7, (String) null);
            for (byte[] k : r.keys()) {
                seen.merge(new String(k, StandardCharsets.UTF_8), 1, Integer::sum);
            }
            cursor = r.cursor();
            // Churn: delete some churn keys and add new ones between steps.
            for (int j = 0; j < 5; j++) {
                ks.delete(b("churn" + random.nextInt(next)));
                ks.set(b("churn" + next++), b("x"), Keyspace.NO_EXPIRY);
            }
            steps++;
        } while (cursor != 0 && steps < 100_000);
        assertEquals(0, cursor);
        for (int i = 0; i < 1000; i++) {
            assertEquals(1, seen.get("stable" + i), "stable" + i);
        }
        for (int count : seen.values()) {
            assertEquals(1, count, "no key repeats: slots never move");
        }
    }

    @Test
    void shouldFilterScanByPatternAndType() {
        ks.set(b("s1"), b("x"), Keyspace.NO_EXPIRY);
        ks.getOrCreateList(b("l1")).addLast(b("x"));
        ks.getOrCreateHash(b("h1")).put(Key.of("f"), b("v"));
        List<byte[]> all = new ArrayList<>();
        List<byte[]> lists = new ArrayList<>();
        long cursor = 0;
        do {
            ScanResult r = ks.scan(cursor, b("?1"), 1, (String) null);
            all.addAll(r.keys());
            cursor = r.cursor();
        } while (cursor != 0);
        do {
            ScanResult r = ks.scan(cursor, null, 100, "LIST");
            lists.addAll(r.keys());
            cursor = r.cursor();
        } while (cursor != 0);
        assertEquals(Set.of("s1", "l1", "h1"), strings(all));
        assertEquals(Set.of("l1"), strings(lists));
        assertEquals(0, ks.scan(0, null, 100, "nosuchtype").keys().size());
        assertEquals(0, ks.scan(1L << 40, null, 10, (String) null).cursor(), "an unknown cursor ends");
    }

    @Test
    void shouldVisitLiveEntriesAndPickRandomKeys() {
        assertNull(ks.randomKey());
        ks.set(b("a"), b("1"), Keyspace.NO_EXPIRY);
        ks.set(b("b"), b("2"), clock.get() + 5);
        ks.set(b("dead"), b("3"), clock.get() + 1);
        clock.addAndGet(2);
        Map<String, Long> visited = new HashMap<>();
        ks.forEachLive((k, v, exp) -> visited.put(new String(k, StandardCharsets.UTF_8), exp));
        assertEquals(Map.of("a", Keyspace.NO_EXPIRY, "b", clock.get() + 3), visited);
        for (int i = 0; i < 20; i++) {
            String k = new String(ks.randomKey(), StandardCharsets.UTF_8);
            assertTrue(k.equals("a") || k.equals("b"), k);
        }
        ks.clear();
        assertEquals(0, ks.size());
        assertNull(ks.randomKey());
    }

    @Test
    void shouldOrderSortedSetsByScoreThenMember() {
        ZSet z = new ZSet();
        assertTrue(z.put(Key.of("b"), 1));
        assertTrue(z.put(Key.of("a"), 1));
        assertTrue(z.put(Key.of("c"), 0.5));
        assertFalse(z.put(Key.of("c"), 2));
        List<String> order = new ArrayList<>();
        z.ascending().forEachRemaining(it -> order.add(it.member().toString()));
        assertEquals(List.of("a", "b", "c"), order);
        assertTrue(z.remove(Key.of("a")));
        assertEquals(2, z.size());
        assertEquals(2.0, z.score(Key.of("c")));
    }
}
