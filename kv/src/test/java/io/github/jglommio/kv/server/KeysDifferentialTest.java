package io.github.jglommio.kv.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The generic key commands against redis-server 7.0, byte for byte: DEL, UNLINK, EXISTS, TOUCH,
 * TYPE, the EXPIRE and TTL families, PERSIST, RENAME, RENAMENX, COPY, KEYS, SCAN, RANDOMKEY,
 * DBSIZE (OBJECT is in {@link ObjectDifferentialTest}). Single-key and split multi-key commands run on 3 shards; the atomic ones
 * (RENAME, RENAMENX, COPY) on 1 shard, plus once on 3 shards with keys of one shard.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KeysDifferentialTest {
    @TempDir
    static Path dir;
    private static Oracle three;
    private static Oracle one;

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(Oracle.available(), Oracle.MISSING);
        three = Oracle.start(Files.createDirectories(dir.resolve("three")), 3);
        one = Oracle.start(Files.createDirectories(dir.resolve("one")), 1);
    }

    @AfterAll
    static void stop() throws IOException {
        if (three != null) {
            three.close();
        }
        if (one != null) {
            one.close();
        }
    }

    @BeforeEach
    void flush() throws IOException {
        three.flush();
        one.flush();
    }

    /** One value of every type under {@code prefix + type}. */
    private static void fill(Oracle o, String prefix) throws IOException {
        o.same("SET", prefix + "string", "v");
        o.same("RPUSH", prefix + "list", "a", "b", "c");
        o.same("SADD", prefix + "set", "x", "y");
        o.same("HSET", prefix + "hash", "f", "1", "g", "2");
        o.same("ZADD", prefix + "zset", "1", "m", "2", "n");
    }

    @Test
    void shouldCountDeleteAndTouchKeysAcrossShards() throws IOException {
        three.same("MSET", "a", "1", "b", "2", "c", "3", "d", "4");
        three.same("EXISTS", "a", "b", "c", "d", "e", "a");
        three.same("TOUCH", "a", "b", "nope", "a");
        three.same("TOUCH", "nope");
        three.same("DEL", "a", "nope", "b", "a");
        three.same("EXISTS", "a", "b", "c");
        three.same("UNLINK", "c", "d", "c");
        three.same("UNLINK", "c");
        three.same("DEL", "nope");
        three.same("DBSIZE");
        for (String cmd : List.of("DEL", "UNLINK", "EXISTS", "TOUCH", "TYPE", "TTL", "PTTL", "EXPIRETIME",
                "PEXPIRETIME", "PERSIST", "EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT", "KEYS", "SCAN", "RENAME",
                "RENAMENX", "COPY", "OBJECT")) {
            three.same(cmd);
        }
        three.same("TYPE", "a", "b");
        three.same("TTL", "a", "b");
        three.same("EXPIRE", "a");
        three.same("DBSIZE", "x");
        three.same("RANDOMKEY", "x");
        three.same("RENAME", "a");
        three.same("COPY", "a");
    }

    @Test
    void shouldNameEveryType() throws IOException {
        fill(three, "");
        for (String k : List.of("string", "list", "set", "hash", "zset", "nope")) {
            three.same("TYPE", k);
        }
        three.same("DBSIZE");
    }

    @Test
    void shouldExpireWithEveryOption() throws IOException {
        three.same("SET", "k", "v");
        three.same("EXPIRE", "k", "100", "XX");
        three.same("EXPIRE", "k", "100", "GT");
        three.same("EXPIRE", "k", "100", "LT");
        three.same("PERSIST", "k");
        three.same("EXPIRE", "k", "1000", "NX");
        three.same("EXPIRE", "k", "2000", "NX");
        three.same("EXPIRE", "k", "500", "GT");
        three.same("EXPIRE", "k", "500", "gt", "xx");
        three.same("EXPIRE", "k", "3000", "GT");
        three.same("EXPIRE", "k", "4000", "LT");
        three.same("PEXPIRE", "k", "2000000", "lt");
        three.same("PEXPIRE", "k", "2000000", "XX", "LT");
        three.same("EXPIREAT", "k", "99999999999", "GT");
        three.same("PEXPIRETIME", "k");
        three.same("EXPIRETIME", "k");
        three.same("PEXPIREAT", "k", "99999999999500", "LT");
        three.same("EXPIRETIME", "k"); // rounded to the nearest second
        three.same("PEXPIRETIME", "k");
        three.same("PEXPIREAT", "k", "99999999999499");
        three.same("EXPIRETIME", "k");
        three.same("PERSIST", "k");
        three.same("PERSIST", "k");
        three.same("PERSIST", "nope");
        three.same("EXPIRETIME", "k");
        three.same("PEXPIRETIME", "nope");
        three.same("EXPIRE", "nope", "100");
        three.same("EXPIRE", "nope", "100", "NX");
        three.same("PEXPIREAT", "nope", "1");
    }

    @Test
    void shouldAnswerExpireErrorsInRedisOrder() throws IOException {
        three.same("SET", "k", "v");
        three.same("EXPIRE", "k", "abc");
        three.same("EXPIRE", "k", "abc", "FOO");
        three.same("EXPIRE", "k", "abc", "NX", "XX");
        three.same("EXPIRE", "nope", "abc");
        three.same("EXPIRE", "k", "10", "NX", "XX");
        three.same("EXPIRE", "k", "10", "NX", "GT");
        three.same("EXPIRE", "k", "10", "lt", "NX");
        three.same("EXPIRE", "k", "10", "GT", "LT");
        three.same("EXPIRE", "k", "10", "GT", "LT", "NX");
        three.same("EXPIRE", "k", "10", "NX", "NX");
        three.same("PEXPIRE", "k", "10", "bogus");
        three.same("EXPIRE", "k", "1.5");
        three.same("EXPIRE", "k", "9223372036854775807");
        three.same("EXPIRE", "k", "-9223372036854775808");
        three.same("EXPIREAT", "k", "9223372036854775807");
        three.same("PEXPIRE", "k", "9223372036854775807");
        three.same("PEXPIREAT", "k", "9223372036854775807");
        three.same("EXPIRE", "k", "9223372036854775808");
        three.same("TTL", "k");
    }

    @Test
    void shouldDeleteKeysWhoseNewExpiryHasPassed() throws IOException {
        fill(three, "");
        three.same("EXPIRE", "string", "-1");
        three.same("PEXPIRE", "list", "0");
        three.same("EXPIREAT", "set", "1");
        three.same("PEXPIREAT", "hash", "-5");
        three.same("EXPIRE", "zset", "-10", "NX");
        three.same("EXISTS", "string", "list", "set", "hash", "zset");
        three.same("DBSIZE");
    }

    @Test
    void shouldReportTimeToLive() throws IOException {
        three.same("SET", "k", "v");
        three.same("TTL", "k");
        three.same("PTTL", "k");
        three.same("TTL", "nope");
        three.same("PTTL", "nope");
        three.same("EXPIRE", "k", "1000");
        // The time left moves between the two servers' replies: compare within a second.
        String[] ttl = three.both("TTL", "k");
        for (String r : ttl) {
            long v = integer(r);
            assertTrue(v >= 999 && v <= 1000, r);
        }
        String[] pttl = three.both("PTTL", "k");
        for (String r : pttl) {
            long v = integer(r);
            assertTrue(v > 990_000 && v <= 1_000_000, r);
        }
        three.same("SET", "k", "v", "KEEPTTL");
        assertNotEquals(":-1\r\n", three.both("TTL", "k")[1]);
        three.same("SET", "k", "v");
        three.same("TTL", "k");
    }

    private static long integer(String reply) {
        assertTrue(reply.startsWith(":"), reply);
        return Long.parseLong(reply.substring(1, reply.length() - 2));
    }

    @Test
    void shouldRenameKeepingTheExpiryTime() throws IOException {
        Oracle o = one;
        fill(o, "");
        o.same("PEXPIREAT", "list", "99999999999123");
        o.same("RENAME", "list", "list2");
        o.same("PEXPIRETIME", "list2");
        o.same("EXISTS", "list");
        o.same("LRANGE", "list2", "0", "-1");
        o.same("EXPIRE", "string", "99999999", "NX");
        // Onto a key of another type with its own expiry: the destination is replaced.
        o.same("RENAME", "hash", "string");
        o.same("TYPE", "string");
        o.same("TTL", "string");
        o.same("HGETALL", "string");
        o.same("RENAME", "zset", "zset");
        o.same("ZRANGE", "zset", "0", "-1", "WITHSCORES");
        o.same("RENAME", "nope", "x");
        o.same("RENAME", "nope", "nope");
        o.same("RENAMENX", "nope", "x");
        o.same("RENAMENX", "nope", "nope");
        o.same("RENAMENX", "zset", "zset");
        o.same("RENAMENX", "zset", "set");
        o.same("RENAMENX", "zset", "fresh");
        o.same("TYPE", "zset");
        o.same("ZRANGE", "fresh", "0", "-1", "WITHSCORES");
        o.same("RENAMENX", "fresh", "zset");
        o.sameUnordered(false, "KEYS", "*");
        o.same("DBSIZE");
    }

    @Test
    void shouldCopyEveryTypeIndependently() throws IOException {
        Oracle o = one;
        fill(o, "");
        o.same("PEXPIREAT", "set", "99999999999777");
        for (String t : List.of("string", "list", "set", "hash", "zset")) {
            o.same("COPY", t, t + "2");
            o.same("TYPE", t + "2");
        }
        o.same("PEXPIRETIME", "set2");
        o.same("PEXPIRETIME", "list2");
        // Changing a copy leaves the original alone.
        o.same("APPEND", "string2", "w");
        o.same("RPUSH", "list2", "d");
        o.same("SADD", "set2", "z");
        o.same("HSET", "hash2", "h", "3");
        o.same("ZADD", "zset2", "3", "o");
        o.same("GET", "string");
        o.same("GET", "string2");
        o.same("LRANGE", "list", "0", "-1");
        o.same("LRANGE", "list2", "0", "-1");
        o.sameUnordered(false, "SMEMBERS", "set");
        o.sameUnordered(false, "SMEMBERS", "set2");
        o.sameUnordered(true, "HGETALL", "hash");
        o.sameUnordered(true, "HGETALL", "hash2");
        o.same("ZRANGE", "zset", "0", "-1", "WITHSCORES");
        o.same("ZRANGE", "zset2", "0", "-1", "WITHSCORES");
    }

    @Test
    void shouldCopyWithReplaceAndDbOptions() throws IOException {
        Oracle o = one;
        o.same("SET", "a", "1");
        o.same("SET", "b", "2");
        o.same("EXPIRE", "b", "1000");
        o.same("COPY", "a", "b");
        o.same("GET", "b");
        o.same("COPY", "a", "b", "REPLACE");
        o.same("GET", "b");
        o.same("TTL", "b");
        o.same("COPY", "a", "c", "DB", "0");
        o.same("COPY", "a", "c", "db", "0", "replace", "DB", "0");
        o.same("COPY", "a", "d", "replace", "replace");
        o.same("COPY", "a", "a");
        o.same("COPY", "nope", "nope");
        o.same("COPY", "nope", "x");
        o.same("COPY", "nope", "x", "REPLACE");
        o.same("COPY", "a", "b", "DB");
        o.same("COPY", "a", "b", "FOO");
        o.same("COPY", "a", "b", "DB", "x");
        o.same("COPY", "a", "b", "DB", "1.5");
        o.same("COPY", "a", "b", "DB", "4294967296");
        o.same("COPY", "a", "b", "DB", "-2147483649");
        o.same("COPY", "a", "b", "DB", "99");
        o.same("COPY", "a", "b", "DB", "-1");
        o.same("COPY", "a", "b", "DB", "99", "FOO");
        o.same("COPY", "a", "b", "FOO", "DB", "99");
        o.same("COPY", "a", "a", "DB", "99");
        o.same("COPY", "nope", "x", "DB", "99");
        o.same("SET", "s", "v");
        o.same("COPY", "s", "list");
        o.same("DBSIZE");
        // Into the other databases (more in DatabasesDifferentialTest).
        o.same("COPY", "a", "z", "DB", "1");
        o.same("COPY", "a", "a", "DB", "15");
        o.same("COPY", "a", "a", "DB", "15");
    }

    @Test
    void shouldRunRenameAndCopyOnThreeShardsWhenTheKeysShareOne() throws IOException {
        List<String> keys = sameShard(3, 4);
        String a = keys.get(0);
        String b = keys.get(1);
        String c = keys.get(2);
        String d = keys.get(3);
        three.same("RPUSH", a, "1", "2");
        three.same("EXPIRE", a, "5000");
        three.same("RENAME", a, b);
        three.same("LRANGE", b, "0", "-1");
        three.same("TTL", b);
        three.same("RENAMENX", b, c);
        three.same("COPY", c, d);
        three.same("COPY", c, d);
        three.same("COPY", c, d, "REPLACE");
        three.same("LRANGE", d, "0", "-1");
        three.same("EXISTS", a, b, c, d);
    }

    /** {@code n} keys that live on one shard of {@code shards}. */
    static List<String> sameShard(int shards, int n) {
        List<String> out = new ArrayList<>();
        int shard = KeyHash.shardOf("k0".getBytes(StandardCharsets.UTF_8), shards);
        for (int i = 0; out.size() < n; i++) {
            String k = "k" + i;
            if (KeyHash.shardOf(k.getBytes(StandardCharsets.UTF_8), shards) == shard) {
                out.add(k);
            }
        }
        return out;
    }

    @Test
    void shouldListKeysByPattern() throws IOException {
        three.same("KEYS", "*");
        for (int i = 0; i < 30; i++) {
            three.same("SET", "user:" + i, "v");
        }
        fill(three, "obj:");
        for (String p : List.of("*", "user:*", "user:?", "user:[12]*", "obj:*[st]", "obj:\\*", "nomatch*", "*:1*",
                "user:[^1]", "[a-z]*:h*")) {
            three.sameUnordered(false, "KEYS", p);
        }
        three.same("DBSIZE");
    }

    @Test
    void shouldScanEveryKeyWithMatchCountAndType() throws IOException {
        for (int i = 0; i < 60; i++) {
            three.same("SET", "s" + i, "v");
        }
        fill(three, "t:");
        assertEquals(scanAll(three, 0), scanAll(three, 1));
        assertEquals(scanAll(three, 0, "MATCH", "s1*"), scanAll(three, 1, "MATCH", "s1*"));
        assertEquals(scanAll(three, 0, "COUNT", "3", "MATCH", "t:*"), scanAll(three, 1, "COUNT", "3", "MATCH", "t:*"));
        for (String type : List.of("string", "LIST", "set", "hash", "zset", "stream", "nosuchtype")) {
            assertEquals(scanAll(three, 0, "TYPE", type), scanAll(three, 1, "TYPE", type), type);
        }
        assertEquals(scanAll(three, 0, "MATCH", "*", "COUNT", "1000", "TYPE", "string", "MATCH", "t:*"),
                scanAll(three, 1, "MATCH", "*", "COUNT", "1000", "TYPE", "string", "MATCH", "t:*"));
        three.flush();
        assertEquals(new TreeSet<String>(), scanAll(three, 1));
        // On one shard a small keyspace is one step that ends the scan, as in Redis. (On several,
        // each shard is a step of its own, so an empty one still hands the cursor on.)
        one.same("SCAN", "0");
        one.same("SCAN", "0", "MATCH", "*", "COUNT", "5", "TYPE", "string");
        one.same("SET", "a", "1");
        one.same("SET", "b", "1");
        one.same("RPUSH", "c", "1");
        one.sameUnordered(false, "SCAN", "0");
        one.same("SCAN", "0", "TYPE", "list");
        one.same("SCAN", "0", "MATCH", "b");
    }

    @Test
    void shouldRefuseBadScanArguments() throws IOException {
        three.same("SET", "a", "1");
        for (String[] bad : List.of(
                new String[] {"SCAN", "abc"}, new String[] {"SCAN", "0x"}, new String[] {"SCAN", " 0"},
                new String[] {"SCAN", "18446744073709551616"}, new String[] {"SCAN", "1.5"},
                new String[] {"SCAN", "abc", "COUNT", "x"},
                new String[] {"SCAN", "0", "COUNT", "0"}, new String[] {"SCAN", "0", "COUNT", "-1"},
                new String[] {"SCAN", "0", "COUNT", "abc"}, new String[] {"SCAN", "0", "COUNT"},
                new String[] {"SCAN", "0", "MATCH"}, new String[] {"SCAN", "0", "TYPE"},
                new String[] {"SCAN", "0", "FOO"}, new String[] {"SCAN", "0", "FOO", "bar"},
                new String[] {"SCAN", "0", "COUNT", "5", "FOO"}, new String[] {"SCAN", "0", "MATCH", "x", "COUNT"},
                new String[] {"SCAN", "0", "COUNT", "abc", "MATCH"})) {
            three.same(bad);
        }
    }

    /** Every key a full SCAN returns on {@code which} (0 = redis, 1 = ours), sorted. */
    private static TreeSet<String> scanAll(Oracle o, int which, String... options) throws IOException {
        TreeSet<String> keys = new TreeSet<>();
        String cursor = "0";
        int steps = 0;
        do {
            String[] args = new String[2 + options.length];
            args[0] = "SCAN";
            args[1] = cursor;
            System.arraycopy(options, 0, args, 2, options.length);
            String reply = o.both(args)[which];
            List<String> lines = List.of(reply.split("\r\n"));
            assertEquals("*2", lines.get(0), reply);
            cursor = lines.get(2);
            assertTrue(lines.get(3).startsWith("*"), reply);
            for (int i = 5; i < lines.size(); i += 2) {
                assertTrue(keys.add(lines.get(i)), "returned twice: " + lines.get(i));
            }
            assertTrue(++steps < 10_000, "SCAN does not end");
        } while (!cursor.equals("0"));
        return keys;
    }

    @Test
    void shouldPickARandomKey() throws IOException {
        three.same("RANDOMKEY");
        three.same("SET", "only", "v");
        three.same("RANDOMKEY");
        three.same("SET", "other", "v");
        String mine = three.both("RANDOMKEY")[1];
        assertTrue(mine.equals("$4\r\nonly\r\n") || mine.equals("$5\r\nother\r\n"), mine);
    }

    @Test
    void shouldDescribeTheCommandsAsRedis() throws IOException {
        for (String name : List.of("del", "unlink", "exists", "touch", "type", "expire", "pexpire", "expireat",
                "pexpireat", "ttl", "pttl", "expiretime", "pexpiretime", "persist", "rename", "renamenx", "copy",
                "sort", "sort_ro", "randomkey", "keys", "scan", "dbsize", "object")) {
            String[] info = three.both("COMMAND", "INFO", name);
            assertEquals(head(info[0]), head(info[1]), name);
        }
    }

    /** Name, arity, flags and first, last and step key of a one-command COMMAND INFO reply. */
    private static List<String> head(String reply) {
        List<String> lines = List.of(reply.split("\r\n"));
        int flags = Integer.parseInt(lines.get(5).substring(1));
        return lines.subList(0, 6 + flags + 3);
    }
}
