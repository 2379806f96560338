package io.github.jglommio.kv.store;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The skip list against a plain sorted model, and the compact (listpack-like) behaviours. */
class ZSetTest {
    private static Key k(String s) {
        return Key.of(s);
    }

    /** Checks every query of {@code z} against the model of the same content. */
    private static void check(ZSet z, TreeSet<ZSet.Item> model, Map<Key, Double> scores, Random r) {
        assertEquals(model.size(), z.size());
        List<ZSet.Item> order = new ArrayList<>(model);
        List<ZSet.Item> seen = new ArrayList<>();
        z.ascending().forEachRemaining(seen::add);
        assertEquals(order, seen);
        List<ZSet.Item> back = new ArrayList<>();
        z.descending().forEachRemaining(back::add);
        assertEquals(order.reversed(), back);
        for (int i = 0; i < order.size(); i++) {
            ZSet.Item item = order.get(i);
            assertEquals(i, z.rank(item.member()));
            assertEquals(item, z.at(i));
            assertEquals(scores.get(item.member()), z.score(item.member()));
        }
        assertEquals(-1, z.rank(k("absent")));
        if (!order.isEmpty()) {
            int from = r.nextInt(order.size());
            Iterator<ZSet.Item> it = z.iterator(from, r.nextBoolean());
            assertEquals(order.get(from), it.next());
            double bound = r.nextInt(40) - 5;
            long below = order.stream().filter(i -> i.score() < bound).count();
            assertEquals(below, z.countWhile((s, m) -> s < bound));
            assertEquals(below, z.countToLast((s, m) -> s < bound));
        }
    }

    @Test
    void shouldMatchASortedModelUnderRandomChanges() {
        for (long seed = 0; seed < 20; seed++) {
            Random r = new Random(seed);
            ZSet z = new ZSet(seed % 2 == 0);
            TreeSet<ZSet.Item> model = new TreeSet<>();
            Map<Key, Double> scores = new HashMap<>();
            for (int step = 0; step < 1500; step++) {
                Key m = k("m" + r.nextInt(300));
                int op = r.nextInt(10);
                if (op < 6) {
                    double s = r.nextInt(30) + (r.nextBoolean() ? 0.5 : 0);
                    Double old = scores.get(m);
                    assertEquals(old == null, z.put(m, s));
                    if (old != null) {
                        model.remove(new ZSet.Item(old, m));
                    }
                    scores.put(m, s);
                    model.add(new ZSet.Item(s, m));
                } else if (op < 8) {
                    Double old = scores.remove(m);
                    assertEquals(old != null, z.remove(m));
                    if (old != null) {
                        model.remove(new ZSet.Item(old, m));
                    }
                } else if (op == 8 && !model.isEmpty()) {
                    int from = r.nextInt(model.size());
                    int to = Math.min(model.size(), from + r.nextInt(5));
                    List<ZSet.Item> order = new ArrayList<>(model);
                    assertEquals(to - from, z.removeRange(from, to));
                    for (ZSet.Item item : order.subList(from, to)) {
                        model.remove(item);
                        scores.remove(item.member());
                    }
                }
                if (step % 100 == 0) {
                    check(z, model, scores, r);
                }
            }
            check(z, model, scores, r);
        }
    }

    @Test
    void shouldOrderEqualScoresByMemberBytesAndTreatNegativeZeroAsZero() {
        ZSet z = new ZSet(false);
        z.put(k("b"), 0.0);
        z.put(k("a"), -0.0);
        z.put(new Key(new byte[] {(byte) 0xff}), 0.0);
        z.put(k("ab"), 0.0);
        List<String> members = new ArrayList<>();
        z.ascending().forEachRemaining(i -> members.add(i.member().toString()));
        assertEquals(List.of("a", "ab", "b", "\ufffd"), members);
        assertEquals(-0.0, z.score(k("a")));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(z.score(k("a"))),
            "a skip list keeps -0");
        z.put(k("a"), 0.0);
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(z.score(k("a"))),
            "an equal score is no change");
    }

    @Test
    void shouldStayCompactUntilASetOutgrowsAListpack() {
        ZSet z = new ZSet();
        z.put(k("neg"), -0.0);
        assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(z.score(k("neg"))),
            "a compact set stores -0 as 0");
        for (int i = 1; i < ZSet.COMPACT_MAX_ENTRIES; i++) {
            z.put(k("m" + i), i);
        }
        assertTrue(z.isCompact());
        z.put(k("m1"), 1000);
        assertTrue(z.isCompact(), "an update never converts");
        z.put(k("one-too-many"), -0.0);
        assertFalse(z.isCompact());
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(z.score(k("one-too-many"))));
        z.removeRange(0, 100);
        assertFalse(z.isCompact(), "shrinking keeps the skip list, as in Redis");

        ZSet long1 = new ZSet();
        long1.put(k("x".repeat(ZSet.COMPACT_MAX_MEMBER_BYTES)), 1);
        assertTrue(long1.isCompact());
        long1.put(k("y".repeat(ZSet.COMPACT_MAX_MEMBER_BYTES + 1)), 1);
        assertFalse(long1.isCompact());
    }

    @Test
    void shouldCompactSmallResultsAndForgetNegativeZero() {
        ZSet z = new ZSet(false);
        z.put(k("a"), -0.0);
        z.compactIfSmall();
        assertTrue(z.isCompact());
        assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(z.score(k("a"))));
        ZSet wide = new ZSet(false);
        wide.put(k("w".repeat(65)), -0.0);
        wide.compactIfSmall();
        assertFalse(wide.isCompact());
    }

    @Test
    void shouldFindLinearlyWhenCompactAndByDescentOtherwise() {
        // Members out of order: the test "member < c" holds for a, fails for d, holds for b.
        ZSet z = new ZSet();
        z.put(k("a"), 1);
        z.put(k("d"), 2);
        z.put(k("b"), 3);
        assertEquals(1, z.countWhile((s, m) -> m.compareTo(k("c")) < 0), "stops at the first failure");
        assertEquals(3, z.countToLast((s, m) -> m.compareTo(k("c")) < 0), "the last one that passes");
    }

    @Test
    void shouldScanEveryMemberPresentThroughoutDespiteChanges() {
        ZSet z = new ZSet(false);
        for (int i = 0; i < 500; i++) {
            z.put(k("s" + i), i);
        }
        Set<Key> seen = new HashSet<>();
        Random r = new Random(3);
        long cursor = 0;
        int calls = 0;
        do {
            List<ZSet.Item> batch = new ArrayList<>();
            cursor = z.scan(cursor, 20, batch);
            batch.forEach(i -> seen.add(i.member()));
            // Churn: members 0..249 stay; others come and go.
            z.remove(k("s" + (250 + r.nextInt(250))));
            z.put(k("new" + r.nextInt(1000)), r.nextInt(100));
            calls++;
        } while (cursor != 0);
        for (int i = 0; i < 250; i++) {
            assertTrue(seen.contains(k("s" + i)), "s" + i);
        }
        assertTrue(calls > 10);
        assertEquals(0, z.scan(1L << 40, 10, new ArrayList<>()));
    }

    @Test
    void shouldRejectNaNAndBadRanks() {
        ZSet z = new ZSet();
        assertThrows(IllegalArgumentException.class, () -> z.put(k("a"), Double.NaN));
        assertThrows(IndexOutOfBoundsException.class, () -> z.at(0));
        z.put(k("a"), 1);
        assertThrows(IndexOutOfBoundsException.class, () -> z.iterator(1, false));
        assertNull(z.score(k("b")));
        assertEquals(0, z.removeRange(1, 1));
    }
}
