package io.github.jglommio.kv.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Every hash command against redis-server 7.0, with 3 shards: replies byte for byte. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HashesDifferentialTest {
    @TempDir
    static Path dir;
    private static Oracle oracle;
    private static RespClient redis;
    private static RespClient ours;

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(Oracle.available(), Oracle.MISSING);
        oracle = Oracle.start(dir, 3);
        redis = Replies.redisClient(oracle);
        ours = new RespClient(oracle.ours().port());
    }

    @AfterAll
    static void stop() throws IOException {
        if (oracle != null) {
            redis.close();
            ours.close();
            oracle.close();
        }
    }

    @BeforeEach
    void flush() throws IOException {
        oracle.flush();
    }

    private static void same(String... args) throws IOException {
        oracle.same(args);
    }

    /** HSET of {@code n} fields f0..f(n-1) with values v0.., in one command. */
    private static void fill(String key, int n, String valuePrefix) throws IOException {
        List<String> args = new ArrayList<>(List.of("HSET", key));
        for (int i = 0; i < n; i++) {
            args.add("f" + i);
            args.add(valuePrefix + i);
        }
        same(args.toArray(String[]::new));
    }

    @Test
    void shouldDescribeEveryHashCommandAsRedis() throws IOException {
        for (String name : List.of("hset", "hsetnx", "hmset", "hget", "hmget", "hgetall", "hdel", "hlen", "hexists",
                "hkeys", "hvals", "hstrlen", "hincrby", "hincrbyfloat", "hrandfield", "hscan")) {
            String[] replies = oracle.both("COMMAND", "INFO", name);
            // Name, arity, flags, first key, last key, step; ACL categories and the rest aside.
            assertEquals(head(replies[0]), head(replies[1]), name);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Object> head(String reply) {
        List<Object> entry = (List<Object>) ((List<Object>) Replies.parse(reply)).get(0);
        return entry.subList(0, 6);
    }

    @Test
    void shouldAnswerWrongArityAsRedis() throws IOException {
        String[][] requests = {
            {"HSET", "h"}, {"HSET", "h", "f"}, {"HSET", "h", "f", "v", "g"}, {"HMSET", "h", "f"},
            {"HMSET", "h", "f", "v", "g"}, {"HSETNX", "h", "f"}, {"HSETNX", "h", "f", "v", "x"}, {"HGET", "h"},
            {"HMGET", "h"}, {"HGETALL"}, {"HGETALL", "h", "x"}, {"HDEL", "h"}, {"HLEN"}, {"HEXISTS", "h"},
            {"HKEYS"}, {"HVALS", "h", "x"}, {"HSTRLEN", "h"}, {"HINCRBY", "h", "f"}, {"HINCRBYFLOAT", "h", "f"},
            {"HRANDFIELD"}, {"HSCAN", "h"},
        };
        oracle.same(requests);
        same("SET", "str", "x");
        same("HSET", "str", "f", "v", "g"); // arity before type
    }

    @Test
    void shouldSetAndReadFieldsAsRedis() throws IOException {
        same("HSET", "h", "b", "1", "a", "2", "c", "3");
        same("HSET", "h", "a", "9", "d", "4", "a", "10"); // a field twice in one command
        same("HMSET", "h", "e", "5", "b", "11");
        same("HSETNX", "h", "e", "new");
        same("HSETNX", "h", "z", "26");
        same("HSETNX", "fresh", "f", "v");
        same("HGET", "h", "a");
        same("HGET", "h", "nope");
        same("HMGET", "h", "a", "nope", "z", "a");
        same("HLEN", "h");
        same("HEXISTS", "h", "z");
        same("HEXISTS", "h", "nope");
        same("HSTRLEN", "h", "a");
        same("HSTRLEN", "h", "nope");
        same("HSET", "h", "empty", "");
        same("HGET", "h", "empty");
        same("HSTRLEN", "h", "empty");
        same("HGETALL", "h");
        same("HKEYS", "h");
        same("HVALS", "h");
        same("HDEL", "h", "a", "nope", "a", "b");
        same("HDEL", "h", "nope");
        same("HGETALL", "h");
        same("HSET", "h", "a", "back"); // appended at the end again, as in a listpack
        same("HGETALL", "h");
        same("HDEL", "fresh", "f");
        same("EXISTS", "fresh");
        same("HLEN", "fresh");
    }

    @Test
    void shouldAnswerMissingKeysAndWrongTypesAsRedis() throws IOException {
        same("SET", "str", "x");
        String[][] reads = {
            {"HGET", "%s", "f"}, {"HMGET", "%s", "f", "g"}, {"HGETALL", "%s"}, {"HKEYS", "%s"}, {"HVALS", "%s"},
            {"HLEN", "%s"}, {"HEXISTS", "%s", "f"}, {"HSTRLEN", "%s", "f"}, {"HDEL", "%s", "f"},
            {"HRANDFIELD", "%s"}, {"HRANDFIELD", "%s", "3"}, {"HRANDFIELD", "%s", "-3", "WITHVALUES"},
            {"HRANDFIELD", "%s", "0"}, {"HSCAN", "%s", "0"}, {"HSET", "%s", "f", "v"}, {"HMSET", "%s", "f", "v"},
            {"HSETNX", "%s", "f", "v"}, {"HINCRBY", "%s", "f", "1"}, {"HINCRBYFLOAT", "%s", "f", "1"},
        };
        for (String key : List.of("missing", "str")) {
            for (String[] r : reads) {
                String[] args = r.clone();
                args[1] = key;
                same(args);
                same("DEL", "missing"); // the writes create it
            }
        }
        same("KEYS", "*");
    }

    @Test
    void shouldIncrementIntegersAsRedis() throws IOException {
        same("HINCRBY", "h", "n", "5");
        same("HINCRBY", "h", "n", "-12");
        same("HINCRBY", "h", "n", "0");
        same("HINCRBY", "h", "n", "x");
        same("HINCRBY", "h", "n", "1.5");
        same("HINCRBY", "h", "n", "+1");
        same("HINCRBY", "h", "n", " 1");
        same("HINCRBY", "h", "n", "99999999999999999999");
        same("HSET", "h", "max", "9223372036854775807", "min", "-9223372036854775808");
        same("HINCRBY", "h", "max", "1");
        same("HINCRBY", "h", "max", "-1");
        same("HINCRBY", "h", "min", "-1");
        same("HINCRBY", "h", "min", "9223372036854775807");
        same("HINCRBY", "h", "z", "-9223372036854775808");
        for (String stored : List.of("abc", "1.0", "+1", "01", " 1", "1 ", "", "-0", "0x10")) {
            same("HSET", "h", "s", stored);
            same("HINCRBY", "h", "s", "1");
        }
        same("HGETALL", "h");
    }

    @Test
    void shouldIncrementFloatsInRedisLongDoubleArithmetic() throws IOException {
        String[] increments = {"0.1", "0.2", "1.1", "-3.3", "1e3", "3.0e3", "-0", "0x1p-2", "0x.8", ".5", "5.",
            "+.5e+1", "1.23456789012345678", "12345678901234567890123", "9223372036854775807", "1e-20",
            "-1e-20", "0.000003814697265625", "1e300", "1e4931", "1E-3", "0X1P3", "7"};
        for (String by : increments) {
            same("HINCRBYFLOAT", "h", "acc", by);
            same("HINCRBYFLOAT", "h", "f" + by, by);
        }
        String[] invalid = {"x", "", "nan", "-nan", "inf", "-infinity", "Infinity", "1e", "0x", "0x1p", ".", "1..2",
            " 1", "1 ", "1e99999", "1e-99999", "1,5"};
        for (String by : invalid) {
            same("HINCRBYFLOAT", "h", "acc", by);
        }
        same("HSET", "big", "f", "1e4932");
        same("HINCRBYFLOAT", "big", "f", "1e4932");
        for (String stored : List.of("inf", "-inf", "nan", "abc", " 1", "1e", "3.0e3", "0x10", "-0", "1e-4950",
                "1e4933", "12345678901234567890")) {
            same("HSET", "h", "s", stored);
            same("HINCRBYFLOAT", "h", "s", "1.5");
            same("HGET", "h", "s");
        }
        // Values longer than 64 bytes made it a hash table in Redis: no order to match.
        oracle.sameUnordered(true, "HGETALL", "h");
    }

    @Test
    void shouldChooseRandomFieldsAsRedisDoes() throws IOException {
        same("HSET", "h", "a", "1", "b", "2", "c", "3", "d", "4", "e", "5");
        Map<String, String> hash = Map.of("a", "1", "b", "2", "c", "3", "d", "4", "e", "5");
        // Errors, in Redis's order of checks.
        same("HRANDFIELD", "h", "x");
        same("HRANDFIELD", "h", "-9223372036854775808");
        same("HRANDFIELD", "h", "1", "WITHVALUE");
        same("HRANDFIELD", "h", "1", "WITHVALUES", "x");
        same("HRANDFIELD", "h", "x", "WITHVALUES", "x");
        same("HRANDFIELD", "h", "4611686018427387904", "WITHVALUES");
        same("HRANDFIELD", "h", "-4611686018427387904", "withvalues");
        same("HRANDFIELD", "missing", "4611686018427387903", "WITHVALUES");
        same("HRANDFIELD", "h", "0");
        same("HRANDFIELD", "h", "0", "WITHVALUES");
        // The whole hash, in its order.
        same("HRANDFIELD", "h", "5");
        same("HRANDFIELD", "h", "100", "WITHVALUES");
        for (int round = 0; round < 20; round++) {
            String[] one = oracle.both("HRANDFIELD", "h");
            for (String reply : one) {
                assertTrue(hash.containsKey((String) Replies.parse(reply)), reply);
            }
            for (String count : List.of("1", "2", "4", "-1", "-3", "-12")) {
                String[] r = oracle.both("HRANDFIELD", "h", count, "WITHVALUES");
                for (String reply : r) {
                    List<String> items = Replies.strings(reply);
                    int n = Math.abs(Integer.parseInt(count));
                    assertEquals(2 * n, items.size(), reply);
                    Set<String> fields = new HashSet<>();
                    for (int i = 0; i < items.size(); i += 2) {
                        assertEquals(hash.get(items.get(i)), items.get(i + 1), reply);
                        fields.add(items.get(i));
                    }
                    if (count.charAt(0) != '-') {
                        assertEquals(n, fields.size(), () -> "distinct fields: " + reply);
                    }
                }
                String[] plain = oracle.both("HRANDFIELD", "h", count);
                assertEquals(Replies.strings(plain[0]).size(), Replies.strings(plain[1]).size());
            }
        }
    }

    @Test
    void shouldScanSmallHashesInOneStepAsRedis() throws IOException {
        same("HSET", "h", "b", "1", "a", "2", "c", "3", "ab", "4");
        for (String cursor : List.of("0", "", "+0", "-1", "007", "12345", "18446744073709551615",
                "-18446744073709551615", "abc", "+", "-", " 1", "1 ", "18446744073709551616", "0x10", "1.5")) {
            same("HSCAN", "h", cursor);
        }
        same("HSCAN", "h", "0", "MATCH", "a*");
        same("HSCAN", "h", "0", "match", "[ab]", "COUNT", "1");
        same("HSCAN", "h", "0", "MATCH", "*");
        same("HSCAN", "h", "0", "MATCH", "nothing", "MATCH", "a");
        same("HSCAN", "h", "0", "COUNT", "0");
        same("HSCAN", "h", "0", "COUNT", "-1");
        same("HSCAN", "h", "0", "COUNT", "x");
        same("HSCAN", "h", "0", "COUNT");
        same("HSCAN", "h", "0", "MATCH");
        same("HSCAN", "h", "0", "TYPE", "hash");
        same("HSCAN", "h", "0", "NOVALUES");
        same("HSCAN", "missing", "0", "BOGUS");
        same("HSCAN", "missing", "x");
        same("SET", "str", "v");
        same("HSCAN", "str", "0", "BOGUS");
        same("HSCAN", "str", "x");
        // 128 fields is still a listpack in Redis; a value of 65 bytes is not.
        fill("full", 128, "v");
        same("HSCAN", "full", "0");
        same("HSCAN", "full", "0", "COUNT", "5", "MATCH", "f1*");
    }

    @Test
    void shouldIterateLargeHashesCompletely() throws IOException {
        fill("big", 1000, "value");
        same("HLEN", "big");
        oracle.sameUnordered(true, "HGETALL", "big");
        oracle.sameUnordered(false, "HKEYS", "big");
        oracle.sameUnordered(false, "HVALS", "big");
        fill("long", 20, "x".repeat(70));
        for (String key : List.of("big", "long")) {
            for (String[] options : List.of(new String[0], new String[] {"COUNT", "1"}, new String[] {"COUNT", "7"},
                    new String[] {"COUNT", "100000"}, new String[] {"MATCH", "f1*", "COUNT", "3"})) {
                Map<String, String> theirs = Replies.iterate(redis, false, true, "HSCAN", key, options);
                Map<String, String> mine = Replies.iterate(ours, true, true, "HSCAN", key, options);
                assertEquals(theirs, mine, () -> key + " " + String.join(" ", options));
            }
        }
        String[] whole = oracle.both("HSCAN", "big", "0", "COUNT", "5000");
        assertEquals("0", ((List<?>) Replies.parse(whole[1])).get(0), "a COUNT above the size returns everything at once");
        assertEquals(2000, ((List<?>) ((List<?>) Replies.parse(whole[1])).get(1)).size());
    }

    @Test
    void shouldReturnEveryFieldPresentThroughoutWhileTheHashChanges() throws IOException {
        fill("big", 600, "v");
        Map<String, String> found = new HashMap<>();
        String cursor = "0";
        int step = 0;
        do {
            List<?> reply = (List<?>) Replies.parse(ours.call("HSCAN", "big", cursor, "COUNT", "20"));
            cursor = (String) reply.get(0);
            @SuppressWarnings("unchecked")
            List<String> items = (List<String>) reply.get(1);
            for (int i = 0; i < items.size(); i += 2) {
                assertEquals(null, found.put(items.get(i), items.get(i + 1)), "once");
            }
            // Grow (and rehash) and shrink the hash between steps; f0..f299 stay throughout.
            ours.call("HSET", "big", "new" + step, "x", "more" + step, "y");
            ours.call("HDEL", "big", "f" + (300 + step));
            step++;
        } while (!cursor.equals("0"));
        for (int i = 0; i < 300; i++) {
            assertEquals("v" + i, found.get("f" + i), "f" + i);
        }
    }
}
