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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every set command against redis-server 7.0: single-key commands with 3 shards, the commands that
 * combine keys with 1 shard (and once with 3, keys chosen on one shard), replies byte for byte.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SetsDifferentialTest {
    @TempDir
    static Path dir;
    /** 3 shards. */
    private static Oracle oracle;
    /** 1 shard, for the multi-key commands. */
    private static Oracle single;
    private static RespClient redis;
    private static RespClient ours;

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(Oracle.available(), Oracle.MISSING);
        oracle = Oracle.start(Files.createDirectories(dir.resolve("three")), 3);
        single = Oracle.start(Files.createDirectories(dir.resolve("one")), 1);
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
        if (single != null) {
            single.close();
        }
    }

    @BeforeEach
    void flush() throws IOException {
        oracle.flush();
        single.flush();
    }

    private static void same(String... args) throws IOException {
        oracle.same(args);
    }

    private static void one(String... args) throws IOException {
        single.same(args);
    }

    private static String[] sadd(String key, int from, int to, String prefix) {
        List<String> args = new ArrayList<>(List.of("SADD", key));
        for (int i = from; i < to; i++) {
            args.add(prefix + i);
        }
        return args.toArray(String[]::new);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> head(String reply) {
        List<Object> entry = (List<Object>) ((List<Object>) Replies.parse(reply)).get(0);
        return entry.subList(0, 6);
    }

    @Test
    void shouldDescribeEverySetCommandAsRedis() throws IOException {
        for (String name : List.of("sadd", "srem", "smembers", "sismember", "smismember", "scard", "spop",
                "srandmember", "sinter", "sintercard", "sunion", "sdiff", "sinterstore", "sunionstore", "sdiffstore",
                "smove", "sscan")) {
            String[] replies = oracle.both("COMMAND", "INFO", name);
            assertEquals(head(replies[0]), head(replies[1]), name);
        }
    }

    @Test
    void shouldAnswerWrongArityAsRedis() throws IOException {
        String[][] requests = {
            {"SADD", "s"}, {"SREM", "s"}, {"SMEMBERS"}, {"SMEMBERS", "s", "t"}, {"SISMEMBER", "s"},
            {"SISMEMBER", "s", "a", "b"}, {"SMISMEMBER", "s"}, {"SCARD"}, {"SPOP"}, {"SRANDMEMBER"}, {"SSCAN", "s"},
            {"SMOVE", "s", "t"}, {"SMOVE", "s", "t", "m", "x"},
        };
        oracle.same(requests);
        String[][] multi = {
            {"SINTER"}, {"SUNION"}, {"SDIFF"}, {"SINTERSTORE", "d"}, {"SUNIONSTORE", "d"}, {"SDIFFSTORE", "d"},
            {"SINTERCARD", "1"},
        };
        single.same(multi);
    }

    @Test
    void shouldAddRemoveAndTestMembersAsRedis() throws IOException {
        same("SADD", "s", "b", "a", "c", "a");
        same("SADD", "s", "a");
        same("SCARD", "s");
        same("SISMEMBER", "s", "a");
        same("SISMEMBER", "s", "z");
        same("SMISMEMBER", "s", "a", "z", "c", "a");
        same("SMISMEMBER", "missing", "a", "b");
        same("SREM", "s", "a", "z", "a");
        same("SREM", "s", "z");
        same("SREM", "missing", "z");
        oracle.sameUnordered(false, "SMEMBERS", "s");
        same("SREM", "s", "b", "c");
        same("EXISTS", "s");
        same("SMEMBERS", "missing");
        same("SCARD", "missing");
        same("SISMEMBER", "missing", "a");
        same("SET", "str", "v");
        for (String[] r : new String[][] {{"SADD", "str", "a"}, {"SREM", "str", "a"}, {"SMEMBERS", "str"},
                {"SISMEMBER", "str", "a"}, {"SMISMEMBER", "str", "a"}, {"SCARD", "str"}, {"SPOP", "str"},
                {"SPOP", "str", "2"}, {"SRANDMEMBER", "str"}, {"SRANDMEMBER", "str", "-2"}, {"SSCAN", "str", "0"}}) {
            same(r);
        }
    }

    @Test
    void shouldReplyIntegerSetsInAscendingOrderAsRedis() throws IOException {
        same("SADD", "i", "10", "-3", "5", "9223372036854775807", "-9223372036854775808", "0", "100");
        same("SMEMBERS", "i");
        same("SSCAN", "i", "0");
        same("SSCAN", "i", "12345", "MATCH", "1*", "COUNT", "1");
        same("SRANDMEMBER", "i", "7");
        same("SRANDMEMBER", "i", "100");
        // Not integers as Redis parses them: the set becomes a hash table there.
        same("SADD", "j", "1", "2", "3");
        same("SMEMBERS", "j");
        same("SADD", "j", "01");
        oracle.sameUnordered(false, "SMEMBERS", "j");
        same("SADD", "k", "+1", "2");
        oracle.sameUnordered(false, "SMEMBERS", "k");
        // 512 integers are an intset, 513 are not.
        same(sadd("full", 0, 512, ""));
        same("SMEMBERS", "full");
        same("SSCAN", "full", "0");
        same(sadd("over", 0, 513, ""));
        oracle.sameUnordered(false, "SMEMBERS", "over");
        same("SPOP", "i", "7");
        same("EXISTS", "i");
    }

    @Test
    void shouldPopMembersAsRedis() throws IOException {
        same("SPOP", "s", "x");
        same("SPOP", "s", "-1");
        same("SPOP", "s", "1", "2");
        same("SPOP", "s", "x", "2");
        same("SPOP", "missing");
        same("SPOP", "missing", "0");
        same("SPOP", "missing", "3");
        same(sadd("s", 0, 20, "m"));
        same("SPOP", "s", "0");
        Set<String> all = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            all.add("m" + i);
        }
        for (RespClient c : List.of(redis, ours)) {
            Set<String> left = new HashSet<>(all);
            String popped = (String) Replies.parse(c.call("SPOP", "s"));
            assertTrue(left.remove(popped), popped);
            List<String> three = Replies.strings(c.call("SPOP", "s", "3"));
            assertEquals(3, new HashSet<>(three).size(), three::toString);
            assertTrue(left.containsAll(three), three::toString);
            three.forEach(left::remove);
            assertEquals(left, new HashSet<>(Replies.strings(c.call("SMEMBERS", "s"))));
            List<String> rest = Replies.strings(c.call("SPOP", "s", "100"));
            assertEquals(left, new HashSet<>(rest));
        }
        same("EXISTS", "s");
    }

    @Test
    void shouldChooseRandomMembersAsRedisDoes() throws IOException {
        same("SRANDMEMBER", "missing");
        same("SRANDMEMBER", "missing", "5");
        same("SRANDMEMBER", "missing", "x");
        same(sadd("s", 0, 10, "m"));
        same("SRANDMEMBER", "s", "x");
        same("SRANDMEMBER", "s", "1.5");
        same("SRANDMEMBER", "s", "-9223372036854775808");
        same("SRANDMEMBER", "s", "1", "2");
        same("SRANDMEMBER", "s", "x", "2");
        same("SRANDMEMBER", "s", "0");
        same("SRANDMEMBER", "s", "-0");
        oracle.sameUnordered(false, "SRANDMEMBER", "s", "10");
        oracle.sameUnordered(false, "SRANDMEMBER", "s", "9223372036854775807");
        for (int round = 0; round < 20; round++) {
            for (String count : List.of("1", "3", "9", "-1", "-4", "-25")) {
                for (String reply : oracle.both("SRANDMEMBER", "s", count)) {
                    List<String> items = Replies.strings(reply);
                    int n = Math.abs(Integer.parseInt(count));
                    assertEquals(n, items.size(), reply);
                    items.forEach(m -> assertTrue(m.matches("m\\d"), reply));
                    if (count.charAt(0) != '-') {
                        assertEquals(n, new HashSet<>(items).size(), () -> "distinct: " + reply);
                    }
                }
            }
            for (String reply : oracle.both("SRANDMEMBER", "s")) {
                assertTrue(((String) Replies.parse(reply)).matches("m\\d"), reply);
            }
        }
        same("SCARD", "s");
    }

    @Test
    void shouldScanSetsAsRedis() throws IOException {
        same("SSCAN", "missing", "0", "BOGUS");
        same("SSCAN", "missing", "x");
        same("SADD", "i", "3", "1", "2");
        for (String cursor : List.of("0", "", "-1", "+7", "x", " 1", "18446744073709551616")) {
            same("SSCAN", "i", cursor);
        }
        same("SSCAN", "i", "0", "COUNT", "0");
        same("SSCAN", "i", "0", "COUNT", "x");
        same("SSCAN", "i", "0", "MATCH");
        same("SSCAN", "i", "0", "TYPE", "set");
        same("SSCAN", "i", "0", "MATCH", "[12]");
        same("SADD", "s", "a", "b", "c");
        oracle.sameUnordered(false, "SSCAN", "s", "0"); // a tiny hash table: one step in both
        same(sadd("big", 0, 1500, "member:"));
        same(sadd("nums", 0, 2000, ""));
        for (String key : List.of("big", "nums", "s")) {
            for (String[] options : List.of(new String[0], new String[] {"COUNT", "1"}, new String[] {"COUNT", "33"},
                    new String[] {"MATCH", "*1?", "COUNT", "5"})) {
                Map<String, String> theirs = Replies.iterate(redis, false, false, "SSCAN", key, options);
                Map<String, String> mine = Replies.iterate(ours, true, false, "SSCAN", key, options);
                assertEquals(theirs.keySet(), mine.keySet(), () -> key + " " + String.join(" ", options));
            }
        }
    }

    @Test
    void shouldMoveMembersAsRedis() throws IOException {
        one("SET", "str", "v");
        one("SADD", "src", "a", "b");
        one("SMOVE", "missing", "str", "a");
        one("SMOVE", "src", "str", "a");
        one("SMOVE", "str", "src", "a");
        one("SMOVE", "src", "src", "a");
        one("SMOVE", "src", "src", "z");
        one("SMOVE", "src", "dst", "z");
        one("EXISTS", "dst");
        one("SMOVE", "src", "dst", "a");
        one("SMEMBERS", "dst");
        one("SADD", "dst", "b");
        one("SMOVE", "src", "dst", "b");
        one("EXISTS", "src");
        single.sameUnordered(false, "SMEMBERS", "dst"); // a hash table in Redis, ordered by a random seed
        one("SADD", "n", "5");
        one("SMOVE", "n", "ints", "5");
        one("SMEMBERS", "ints");
    }

    @Test
    void shouldCombineSetsAsRedis() throws IOException {
        one("SADD", "a", "1", "2", "3", "4", "5");
        one("SADD", "b", "4", "5", "6", "3");
        one("SADD", "c", "5", "3", "9", "x", "y"); // larger than b: no tie for the smallest set
        one("SADD", "d", "x", "y", "z");
        one("SET", "str", "v");
        String[][] combos = {{"a"}, {"a", "b"}, {"b", "a"}, {"a", "b", "c"}, {"c", "a"}, {"a", "missing"},
            {"missing", "a"}, {"a", "a"}, {"d", "c"}, {"c", "d", "a"}, {"missing"}};
        for (String[] keys : combos) {
            for (String op : List.of("SINTER", "SUNION", "SDIFF")) {
                String[] args = new String[keys.length + 1];
                args[0] = op;
                System.arraycopy(keys, 0, args, 1, keys.length);
                // Redis's order is fixed when the result (SUNION, SDIFF) or the set walked (SINTER)
                // is an intset; the other replies may come in any order.
                single.sameUnordered(false, args);
            }
        }
        one("SINTER", "a", "b");
        one("SINTER", "a", "b", "c");
        one("SUNION", "a", "b");
        one("SDIFF", "a", "b");
        one("SDIFF", "a", "missing", "b");
        one("SDIFF", "a", "a");
        one("SDIFF", "missing", "a");
        for (String op : List.of("SINTER", "SUNION", "SDIFF")) {
            one(op, "missing", "str");
            one(op, "str", "missing");
            one(op, "a", "str");
        }
    }

    @Test
    void shouldCountIntersectionsAsRedis() throws IOException {
        one("SADD", "a", "1", "2", "3", "4", "5");
        one("SADD", "b", "4", "5", "6", "3", "x");
        one("SET", "str", "v");
        String[][] requests = {
            {"SINTERCARD", "2", "a", "b"}, {"SINTERCARD", "1", "a"}, {"SINTERCARD", "2", "a", "missing"},
            {"SINTERCARD", "2", "a", "b", "LIMIT", "0"}, {"SINTERCARD", "2", "a", "b", "LIMIT", "2"},
            {"SINTERCARD", "2", "a", "b", "limit", "100"}, {"SINTERCARD", "1", "a", "LIMIT", "1", "LIMIT", "4"},
            {"SINTERCARD", "0", "a"}, {"SINTERCARD", "-1", "a"}, {"SINTERCARD", "x", "a"},
            {"SINTERCARD", "3", "a", "b"}, {"SINTERCARD", "2", "a", "b", "LIMIT"},
            {"SINTERCARD", "2", "a", "b", "LIMIT", "-1"}, {"SINTERCARD", "2", "a", "b", "LIMIT", "x"},
            {"SINTERCARD", "2", "a", "b", "FOO", "1"}, {"SINTERCARD", "1", "a", "b"},
            {"SINTERCARD", "2", "a", "str"}, {"SINTERCARD", "2", "missing", "str"},
            {"SINTERCARD", "9223372036854775808", "a"},
        };
        single.same(requests);
    }

    @Test
    void shouldStoreCombinationsAsRedis() throws IOException {
        one("SADD", "a", "1", "2", "3", "4", "5");
        one("SADD", "b", "4", "5", "6", "3");
        one("SADD", "w", "p", "q", "3");
        one("SET", "str", "v");
        for (String op : List.of("SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE")) {
            one(op, "dst", "a", "b");
            one("SMEMBERS", "dst");
            one(op, "dst", "a", "w");
            single.sameUnordered(false, "SMEMBERS", "dst");
            // The destination may hold anything, and loses its TTL.
            one("SET", "dst", "string", "EX", "100");
            one(op, "dst", "b", "a");
            one("TYPE", "dst");
            one("TTL", "dst");
            one("SMEMBERS", "dst");
            // Sources of the wrong type fail and leave the destination alone.
            one(op, "dst", "a", "str");
            one("SMEMBERS", "dst");
            // An empty result deletes the destination.
            one(op, "dst", "missing");
            one("EXISTS", "dst");
            one(op, "dst", "missing");
            one("SET", "dst", "v");
            one(op.equals("SDIFFSTORE") ? new String[] {op, "dst", "a", "a"} : new String[] {op, "dst", "missing"});
            one("EXISTS", "dst");
            // The destination may be a source.
            one("SADD", "self", "1", "9");
            one(op, "self", "self", "a");
            one("SMEMBERS", "self");
            one("DEL", "self");
        }
    }

    /** Keys that {@link KeyHash} places on the same one of 3 shards as {@code "a"}. */
    private static List<String> keysWithA(int n) {
        int shard = KeyHash.shardOf("a".getBytes(StandardCharsets.UTF_8), 3);
        List<String> keys = new ArrayList<>(List.of("a"));
        for (int i = 0; keys.size() < n; i++) {
            if (KeyHash.shardOf(("k" + i).getBytes(StandardCharsets.UTF_8), 3) == shard) {
                keys.add("k" + i);
            }
        }
        return keys;
    }

    @Test
    void shouldRunMultiKeyCommandsWithThreeShardsWhenTheKeysShareOne() throws IOException {
        List<String> k = keysWithA(4);
        String a = k.get(0);
        String b = k.get(1);
        String dst = k.get(2);
        String empty = k.get(3);
        same("SADD", a, "1", "2", "3");
        same("SADD", b, "2", "3", "4");
        same("SINTER", a, b);
        same("SUNION", a, b);
        same("SDIFF", a, b);
        same("SINTERCARD", "2", a, b, "LIMIT", "1");
        same("SINTERCARD", "0", a, b); // malformed numkeys: answered where the request arrived
        same("SINTERCARD", "3", a, b);
        same("SINTERCARD", "x", a);
        same("SINTERSTORE", dst, a, b);
        same("SMEMBERS", dst);
        same("SUNIONSTORE", dst, a, b);
        same("SMEMBERS", dst);
        same("SDIFFSTORE", dst, a, b);
        same("SMEMBERS", dst);
        same("SDIFFSTORE", dst, empty);
        same("EXISTS", dst);
        same("SMOVE", a, b, "1");
        same("SMEMBERS", b);
        same("SMOVE", a, empty, "2");
        same("SMEMBERS", empty);
    }
}
