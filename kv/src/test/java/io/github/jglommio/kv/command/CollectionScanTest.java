package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.store.Key;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CollectionScanTest {
    private static long cursor(String s) {
        return CollectionScan.parseCursor(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void shouldParseCursorsAsStrtoul() {
        assertEquals(0, cursor(""));
        assertEquals(0, cursor("-0"));
        assertEquals(7, cursor("+007"));
        assertEquals(5, cursor("5\u0000junk"), "a NUL ends the C string");
        assertEquals(-1L, cursor("18446744073709551615"));
        assertEquals(-1L, cursor("-1"));
        assertEquals(1, cursor("-18446744073709551615"));
        for (String bad : new String[] {"+", "-", " 1", "1 ", "x", "0x10", "1.5", "18446744073709551616"}) {
            CommandError e = assertThrows(CommandError.class, () -> cursor(bad), bad);
            assertEquals("ERR invalid cursor", e.getMessage());
        }
        assertTrue(CollectionScan.inSpace(cursor("4294967295")));
        assertTrue(!CollectionScan.inSpace(cursor("4294967296")) && !CollectionScan.inSpace(cursor("-1")));
    }

    @Test
    void shouldParseOptionsAsRedis() {
        CollectionScan.Options o = CollectionScan.options(Command.of("SSCAN", "k", "0", "MATCH", "a*", "count", "3",
            "COUNT", "7"), 3);
        assertEquals(7, o.count(), "the last one wins");
        assertTrue(o.matches("abc".getBytes()) && !o.matches("b".getBytes()));
        assertNull(CollectionScan.options(Command.of("SSCAN", "k", "0", "MATCH", "*"), 3).pattern());
        assertThrows(CommandError.class, () -> CollectionScan.options(Command.of("SSCAN", "k", "0", "COUNT", "0"), 3));
        assertThrows(CommandError.class, () -> CollectionScan.options(Command.of("SSCAN", "k", "0", "MATCH"), 3));
    }

    @Test
    void shouldTileTheSpaceSoEveryStableElementComesOnce() {
        Random r = new Random(3);
        Set<Key> set = new HashSet<>();
        for (int i = 0; i < 5000; i++) {
            set.add(Key.of("m" + i));
        }
        Set<Key> stable = new HashSet<>(set);
        Set<Key> seen = new HashSet<>();
        long cursor = 0;
        int steps = 0;
        do {
            long end = CollectionScan.stepEnd(cursor, 1 + r.nextInt(50), set.size());
            for (Key k : set) {
                long p = CollectionScan.position(k);
                if (p >= cursor && p < end) {
                    assertTrue(seen.add(k), "once: " + k);
                }
            }
            cursor = end < CollectionScan.SPACE ? end : 0;
            // Churn between steps: new members come and go, the stable ones stay.
            for (int i = 0; i < 100; i++) {
                set.add(Key.of("new" + r.nextInt(100_000)));
                set.remove(Key.of("new" + r.nextInt(100_000)));
            }
            steps++;
        } while (cursor != 0);
        assertTrue(seen.containsAll(stable));
        assertTrue(steps <= 256, "at most 256 steps: " + steps);
    }
}
