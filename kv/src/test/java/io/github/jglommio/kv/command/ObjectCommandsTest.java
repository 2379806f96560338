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

import static io.github.jglommio.kv.command.Harness.NIL;
import static io.github.jglommio.kv.command.Harness.bulk;
import static io.github.jglommio.kv.command.Harness.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ObjectCommandsTest {
    private final Harness h = new Harness();

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
        assertEquals("int", ObjectCommands.encoding(b("-42")));
        assertEquals("embstr", ObjectCommands.encoding(b("x".repeat(44))));
        assertEquals("raw", ObjectCommands.encoding(b("x".repeat(45))));
        assertEquals("embstr", ObjectCommands.encoding(b("")));
        assertEquals(Integer.MAX_VALUE, ObjectCommands.refcount(b("9999")));
        assertEquals(1, ObjectCommands.refcount(b("10000")));
        assertEquals(1, ObjectCommands.refcount(b("-1")));
        assertEquals(1, ObjectCommands.refcount(new ListValue()));
    }

    @Test
    void shouldDeriveCollectionEncodingsAtRedisLimits() {
        ListValue list = new ListValue();
        list.addLast(b("x".repeat(100_000)));
        assertEquals("quicklist", ObjectCommands.encoding(list), "Redis 7.0 lists are always quicklists");

        HashSet<Key> set = new HashSet<>();
        for (int i = 0; i < 512; i++) {
            set.add(Key.of(Integer.toString(i - 100)));
        }
        assertEquals("intset", ObjectCommands.encoding(set));
        set.add(Key.of("512"));
        assertEquals("hashtable", ObjectCommands.encoding(set));
        assertEquals("hashtable", ObjectCommands.encoding(new HashSet<>(List.of(Key.of("a")))));

        HashMap<Key, byte[]> hash = new HashMap<>();
        for (int i = 0; i < 512; i++) {
            hash.put(Key.of("f" + i), b("v"));
        }
        assertEquals("listpack", ObjectCommands.encoding(hash));
        hash.put(Key.of("one more"), b("v"));
        assertEquals("hashtable", ObjectCommands.encoding(hash));
        assertEquals("hashtable", ObjectCommands.encoding(new HashMap<>(Map.of(Key.of("f"), b("v".repeat(65))))));

        ZSet zset = new ZSet();
        for (int i = 0; i < 128; i++) {
            zset.put(Key.of("m" + i), i);
        }
        assertEquals("listpack", ObjectCommands.encoding(zset));
        zset.put(Key.of("m".repeat(65)), 1);
        assertEquals("skiplist", ObjectCommands.encoding(zset));
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
}
