package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.store.Key;
import io.github.jglommio.kv.store.ListValue;
import io.github.jglommio.kv.store.ZSet;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static io.github.jglommio.kv.command.Harness.NIL;
import static io.github.jglommio.kv.command.Harness.bulk;
import static io.github.jglommio.kv.command.Harness.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ObjectCommandsTest {
    private final Harness h = new Harness();

    /** The encoding of a value no write has marked yet, under the default limits: its contents decide. */
    private static String enc(Object value) {
        return ObjectCommands.encoding(value, ObjectCommands.FRESH, new EncodingLimits());
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldTellCanonicalLongs() {
        for (String yes : List.of("0", "1", "-1", "9223372036854775807", "-9223372036854775808", "10")) {
            assertTrue(ObjectCommands.isCanonicalLong(b(yes)), yes);
        }
        for (String no : List.of("", "-", "-0", "01", "+1", " 1", "1 ", "1.0", "9223372036854775808",
                "-9223372036854775809", "00", "123456789012345678901")) {
            assertFalse(ObjectCommands.isCanonicalLong(b(no)), no);
        }
    }

    @Test
    void shouldDeriveStringEncodingsAndSharedIntegers() {
        assertEquals("int", enc(b("-42")));
        assertEquals("embstr", enc(b("x".repeat(44))));
        assertEquals("raw", enc(b("x".repeat(45))));
        assertEquals("embstr", enc(b("")));
        assertEquals(Integer.MAX_VALUE, ObjectCommands.refcount(b("9999"), ObjectCommands.FRESH));
        assertEquals(1, ObjectCommands.refcount(b("10000"), ObjectCommands.FRESH));
        assertEquals(1, ObjectCommands.refcount(b("-1"), ObjectCommands.FRESH));
        assertEquals(1, ObjectCommands.refcount(new ListValue(), ObjectCommands.FRESH));
    }

    @Test
    void shouldDeriveCollectionEncodingsAtRedisLimits() {
        ListValue list = new ListValue();
        list.addLast(b("x".repeat(100_000)));
        assertEquals("quicklist", enc(list), "Redis 7.0 lists are always quicklists");

        HashSet<Key> set = new HashSet<>();
        for (int i = 0; i < 512; i++) {
            set.add(Key.of(Integer.toString(i - 100)));
        }
        assertEquals("intset", enc(set));
        set.add(Key.of("512"));
        assertEquals("hashtable", enc(set));
        assertEquals("hashtable", enc(new HashSet<>(List.of(Key.of("a")))));

        HashMap<Key, byte[]> hash = new HashMap<>();
        for (int i = 0; i < 512; i++) {
            hash.put(Key.of("f" + i), b("v"));
        }
        assertEquals("listpack", enc(hash));
        hash.put(Key.of("one more"), b("v"));
        assertEquals("hashtable", enc(hash));
        assertEquals("hashtable", enc(new HashMap<>(Map.of(Key.of("f"), b("v".repeat(65))))));

        ZSet zset = new ZSet();
        for (int i = 0; i < 128; i++) {
            zset.put(Key.of("m" + i), i);
        }
        assertEquals("listpack", enc(zset));
        zset.put(Key.of("m".repeat(65)), 1);
        assertEquals("skiplist", enc(zset));
    }

    @Test
    void shouldAnswerSubcommandsAndTheirErrors() {
        h.call("SET", "k", "123");
        assertEquals(bulk("int"), h.call("OBJECT", "encoding", "k"));
        assertEquals(integer(Integer.MAX_VALUE), h.call("OBJECT", "REFCOUNT", "k"));
        assertEquals(integer(0), h.call("OBJECT", "IDLETIME", "k"));
        assertTrue(h.call("OBJECT", "FREQ", "k").startsWith("-ERR An LFU maxmemory policy is not selected"));
        assertEquals(NIL, h.call("OBJECT", "FREQ", "nope"));
        assertTrue(h.call("OBJECT", "HELP").startsWith("*15\r\n+OBJECT <subcommand>"));
        assertEquals("-ERR wrong number of arguments for 'object|help' command\r\n", h.call("OBJECT", "HELP", "x"));
        assertEquals("-ERR wrong number of arguments for 'object|refcount' command\r\n", h.call("OBJECT", "RefCount"));
        assertEquals("-ERR unknown subcommand 'nope'. Try OBJECT HELP.\r\n", h.call("OBJECT", "nope", "k"));
        assertEquals("-ERR unknown subcommand 'ab'. Try OBJECT HELP.\r\n", h.call("OBJECT", "ab\0cd"),
                "the name is quoted as a C string");
        assertNull(h.lastLogged);
        CommandSpec object = CommandTable.lookup("object");
        assertEquals(0, object.firstKey(), "a container command has no key of its own");
        assertEquals(2, object.keyIndexes(Command.of("OBJECT", "ENCODING", "k"))[0]);
        assertEquals(0, object.keyIndexes(Command.of("OBJECT", "HELP")).length);
    }

    @Test
    void shouldCountIdleTimeFromTheLastAccessButNotFromTypeTtlExistsOrObject() {
        h.call("SET", "k", "v");
        h.clock.addAndGet(5_000);
        for (String[] look : new String[][] {{"TYPE", "k"}, {"TTL", "k"}, {"PTTL", "k"}, {"EXISTS", "k"},
                {"OBJECT", "ENCODING", "k"}, {"EXPIRETIME", "k"}}) {
            h.call(look);
        }
        assertEquals(integer(5), h.call("OBJECT", "IDLETIME", "k"));
        h.call("GET", "k");
        assertEquals(integer(0), h.call("OBJECT", "IDLETIME", "k"));
        h.clock.addAndGet(3_000);
        h.call("TOUCH", "k");
        assertEquals(integer(0), h.call("OBJECT", "IDLETIME", "k"));
        h.clock.addAndGet(2_000);
        h.call("RENAME", "k", "k2");
        assertEquals(integer(0), h.call("OBJECT", "IDLETIME", "k2"), "RENAME looks the key up for writing");
    }

    @Test
    void shouldKeepBigEncodingsAfterShrinkingAndJudgeNewValuesByContents() {
        for (int i = 0; i < 600; i++) {
            h.call("SADD", "s", Integer.toString(i));
        }
        for (int i = 2; i < 600; i++) {
            h.call("SREM", "s", Integer.toString(i));
        }
        assertEquals(bulk("hashtable"), h.call("OBJECT", "ENCODING", "s"), "Redis never converts back");
        h.call("SINTERSTORE", "d", "s", "s");
        assertEquals(bulk("intset"), h.call("OBJECT", "ENCODING", "d"), "a new result is built compact");
        h.call("SADD", "d", "x");
        h.call("SREM", "d", "x");
        assertEquals(bulk("hashtable"), h.call("OBJECT", "ENCODING", "d"));
        h.call("COPY", "d", "d2");
        h.call("RENAME", "d", "d3");
        assertEquals(bulk("hashtable"), h.call("OBJECT", "ENCODING", "d2"));
        assertEquals(bulk("hashtable"), h.call("OBJECT", "ENCODING", "d3"));

        h.call("ZADD", "z", "1", "a");
        h.call("SORT", "z", "BY", "nosort");
        assertEquals(bulk("skiplist"), h.call("OBJECT", "ENCODING", "z"), "SORT converts a sorted set");
        h.call("HSET", "h", "f", "1");
        h.call("HINCRBYFLOAT", "h", "f", "1e100");
        assertEquals(bulk("hashtable"), h.call("OBJECT", "ENCODING", "h"), "a 101-byte value");

        h.call("SET", "n", "12");
        h.call("APPEND", "n", "3");
        assertEquals(bulk("raw"), h.call("OBJECT", "ENCODING", "n"));
        assertEquals(integer(1), h.call("OBJECT", "REFCOUNT", "n"), "a raw string is not shared");
        h.call("INCR", "n");
        assertEquals(bulk("int"), h.call("OBJECT", "ENCODING", "n"), "INCR makes a new integer");
        h.call("INCRBYFLOAT", "n", "1");
        assertEquals(bulk("embstr"), h.call("OBJECT", "ENCODING", "n"));
    }

    @Test
    void shouldFollowTheLimitsInForce() {
        EncodingLimits limits = new EncodingLimits();
        Harness tight = new Harness(new AtomicLong(), limits);
        limits.set(2, 1, 3, 0, 64);
        tight.call("SADD", "s", "1", "2");
        tight.call("SADD", "s3", "1", "2", "3");
        tight.call("HSET", "h", "f", "v");
        tight.call("HSET", "h2", "f", "long");
        tight.call("ZADD", "z", "1", "a");
        assertEquals(bulk("intset"), tight.call("OBJECT", "ENCODING", "s"));
        assertEquals(bulk("hashtable"), tight.call("OBJECT", "ENCODING", "s3"));
        assertEquals(bulk("listpack"), tight.call("OBJECT", "ENCODING", "h"));
        assertEquals(bulk("hashtable"), tight.call("OBJECT", "ENCODING", "h2"));
        assertEquals(bulk("skiplist"), tight.call("OBJECT", "ENCODING", "z"));
        limits.set(512, 512, 64, 128, 64);
        tight.call("ZADD", "z", "2", "b");
        tight.call("ZADD", "z2", "2", "b");
        assertEquals(bulk("skiplist"), tight.call("OBJECT", "ENCODING", "z"), "converted once, it stays");
        assertEquals(bulk("listpack"), tight.call("OBJECT", "ENCODING", "z2"));
    }
}
