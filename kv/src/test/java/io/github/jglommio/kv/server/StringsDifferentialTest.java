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
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The string commands against redis-server 7.0, reply for reply, byte for byte: every option,
 * the conflicts between options, each error path in Redis's order of checks, missing keys and
 * wrong types. Single-key commands run on 3 shards; LCS, which reads two keys together, on 1
 * shard, and once on 3 shards with both keys on one shard.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StringsDifferentialTest {
    @TempDir
    static Path dir;
    private static Oracle oracle;
    private static Oracle single;

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(Oracle.available(), Oracle.MISSING);
        Files.createDirectories(dir.resolve("three"));
        Files.createDirectories(dir.resolve("one"));
        oracle = Oracle.start(dir.resolve("three"), 3);
        single = Oracle.start(dir.resolve("one"), 1);
    }

    @AfterAll
    static void stop() throws IOException {
        if (oracle != null) {
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

    private static String[] r(String... args) {
        return args;
    }

    /** Both servers report a TTL in seconds, positive and within a second of each other. */
    private static void sameTtl(Oracle o, String key, long expected) throws IOException {
        String[] both = o.both("TTL", key);
        for (String reply : both) {
            long ttl = Long.parseLong(reply.substring(1).trim());
            assertTrue(ttl > 0 && Math.abs(ttl - expected) <= 1, () -> "TTL " + key + ": " + reply);
        }
    }

    @Test
    void shouldSetAndGetWithEveryCondition() throws IOException {
        oracle.same(r("GET", "k"), r("SET", "k", "v"), r("GET", "k"), r("set", "k", "w", "nx"),
            r("SET", "k", "w", "XX"), r("GET", "k"), r("SET", "n", "v", "XX"), r("GET", "n"),
            r("SET", "n", "v", "NX"), r("SET", "n", "v2", "NX", "NX"), r("SET", "k", "x", "GET"),
            r("SET", "new", "x", "GET"), r("SET", "k", "y", "NX", "GET"), r("SET", "k", "y", "XX", "GET"),
            r("SET", "missing", "y", "XX", "GET"), r("GET", "missing"), r("SET", "k", "z", "GET", "GET"),
            r("SET", "empty", ""), r("GET", "empty"), r("STRLEN", "empty"));
        oracle.same(r("RPUSH", "list", "a"), r("SET", "list", "x", "GET"), r("SET", "list", "x", "NX", "GET"),
            r("TYPE", "list"), r("GET", "list"), r("SET", "list", "x"), r("GET", "list"));
    }

    @Test
    void shouldSetExpiriesAndRefuseBadOnes() throws IOException {
        long nowSeconds = System.currentTimeMillis() / 1000;
        oracle.same(r("SET", "k", "v", "EX", "100"));
        sameTtl(oracle, "k", 100);
        oracle.same(r("SET", "k", "v", "PX", "200000"));
        sameTtl(oracle, "k", 200);
        oracle.same(r("SET", "k", "v", "EXAT", Long.toString(nowSeconds + 300)));
        sameTtl(oracle, "k", 300);
        oracle.same(r("SET", "k", "v", "PXAT", Long.toString((nowSeconds + 400) * 1000)));
        sameTtl(oracle, "k", 400);
        oracle.same(r("SET", "k", "w", "KEEPTTL"), r("GET", "k"));
        sameTtl(oracle, "k", 400);
        oracle.same(r("SET", "k", "w", "KEEPTTL", "KEEPTTL", "XX", "GET"));
        sameTtl(oracle, "k", 400);
        oracle.same(r("SET", "k", "v", "EX", "1", "EX", "500"));
        sameTtl(oracle, "k", 500);
        oracle.same(r("SET", "k", "v", "GET", "EX", "600", "XX"));
        sameTtl(oracle, "k", 600);
        oracle.same(r("SET", "k", "x"), r("TTL", "k"), r("SET", "past", "v", "PXAT", "1"), r("GET", "past"),
            r("SET", "past", "v", "EXAT", "1", "GET"), r("EXISTS", "past"),
            r("SET", "far", "v", "EXAT", "9223372036854775"), r("GET", "far"),
            r("SET", "far", "v", "PXAT", "9223372036854775807"), r("GET", "far"));
        for (String unit : new String[] {"EX", "PX", "EXAT", "PXAT", "ex", "pXaT"}) {
            oracle.same(r("SET", "k", "v", unit, "0"), r("SET", "k", "v", unit, "-1"), r("SET", "k", "v", unit, "ten"),
                r("SET", "k", "v", unit, "1.5"), r("SET", "k", "v", unit, ""), r("SET", "k", "v", unit),
                r("SET", "k", "v", unit, "9223372036854775808"), r("SET", "k", "v", unit, "-9223372036854775808"));
        }
        oracle.same(r("SET", "k", "v", "EX", "9223372036854776"), r("SET", "k", "v", "EXAT", "9223372036854776"),
            r("SET", "k", "v", "PX", "9223372036854775807"), r("SET", "k", "v", "EX", "9223372036854775"),
            r("GET", "k"));
    }

    @Test
    void shouldRefuseConflictingSetOptionsAsSyntaxErrors() throws IOException {
        oracle.same(r("SET", "k", "v", "NX", "XX"), r("SET", "k", "v", "XX", "NX"), r("SET", "k", "v", "EX", "1", "PX", "1"),
            r("SET", "k", "v", "PX", "1", "EX", "1"), r("SET", "k", "v", "EX", "1", "KEEPTTL"),
            r("SET", "k", "v", "KEEPTTL", "EX", "1"), r("SET", "k", "v", "EXAT", "1", "PXAT", "1"),
            r("SET", "k", "v", "PERSIST"), r("SET", "k", "v", "BOGUS"), r("SET", "k", "v", "EX", "EX"),
            r("SET", "k", "v", "EX", "1", "EXTRA"), r("SET", "k", "v", "NX", "EX", "0", "XX"),
            r("SET", "k", "v", "XX", "EX", "bad"), r("SET", "k", "v", "NX", "EX", "bad"), r("GET", "k"),
            r("SET", "k"), r("SET"), r("GET"), r("GET", "a", "b"));
        oracle.same(r("LPUSH", "l", "x"), r("SET", "l", "v", "GET", "EX", "0"), r("SET", "l", "v", "GET", "BOGUS"));
    }

    @Test
    void shouldAnswerSetnxSetexAndPsetex() throws IOException {
        oracle.same(r("SETNX", "k", "v"), r("SETNX", "k", "w"), r("GET", "k"), r("SETNX", "k"),
            r("SETEX", "k", "100", "x"), r("GET", "k"), r("PSETEX", "p", "100000", "y"), r("GET", "p"),
            r("SETEX", "k", "0", "x"), r("SETEX", "k", "-5", "x"), r("SETEX", "k", "1.5", "x"),
            r("SETEX", "k", "abc", "x"), r("SETEX", "k", "9223372036854776", "x"),
            r("PSETEX", "k", "0", "x"), r("PSETEX", "k", "-1", "x"), r("PSETEX", "k", "9223372036854775807", "x"),
            r("PSETEX", "k", "x", "x"), r("SETEX", "k", "10"), r("PSETEX", "k", "10", "v", "extra"));
        sameTtl(oracle, "k", 100);
        sameTtl(oracle, "p", 100);
        oracle.same(r("SADD", "s", "m"), r("SETNX", "s", "v"), r("SETEX", "s", "10", "v"), r("TYPE", "s"), r("GET", "s"));
    }

    @Test
    void shouldAnswerGetsetAndGetdel() throws IOException {
        oracle.same(r("GETSET", "k", "a"), r("PEXPIRE", "k", "100000"), r("GETSET", "k", "b"), r("TTL", "k"),
            r("GETDEL", "k"), r("GETDEL", "k"), r("EXISTS", "k"), r("HSET", "h", "f", "v"), r("GETSET", "h", "x"),
            r("GETDEL", "h"), r("TYPE", "h"), r("GETSET", "k"), r("GETDEL"), r("GETDEL", "a", "b"));
    }

    @Test
    void shouldAnswerGetexWithEveryOption() throws IOException {
        long nowSeconds = System.currentTimeMillis() / 1000;
        oracle.same(r("SET", "k", "v"), r("GETEX", "k"), r("TTL", "k"), r("GETEX", "k", "EX", "100"));
        sameTtl(oracle, "k", 100);
        oracle.same(r("GETEX", "k", "PX", "200000"));
        sameTtl(oracle, "k", 200);
        oracle.same(r("GETEX", "k", "EXAT", Long.toString(nowSeconds + 300)));
        sameTtl(oracle, "k", 300);
        oracle.same(r("GETEX", "k", "PXAT", Long.toString((nowSeconds + 400) * 1000)));
        sameTtl(oracle, "k", 400);
        oracle.same(r("GETEX", "k", "ex", "1", "EX", "500"));
        sameTtl(oracle, "k", 500);
        oracle.same(r("GETEX", "k", "PERSIST"), r("TTL", "k"), r("GETEX", "k", "PERSIST", "PERSIST"), r("TTL", "k"),
            r("GETEX", "k", "EXAT", "1"), r("EXISTS", "k"), r("SET", "k", "v"), r("GETEX", "k", "PXAT", "1"),
            r("GET", "k"));
    }

    @Test
    void shouldAnswerGetexErrorsInRedisOrder() throws IOException {
        oracle.same(r("GETEX", "nokey", "EX", "abc"), r("GETEX", "nokey", "EX", "0"), r("GETEX", "nokey", "BOGUS"),
            r("GETEX", "nokey", "EX"), r("SET", "k", "v"));
        for (String[] opts : new String[][] {{"EX", "0"}, {"PX", "-1"}, {"EXAT", "0"}, {"PXAT", "x"}, {"EX", "1.5"},
            {"EX", "9223372036854776"}, {"PX", "9223372036854775807"}, {"NX"}, {"XX"}, {"GET"}, {"KEEPTTL"},
            {"EX", "1", "PX", "1"}, {"EX", "1", "PERSIST"}, {"PERSIST", "EX", "1"}, {"PERSIST", "BOGUS"},
            {"EX"}, {"PXAT"}, {"EX", "1", "EXAT", "1"}}) {
            String[] cmd = new String[2 + opts.length];
            cmd[0] = "GETEX";
            cmd[1] = "k";
            System.arraycopy(opts, 0, cmd, 2, opts.length);
            oracle.same(cmd);
        }
        oracle.same(r("TTL", "k"), r("LPUSH", "l", "a"), r("GETEX", "l"), r("GETEX", "l", "EX", "0"),
            r("GETEX", "l", "BOGUS"), r("GETEX"));
    }

    @Test
    void shouldAppendAndMeasure() throws IOException {
        oracle.same(r("APPEND", "k", "ab"), r("PEXPIRE", "k", "100000"), r("APPEND", "k", "cde"), r("GET", "k"),
            r("APPEND", "k", ""), r("APPEND", "e", ""), r("EXISTS", "e"), r("STRLEN", "e"), r("STRLEN", "k"),
            r("STRLEN", "nokey"), r("APPEND", "n", "12"), r("INCR", "n"), r("APPEND", "n", "x"), r("GET", "n"),
            r("APPEND", "k", "héllo"), r("STRLEN", "k"), r("GET", "k"), r("RPUSH", "l", "x"), r("APPEND", "l", "x"),
            r("STRLEN", "l"), r("APPEND", "k"), r("STRLEN", "k", "x"));
        sameTtl(oracle, "k", 100);
    }

    @Test
    void shouldCountWithIntegersAndRefuseOverflow() throws IOException {
        oracle.same(r("INCR", "n"), r("INCRBY", "n", "10"), r("DECR", "n"), r("DECRBY", "n", "15"), r("GET", "n"),
            r("INCRBY", "n", "-9223372036854775808"), r("SET", "n", "9223372036854775807"), r("INCR", "n"),
            r("INCRBY", "n", "0"), r("DECRBY", "n", "-1"), r("SET", "n", "-9223372036854775808"), r("DECR", "n"),
            r("INCRBY", "n", "-1"), r("DECRBY", "n", "1"), r("DECRBY", "x", "-9223372036854775808"),
            r("DECRBY", "x", "9223372036854775807"), r("GET", "x"), r("INCRBY", "n", "9223372036854775808"),
            r("INCRBY", "n", "1.0"), r("INCRBY", "n", " 1"), r("INCRBY", "n", "+1"), r("INCRBY", "n", "01"),
            r("INCRBY", "n", ""), r("DECRBY", "n", "x"));
        for (String stored : new String[] {"12a", " 1", "1 ", "+1", "01", "-0", "1.0", "", "9223372036854775808",
            "-9223372036854775809", "0", "-1", "007"}) {
            oracle.same(r("SET", "s", stored), r("INCR", "s"), r("SET", "s", stored), r("DECRBY", "s", "2"));
        }
        oracle.same(r("SET", "t", "1", "PX", "100000"), r("INCR", "t"), r("LPUSH", "l", "x"), r("INCR", "l"),
            r("INCRBY", "l", "x"), r("DECRBY", "l", "-9223372036854775808"), r("DECR", "l"), r("INCR"),
            r("INCRBY", "n"), r("DECR", "a", "b"));
        sameTtl(oracle, "t", 100);
    }

    @Test
    void shouldIncrementFloatsWithRedisLongDoubleArithmeticAndFormat() throws IOException {
        oracle.same(r("SET", "k", "10.50"), r("INCRBYFLOAT", "k", "0.1"), r("INCRBYFLOAT", "k", "-5"),
            r("SET", "k", "5.0e3"), r("INCRBYFLOAT", "k", "2.0e2"), r("INCRBYFLOAT", "k", "10.5"),
            r("SET", "k", "3.0e3"), r("INCRBYFLOAT", "k", "10.5"), r("INCRBYFLOAT", "k", "inf"),
            r("INCRBYFLOAT", "k", "-inf"), r("INCRBYFLOAT", "k", "nan"), r("INCRBYFLOAT", "k", "NaN"),
            r("GET", "k"), r("SET", "k", "inf"), r("INCRBYFLOAT", "k", "1"), r("SET", "k", "-inf"),
            r("INCRBYFLOAT", "k", "inf"), r("SET", "k", "abc"), r("INCRBYFLOAT", "k", "abc"),
            r("INCRBYFLOAT", "k", "1"), r("SET", "k", "0.000003814697265625"), r("INCRBYFLOAT", "k", "0"),
            r("SET", "k", "1e-4950"), r("INCRBYFLOAT", "k", "0"), r("SET", "k", "-1e-30"), r("INCRBYFLOAT", "k", "0"));
        for (int i = 0; i < 12; i++) {
            oracle.same("INCRBYFLOAT", "tenth", "0.1");
        }
        for (int i = 0; i < 6; i++) {
            oracle.same("INCRBYFLOAT", "third", "-0.333333333333333333333333");
        }
        oracle.same(r("SET", "t", "1", "PX", "100000"), r("INCRBYFLOAT", "t", "1.5"), r("GET", "t"));
        sameTtl(oracle, "t", 100);
        oracle.same(r("LPUSH", "l", "x"), r("INCRBYFLOAT", "l", "1"), r("INCRBYFLOAT", "l", "x"),
            r("INCRBYFLOAT", "k"), r("INCRBYFLOAT", "k", "1", "2"));
    }

    @Test
    void shouldParseFloatsAsStrtoldDoes() throws IOException {
        String[] inputs = {"1", "-1", "+1", "0", "-0", "+0", ".5", "5.", ".", "+.5", "-.5", "1e5", "1E5", "1e+5",
            "1e-5", "1e", "1e+", "e5", "1.5e3", "1.5.3", " 1", "1 ", "\t1", "", "+", "-", "inf", "-inf", "+inf", "INF",
            "Infinity", "-infinity", "infinit", "infx", "nan", "-nan", "nan(1)", "0x10", "0X1F", "0x", "0x.8",
            "0x1p3", "0x1.8p-1", "0x1p", "0xg", "0x1P+4", "1e4932", "1.18e4932", "1.19e4932", "1e4933", "1e5000",
            "-1e5000", "1e-4940", "3e-4951", "1e-4951", "1e-5000", "0e99999", "0.0000e-99999", "00012.5000",
            "1e00000000000000000000003", "123456789012345678901234567890", "0.1234567890123456789",
            "9223372036854775807", "-9223372036854775808", "18446744073709551617", "1,5", "1_0", "0b1", "١"};
        for (String in : inputs) {
            oracle.same(r("DEL", "k"), r("INCRBYFLOAT", "k", in), r("SET", "s", in), r("INCRBYFLOAT", "s", "0"),
                r("SET", "one", "1"), r("INCRBYFLOAT", "one", in));
        }
        // Redis reads floats through a 5 KiB buffer: 5119 characters parse, 5120 do not.
        oracle.same(r("INCRBYFLOAT", "long", "1." + "0".repeat(5117)), r("INCRBYFLOAT", "long", "1." + "0".repeat(5118)),
            r("INCRBYFLOAT", "long", "9".repeat(4932)), r("INCRBYFLOAT", "long", "-" + "9".repeat(4932)));
    }

    @Test
    void shouldMatchRandomFloatSums() throws IOException {
        Random rnd = new Random(7);
        for (int i = 0; i < 400; i++) {
            String a = randomFloat(rnd);
            String b = randomFloat(rnd);
            oracle.same(r("SET", "f", a), r("INCRBYFLOAT", "f", b), r("INCRBYFLOAT", "f", randomFloat(rnd)));
        }
    }

    private static String randomFloat(Random rnd) {
        String mantissa = (rnd.nextBoolean() ? "-" : "") + rnd.nextInt(100000) + (rnd.nextBoolean() ? "." + rnd.nextInt(1_000_000) : "");
        return switch (rnd.nextInt(5)) {
            case 0 -> mantissa;
            case 1 -> mantissa + "e" + (rnd.nextInt(40) - 20);
            case 2 -> mantissa + "e" + (rnd.nextInt(9000) - 4500);
            case 3 -> Double.toString(rnd.nextDouble() * Math.pow(10, rnd.nextInt(30) - 15));
            default -> Long.toString(rnd.nextLong() >> rnd.nextInt(64));
        };
    }

    @Test
    void shouldGetRangesWithRedisClamping() throws IOException {
        oracle.same(r("SET", "s", "Hello, world"), r("SET", "e", ""), r("SET", "n", "12345"));
        long[] idx = {0, 1, 3, 5, 11, 12, 100, -1, -2, -5, -12, -13, -100, Long.MAX_VALUE, Long.MIN_VALUE};
        for (long start : idx) {
            for (long end : idx) {
                oracle.same(r("GETRANGE", "s", Long.toString(start), Long.toString(end)),
                    r("SUBSTR", "n", Long.toString(start), Long.toString(end)));
            }
        }
        oracle.same(r("GETRANGE", "e", "0", "-1"), r("GETRANGE", "nokey", "0", "-1"), r("GETRANGE", "nokey", "a", "0"),
            r("GETRANGE", "s", "0", "x"), r("GETRANGE", "s", "1.5", "2"), r("GETRANGE", "s", "0", "9223372036854775808"),
            r("LPUSH", "l", "a"), r("GETRANGE", "l", "0", "1"), r("GETRANGE", "l", "x", "1"), r("SUBSTR", "l", "0", "1"),
            r("GETRANGE", "s", "0"), r("SUBSTR", "s", "0", "1", "2"));
    }

    @Test
    void shouldSetRangesWithZeroPadding() throws IOException {
        oracle.same(r("SETRANGE", "k", "5", "abc"), r("GET", "k"), r("STRLEN", "k"), r("SETRANGE", "k", "0", "XY"),
            r("GET", "k"), r("SETRANGE", "k", "6", "long tail"), r("GET", "k"), r("SETRANGE", "k", "100", ""),
            r("GET", "k"), r("SETRANGE", "nokey", "100", ""), r("EXISTS", "nokey"), r("SETRANGE", "nokey", "0", ""),
            r("SETRANGE", "z", "0", "v"), r("GET", "z"), r("SET", "n", "123"), r("SETRANGE", "n", "1", "9"),
            r("INCR", "n"), r("PEXPIRE", "n", "100000"), r("SETRANGE", "n", "3", "é"), r("GET", "n"));
        sameTtl(oracle, "n", 100);
        oracle.same(r("SETRANGE", "k", "-1", "x"), r("SETRANGE", "k", "x", "x"), r("SETRANGE", "k", "1.0", "x"),
            r("SETRANGE", "k", "536870912", "x"), r("SETRANGE", "k", "536870911", "xy"),
            r("SETRANGE", "k", "9223372036854775807", "x"), r("SETRANGE", "k", "9223372036854775808", "x"),
            r("SETRANGE", "big", "536870912", ""), r("SETRANGE", "big", "536870912", "x"), r("EXISTS", "big"),
            r("SETRANGE", "k", "-1", ""), r("GET", "k"), r("HSET", "h", "f", "v"), r("SETRANGE", "h", "0", "x"),
            r("SETRANGE", "h", "0", ""), r("SETRANGE", "h", "-1", "x"), r("SETRANGE", "h", "536870912", "x"),
            r("SETRANGE", "k", "0"));
    }

    @Test
    void shouldSplitMultiKeyCommandsAcrossShards() throws IOException {
        oracle.same(r("MSET", "a", "1", "b", "2", "c", "3", "d", "4", "e", "5"), r("MGET", "a", "b", "c", "d", "e", "f"),
            r("LPUSH", "l", "x"), r("MGET", "l", "a", "nokey", "l"), r("MSET", "a", "9", "a", "10"), r("GET", "a"),
            r("MSET", "a"), r("MSET", "a", "1", "b"), r("MSETNX", "a", "1", "b"), r("MGET"), r("MSET"), r("MSETNX"),
            r("MSET", "l", "now a string"), r("GET", "l"));
        String k0 = keysOnShard(0, 1).get(0);
        String k1 = keysOnShard(1, 1).get(0);
        String k2 = keysOnShard(2, 1).get(0);
        oracle.same(r("MSET", k0, "1", k1), r("MSET", k0, "1", k1, "2", k2), r("MSETNX", k0, "1", k1),
            r("MGET", k0, k1, k2));
        List<String> keys = keysOnShard(0, 4);
        oracle.same(r("MSETNX", keys.get(0), "1", keys.get(1), "2"), r("MSETNX", keys.get(1), "x", keys.get(2), "3"),
            r("MGET", keys.get(0), keys.get(1), keys.get(2)), r("MSETNX", keys.get(2), "3", keys.get(3), "4"),
            r("MGET", keys.get(2), keys.get(3)), r("MSETNX", keys.get(2), "a", keys.get(2), "b"), r("GET", keys.get(2)));
        single.same(r("MSETNX", "a", "1", "b", "2"), r("MSETNX", "b", "1", "c", "2"), r("MGET", "a", "b", "c"),
            r("MSETNX", "c", "1", "c", "2"), r("GET", "c"), r("RPUSH", "l", "x"), r("MSETNX", "l", "1", "d", "2"),
            r("MGET", "l", "d"));
    }

    /** {@code count} keys that our server places on {@code shard} of 3. */
    static List<String> keysOnShard(int shard, int count) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; keys.size() < count; i++) {
            String k = "key" + i;
            if (KeyHash.shardOf(k.getBytes(StandardCharsets.UTF_8), 3) == shard) {
                keys.add(k);
            }
        }
        return keys;
    }

    @Test
    void shouldFindTheLongestCommonSubsequenceWithEveryOption() throws IOException {
        single.same(r("MSET", "key1", "ohmytext", "key2", "mynewtext"), r("LCS", "key1", "key2"),
            r("LCS", "key1", "key2", "LEN"), r("LCS", "key1", "key2", "IDX"), r("LCS", "key1", "key2", "idx", "MINMATCHLEN", "4"),
            r("LCS", "key1", "key2", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN"), r("LCS", "key1", "key2", "WITHMATCHLEN"),
            r("LCS", "key1", "key2", "IDX", "WITHMATCHLEN", "MINMATCHLEN", "-3"), r("LCS", "key1", "key2", "LEN", "LEN"),
            r("LCS", "key1", "key2", "LEN", "MINMATCHLEN", "100"), r("LCS", "key1", "key2", "IDX", "MINMATCHLEN", "100"),
            r("LCS", "key1", "nokey"), r("LCS", "nokey", "key2", "IDX"), r("LCS", "nokey", "nokey2", "LEN"),
            r("LCS", "key1", "key1", "IDX", "WITHMATCHLEN"), r("SET", "e", ""), r("LCS", "e", "key1", "IDX"));
        single.same(r("LCS", "key1", "key2", "LEN", "IDX"), r("LCS", "key1", "key2", "IDX", "LEN"),
            r("LCS", "key1", "key2", "BOGUS"), r("LCS", "key1", "key2", "MINMATCHLEN"),
            r("LCS", "key1", "key2", "MINMATCHLEN", "x"), r("LCS", "key1", "key2", "MINMATCHLEN", "x", "LEN", "IDX"),
            r("LCS", "key1", "key2", "LEN", "IDX", "BOGUS"), r("LCS", "key1"), r("LCS"),
            r("SADD", "set", "m"), r("LCS", "key1", "set"), r("LCS", "set", "nokey", "BOGUS"), r("LCS", "set", "set"));
    }

    @Test
    void shouldMatchRandomLcsWalks() throws IOException {
        Random rnd = new Random(11);
        for (int i = 0; i < 150; i++) {
            String a = randomText(rnd, rnd.nextInt(40), 1 + rnd.nextInt(4));
            String b = randomText(rnd, rnd.nextInt(40), 1 + rnd.nextInt(4));
            single.same(r("MSET", "a", a, "b", b), r("LCS", "a", "b"), r("LCS", "b", "a", "LEN"),
                r("LCS", "a", "b", "IDX", "WITHMATCHLEN"), r("LCS", "a", "b", "IDX", "MINMATCHLEN", Integer.toString(rnd.nextInt(4))));
        }
    }

    private static String randomText(Random rnd, int length, int alphabet) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append((char) ('a' + rnd.nextInt(alphabet)));
        }
        return sb.toString();
    }

    @Test
    void shouldRefuseLcsTablesBeyondTheBulkLimit() throws IOException {
        Random rnd = new Random(13);
        single.same(r("SET", "a", randomText(rnd, 1500, 4)), r("SET", "b", randomText(rnd, 1200, 4)), r("LCS", "a", "b", "LEN"),
            r("LCS", "a", "b"), r("LCS", "a", "b", "IDX", "MINMATCHLEN", "5", "WITHMATCHLEN"),
            // (11584 + 1) * (11585 + 1) cells of 4 bytes are just over 512 MiB.
            r("SET", "a", "x".repeat(11584)), r("SET", "b", "x".repeat(11585)), r("LCS", "a", "b", "LEN"), r("LCS", "a", "b", "IDX", "LEN"));
    }

    @Test
    void shouldRunLcsOnThreeShardsWhenBothKeysShareOne() throws IOException {
        List<String> keys = keysOnShard(1, 2);
        oracle.same(r("SET", keys.get(0), "ohmytext"), r("SET", keys.get(1), "mynewtext"),
            r("LCS", keys.get(0), keys.get(1), "IDX", "WITHMATCHLEN"), r("LCS", keys.get(1), keys.get(0)),
            r("LCS", keys.get(0), keys.get(1), "LEN", "IDX"));
    }

    @Test
    void shouldAnswerArityErrorsLikeRedis() throws IOException {
        String[][] bad = {{"GET"}, {"SET", "k"}, {"SETNX", "k"}, {"SETEX", "k", "1"}, {"PSETEX", "k"}, {"GETSET", "k"},
            {"GETDEL"}, {"GETEX"}, {"APPEND", "k"}, {"STRLEN"}, {"INCR"}, {"DECR", "a", "b"}, {"INCRBY", "k"},
            {"DECRBY", "k", "1", "2"}, {"INCRBYFLOAT", "k"}, {"GETRANGE", "k", "0"}, {"SUBSTR", "k"},
            {"SETRANGE", "k", "0"}, {"MGET"}, {"MSET", "k"}, {"MSETNX", "k"}, {"LCS", "a"}, {"strlen", "a", "b"}};
        for (String[] cmd : bad) {
            oracle.same(cmd);
        }
        single.same(r("LCS", "a"));
    }

    @Test
    void shouldDescribeTheCommandsAsRedisDoes() throws IOException {
        for (String name : new String[] {"get", "set", "setnx", "setex", "psetex", "getset", "getdel", "getex", "append",
            "strlen", "incr", "decr", "incrby", "decrby", "incrbyfloat", "getrange", "substr", "setrange", "mget", "mset",
            "msetnx", "lcs"}) {
            String[] both = oracle.both("COMMAND", "INFO", name);
            assertEquals(infoHead(both[0]), infoHead(both[1]), name);
        }
    }

    /** Name, arity, flags and key positions of a COMMAND INFO reply: what our server reports. */
    static String infoHead(String reply) {
        String[] lines = reply.split("\r\n");
        StringBuilder sb = new StringBuilder();
        int i = 2; // past *1 and *N
        sb.append(lines[i++]).append(lines[i++]).append(' ').append(lines[i++]).append(' ');
        int flags = Integer.parseInt(lines[i++].substring(1));
        for (int f = 0; f < flags; f++) {
            sb.append(lines[i++]).append(' ');
        }
        sb.append(lines[i++]).append(lines[i++]).append(lines[i]);
        return sb.toString();
    }
}
