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
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The sorted-set commands that read or write several keys together (ZUNION, ZINTER, ZDIFF, their
 * STORE forms, ZINTERCARD, ZMPOP, ZRANGESTORE) against redis-server 7.0, byte for byte: on one
 * shard, where any keys may meet, and on three with keys that share a shard.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ZSetsMultiKeyDifferentialTest {
    @TempDir
    static Path dir;
    private static Oracle o;

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(Oracle.available(), Oracle.MISSING);
        o = Oracle.start(Files.createDirectories(dir.resolve("one")), 1);
    }

    @AfterAll
    static void stop() throws IOException {
        if (o != null) {
            o.close();
        }
    }

    @BeforeEach
    void flush() throws IOException {
        o.flush();
    }

    private static void same(String... args) throws IOException {
        o.same(args);
    }

    private static void inputs() throws IOException {
        same("ZADD", "a", "1", "x", "2", "y", "3", "z", "-inf", "n");
        same("ZADD", "b", "10", "y", "20", "z", "30", "w", "inf", "n");
        same("ZADD", "c", "0.1", "z", "0.2", "y");
        same("SADD", "set", "x", "y", "q");
        same("SET", "str", "v");
    }

    @Test
    void shouldCombineWithWeightsAndAggregates() throws IOException {
        inputs();
        for (String op : List.of("ZUNION", "ZINTER")) {
            for (String[] keys : new String[][] {{"1", "a"}, {"2", "a", "b"}, {"3", "a", "b", "c"}, {"2", "a", "set"},
                    {"2", "set", "set"}, {"2", "a", "a"}, {"2", "a", "none"}, {"1", "none"}, {"3", "c", "b", "a"}}) {
                same(concat(new String[] {op}, keys));
                same(concat(new String[] {op}, keys, "WITHSCORES"));
                for (String agg : List.of("SUM", "MIN", "max")) {
                    same(concat(new String[] {op}, keys, "AGGREGATE", agg, "WITHSCORES"));
                }
            }
            same(op, "2", "a", "b", "WEIGHTS", "2", "0.5", "WITHSCORES");
            same(op, "2", "a", "b", "WEIGHTS", "0", "1", "WITHSCORES");
            same(op, "2", "a", "b", "WEIGHTS", "0", "0", "AGGREGATE", "MIN", "WITHSCORES");
            same(op, "2", "a", "b", "WEIGHTS", "-1", "1", "AGGREGATE", "MAX", "WITHSCORES");
            same(op, "2", "a", "b", "weights", "1", "-inf", "withscores");
            same(op, "2", "a", "set", "WEIGHTS", "3", "inf", "WITHSCORES", "AGGREGATE", "SUM");
            same(op, "2", "a", "b", "AGGREGATE", "MIN", "AGGREGATE", "MAX", "WITHSCORES", "WITHSCORES");
            same(op, "2", "a", "b", "WEIGHTS", "1", "WITHSCORES");
            same(op, "2", "a", "b", "WEIGHTS", "1");
            same(op, "2", "a", "b", "WEIGHTS", "1", "x");
            same(op, "2", "a", "b", "WEIGHTS", "1", "nan");
            same(op, "2", "a", "b", "AGGREGATE", "AVG");
            same(op, "2", "a", "b", "AGGREGATE");
            same(op, "2", "a", "b", "LIMIT", "1");
            same(op, "2", "a", "b", "foo");
            same(op, "2", "a", "str");
            same(op, "2", "a", "str", "foo");
            same(op, "2", "a", "str", "WEIGHTS", "x", "y");
            same(op, "0", "a");
            same(op, "-1", "a");
            same(op, "x", "a");
            same(op, "3", "a", "b");
            same(op, "1");
        }
        // Sums depend on the order of the inputs: Redis sorts them by size, stably.
        same("ZADD", "p", "0.1", "m");
        same("ZADD", "q", "0.2", "m");
        same("ZADD", "r", "0.3", "m");
        for (String[] keys : new String[][] {{"p", "q", "r"}, {"r", "q", "p"}, {"q", "r", "p"}}) {
            same("ZUNION", "3", keys[0], keys[1], keys[2], "WITHSCORES");
            same("ZINTER", "3", keys[0], keys[1], keys[2], "WITHSCORES");
        }
        same("ZADD", "r", "0.3", "m2");
        same("ZUNION", "3", "r", "q", "p", "WITHSCORES");
        same("ZINTER", "3", "r", "p", "q", "WITHSCORES");
        same("ZADD", "negzero", "-5", "m");
        same("ZUNION", "1", "negzero", "WEIGHTS", "0", "WITHSCORES");
    }

    @Test
    void shouldSubtractAsZdiff() throws IOException {
        inputs();
        same("ZDIFF", "1", "a");
        same("ZDIFF", "2", "a", "b", "WITHSCORES");
        same("ZDIFF", "3", "a", "b", "c", "WITHSCORES");
        same("ZDIFF", "2", "a", "set", "WITHSCORES");
        same("ZDIFF", "2", "set", "a", "WITHSCORES");
        same("ZDIFF", "2", "a", "a");
        same("ZDIFF", "2", "none", "a");
        same("ZDIFF", "2", "a", "none", "WITHSCORES");
        same("ZDIFF", "2", "a", "b", "WEIGHTS", "1", "2");
        same("ZDIFF", "2", "a", "b", "AGGREGATE", "SUM");
        same("ZDIFF", "2", "a", "str");
        same("ZDIFF", "0", "a");
        same("ZDIFF", "3", "a");
    }

    @Test
    void shouldStoreCombinationsAndDropTheDestinationsExpiry() throws IOException {
        inputs();
        for (String op : List.of("ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE")) {
            same(op, "dst", "2", "a", "b");
            same("ZRANGE", "dst", "0", "-1", "WITHSCORES");
            same("EXPIRE", "dst", "100");
            same(op, "dst", "3", "a", "c", "set");
            same("TTL", "dst");
            same("ZRANGE", "dst", "0", "-1", "WITHSCORES");
            same(op, "dst", "2", "none", "none2");
            same("EXISTS", "dst");
            same(op, "dst", "2", "none", "none2");
            same(op, "str", "1", "a");
            same("TYPE", "str");
            same(op, "a", "2", "a", "b");
            same("ZRANGE", "a", "0", "-1", "WITHSCORES");
            same(op, "dst", "2", "a", "b", "WITHSCORES");
            same(op, "dst", "2", "a", "str");
            same(op, "dst", "0", "a");
            same(op, "dst", "x", "a");
            same(op, "dst", "2", "a");
            same(op, "dst");
            same(op, "dst", "1");
            same("DEL", "a");
            same("ZADD", "a", "1", "x", "2", "y", "3", "z", "-inf", "n");
        }
        same("ZUNIONSTORE", "dst", "2", "a", "b", "WEIGHTS", "2", "3", "AGGREGATE", "MAX");
        same("ZRANGE", "dst", "0", "-1", "WITHSCORES");
        same("ZADD", "neg", "-5", "m");
        same("ZUNIONSTORE", "dst", "1", "neg", "WEIGHTS", "0");
        same("ZSCORE", "dst", "m");
        ZSetsDifferentialTest.fill(o, "big", 200, 1);
        same("ZADD", "big", "-1", "m000");
        same("ZUNIONSTORE", "dst", "2", "big", "neg", "WEIGHTS", "0", "0");
        same("ZRANGE", "dst", "0", "2", "WITHSCORES");
        same("ZINTERSTORE", "dst", "2", "big", "big", "WEIGHTS", "2", "0.5");
        same("ZRANGE", "dst", "0", "9", "WITHSCORES");
    }

    @Test
    void shouldCountIntersections() throws IOException {
        inputs();
        same("ZINTERCARD", "2", "a", "b");
        same("ZINTERCARD", "3", "a", "b", "set");
        same("ZINTERCARD", "1", "a");
        same("ZINTERCARD", "2", "a", "none");
        same("ZINTERCARD", "2", "a", "b", "LIMIT", "1");
        same("ZINTERCARD", "2", "a", "b", "LIMIT", "0");
        same("ZINTERCARD", "2", "a", "b", "limit", "100");
        same("ZINTERCARD", "2", "a", "b", "LIMIT", "-1");
        same("ZINTERCARD", "2", "a", "b", "LIMIT", "x");
        same("ZINTERCARD", "2", "a", "b", "LIMIT");
        same("ZINTERCARD", "2", "a", "b", "WITHSCORES");
        same("ZINTERCARD", "2", "a", "b", "WEIGHTS", "1", "1");
        same("ZINTERCARD", "2", "a", "str");
        same("ZINTERCARD", "0", "a");
        same("ZINTERCARD", "x", "a");
        same("ZINTERCARD", "3", "a", "b");
        same("ZINTERCARD", "1");
    }

    @Test
    void shouldPopFromTheFirstNonEmptyKey() throws IOException {
        inputs();
        same("ZMPOP", "1", "a", "MIN");
        same("ZMPOP", "2", "none", "b", "MAX");
        same("ZMPOP", "2", "a", "b", "min", "COUNT", "2");
        same("ZMPOP", "3", "none", "c", "a", "MAX", "COUNT", "10");
        same("EXISTS", "c");
        same("ZMPOP", "2", "none", "none2", "MIN");
        same("ZMPOP", "2", "none", "str", "MIN");
        same("ZMPOP", "2", "b", "str", "MIN");
        same("ZMPOP", "1", "set", "MIN");
        same("ZMPOP", "0", "a", "MIN");
        same("ZMPOP", "x", "a", "MIN");
        same("ZMPOP", "-1", "a", "MIN");
        same("ZMPOP", "3", "a", "MIN");
        same("ZMPOP", "2", "a", "MIN");
        same("ZMPOP", "1", "a", "MID");
        same("ZMPOP", "1", "a", "MIN", "COUNT", "0");
        same("ZMPOP", "1", "a", "MIN", "COUNT", "x");
        same("ZMPOP", "1", "a", "MIN", "COUNT");
        same("ZMPOP", "1", "a", "MIN", "COUNT", "1", "COUNT", "1");
        same("ZMPOP", "1", "a", "MIN", "foo");
        same("ZMPOP", "1", "a");
    }

    @Test
    void shouldStoreRanges() throws IOException {
        same("ZADD", "src", "1", "a", "2", "b", "3", "c", "4", "d", "-0", "e");
        same("ZRANGESTORE", "dst", "src", "0", "-1");
        same("ZRANGE", "dst", "0", "-1", "WITHSCORES");
        same("EXPIRE", "dst", "100");
        same("ZRANGESTORE", "dst", "src", "1", "2", "REV");
        same("TTL", "dst");
        same("ZRANGE", "dst", "0", "-1", "WITHSCORES");
        same("ZRANGESTORE", "dst", "src", "(1", "3", "BYSCORE", "LIMIT", "1", "5");
        same("ZRANGE", "dst", "0", "-1", "WITHSCORES");
        same("ZRANGESTORE", "dst", "src", "+", "[b", "BYLEX", "REV");
        same("ZRANGE", "dst", "0", "-1", "WITHSCORES");
        same("ZRANGESTORE", "dst", "src", "5", "10");
        same("EXISTS", "dst");
        same("ZRANGESTORE", "dst", "none", "0", "-1");
        same("SET", "str", "v");
        same("ZRANGESTORE", "str", "src", "0", "0");
        same("TYPE", "str");
        same("ZRANGESTORE", "dst", "str", "0", "-1");
        same("ZRANGESTORE", "src", "src", "0", "1");
        same("ZRANGE", "src", "0", "-1", "WITHSCORES");
        same("ZRANGESTORE", "dst", "src", "0", "-1", "WITHSCORES");
        same("ZRANGESTORE", "dst", "src", "0", "-1", "LIMIT", "0", "1");
        same("ZRANGESTORE", "dst", "src", "x", "-1");
        same("ZRANGESTORE", "dst", "src", "x", "-1", "BYSCORE");
        same("ZRANGESTORE", "dst", "src", "x", "-1", "BYLEX");
        same("ZRANGESTORE", "dst", "src", "0");
        ZSetsDifferentialTest.fill(o, "big", 200, 1);
        same("ZADD", "big", "-0", "neg");
        same("ZRANGESTORE", "dst", "big", "0", "150");
        same("ZSCORE", "dst", "neg");
        same("ZRANGESTORE", "dst", "big", "0", "100");
        same("ZSCORE", "dst", "neg");
        same("ZRANGESTORE", "dst", "big", "-0", "0", "BYSCORE");
        same("ZSCORE", "dst", "neg");
    }

    @Test
    void shouldRunMultiKeyCommandsOnThreeShardsWhenTheKeysShareOne() throws IOException {
        List<String> keys = new ArrayList<>();
        for (int i = 0; keys.size() < 3; i++) {
            String k = "k" + i;
            if (KeyHash.shardOf(k.getBytes(StandardCharsets.UTF_8), 3) == 1) {
                keys.add(k);
            }
        }
        String a = keys.get(0);
        String b = keys.get(1);
        String d = keys.get(2);
        try (Oracle three = Oracle.start(Files.createDirectories(dir.resolve("three")), 3)) {
            three.same("ZADD", a, "1", "x", "2", "y");
            three.same("ZADD", b, "3", "y", "4", "z");
            three.same("ZUNION", "2", a, b, "WITHSCORES");
            three.same("ZINTER", "2", a, b, "WITHSCORES");
            three.same("ZDIFF", "2", a, b, "WITHSCORES");
            three.same("ZINTERCARD", "2", a, b);
            three.same("ZUNIONSTORE", d, "2", a, b, "AGGREGATE", "MAX");
            three.same("ZRANGE", d, "0", "-1", "WITHSCORES");
            three.same("ZRANGESTORE", d, a, "0", "0");
            three.same("ZRANGE", d, "0", "-1", "WITHSCORES");
            three.same("ZMPOP", "2", a, b, "MAX", "COUNT", "5");
            three.same("ZMPOP", "2", a, b, "MAX");
            three.same("ZUNION", "0", a);
            three.same("ZMPOP", "0", a, "MIN");
            assertEquals("$1\r\n3\r\n", three.same("ZSCORE", b, "y"));
        }
    }

    @Test
    void shouldAgreeOnRandomCommandSequences() throws IOException {
        // Keys z0..z3 get any scores; "lex" only scores of 0, since a lex range over mixed scores
        // in a skip list depends on Redis's random levels. Members m0..m199 let sets outgrow a listpack.
        Random r = new Random(42);
        String[] scores = {"0", "1", "-1", "2.5", "0.1", "-0", "inf", "-inf", "1e-3", "3", "(1", "x"};
        String[] lex = {"-", "+", "[m1", "(m1", "[m5", "(m150", "[", "x"};
        for (int step = 0; step < 4000; step++) {
            String k = "z" + r.nextInt(4);
            String k2 = "z" + r.nextInt(4);
            String m = "m" + r.nextInt(r.nextInt(10) == 0 ? 200 : 12);
            String s = scores[r.nextInt(scores.length)];
            String s2 = scores[r.nextInt(scores.length)];
            String i = Integer.toString(r.nextInt(9) - 3);
            String j = Integer.toString(r.nextInt(9) - 3);
            String[] cmd = switch (r.nextInt(30)) {
                case 0, 1, 2 -> new String[] {"ZADD", k, s, m, "1", "m" + r.nextInt(200)};
                case 3 -> new String[] {"ZADD", k, r.nextBoolean() ? "GT" : "LT", "CH", s, m};
                case 4 -> new String[] {"ZADD", k, r.nextBoolean() ? "XX" : "NX", "INCR", s, m};
                case 5 -> new String[] {"ZINCRBY", k, s, m};
                case 6 -> new String[] {"ZREM", k, m, "m" + r.nextInt(12)};
                case 7 -> new String[] {"ZRANGE", k, i, j, "WITHSCORES"};
                case 8 -> new String[] {"ZRANGE", k, s, s2, "BYSCORE", "LIMIT", i, j, "WITHSCORES"};
                case 9 -> new String[] {"ZRANGE", k, s, s2, "BYSCORE", "REV", "WITHSCORES"};
                case 10 -> new String[] {"ZCOUNT", k, s, s2};
                case 11 -> new String[] {"ZRANK", k, m};
                case 12 -> new String[] {"ZREVRANK", k, m};
                case 13 -> new String[] {"ZMSCORE", k, m, "m1"};
                case 14 -> new String[] {"ZPOPMIN", k, Integer.toString(r.nextInt(4))};
                case 15 -> new String[] {"ZPOPMAX", k};
                case 16 -> new String[] {"ZMPOP", "2", k, k2, r.nextBoolean() ? "MIN" : "MAX", "COUNT", "3"};
                case 17 -> new String[] {"ZREMRANGEBYRANK", k, i, j};
                case 18 -> new String[] {"ZREMRANGEBYSCORE", k, s, s2};
                case 19 -> new String[] {"ZUNIONSTORE", k, "2", k, k2, "WEIGHTS", s, "2", "AGGREGATE",
                    r.nextBoolean() ? "MIN" : "SUM"};
                case 20 -> new String[] {"ZINTER", "2", k, k2, "WITHSCORES"};
                case 21 -> new String[] {"ZDIFFSTORE", k, "2", k2, "z" + r.nextInt(4)};
                case 22 -> new String[] {"ZRANGESTORE", k, k2, i, j, "REV"};
                case 23 -> new String[] {"ZINTERCARD", "2", k, k2, "LIMIT", Integer.toString(r.nextInt(3))};
                case 24 -> new String[] {"ZADD", "lex", "0", m};
                case 25 -> new String[] {"ZRANGE", "lex", lex[r.nextInt(lex.length)], lex[r.nextInt(lex.length)], "BYLEX",
                    "LIMIT", i, j};
                case 26 -> new String[] {"ZREVRANGEBYLEX", "lex", lex[r.nextInt(lex.length)], lex[r.nextInt(lex.length)]};
                case 27 -> new String[] {"ZLEXCOUNT", "lex", lex[r.nextInt(lex.length)], lex[r.nextInt(lex.length)]};
                case 28 -> new String[] {"ZREMRANGEBYLEX", "lex", lex[r.nextInt(lex.length)], lex[r.nextInt(lex.length)]};
                default -> new String[] {"ZCARD", k};
            };
            same(cmd);
        }
        for (String k : List.of("z0", "z1", "z2", "z3", "lex")) {
            same("ZRANGE", k, "0", "-1", "WITHSCORES");
        }
    }

    private static String[] concat(String[] first, String[] second, String... rest) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(second));
        all.addAll(List.of(rest));
        return all.toArray(String[]::new);
    }
}
