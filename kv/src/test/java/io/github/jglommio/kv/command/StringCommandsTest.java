package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Command;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static io.github.jglommio.kv.command.Harness.NIL;
import static io.github.jglommio.kv.command.Harness.NOT_INTEGER;
import static io.github.jglommio.kv.command.Harness.OK;
import static io.github.jglommio.kv.command.Harness.SYNTAX;
import static io.github.jglommio.kv.command.Harness.WRONGTYPE;
import static io.github.jglommio.kv.command.Harness.array;
import static io.github.jglommio.kv.command.Harness.bulk;
import static io.github.jglommio.kv.command.Harness.integer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

    @Test
    void shouldLogGetexAsTheExpiryItSets() {
        h.call("SET", "k", "v");
        assertEquals(bulk("v"), h.call("GETEX", "k"));
        assertNull(h.lastLogged, "GETEX without options changes nothing");
        h.call("GETEX", "k", "EX", "10");
        assertEquals("PEXPIREAT k " + (now() + 10_000), h.logged());
        h.call("GETEX", "k", "PX", "7");
        assertEquals("PEXPIREAT k " + (now() + 7), h.logged());
        h.call("GETEX", "k", "PXAT", Long.toString(now() + 50));
        assertEquals("PEXPIREAT k " + (now() + 50), h.logged());
        assertEquals(integer(50), h.call("PTTL", "k"));
        h.call("GETEX", "k", "PERSIST");
        assertEquals("PERSIST k", h.logged());
        assertEquals(integer(-1), h.call("PTTL", "k"));
        h.call("GETEX", "k", "PERSIST");
        assertNull(h.lastLogged, "PERSIST on a key without TTL changes nothing");
        assertEquals(bulk("v"), h.call("GETEX", "k", "EXAT", Long.toString(now() / 1000 - 1)));
        assertEquals("DEL k", h.logged(), "an absolute expiry already past deletes the key");
        assertEquals(NIL, h.call("GET", "k"));
        assertEquals(NIL, h.call("GETEX", "k", "EX", "0"), "a missing key answers nil before the expiry is checked");
        h.call("SET", "k", "v");
        assertEquals("-ERR invalid expire time in 'getex' command\r\n", h.call("GETEX", "k", "EX", "0"));
        assertEquals(SYNTAX, h.call("GETEX", "k", "EX", "1", "PERSIST"));
        assertEquals(SYNTAX, h.call("GETEX", "k", "KEEPTTL"));
    }

    @Test
    void shouldLogIncrbyfloatAsTheResultingValue() {
        h.call("SET", "f", "10.50", "PX", "100");
        assertEquals(bulk("10.6"), h.call("INCRBYFLOAT", "f", "0.1"));
        assertEquals("SET f 10.6 KEEPTTL", h.logged());
        assertEquals(integer(100), h.call("PTTL", "f"), "INCRBYFLOAT keeps the TTL");
        assertEquals(bulk("4106.60000000000000009"), h.call("INCRBYFLOAT", "f", "0x1p12"),
            "the stored 10.6 read back at 64-bit precision, as redis-server prints it");
        assertEquals("-ERR increment would produce NaN or Infinity\r\n", h.call("INCRBYFLOAT", "f", "inf"));
        assertEquals("-ERR value is not a valid float\r\n", h.call("INCRBYFLOAT", "f", "nan"));
        assertNull(h.lastLogged);
        assertEquals(bulk("4106.60000000000000009"), h.call("GET", "f"));
    }

    @Test
    void shouldReadAndWriteRanges() {
        h.call("SET", "s", "Hello");
        assertEquals(bulk("ell"), h.call("GETRANGE", "s", "1", "3"));
        assertEquals(bulk("H"), h.call("SUBSTR", "s", "-100", "-50"), "both clamp to 0, as Redis");
        assertEquals(bulk(""), h.call("GETRANGE", "nokey", "0", "-1"));
        assertEquals(integer(8), h.call("SETRANGE", "s", "5", "abc"));
        assertEquals("SETRANGE s 5 abc", h.logged());
        assertEquals(integer(8), h.call("SETRANGE", "s", "50", ""));
        assertNull(h.lastLogged, "an empty value changes nothing");
        assertEquals(integer(3), h.call("SETRANGE", "pad", "2", "x"));
        assertEquals(bulk("\0\0x"), h.call("GET", "pad"));
        assertEquals("-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n",
            h.call("SETRANGE", "s", "536870912", "x"));
        assertEquals("-ERR offset is out of range\r\n", h.call("SETRANGE", "s", "-1", "x"));
    }

    @Test
    void shouldNeverChangeAStoredArrayInPlace() {
        Command set = Command.of("SET", "k", "abc");
        h.call(set);
        h.call("SETRANGE", "k", "0", "X");
        h.call("APPEND", "k", "d");
        h.call("SETBIT", "k", "0", "1");
        h.call("BITFIELD", "k", "SET", "u8", "8", "0");
        assertEquals("abc", new String(set.arg(2), StandardCharsets.US_ASCII),
            "the keyspace keeps the SET argument by reference; writes must copy it");
        assertArrayEquals(new byte[] {(byte) 0xD8, 0, 'c', 'd'}, h.ks.getString(Args.ascii("k")));
    }

    @Test
    void shouldFindTheLongestCommonSubsequence() {
        h.call("MSET", "a", "ohmytext", "b", "mynewtext");
        assertEquals(bulk("mytext"), h.call("LCS", "a", "b"));
        assertEquals(integer(6), h.call("LCS", "a", "b", "LEN"));
        assertEquals("*4\r\n$7\r\nmatches\r\n*2\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n"
                + "*3\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n:2\r\n$3\r\nlen\r\n:6\r\n",
            h.call("LCS", "a", "b", "IDX", "WITHMATCHLEN"));
        assertNull(h.lastLogged);
        h.call("RPUSH", "l", "x");
        assertEquals("-ERR The specified keys must contain string values\r\n", h.call("LCS", "a", "l"));
    }
}
