package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.store.Key;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.github.jglommio.kv.command.Harness.EMPTY;
import static io.github.jglommio.kv.command.Harness.NIL;
import static io.github.jglommio.kv.command.Harness.NOT_INTEGER;
import static io.github.jglommio.kv.command.Harness.OK;
import static io.github.jglommio.kv.command.Harness.SYNTAX;
import static io.github.jglommio.kv.command.Harness.bulk;
import static io.github.jglommio.kv.command.Harness.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyCommandsTest {
    private final Harness h = new Harness();

    private long now() {
        return h.clock.get();
    }

    @Test
    void shouldDeleteAndCountExistingKeys() {
        h.call("MSET", "a", "1", "b", "2", "c", "3");
        assertEquals(integer(3), h.call("EXISTS", "a", "a", "b", "nope"));
        assertEquals(integer(2), h.call("DEL", "a", "nope", "b"));
        assertEquals("DEL a b", h.logged(), "the log names only the keys that were deleted");
        assertEquals(integer(0), h.call("DEL", "a"));
        assertNull(h.lastLogged);
        assertEquals(integer(1), h.call("UNLINK", "c"));
        assertEquals("DEL c", h.logged());
    }

    @Test
    void shouldExpireWithEveryVariantAndLogAbsoluteTimes() {
        h.call("SET", "k", "v");
        assertEquals(integer(1), h.call("EXPIRE", "k", "10"));
        assertEquals("PEXPIREAT k " + (now() + 10_000), h.logged());
        assertEquals(integer(1), h.call("PEXPIRE", "k", "500"));
        assertEquals("PEXPIREAT k " + (now() + 500), h.logged());
        assertEquals(integer(1), h.call("EXPIREAT", "k", Long.toString(now() / 1000 + 60)));
        assertEquals("PEXPIREAT k " + (now() / 1000 + 60) * 1000, h.logged());
        assertEquals(integer(1), h.call("PEXPIREAT", "k", Long.toString(now() + 1234)));
        assertEquals(integer(1234), h.call("PTTL", "k"));
        assertEquals(integer(1), h.call("TTL", "k"), "TTL rounds to the nearest second");
        assertEquals(integer(0), h.call("EXPIRE", "nope", "10"));
        assertNull(h.lastLogged);
    }

    @Test
    void shouldDeleteWhenTheExpiryIsInThePast() {
        h.call("SET", "k", "v");
        assertEquals(integer(1), h.call("EXPIRE", "k", "-1"));
        assertEquals("DEL k", h.logged());
        assertEquals(integer(0), h.call("EXISTS", "k"));
        h.call("SET", "k", "v");
        assertEquals(integer(1), h.call("PEXPIREAT", "k", Long.toString(now())));
        assertEquals(integer(0), h.call("EXISTS", "k"));
    }

    @Test
    void shouldApplyExpireConditions() {
        h.call("SET", "k", "v");
        assertEquals(integer(0), h.call("EXPIRE", "k", "10", "XX"));
        assertEquals(integer(0), h.call("EXPIRE", "k", "10", "GT"), "no TTL counts as infinite");
        assertEquals(integer(1), h.call("EXPIRE", "k", "10", "NX"));
        assertEquals(integer(0), h.call("EXPIRE", "k", "20", "NX"));
        assertEquals(integer(0), h.call("EXPIRE", "k", "5", "GT"));
        assertEquals(integer(1), h.call("EXPIRE", "k", "20", "GT"));
        assertEquals(integer(0), h.call("EXPIRE", "k", "30", "LT"));
        assertEquals(integer(1), h.call("EXPIRE", "k", "15", "lt", "xx"));
        assertEquals(integer(15), h.call("TTL", "k"));
        assertEquals("-ERR NX and XX, GT or LT options at the same time are not compatible\r\n",
            h.call("EXPIRE", "k", "1", "NX", "XX"));
        assertEquals("-ERR GT and LT options at the same time are not compatible\r\n",
            h.call("EXPIRE", "k", "1", "GT", "LT"));
        assertEquals("-ERR Unsupported option FOO\r\n", h.call("EXPIRE", "k", "1", "FOO"));
        assertEquals(NOT_INTEGER, h.call("EXPIRE", "k", "x"));
        assertEquals("-ERR invalid expire time in 'expire' command\r\n",
            h.call("EXPIRE", "k", Long.toString(Long.MAX_VALUE / 100)));
    }

    @Test
    void shouldReportTtlsAndPersist() {
        assertEquals(integer(-2), h.call("TTL", "nope"));
        assertEquals(integer(-2), h.call("PTTL", "nope"));
        h.call("SET", "k", "v");
        assertEquals(integer(-1), h.call("TTL", "k"));
        assertEquals(integer(0), h.call("PERSIST", "k"));
        assertNull(h.lastLogged);
        h.call("PEXPIRE", "k", "100");
        assertEquals(integer(1), h.call("PERSIST", "k"));
        assertEquals("PERSIST k", h.logged());
        assertEquals(integer(-1), h.call("TTL", "k"));
    }

    @Test
    void shouldExpireLazilyThroughTheInjectedClock() {
        h.call("SET", "k", "v", "PX", "100");
        h.clock.addAndGet(100);
        assertEquals(bulk("v"), h.call("GET", "k"));
        h.clock.addAndGet(1);
        assertEquals(NIL, h.call("GET", "k"));
        assertEquals(integer(-2), h.call("TTL", "k"));
        assertEquals(integer(0), h.call("DBSIZE"));
    }

    @Test
    void shouldReportTypes() {
        h.call("SET", "s", "v");
        h.call("RPUSH", "l", "v");
        h.call("SADD", "t", "v");
        h.call("HSET", "h", "f", "v");
        h.call("ZADD", "z", "1", "v");
        assertEquals("+string\r\n", h.call("TYPE", "s"));
        assertEquals("+list\r\n", h.call("TYPE", "l"));
        assertEquals("+set\r\n", h.call("TYPE", "t"));
        assertEquals("+hash\r\n", h.call("TYPE", "h"));
        assertEquals("+zset\r\n", h.call("TYPE", "z"));
        assertEquals("+none\r\n", h.call("TYPE", "nope"));
        assertEquals(integer(5), h.call("DBSIZE"));
    }

    @Test
    void shouldFlushAndListKeys() {
        h.call("MSET", "user:1", "a", "user:2", "b", "other", "c");
        String keys = h.call("KEYS", "user:*");
        assertTrue(keys.startsWith("*2\r\n") && keys.contains("user:1") && keys.contains("user:2"), keys);
        assertEquals(SYNTAX, h.call("FLUSHALL", "NOW"));
        assertEquals(OK, h.call("FLUSHDB", "ASYNC"));
        assertEquals("FLUSHDB", h.logged());
        assertEquals(integer(0), h.call("DBSIZE"));
        assertEquals(EMPTY, h.call("KEYS", "*"));
        assertEquals(OK, h.call("FLUSHALL"));
        assertNull(h.lastLogged, "flushing an empty keyspace changes nothing");
    }

    @Test
    void shouldScanWithCursorsAndOptions() {
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            h.call("SET", "k" + i, "v");
            expected.add("k" + i);
        }
        h.call("RPUSH", "list", "x");
        Set<String> seen = new HashSet<>();
        String cursor = "0";
        do {
            Command scan = Command.of("SCAN", cursor, "MATCH", "k*", "COUNT", "7", "TYPE", "string");
            RespView view = RespView.of(h.call(scan));
            cursor = view.items().get(0);
            seen.addAll(view.nested());
        } while (!cursor.equals("0"));
        assertEquals(expected, seen);
        assertEquals("-ERR invalid cursor\r\n", h.call("SCAN", "abc"));
        assertEquals(SYNTAX, h.call("SCAN", "0", "COUNT", "0"));
        assertEquals(SYNTAX, h.call("SCAN", "0", "MATCH"));
        assertEquals(SYNTAX, h.call("SCAN", "0", "WHAT", "x"));
    }

    @Test
    void shouldPickRandomKeys() {
        assertEquals(NIL, h.call("RANDOMKEY"));
        h.call("SET", "only", "v");
        assertEquals(bulk("only"), h.call("RANDOMKEY"));
    }

    @Test
    void shouldRejectUnknownCommandsAndBadArity() {
        assertEquals("-ERR unknown command 'foo', with args beginning with: 'a' 'b' \r\n", h.call("foo", "a", "b"));
        assertEquals("-ERR unknown command 'foo', with args beginning with: \r\n", h.call("foo"));
        assertEquals("-ERR wrong number of arguments for 'get' command\r\n", h.call("GET"));
        assertEquals("-ERR wrong number of arguments for 'get' command\r\n", h.call("get", "a", "b"));
        assertEquals("+PONG\r\n", h.call("PING"));
        assertEquals(bulk("hi"), h.call("PING", "hi"));
        assertEquals(bulk("yo"), h.call("ECHO", "yo"));
        assertTrue(h.call("CONFIG", "GET", "x").startsWith("-ERR"));
        assertEquals(0, h.log.size());
    }

    @Test
    void shouldCheckExpireOptionsBeforeTheTime() {
        h.call("SET", "k", "v");
        assertEquals("-ERR Unsupported option FOO\r\n", h.call("EXPIRE", "k", "soon", "FOO"));
        assertEquals("-ERR GT and LT options at the same time are not compatible\r\n",
            h.call("PEXPIRE", "nope", "soon", "GT", "LT"));
        assertEquals(NOT_INTEGER, h.call("EXPIRE", "nope", "soon", "NX"));
    }

    @Test
    void shouldTouchAndReportExpiryTimes() {
        h.call("MSET", "a", "1", "b", "2");
        assertEquals(integer(3), h.call("TOUCH", "a", "b", "a", "nope"));
        assertNull(h.lastLogged);
        assertEquals(integer(-2), h.call("EXPIRETIME", "nope"));
        assertEquals(integer(-1), h.call("PEXPIRETIME", "a"));
        h.call("PEXPIREAT", "a", Long.toString(now() + 1500));
        assertEquals(integer(now() + 1500), h.call("PEXPIRETIME", "a"));
        assertEquals(integer((now() + 1500 + 500) / 1000), h.call("EXPIRETIME", "a"), "rounded to the nearest second");
    }

    @Test
    void shouldRenameWithTheExpiryTimeAndLogTheRename() {
        h.call("SET", "a", "v", "PX", "100");
        h.call("SET", "b", "old");
        assertEquals(OK, h.call("RENAME", "a", "b"));
        assertEquals("RENAME a b", h.logged());
        assertEquals(integer(100), h.call("PTTL", "b"));
        assertEquals(integer(0), h.call("EXISTS", "a"));
        assertEquals(OK, h.call("RENAME", "b", "b"));
        assertNull(h.lastLogged, "a key renamed onto itself does not change");
        assertEquals(integer(0), h.call("RENAMENX", "b", "b"));
        h.call("SET", "c", "other");
        assertEquals(integer(0), h.call("RENAMENX", "b", "c"));
        assertNull(h.lastLogged);
        assertEquals(integer(1), h.call("RENAMENX", "b", "d"));
        assertEquals("RENAMENX b d", h.logged());
        h.clock.addAndGet(101);
        assertEquals("-ERR no such key\r\n", h.call("RENAME", "d", "e"), "an expired source is missing");
    }

    @Test
    void shouldCopyADeepIndependentValue() {
        h.call("RPUSH", "l", "1", "2");
        h.call("PEXPIRE", "l", "500");
        assertEquals(integer(1), h.call("COPY", "l", "m", "DB", "0"));
        assertEquals("COPY l m DB 0", h.logged());
        assertEquals(integer(500), h.call("PTTL", "m"));
        h.call("RPUSH", "m", "3");
        assertEquals(Harness.array("1", "2"), h.call("LRANGE", "l", "0", "-1"));
        assertEquals(integer(0), h.call("COPY", "l", "m"));
        assertNull(h.lastLogged);
        assertEquals(integer(1), h.call("COPY", "l", "m", "REPLACE"));
        assertEquals(Harness.array("1", "2"), h.call("LRANGE", "m", "0", "-1"));
        assertEquals("-ERR DB index is out of range\r\n", h.call("COPY", "l", "m", "DB", "1"),
            "one database, as Redis with databases 1");
        assertEquals("-ERR source and destination objects are the same\r\n", h.call("COPY", "l", "l"));
        for (Object v : List.of(new byte[] {1}, new HashSet<>(List.of(Key.of("x"))), new HashMap<>(Map.of(Key.of("f"), new byte[] {2})))) {
            Object c = KeyCommands.deepCopy(v);
            assertNotSame(v, c);
            assertEquals(v.getClass(), c.getClass());
        }
    }
}
