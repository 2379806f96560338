package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.store.Keyspace;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static io.github.jglommio.kv.command.Harness.array;
import static io.github.jglommio.kv.command.Harness.integer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SortCommandTest {
    private final Harness h = new Harness();

    private static double strtod(String s) {
        return SortCommand.strtod(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void shouldParseNumbersAsCStrtodDoes() {
        assertEquals(1.5, strtod("1.5"));
        assertEquals(16, strtod("0x10"));
        assertEquals(3, strtod("0x1.8p1"));
        assertEquals(-0.5, strtod("-0x.8"));
        assertEquals(3, strtod(" \t\n3"));
        assertEquals(0, strtod(""), "no conversion, but the end pointer is at the terminator");
        assertEquals(5, strtod("5\0garbage"), "a C string ends at NUL");
        assertEquals(Double.POSITIVE_INFINITY, strtod("INFINITY"));
        assertEquals(Double.NEGATIVE_INFINITY, strtod("-inf"));
        assertEquals(100000, strtod("1E5"));
        assertEquals(0, strtod("0e999999"), "an exact zero does not underflow");
        for (String bad : List.of("3 ", " ", "+", ".", "0x", "1e", "nan", "-nan", "infin", "1d", "0x1p", "abc")) {
            assertTrue(Double.isNaN(strtod(bad)), bad);
        }
    }

    @Test
    void shouldRejectOverflowAndUnderflowAsErange() {
        for (String out : List.of("1e400", "-1e400", "0x1p5000", "1e-400", "1e-310", "0x1p-1080")) {
            assertTrue(Double.isNaN(strtod(out)), out);
        }
        assertEquals(Double.MIN_NORMAL, strtod("2.2250738585072014e-308"), "the least normal double is in range");
        h.call("RPUSH", "l", "1", "1e400");
        assertEquals("-ERR One or more scores can't be converted into double\r\n", h.call("SORT", "l"));
    }

    @Test
    void shouldBuildPatternKeysAsRedis() {
        h.call("SET", "w_a", "1");
        h.call("SET", "w_a_*", "2");
        h.call("HSET", "h_a", "f", "v", "f->g", "w");
        h.call("SET", "h_a->", "plain");
        Keyspace ks = h.ks;
        byte[] a = "a".getBytes(StandardCharsets.UTF_8);
        assertEquals("1", text(SortCommand.lookup(ks, bytes("w_*"), a)));
        assertEquals("2", text(SortCommand.lookup(ks, bytes("w_*_*"), a)), "only the first * is replaced");
        assertEquals("v", text(SortCommand.lookup(ks, bytes("h_*->f"), a)));
        assertEquals("w", text(SortCommand.lookup(ks, bytes("h_*->f->g"), a)), "the field runs to the end");
        assertEquals("plain", text(SortCommand.lookup(ks, bytes("h_*->"), a)), "-> with no field is part of the key");
        assertArrayEquals(a, SortCommand.lookup(ks, bytes("#"), a));
        assertNull(SortCommand.lookup(ks, bytes("w_a"), a), "no * names no key");
        assertNull(SortCommand.lookup(ks, bytes("w\0*"), a), "a * after a NUL is not seen");
        assertNull(SortCommand.lookup(ks, bytes("h_*->f"), bytes("nope")));
        assertNull(SortCommand.lookup(ks, bytes("w_*->f"), a), "a string has no fields");
        assertNull(SortCommand.lookup(ks, bytes("h_*"), a), "a hash is not a string");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void shouldKeepNoSortOnceABySaidSo() {
        h.call("RPUSH", "l", "3", "1", "2");
        h.call("MSET", "w_1", "3", "w_2", "2", "w_3", "1");
        assertEquals(array("3", "1", "2"), h.call("SORT", "l", "BY", "nosort", "BY", "w_*"));
        assertEquals(array("3", "2", "1"), h.call("SORT", "l", "BY", "w_*"));
    }

    @Test
    void shouldBreakAlphaTiesByTheElementsSoTheResultIsDeterministic() {
        h.call("SADD", "s", "c", "a", "b", "d");
        h.call("MSET", "w_a", "same", "w_b", "same", "w_c", "first");
        assertEquals(array("d", "c", "a", "b"), h.call("SORT", "s", "BY", "w_*", "ALPHA"),
                "a missing weight sorts first, equal weights by element");
        assertEquals(array("b", "a", "c", "d"), h.call("SORT", "s", "BY", "w_*", "ALPHA", "DESC"));
        assertEquals(array("-0", "0", "1"), sortedNumbers("0", "1", "-0"), "-0 equals 0; ties by bytes");
    }

    private String sortedNumbers(String... elements) {
        h.call("DEL", "n");
        String[] push = new String[elements.length + 2];
        push[0] = "RPUSH";
        push[1] = "n";
        System.arraycopy(elements, 0, push, 2, elements.length);
        h.call(push);
        return h.call("SORT", "n");
    }

    @Test
    void shouldLogStoreAsItselfAndReplayToTheSameList() {
        h.call("SADD", "s", "b", "a", "c");
        h.call("SET", "dst", "x", "EX", "100");
        assertEquals(integer(3), h.call("SORT", "s", "BY", "nosort", "DESC", "STORE", "dst"));
        assertEquals("SORT s BY nosort DESC STORE dst", h.logged());
        assertEquals(array("c", "b", "a"), h.call("LRANGE", "dst", "0", "-1"));
        assertEquals(integer(-1), h.call("TTL", "dst"), "the stored list has no expiry");
        assertEquals(integer(0), h.call("SORT", "nope", "STORE", "dst"));
        assertEquals("SORT nope STORE dst", h.logged(), "an empty result deletes the destination");
        assertEquals(integer(0), h.call("SORT", "nope", "STORE", "dst"));
        assertNull(h.lastLogged, "nothing to delete: nothing changed");
        assertNull(sortRo("SORT_RO", "s", "ALPHA"));
    }

    private Command sortRo(String... args) {
        h.call(args);
        return h.lastLogged;
    }

    @Test
    void shouldExpireThePatternKeysItReads() {
        AtomicLong clock = h.clock;
        h.call("RPUSH", "l", "1", "2");
        h.call("SET", "w_1", "5", "PX", "10");
        h.call("SET", "w_2", "3");
        assertEquals(array("2", "1"), h.call("SORT", "l", "BY", "w_*"));
        clock.addAndGet(11);
        assertEquals(array("1", "2"), h.call("SORT", "l", "BY", "w_*"), "w_1 is gone: weight 0");
        assertEquals(integer(0), h.call("EXISTS", "w_1"));
    }

    @Test
    void shouldNameTheStoreKeyForRouting() {
        CommandSpec sort = CommandTable.lookup("sort");
        assertArrayEquals(new int[] {1}, sort.keyIndexes(Command.of("SORT", "k", "LIMIT", "0", "1", "GET", "#")));
        assertArrayEquals(new int[] {1, 7}, sort.keyIndexes(Command.of("SORT", "k", "STORE", "a", "BY", "x", "STORE", "b")));
        assertNull(sort.keyIndexes(Command.of("SORT", "k", "FOO")), "malformed: the handler answers");
        assertEquals(Routing.KEY, CommandTable.lookup("sort_ro").routing());
        assertEquals(List.of("write", "denyoom", "movablekeys"), sort.flags());
    }
}
