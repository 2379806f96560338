package io.github.jglommio.kv.command;

import org.junit.jupiter.api.Test;

import static io.github.jglommio.kv.command.Harness.NIL;
import static io.github.jglommio.kv.command.Harness.NOT_INTEGER;
import static io.github.jglommio.kv.command.Harness.OK;
import static io.github.jglommio.kv.command.Harness.SYNTAX;
import static io.github.jglommio.kv.command.Harness.WRONGTYPE;
import static io.github.jglommio.kv.command.Harness.array;
import static io.github.jglommio.kv.command.Harness.bulk;
import static io.github.jglommio.kv.command.Harness.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class StringCommandsTest {
    private final Harness h = new Harness();

    private long now() {
        return h.clock.get();
    }

    @Test
    void shouldGetAndSet() {
        assertEquals(NIL, h.call("GET", "k"));
        assertEquals(OK, h.call("set", "k", "v"));
        assertEquals("set k v", h.logged(), "a plain SET is logged as it was sent, like Redis's AOF");
        assertEquals(bulk("v"), h.call("GeT", "k"));
        assertNull(h.lastLogged, "reads log nothing");
    }

    @Test
    void shouldHonourSetConditionsAndGet() {
        assertEquals(NIL, h.call("SET", "k", "v", "XX"));
        assertNull(h.lastLogged);
        assertEquals(OK, h.call("SET", "k", "v", "NX"));
        assertEquals(NIL, h.call("SET", "k", "w", "NX"));
        assertEquals(bulk("v"), h.call("SET", "k", "w", "GET"));
        assertEquals(bulk("w"), h.call("SET", "k", "x", "NX", "GET"), "GET replies the old value even if not set");
        assertNull(h.lastLogged);
        assertEquals(NIL, h.call("SET", "new", "x", "GET"));
        h.call("LPUSH", "l", "a");
        assertEquals(WRONGTYPE, h.call("SET", "l", "x", "GET"));
        assertEquals("list", h.call("TYPE", "l").substring(1, 5), "a failed SET GET leaves the key alone");
        assertEquals(OK, h.call("SET", "l", "x"), "plain SET replaces any type");
    }

    @Test
    void shouldTurnRelativeExpiryIntoAbsoluteInTheLog() {
        assertEquals(OK, h.call("SET", "k", "v", "EX", "10"));
        assertEquals("SET k v PXAT " + (now() + 10_000), h.logged());
        assertEquals(integer(10), h.call("TTL", "k"));
        h.call("SET", "k", "v", "px", "1500");
        assertEquals("SET k v PXAT " + (now() + 1500), h.logged());
        h.call("SET", "k", "v", "EXAT", Long.toString(now() / 1000 + 100));
        assertEquals("SET k v PXAT " + (now() / 1000 + 100) * 1000, h.logged());
        h.call("SET", "k", "v", "PXAT", Long.toString(now() + 7));
        assertEquals(integer(7), h.call("PTTL", "k"));
        h.call("SET", "k", "w", "KEEPTTL");
        assertEquals("SET k w KEEPTTL", h.logged());
        assertEquals(integer(7), h.call("PTTL", "k"));
        h.call("SET", "k", "x");
        assertEquals(integer(-1), h.call("PTTL", "k"), "plain SET clears the TTL");
    }

    @Test
    void shouldRejectBadSetOptions() {
        assertEquals(SYNTAX, h.call("SET", "k", "v", "NX", "XX"));
        assertEquals(SYNTAX, h.call("SET", "k", "v", "EX", "1", "PX", "1"));
        assertEquals(SYNTAX, h.call("SET", "k", "v", "EX", "1", "KEEPTTL"));
        assertEquals(SYNTAX, h.call("SET", "k", "v", "EX"));
        assertEquals(SYNTAX, h.call("SET", "k", "v", "BOGUS"));
        assertEquals(NOT_INTEGER, h.call("SET", "k", "v", "EX", "ten"));
        assertEquals("-ERR invalid expire time in 'set' command\r\n", h.call("SET", "k", "v", "EX", "0"));
        assertEquals("-ERR invalid expire time in 'set' command\r\n", h.call("SET", "k", "v", "PX", "-5"));
        assertEquals("-ERR invalid expire time in 'set' command\r\n",
            h.call("SET", "k", "v", "EX", Long.toString(Long.MAX_VALUE / 10)));
        assertEquals("-ERR wrong number of arguments for 'set' command\r\n", h.call("SET", "k"));
        assertEquals(NIL, h.call("GET", "k"));
        assertEquals(0, h.log.size());
    }

    @Test
    void shouldSetOnlyIfAbsentAndWithExpiry() {
        assertEquals(integer(1), h.call("SETNX", "k", "v"));
        assertEquals("SET k v", h.logged());
        assertEquals(integer(0), h.call("SETNX", "k", "w"));
        assertNull(h.lastLogged);
        assertEquals(OK, h.call("SETEX", "k", "5", "x"));
        assertEquals("SET k x PXAT " + (now() + 5000), h.logged());
        assertEquals(OK, h.call("PSETEX", "k", "5", "y"));
        assertEquals("SET k y PXAT " + (now() + 5), h.logged());
        assertEquals("-ERR invalid expire time in 'setex' command\r\n", h.call("SETEX", "k", "0", "x"));
        assertEquals("-ERR invalid expire time in 'psetex' command\r\n", h.call("PSETEX", "k", "-1", "x"));
        assertEquals(NOT_INTEGER, h.call("SETEX", "k", "1.5", "x"));
    }

    @Test
    void shouldGetSetAndGetDel() {
        assertEquals(NIL, h.call("GETSET", "k", "a"));
        h.call("PEXPIRE", "k", "100");
        assertEquals(bulk("a"), h.call("GETSET", "k", "b"));
        assertEquals(integer(-1), h.call("TTL", "k"), "GETSET clears the TTL");
        assertEquals(bulk("b"), h.call("GETDEL", "k"));
        assertEquals("DEL k", h.logged());
        assertEquals(NIL, h.call("GETDEL", "k"));
        assertNull(h.lastLogged);
        h.call("SADD", "s", "m");
        assertEquals(WRONGTYPE, h.call("GETSET", "s", "x"));
        assertEquals(WRONGTYPE, h.call("GETDEL", "s"));
        assertEquals(WRONGTYPE, h.call("GET", "s"));
    }

    @Test
    void shouldAppendAndMeasure() {
        assertEquals(integer(2), h.call("APPEND", "k", "ab"));
        h.call("PEXPIRE", "k", "100");
        assertEquals(integer(5), h.call("APPEND", "k", "cde"));
        assertEquals(bulk("abcde"), h.call("GET", "k"));
        assertEquals(integer(100), h.call("PTTL", "k"), "APPEND keeps the TTL");
        assertEquals(integer(5), h.call("STRLEN", "k"));
        assertEquals(integer(0), h.call("STRLEN", "nope"));
        h.call("RPUSH", "l", "x");
        assertEquals(WRONGTYPE, h.call("APPEND", "l", "x"));
        assertEquals(WRONGTYPE, h.call("STRLEN", "l"));
    }

    @Test
    void shouldIncrementAndDecrement() {
        assertEquals(integer(1), h.call("INCR", "n"));
        assertEquals(integer(11), h.call("INCRBY", "n", "10"));
        assertEquals(integer(10), h.call("DECR", "n"));
        assertEquals(integer(-5), h.call("DECRBY", "n", "15"));
        assertEquals("DECRBY n 15", h.logged());
        assertEquals(bulk("-5"), h.call("GET", "n"));
        h.call("SET", "n", Long.toString(Long.MAX_VALUE));
        assertEquals("-ERR increment or decrement would overflow\r\n", h.call("INCR", "n"));
        h.call("SET", "n", Long.toString(Long.MIN_VALUE));
        assertEquals("-ERR increment or decrement would overflow\r\n", h.call("DECR", "n"));
        assertEquals("-ERR decrement would overflow\r\n", h.call("DECRBY", "x", Long.toString(Long.MIN_VALUE)));
        h.call("SET", "s", "12a");
        assertEquals(NOT_INTEGER, h.call("INCR", "s"));
        h.call("SET", "s", " 1");
        assertEquals(NOT_INTEGER, h.call("INCR", "s"));
        assertEquals(NOT_INTEGER, h.call("INCRBY", "n", "1.0"));
        h.call("LPUSH", "l", "x");
        assertEquals(WRONGTYPE, h.call("INCR", "l"));
        h.call("SET", "t", "1", "PX", "100");
        h.call("INCR", "t");
        assertEquals(integer(100), h.call("PTTL", "t"), "INCR keeps the TTL");
    }

    @Test
    void shouldHandleMultiKeyStringCommands() {
        assertEquals(OK, h.call("MSET", "a", "1", "b", "2"));
        assertEquals("MSET a 1 b 2", h.logged());
        h.call("LPUSH", "l", "x");
        assertEquals(array("1", null, "2", null), h.call("MGET", "a", "nope", "b", "l"));
        assertEquals("-ERR wrong number of arguments for 'mset' command\r\n", h.call("MSET", "a", "1", "b"));
        assertEquals(integer(0), h.call("MSETNX", "c", "3", "a", "9"));
        assertNull(h.lastLogged);
        assertEquals(NIL, h.call("GET", "c"), "MSETNX sets nothing if any key exists");
        assertEquals(integer(1), h.call("MSETNX", "c", "3", "d", "4"));
        assertEquals("MSET c 3 d 4", h.logged());
        assertEquals(array("3", "4"), h.call("MGET", "c", "d"));
    }
}
