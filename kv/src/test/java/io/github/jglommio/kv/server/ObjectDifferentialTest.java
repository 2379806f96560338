package io.github.jglommio.kv.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * OBJECT against redis-server 7.0 on 3 shards, byte for byte: the encodings Redis reports for
 * values built by SET, RPUSH, SADD, HSET and ZADD at and around its default limits, the shared
 * integers' reference count, HELP, FREQ, IDLETIME and the errors.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ObjectDifferentialTest {
    @TempDir
    static Path dir;
    private static Oracle oracle;

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(Oracle.available(), Oracle.MISSING);
        oracle = Oracle.start(dir, 3);
    }

    @AfterAll
    static void stop() throws IOException {
        if (oracle != null) {
            oracle.close();
        }
    }

    @BeforeEach
    void flush() throws IOException {
        oracle.flush();
    }

    @Test
    void shouldReportEncodingsAsRedis() throws IOException {
        Oracle o = oracle;
        for (String v : List.of("1", "0", "-1", "9999", "10000", "9223372036854775807", "9223372036854775808",
                "-9223372036854775808", "-9223372036854775809", "-0", "01", "+1", " 1", "1 ", "1.5", "",
                "a".repeat(44), "a".repeat(45), "12345678901234567890123", "é".repeat(22), "é".repeat(23))) {
            o.same("SET", "k", v);
            o.same("OBJECT", "ENCODING", "k");
            o.same("OBJECT", "REFCOUNT", "k");
        }
        o.same("RPUSH", "l", "a");
        o.same("OBJECT", "ENCODING", "l");
        o.same("RPUSH", "l", "x".repeat(9000), "1");
        o.same("OBJECT", "ENCODING", "l");
        o.same("OBJECT", "REFCOUNT", "l");

        o.same("SADD", "s", "1", "-5", "9223372036854775807", "-9223372036854775808");
        o.same("OBJECT", "ENCODING", "s");
        o.same("SADD", "s2", "01");
        o.same("OBJECT", "ENCODING", "s2");
        o.same("SADD", "s3", "-0");
        o.same("OBJECT", "ENCODING", "s3");
        o.same("SADD", "s4", "9223372036854775808");
        o.same("OBJECT", "ENCODING", "s4");
        String[] ints = new String[513];
        ints[0] = "big";
        for (int i = 1; i < ints.length; i++) {
            ints[i] = Integer.toString(i);
        }
        o.same(prepend("SADD", ints));
        o.same("OBJECT", "ENCODING", "big");
        o.same("SADD", "big", "513");
        o.same("OBJECT", "ENCODING", "big");

        o.same("HSET", "h", "f".repeat(64), "v".repeat(64));
        o.same("OBJECT", "ENCODING", "h");
        o.same("HSET", "h2", "f".repeat(65), "v");
        o.same("OBJECT", "ENCODING", "h2");
        o.same("HSET", "h3", "f", "v".repeat(65));
        o.same("OBJECT", "ENCODING", "h3");
        String[] fields = new String[1 + 2 * 512];
        fields[0] = "h4";
        for (int i = 0; i < 512; i++) {
            fields[1 + 2 * i] = "f" + i;
            fields[2 + 2 * i] = "v";
        }
        o.same(prepend("HSET", fields));
        o.same("OBJECT", "ENCODING", "h4");
        o.same("HSET", "h4", "one", "more");
        o.same("OBJECT", "ENCODING", "h4");

        String[] members = new String[1 + 2 * 128];
        members[0] = "z";
        for (int i = 0; i < 128; i++) {
            members[1 + 2 * i] = Integer.toString(i);
            members[2 + 2 * i] = "m" + i;
        }
        o.same(prepend("ZADD", members));
        o.same("OBJECT", "ENCODING", "z");
        o.same("ZADD", "z", "1", "one-more");
        o.same("OBJECT", "ENCODING", "z");
        o.same("ZADD", "z2", "1", "m".repeat(64));
        o.same("OBJECT", "ENCODING", "z2");
        o.same("ZADD", "z2", "1", "m".repeat(65));
        o.same("OBJECT", "ENCODING", "z2");
        o.same("OBJECT", "REFCOUNT", "z2");
        o.same("OBJECT", "ENCODING", "nope");
        o.same("OBJECT", "REFCOUNT", "nope");
    }

    private static String[] prepend(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    @Test
    void shouldAnswerTheOtherObjectSubcommands() throws IOException {
        Oracle o = oracle;
        o.same("SET", "k", "value");
        o.same("OBJECT", "HELP");
        o.same("object", "help");
        o.same("OBJECT", "HELP", "x");
        o.same("OBJECT", "FREQ", "k");
        o.same("OBJECT", "FREQ", "nope");
        o.same("OBJECT", "IDLETIME", "nope");
        // Redis counts idle seconds since the last write; the store keeps no access times and
        // answers as for a key just written.
        String[] idle = o.both("OBJECT", "IDLETIME", "k");
        assertTrue(idle[0].startsWith(":"), idle[0]);
        assertEquals(":0\r\n", idle[1]);
        o.same("OBJECT", "ENCODING");
        o.same("OBJECT", "encoding", "k", "x");
        o.same("OBJECT", "REFCOUNT");
        o.same("OBJECT", "Idletime", "a", "b");
        o.same("OBJECT", "FREQ");
        o.same("OBJECT", "foo");
        o.same("OBJECT", "FOO", "a", "b");
        o.same("OBJECT", "x".repeat(140));
        o.same("OBJECT");
    }
}
