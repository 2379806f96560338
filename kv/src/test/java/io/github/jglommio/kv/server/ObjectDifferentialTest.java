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
        for (String idle : o.both("OBJECT", "IDLETIME", "k")) {
            assertTrue(idle.equals(":0\r\n") || idle.equals(":1\r\n"), "just written: " + idle);
        }
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

    private void enc(String key) throws IOException {
        oracle.same("OBJECT", "ENCODING", key);
    }

    @Test
    void shouldKeepStringEncodingHistoryAsRedis() throws IOException {
        Oracle o = oracle;
        o.same("SET", "n", "123");
        o.same("APPEND", "n", "4");
        enc("n");
        o.same("OBJECT", "REFCOUNT", "n");
        o.same("SET", "n", "5");
        o.same("SETRANGE", "n", "0", "");
        enc("n");
        o.same("SETRANGE", "n", "0", "7");
        enc("n");
        o.same("SETRANGE", "fresh", "2", "ab");
        enc("fresh");
        o.same("APPEND", "new", "5");
        enc("new");
        o.same("SET", "i", "5");
        o.same("SETBIT", "i", "1", "0"); // the bit is 0 already: still made raw
        enc("i");
        o.same("SET", "j", "5");
        o.same("BITFIELD", "j", "GET", "u8", "0");
        enc("j");
        o.same("BITFIELD", "j", "SET", "u8", "0", "255");
        enc("j");
        o.same("INCRBYFLOAT", "f", "1");
        enc("f");
        o.same("INCR", "f");
        enc("f");
        o.same("SET", "a{t}", "1");
        o.same("BITOP", "AND", "d{t}", "a{t}", "a{t}");
        enc("d{t}");
        o.same("COPY", "n", "n2");
        enc("n2");
        o.same("SET", "shared", "5");
        o.same("COPY", "shared", "copied");
        o.same("OBJECT", "REFCOUNT", "copied"); // Redis duplicates it: not the shared integer
        enc("copied");
        o.same("RENAME", "shared", "renamed");
        o.same("OBJECT", "REFCOUNT", "renamed");
        o.same("RENAME", "j", "j2");
        enc("j2");
    }

    @Test
    void shouldKeepCollectionEncodingHistoryAsRedis() throws IOException {
        Oracle o = oracle;
        o.same("SADD", "s1{t}", "1", "2", "3");
        o.same("SADD", "s2{t}", "1", "2", "3", "a");
        o.same("SREM", "s2{t}", "a");
        enc("s1{t}");
        enc("s2{t}");
        o.sameUnordered(false, "SINTER", "s1{t}", "s2{t}");
        o.same("SINTERSTORE", "d{t}", "s2{t}", "s2{t}");
        enc("d{t}");
        o.same("SUNIONSTORE", "u{t}", "s1{t}", "s2{t}");
        enc("u{t}");
        String[] many = new String[602];
        many[0] = "SADD";
        many[1] = "big";
        for (int i = 0; i < 600; i++) {
            many[i + 2] = Integer.toString(i);
        }
        o.same(many);
        many[0] = "SREM";
        o.same(java.util.Arrays.copyOf(many, 600));
        enc("big");
        o.both("SPOP", "big"); // a random member each
        o.same("SCARD", "big");
        enc("big");

        o.same("ZADD", "zl", "1", "a", "2", "b");
        o.same("SORT", "zl", "BY", "nosort");
        enc("zl");
        String[] members = new String[402];
        members[0] = "ZADD";
        members[1] = "z{t}";
        for (int i = 0; i < 200; i++) {
            members[2 + 2 * i] = Integer.toString(i);
            members[3 + 2 * i] = "m" + i;
        }
        o.same(members);
        o.same("ZREMRANGEBYRANK", "z{t}", "2", "-1");
        enc("z{t}");
        o.same("ZUNIONSTORE", "zu{t}", "1", "z{t}");
        enc("zu{t}");
        o.same("ZRANGESTORE", "zr{t}", "z{t}", "0", "-1");
        enc("zr{t}");
        o.same("COPY", "z{t}", "zc{t}");
        enc("zc{t}");
        o.same("RENAME", "zc{t}", "zd{t}");
        enc("zd{t}");

        o.same("HSET", "h", "f", "1");
        o.same("HINCRBYFLOAT", "h", "f", "1e300");
        enc("h");
        o.same("CONFIG", "SET", "hash-max-listpack-value", "3");
        o.same("HSET", "h5", "f", "1");
        o.same("HSETNX", "h5", "f", "longvalue"); // stores nothing: stays listpack
        enc("h5");
        o.same("CONFIG", "SET", "hash-max-listpack-value", "64");
        o.same("HSET", "h2", "f", "x".repeat(65));
        o.same("HDEL", "h2", "f");
        o.same("HSET", "h2", "f", "1");
        enc("h2");
    }

    @Test
    void shouldFollowTheEncodingLimitsConfigSetLeaves() throws IOException {
        Oracle o = oracle;
        try {
            o.same("CONFIG", "SET", "zset-max-ziplist-entries", "0");
            o.same("ZADD", "z", "1", "a");
            enc("z");
            o.same("CONFIG", "SET", "zset-max-ziplist-entries", "128");
            o.same("ZADD", "z", "2", "b");
            o.same("ZADD", "z2", "2", "b");
            enc("z");
            enc("z2");
            o.same("CONFIG", "SET", "zset-max-listpack-value", "3");
            o.same("ZADD", "z3", "1", "abcd");
            o.same("ZADD", "z4", "1", "abc");
            enc("z3");
            enc("z4");
            o.same("CONFIG", "SET", "set-max-intset-entries", "2");
            o.same("SADD", "s", "1", "2");
            o.same("SADD", "s3", "1", "2", "3");
            enc("s");
            enc("s3");
            o.same("CONFIG", "SET", "hash-max-ziplist-entries", "1", "hash-max-listpack-value", "2");
            o.same("HSET", "h", "a", "1");
            o.same("HSET", "h2", "a", "1", "b", "2");
            o.same("HDEL", "h2", "b");
            o.same("HSET", "h3", "a", "abc");
            enc("h");
            enc("h2");
            enc("h3");
        } finally {
            o.same("CONFIG", "SET", "zset-max-listpack-entries", "128", "zset-max-listpack-value", "64",
                    "set-max-intset-entries", "512", "hash-max-listpack-entries", "512", "hash-max-listpack-value", "64");
        }
    }

    @Test
    void shouldLeaveIdleTimeToTheCommandsThatTouchAKey() throws IOException, InterruptedException {
        Oracle o = oracle;
        o.same("SET", "k", "v");
        o.same("SET", "k2", "v");
        Thread.sleep(2_100);
        o.same("TTL", "k");
        o.same("TYPE", "k");
        o.same("EXISTS", "k");
        o.same("OBJECT", "ENCODING", "k");
        for (String idle : o.both("OBJECT", "IDLETIME", "k")) {
            assertTrue(Long.parseLong(idle.substring(1).trim()) >= 2, "at least 2 s idle: " + idle);
        }
        o.same("TOUCH", "k", "nope");
        o.same("GET", "k2");
        String[] after = o.both("OBJECT", "IDLETIME", "k");
        String[] after2 = o.both("OBJECT", "IDLETIME", "k2");
        for (String idle : List.of(after[0], after[1], after2[0], after2[1])) {
            assertTrue(idle.equals(":0\r\n") || idle.equals(":1\r\n"), "just touched: " + idle);
        }
    }
}
