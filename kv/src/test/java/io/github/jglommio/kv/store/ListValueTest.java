package io.github.jglommio.kv.store;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ListValueTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static List<String> items(ListValue l) {
        List<String> out = new ArrayList<>();
        for (byte[] e : l) {
            out.add(new String(e, StandardCharsets.US_ASCII));
        }
        return out;
    }

    private static ListValue of(String... items) {
        ListValue l = new ListValue();
        for (String s : items) {
            l.addLast(b(s));
        }
        return l;
    }

    @Test
    void shouldPushAndPollAtBothEndsAcrossTheWrap() {
        ListValue l = new ListValue();
        for (int i = 0; i < 5; i++) {
            l.addLast(b("r" + i));
            l.addFirst(b("l" + i));
        }
        assertEquals(List.of("l4", "l3", "l2", "l1", "l0", "r0", "r1", "r2", "r3", "r4"), items(l));
        assertEquals("l4", new String(l.get(0), StandardCharsets.US_ASCII));
        assertEquals("r4", new String(l.get(9), StandardCharsets.US_ASCII));
        assertArrayEquals(b("l4"), l.pollFirst());
        assertArrayEquals(b("r4"), l.pollLast());
        assertEquals(8, l.size());
        while (!l.isEmpty()) {
            l.pollFirst();
        }
        assertNull(l.pollFirst());
        assertNull(l.pollLast());
    }

    @Test
    void shouldReadAndReplaceByIndex() {
        ListValue l = of("a", "b", "c");
        l.addFirst(b("z"));
        assertArrayEquals(b("b"), l.set(2, b("B")));
        assertEquals(List.of("z", "a", "B", "c"), items(l));
        assertThrows(IndexOutOfBoundsException.class, () -> l.get(4));
        assertThrows(IndexOutOfBoundsException.class, () -> l.get(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> l.set(4, b("x")));
    }

    @Test
    void shouldInsertOnEitherSideOfTheMiddle() {
        ListValue l = of("a", "b", "c", "d", "e", "f");
        l.insert(1, b("x"));
        l.insert(6, b("y"));
        l.insert(0, b("first"));
        l.insert(l.size(), b("last"));
        assertEquals(List.of("first", "a", "x", "b", "c", "d", "e", "y", "f", "last"), items(l));
        assertThrows(IndexOutOfBoundsException.class, () -> l.insert(11, b("x")));
        assertThrows(IndexOutOfBoundsException.class, () -> l.insert(-1, b("x")));
    }

    @Test
    void shouldRemoveEqualElementsFromTheEndTheLimitNames() {
        assertEquals(2, removeEqual("x", 2).removed);
        assertEquals(List.of("a", "b", "x", "c", "x"), removeEqual("x", 2).list);
        assertEquals(List.of("x", "a", "x", "b", "c"), removeEqual("x", -2).list);
        assertEquals(List.of("a", "b", "c"), removeEqual("x", 0).list);
        assertEquals(List.of("a", "b", "c"), removeEqual("x", Long.MIN_VALUE).list);
        assertEquals(4, removeEqual("x", Long.MAX_VALUE).removed);
        assertEquals(0, removeEqual("nope", 0).removed);
    }

    private record Removal(int removed, List<String> list) {
    }

    private static Removal removeEqual(String element, long limit) {
        ListValue l = of("x", "a", "x", "b", "x", "c", "x");
        int removed = l.removeEqual(b(element), limit);
        return new Removal(removed, items(l));
    }

    @Test
    void shouldRetainARangeOrNothing() {
        ListValue l = of("a", "b", "c", "d", "e");
        l.retain(1, 3);
        assertEquals(List.of("b", "c", "d"), items(l));
        l.retain(2, 1);
        assertTrue(l.isEmpty());
        l.addLast(b("again"));
        assertEquals(List.of("again"), items(l));
        assertThrows(IndexOutOfBoundsException.class, () -> l.retain(0, 1));
    }

    @Test
    void shouldShrinkOnceMostlyEmpty() {
        ListValue l = new ListValue();
        for (int i = 0; i < 100_000; i++) {
            l.addLast(b(Integer.toString(i)));
        }
        assertTrue(l.capacity() >= 100_000);
        l.retain(50, 52);
        assertEquals(List.of("50", "51", "52"), items(l));
        assertEquals(8, l.capacity());
        for (int i = 0; i < 1000; i++) {
            l.addFirst(b("h"));
        }
        while (l.size() > 10) {
            l.pollLast();
        }
        assertTrue(l.capacity() <= 32, "capacity " + l.capacity());
        assertEquals(Collections.nCopies(10, "h"), items(l));
    }

    @Test
    void shouldCopyIndependently() {
        ListValue l = of("a", "b");
        l.addFirst(b("z"));
        ListValue c = l.copy();
        l.pollFirst();
        c.addLast(b("c"));
        assertEquals(List.of("a", "b"), items(l));
        assertEquals(List.of("z", "a", "b", "c"), items(c));
    }

    @Test
    void shouldEndIterationWithNoSuchElement() {
        Iterator<byte[]> it = of("a").iterator();
        it.next();
        assertThrows(NoSuchElementException.class, it::next);
    }

    @Test
    void shouldBehaveAsAnArrayListUnderRandomOperations() {
        SplittableRandom r = new SplittableRandom(7);
        for (int round = 0; round < 50; round++) {
            ListValue l = new ListValue();
            List<String> model = new ArrayList<>();
            for (int op = 0; op < 2000; op++) {
                String v = Integer.toString(r.nextInt(6));
                int n = model.size();
                switch (r.nextInt(10)) {
                    case 0, 1 -> {
                        l.addFirst(b(v));
                        model.addFirst(v);
                    }
                    case 2, 3 -> {
                        l.addLast(b(v));
                        model.addLast(v);
                    }
                    case 4 -> assertEquals(n == 0 ? null : model.removeFirst(), text(l.pollFirst()));
                    case 5 -> assertEquals(n == 0 ? null : model.removeLast(), text(l.pollLast()));
                    case 6 -> {
                        int i = r.nextInt(n + 1);
                        l.insert(i, b(v));
                        model.add(i, v);
                    }
                    case 7 -> {
                        if (n > 0) {
                            int i = r.nextInt(n);
                            assertEquals(model.get(i), text(l.get(i)));
                        }
                    }
                    case 8 -> {
                        long limit = r.nextInt(-3, 4);
                        int expected = removeFromModel(model, v, limit);
                        assertEquals(expected, l.removeEqual(b(v), limit));
                    }
                    default -> {
                        if (n > 0 && r.nextInt(8) == 0) {
                            int start = r.nextInt(n);
                            int stop = r.nextInt(start, n);
                            l.retain(start, stop);
                            model = new ArrayList<>(model.subList(start, stop + 1));
                        } else if (n > 0) {
                            int i = r.nextInt(n);
                            l.set(i, b(v));
                            model.set(i, v);
                        }
                    }
                }
                assertEquals(model.size(), l.size());
                if (op % 50 == 0 || model.size() < 20) {
                    assertEquals(model, items(l), "round " + round + " op " + op);
                    for (int i = 0; i < model.size(); i++) {
                        assertEquals(model.get(i), text(l.get(i)));
                    }
                }
            }
        }
    }

    private static int removeFromModel(List<String> model, String v, long limit) {
        int removed = 0;
        long max = limit == 0 ? Long.MAX_VALUE : Math.abs(limit);
        if (limit >= 0) {
            for (int i = 0; i < model.size() && removed < max; ) {
                if (model.get(i).equals(v)) {
                    model.remove(i);
                    removed++;
                } else {
                    i++;
                }
            }
        } else {
            for (int i = model.size() - 1; i >= 0 && removed < max; i--) {
                if (model.get(i).equals(v)) {
                    model.remove(i);
                    removed++;
                }
            }
        }
        return removed;
    }

    private static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.US_ASCII);
    }
}
