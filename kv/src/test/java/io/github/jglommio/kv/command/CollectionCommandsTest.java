package io.github.jglommio.kv.command;

import org.junit.jupiter.api.Test;

import static io.github.jglommio.kv.command.Harness.EMPTY;
import static io.github.jglommio.kv.command.Harness.NIL;
import static io.github.jglommio.kv.command.Harness.NIL_ARRAY;
import static io.github.jglommio.kv.command.Harness.NOT_INTEGER;
import static io.github.jglommio.kv.command.Harness.OK;
import static io.github.jglommio.kv.command.Harness.SYNTAX;
import static io.github.jglommio.kv.command.Harness.WRONGTYPE;
import static io.github.jglommio.kv.command.Harness.array;
import static io.github.jglommio.kv.command.Harness.bulk;
import static io.github.jglommio.kv.command.Harness.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CollectionCommandsTest {
    private final Harness h = new Harness();

    @Test
    void shouldPushPopAndRangeLists() {
        assertEquals(integer(3), h.call("RPUSH", "l", "a", "b", "c"));
        assertEquals(integer(5), h.call("LPUSH", "l", "y", "z"));
        assertEquals(array("z", "y", "a", "b", "c"), h.call("LRANGE", "l", "0", "-1"));
        assertEquals(array("b", "c"), h.call("LRANGE", "l", "-2", "100"));
        assertEquals(array("y", "a"), h.call("LRANGE", "l", "1", "2"));
        assertEquals(EMPTY, h.call("LRANGE", "l", "3", "1"));
        assertEquals(EMPTY, h.call("LRANGE", "nope", "0", "-1"));
        assertEquals(bulk("z"), h.call("LINDEX", "l", "0"));
        assertEquals(bulk("c"), h.call("LINDEX", "l", "-1"));
        assertEquals(bulk("b"), h.call("LINDEX", "l", "3"));
        assertEquals(NIL, h.call("LINDEX", "l", "5"));
        assertEquals(integer(5), h.call("LLEN", "l"));
        assertEquals(bulk("z"), h.call("LPOP", "l"));
        assertEquals("LPOP l", h.logged());
        assertEquals(array("c", "b"), h.call("RPOP", "l", "2"));
        assertEquals(EMPTY, h.call("RPOP", "l", "0"));
        assertNull(h.lastLogged);
        assertEquals(array("y", "a"), h.call("LPOP", "l", "10"));
        assertEquals(integer(0), h.call("EXISTS", "l"), "an emptied list disappears");
        assertEquals(NIL, h.call("LPOP", "l"));
        assertEquals(NIL_ARRAY, h.call("LPOP", "l", "2"));
        assertEquals("-ERR value is out of range, must be positive\r\n", h.call("LPOP", "l", "-1"));
        assertEquals("-ERR wrong number of arguments for 'lpop' command\r\n", h.call("LPOP", "l", "1", "2"));
        assertEquals(NOT_INTEGER, h.call("LRANGE", "l", "a", "1"));
        h.call("SET", "s", "v");
        assertEquals(WRONGTYPE, h.call("LPUSH", "s", "x"));
        assertEquals(WRONGTYPE, h.call("LPOP", "s"));
        assertEquals(WRONGTYPE, h.call("LLEN", "s"));
    }

    @Test
    void shouldAddRemoveAndPopSetMembers() {
        assertEquals(integer(2), h.call("SADD", "s", "a", "b", "a"));
        assertEquals(integer(0), h.call("SADD", "s", "a"));
        assertNull(h.lastLogged, "SADD that adds nothing logs nothing");
        assertEquals(integer(1), h.call("SISMEMBER", "s", "a"));
        assertEquals(integer(0), h.call("SISMEMBER", "s", "z"));
        assertEquals(integer(2), h.call("SCARD", "s"));
        String members = h.call("SMEMBERS", "s");
        assertTrue(members.startsWith("*2\r\n") && members.contains("$1\r\na") && members.contains("$1\r\nb"));
        assertEquals(integer(1), h.call("SREM", "s", "a", "z"));
        assertEquals("SREM s a z", h.logged());
        String popped = h.call("SPOP", "s");
        assertEquals(bulk("b"), popped);
        assertEquals("SREM s b", h.logged(), "SPOP logs the members it chose");
        assertEquals(integer(0), h.call("EXISTS", "s"));
        assertEquals(NIL, h.call("SPOP", "s"));
        assertEquals(EMPTY, h.call("SPOP", "s", "3"));
        h.call("SADD", "t", "1", "2", "3", "4", "5");
        String three = h.call("SPOP", "t", "3");
        assertTrue(three.startsWith("*3\r\n"), three);
        assertTrue(h.logged().startsWith("SREM t "));
        assertEquals("SREM t 1 2 3".length(), h.logged().length(), "three one-char members logged");
        assertEquals(integer(2), h.call("SCARD", "t"));
        assertEquals("-ERR value is out of range, must be positive\r\n", h.call("SPOP", "t", "-2"));
        assertEquals(SYNTAX, h.call("SPOP", "t", "1", "2"));
        assertEquals(EMPTY, h.call("SMEMBERS", "nope"));
        h.call("SET", "str", "v");
        assertEquals(WRONGTYPE, h.call("SADD", "str", "x"));
        assertEquals(WRONGTYPE, h.call("SISMEMBER", "str", "x"));
    }

    @Test
    void shouldSetGetAndIncrementHashFields() {
        assertEquals(integer(2), h.call("HSET", "h", "f1", "a", "f2", "b"));
        assertEquals(integer(0), h.call("HSET", "h", "f1", "c"));
        assertEquals("HSET h f1 c", h.logged(), "an overwrite changes data and is logged");
        assertEquals(OK, h.call("HMSET", "h", "f3", "d"));
        assertEquals(bulk("c"), h.call("HGET", "h", "f1"));
        assertEquals(NIL, h.call("HGET", "h", "zz"));
        assertEquals(NIL, h.call("HGET", "nope", "zz"));
        assertEquals(integer(3), h.call("HLEN", "h"));
        String all = h.call("HGETALL", "h");
        assertTrue(all.startsWith("*6\r\n") && all.contains("$2\r\nf3\r\n$1\r\nd\r\n"), all);
        assertEquals(integer(2), h.call("HDEL", "h", "f1", "f2", "nope"));
        assertEquals(integer(0), h.call("HDEL", "h", "nope"));
        assertNull(h.lastLogged);
        assertEquals(integer(5), h.call("HINCRBY", "h", "n", "5"));
        assertEquals(integer(2), h.call("HINCRBY", "h", "n", "-3"));
        assertEquals("-ERR hash value is not an integer\r\n", h.call("HINCRBY", "h", "f3", "1"));
        assertEquals(NOT_INTEGER, h.call("HINCRBY", "h", "n", "x"));
        h.call("HSET", "h", "big", Long.toString(Long.MAX_VALUE));
        assertEquals("-ERR increment or decrement would overflow\r\n", h.call("HINCRBY", "h", "big", "1"));
        assertEquals("-ERR wrong number of arguments for 'hset' command\r\n", h.call("HSET", "h", "f", "v", "g"));
        assertEquals(integer(3), h.call("HDEL", "h", "f3", "n", "big"));
        assertEquals(integer(0), h.call("EXISTS", "h"));
        assertEquals(EMPTY, h.call("HGETALL", "h"));
        h.call("SET", "str", "v");
        assertEquals(WRONGTYPE, h.call("HSET", "str", "f", "v"));
        assertEquals(WRONGTYPE, h.call("HGET", "str", "f"));
    }

    @Test
    void shouldAddAndRangeSortedSets() {
        assertEquals(integer(3), h.call("ZADD", "z", "1", "a", "2", "b", "1.5", "c"));
        assertEquals(integer(0), h.call("ZADD", "z", "3", "a"));
        assertEquals(array("c", "b", "a"), h.call("ZRANGE", "z", "0", "-1"));
        assertEquals(array("c", "1.5", "b", "2", "a", "3"), h.call("ZRANGE", "z", "0", "-1", "WITHSCORES"));
        assertEquals(array("a", "b"), h.call("ZRANGE", "z", "0", "1", "REV"));
        assertEquals(array("b"), h.call("ZRANGE", "z", "-2", "-2"));
        assertEquals(array("c", "b"), h.call("ZRANGE", "z", "1.5", "(3", "BYSCORE"));
        assertEquals(array("b"), h.call("ZRANGE", "z", "+inf", "-inf", "BYSCORE", "REV", "LIMIT", "1", "1"));
        assertEquals(EMPTY, h.call("ZRANGE", "nope", "0", "-1"));
        assertEquals(bulk("1.5"), h.call("ZSCORE", "z", "c"));
        assertEquals(NIL, h.call("ZSCORE", "z", "nope"));
        assertEquals(integer(3), h.call("ZCARD", "z"));
        assertEquals(bulk("4.5"), h.call("ZINCRBY", "z", "1.5", "a"));
        assertEquals(bulk("-1"), h.call("ZINCRBY", "z", "-1", "new"));
        assertEquals(integer(2), h.call("ZREM", "z", "new", "c", "zz"));
        assertEquals("ZREM z new c zz", h.logged());
        assertEquals(integer(0), h.call("ZREM", "z", "zz"));
        assertNull(h.lastLogged);
        assertEquals("-ERR value is not a valid float\r\n", h.call("ZADD", "z", "x", "m"));
        assertEquals("-ERR value is not a valid float\r\n", h.call("ZADD", "z", "nan", "m"));
        assertEquals(SYNTAX, h.call("ZADD", "z", "1", "a", "2"));
        assertEquals("-ERR wrong number of arguments for 'zadd' command\r\n", h.call("ZADD", "z", "1"));
        assertEquals(SYNTAX, h.call("ZRANGE", "z", "0", "1", "BOGUS"));
        h.call("SET", "str", "v");
        assertEquals(WRONGTYPE, h.call("ZADD", "str", "1", "m"));
        assertEquals(WRONGTYPE, h.call("ZSCORE", "str", "m"));
    }

    @Test
    void shouldApplyZaddFlags() {
        h.call("ZADD", "z", "5", "a");
        assertEquals(integer(0), h.call("ZADD", "z", "NX", "9", "a"));
        assertEquals(bulk("5"), h.call("ZSCORE", "z", "a"));
        assertEquals(integer(0), h.call("ZADD", "z", "XX", "1", "new"));
        assertEquals(integer(0), h.call("EXISTS", "zz"));
        assertEquals(integer(0), h.call("ZADD", "zz", "XX", "1", "m"));
        assertEquals(integer(0), h.call("EXISTS", "zz"), "XX on a missing key creates nothing");
        assertEquals(integer(0), h.call("ZADD", "z", "GT", "CH", "4", "a"));
        assertEquals(integer(1), h.call("ZADD", "z", "GT", "CH", "6", "a"));
        assertEquals(integer(2), h.call("ZADD", "z", "LT", "CH", "2", "a", "3", "b"), "CH counts added and changed");
        assertEquals(integer(1), h.call("ZADD", "z", "LT", "1", "a", "4", "c"), "LT does not stop additions");
        assertEquals(bulk("1"), h.call("ZSCORE", "z", "a"));
        h.call("ZREM", "z", "c");
        assertEquals(integer(2), h.call("ZCARD", "z"));
        assertEquals(bulk("2"), h.call("ZADD", "z", "INCR", "1", "a"));
        assertEquals(NIL, h.call("ZADD", "z", "NX", "INCR", "1", "a"));
        assertEquals(bulk("inf"), h.call("ZADD", "z", "INCR", "+inf", "a"));
        assertEquals("-ERR resulting score is not a number (NaN)\r\n", h.call("ZADD", "z", "INCR", "-inf", "a"));
        assertEquals("-ERR XX and NX options at the same time are not compatible\r\n",
            h.call("ZADD", "z", "NX", "XX", "1", "a"));
        assertEquals("-ERR GT, LT, and/or NX options at the same time are not compatible\r\n",
            h.call("ZADD", "z", "GT", "LT", "1", "a"));
        assertEquals("-ERR INCR option supports a single increment-element pair\r\n",
            h.call("ZADD", "z", "INCR", "1", "a", "2", "b"));
    }
}
