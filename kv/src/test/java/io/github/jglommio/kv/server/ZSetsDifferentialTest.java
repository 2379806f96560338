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

/**
 * The single-key sorted-set commands against redis-server 7.0, byte for byte, on 3 shards: every
 * option, the error paths, missing keys, reply types, score formatting, and sets small enough
 * for Redis's listpack and large enough for its skip list (which differ in {@code -0},
 * {@code ZSCAN} and lex ranges over mixed scores).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ZSetsDifferentialTest {
    @TempDir
    static Path dir;
    private static Oracle o;

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(Oracle.available(), Oracle.MISSING);
        o = Oracle.start(dir, 3);
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

    /** Gives {@code key} {@code n} members m0..m(n-1) scored 0..n-1 (times {@code step}) on both servers. */
    static void fill(Oracle oracle, String key, int n, double step) throws IOException {
        List<String> args = new ArrayList<>(List.of("ZADD", key));
        for (int i = 0; i < n; i++) {
            args.add(Double.toString(i * step));
            args.add(String.format("m%03d", i));
        }
        oracle.same(args.toArray(String[]::new));
    }

    @Test
    void shouldDescribeEveryCommandAsCommandInfoDoes() throws IOException {
        for (String name : List.of("zadd", "zincrby", "zcard", "zscore", "zmscore", "zrank", "zrevrank", "zcount",
                "zlexcount", "zrange", "zrangebyscore", "zrevrangebyscore", "zrangebylex", "zrevrangebylex",
                "zrevrange", "zrangestore", "zrem", "zremrangebyrank", "zremrangebyscore", "zremrangebylex",
                "zpopmin", "zpopmax", "zrandmember", "zunion", "zinter", "zdiff", "zunionstore", "zinterstore",
                "zdiffstore", "zintercard", "zmpop", "zscan")) {
            String[] r = o.both("COMMAND", "INFO", name);
            assertEquals(Resp.first(r[0], 6), Resp.first(r[1], 6), name);
        }
    }

    @Test
    void shouldAddWithEveryOptionAsRedis() throws IOException {
        same("ZADD", "z", "1", "a", "2", "b", "1.5", "c");
        same("ZADD", "z", "3", "a", "3", "a");
        same("ZADD", "z", "NX", "9", "a", "4", "d");
        same("ZADD", "z", "XX", "9", "a", "4", "e");
        same("ZADD", "z", "xx", "ch", "10", "a", "4", "e", "2", "b");
        same("ZADD", "z", "GT", "CH", "1", "a", "11", "b", "0", "f");
        same("ZADD", "z", "LT", "CH", "20", "a", "1", "b");
        same("ZADD", "z", "XX", "GT", "30", "a", "1", "nope");
        same("ZADD", "z", "XX", "LT", "CH", "-1", "a");
        same("ZRANGE", "z", "0", "-1", "WITHSCORES");
        same("ZADD", "missing", "XX", "1", "m");
        same("EXISTS", "missing");
        same("ZADD", "missing", "XX", "INCR", "1", "m");
        same("ZADD", "z", "INCR", "2.5", "a");
        same("ZADD", "z", "INCR", "XX", "1", "newmember");
        same("ZADD", "z", "NX", "INCR", "1", "a");
        same("ZADD", "z", "NX", "INCR", "1", "g");
        same("ZADD", "z", "GT", "INCR", "-1", "a");
        same("ZADD", "z", "LT", "INCR", "1", "a");
        same("ZADD", "z", "GT", "INCR", "0", "a");
        same("ZADD", "z", "INCR", "+inf", "a");
        same("ZADD", "z", "INCR", "-inf", "a");
        same("ZADD", "z", "NX", "INCR", "-inf", "a");
        same("ZSCORE", "z", "a");
        same("ZADD", "z", "NX", "XX", "1", "a");
        same("ZADD", "z", "GT", "LT", "1", "a");
        same("ZADD", "z", "NX", "GT", "1", "a");
        same("ZADD", "z", "NX", "LT", "1", "a");
        same("ZADD", "z", "NX", "XX", "1");
        same("ZADD", "z", "INCR", "1", "a", "2", "b");
        same("ZADD", "z", "INCR", "x", "a", "2", "b");
        same("ZADD", "z", "1", "a", "2");
        same("ZADD", "z", "CH");
        same("ZADD", "z", "1");
        same("ZADD", "z", "1", "a", "x", "b");
        same("ZADD", "z", "nan", "a");
        same("ZCARD", "z");
        same("SET", "s", "v");
        same("ZADD", "s", "1", "m");
        same("ZADD", "s", "x", "m");
        same("ZADD", "s", "XX", "1", "m");
    }

    @Test
    void shouldReadScoresAsRedisDoes() throws IOException {
        for (String s : List.of("0x10", "0X1p-2", "-0x.8", "0x", "1e5", "1E-5", ".5", "5.", "+3", "-inf", "+INF",
                "Infinity", "-infinity", "inf5", " 1", "1 ", "1e400", "-1e400", "1e-400", "0e-400", "4e-320", "1e",
                "1e+", "--1", "1.2.3", "", "nan", "NaN", "1_0", "0.1", "1.1", "1e17", "123456789012345678",
                "4.9406564584124654e-324", "2.5e-308", "1.5e300", "0.3333333333333333", "9007199254740993",
                "-0", "-0.0", "1\0", "100", "1e21", "0.000123456789")) {
            same("ZADD", "f", s, "m");
            same("ZSCORE", "f", "m");
            same("ZINCRBY", "g", s, "m");
        }
    }

    @Test
    void shouldIncrementScores() throws IOException {
        same("ZINCRBY", "z", "1.5", "a");
        same("ZINCRBY", "z", "-3", "a");
        same("ZINCRBY", "z", "0.1", "b");
        same("ZINCRBY", "z", "0.2", "b");
        same("ZINCRBY", "z", "inf", "b");
        same("ZINCRBY", "z", "-inf", "b");
        same("ZINCRBY", "z", "x", "b");
        same("ZINCRBY", "z", "nx", "b");
        same("ZINCRBY", "z", "incr", "b");
        same("ZINCRBY", "z", "1");
        same("ZINCRBY", "z", "1", "a", "b");
        same("ZRANGE", "z", "0", "-1", "WITHSCORES");
        same("SET", "s", "v");
        same("ZINCRBY", "s", "1", "m");
        same("ZINCRBY", "s", "x", "m");
    }

    @Test
    void shouldKeepNegativeZeroOnlyWhereRedisDoes() throws IOException {
        same("ZADD", "small", "-0", "a");
        same("ZSCORE", "small", "a");
        same("ZADD", "small", "INCR", "-0", "b");
        same("ZINCRBY", "small", "-0", "c");
        same("ZRANGE", "small", "0", "-1", "WITHSCORES");
        fill(o, "big", 130, 1);
        same("ZADD", "big", "-0", "neg", "0", "pos");
        same("ZSCORE", "big", "neg");
        same("ZADD", "big", "CH", "0", "neg");
        same("ZINCRBY", "big", "0", "neg");
        same("ZINCRBY", "big", "-0", "neg");
        same("ZSCORE", "big", "neg");
        same("ZMSCORE", "big", "neg", "pos");
        same("ZRANGE", "big", "0", "3", "WITHSCORES");
        same("ZRANGEBYSCORE", "big", "-0", "0", "WITHSCORES");
        same("ZRANK", "big", "pos");
        String longMember = "x".repeat(65);
        same("ZADD", "long", "-0", "a", "-0", longMember, "-0", "b");
        same("ZRANGE", "long", "0", "-1", "WITHSCORES");
        same("ZADD", "long2", "-0", longMember);
        same("ZSCORE", "long2", longMember);
        same("ZPOPMIN", "big", "2");
    }

    @Test
    void shouldAnswerCardScoreAndRank() throws IOException {
        same("ZADD", "z", "1", "a", "2", "b", "2", "c", "-5", "d");
        same("ZCARD", "z");
        same("ZCARD", "none");
        same("ZSCORE", "z", "b");
        same("ZSCORE", "z", "nope");
        same("ZSCORE", "none", "a");
        same("ZMSCORE", "z", "a", "nope", "d", "a");
        same("ZMSCORE", "none", "a", "b");
        same("ZMSCORE", "z");
        for (String m : List.of("a", "b", "c", "d", "nope")) {
            same("ZRANK", "z", m);
            same("ZREVRANK", "z", m);
        }
        same("ZRANK", "none", "a");
        same("ZREVRANK", "none", "a");
        same("ZRANK", "z");
        same("ZRANK", "z", "a", "WITHSCORE");
        same("ZCARD", "z", "x");
        same("ZSCORE", "z");
        same("SET", "s", "v");
        for (String cmd : List.of("ZCARD", "ZSCORE", "ZMSCORE", "ZRANK", "ZREVRANK")) {
            same(cmd.equals("ZCARD") ? new String[] {cmd, "s"} : new String[] {cmd, "s", "a"});
        }
    }

    @Test
    void shouldRangeByRank() throws IOException {
        same("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "4", "e");
        String[][] ranges = {{"0", "-1"}, {"1", "2"}, {"-2", "-1"}, {"-100", "100"}, {"3", "1"}, {"5", "10"},
            {"-1", "-2"}, {"0", "0"}, {"-9223372036854775808", "9223372036854775807"}};
        for (String[] r : ranges) {
            same("ZRANGE", "z", r[0], r[1]);
            same("ZRANGE", "z", r[0], r[1], "WITHSCORES");
            same("ZRANGE", "z", r[0], r[1], "REV");
            same("ZRANGE", "z", r[0], r[1], "rev", "withscores");
            same("ZREVRANGE", "z", r[0], r[1]);
            same("ZREVRANGE", "z", r[0], r[1], "WITHSCORES");
        }
        same("ZRANGE", "z", "0", "-1", "LIMIT", "0", "1");
        same("ZRANGE", "z", "0", "-1", "LIMIT", "0", "-1");
        same("ZRANGE", "z", "0", "-1", "LIMIT", "0");
        same("ZRANGE", "z", "0", "-1", "LIMIT", "x", "1");
        same("ZRANGE", "z", "0", "-1", "REV", "REV");
        same("ZRANGE", "z", "0", "-1", "BYSCORE", "BYLEX");
        same("ZRANGE", "z", "0", "-1", "foo");
        same("ZRANGE", "z", "a", "-1");
        same("ZRANGE", "z", "0", "1.5");
        same("ZREVRANGE", "z", "0", "-1", "REV");
        same("ZREVRANGE", "z", "0", "-1", "BYSCORE");
        same("ZRANGE", "none", "0", "-1");
        same("ZRANGE", "none", "0", "-1", "WITHSCORES");
        same("ZRANGE", "none", "x", "-1");
        same("ZRANGE", "z", "0");
        same("ZREVRANGE", "z", "0");
        same("SET", "s", "v");
        same("ZRANGE", "s", "0", "-1");
        same("ZRANGE", "s", "x", "-1");
    }

    @Test
    void shouldRangeByScore() throws IOException {
        same("ZADD", "z", "-inf", "ninf", "0", "zero", "1", "a", "1.5", "b", "2", "c", "2", "c2", "3", "d", "inf", "pinf");
        String[][] ranges = {{"-inf", "+inf"}, {"1", "2"}, {"(1", "2"}, {"1", "(2"}, {"(1", "(2"}, {"2", "1"},
            {"(2", "2"}, {"2", "2"}, {"", ""}, {"(", "5"}, {" 1", "5"}, {"( 1", "5"}, {"1e400", "inf"},
            {"-1e400", "0"}, {"0x1", "0x2"}, {"-inf", "-inf"}, {"inf", "inf"}, {"(-inf", "(inf"},
            {"1 ", "5"}, {"0\0x", "1"}, {"nan", "5"}, {"1", "x"}, {"((1", "2"}, {"1e", "2"}, {"-", "+"}};
        for (String[] r : ranges) {
            same("ZRANGEBYSCORE", "z", r[0], r[1]);
            same("ZRANGEBYSCORE", "z", r[0], r[1], "WITHSCORES");
            same("ZREVRANGEBYSCORE", "z", r[1], r[0], "WITHSCORES");
            same("ZRANGE", "z", r[0], r[1], "BYSCORE");
            same("ZRANGE", "z", r[1], r[0], "BYSCORE", "REV", "WITHSCORES");
            same("ZCOUNT", "z", r[0], r[1]);
        }
        String[][] limits = {{"0", "2"}, {"1", "2"}, {"2", "-1"}, {"-1", "2"}, {"0", "0"}, {"7", "5"}, {"8", "1"},
            {"100", "1"}, {"3", "-5"}};
        for (String[] l : limits) {
            same("ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", l[0], l[1]);
            same("ZRANGEBYSCORE", "z", "1", "3", "WITHSCORES", "LIMIT", l[0], l[1]);
            same("ZREVRANGEBYSCORE", "z", "3", "1", "LIMIT", l[0], l[1], "WITHSCORES");
            same("ZRANGE", "z", "(0", "inf", "BYSCORE", "LIMIT", l[0], l[1]);
            same("ZRANGE", "z", "inf", "(0", "BYSCORE", "REV", "LIMIT", l[0], l[1]);
        }
        same("ZRANGEBYSCORE", "z", "0", "1", "LIMIT", "1");
        same("ZRANGEBYSCORE", "z", "0", "1", "LIMIT", "a", "1");
        same("ZRANGEBYSCORE", "z", "0", "1", "LIMIT", "1", "b");
        same("ZRANGEBYSCORE", "z", "0", "1", "REV");
        same("ZRANGEBYSCORE", "z", "0", "1", "BYSCORE");
        same("ZRANGEBYSCORE", "z", "0", "1", "BYLEX");
        same("ZRANGEBYSCORE", "z", "0", "1", "LIMIT", "0", "1", "LIMIT", "1", "1");
        same("ZRANGEBYSCORE", "z", "0", "1", "WITHSCORES", "WITHSCORES");
        same("ZRANGEBYSCORE", "none", "0", "1");
        same("ZRANGEBYSCORE", "none", "x", "1");
        same("ZCOUNT", "none", "0", "1");
        same("ZCOUNT", "none", "x", "1");
        same("ZCOUNT", "z", "0");
        same("SET", "s", "v");
        same("ZRANGEBYSCORE", "s", "0", "1");
        same("ZRANGEBYSCORE", "s", "x", "1");
        same("ZCOUNT", "s", "0", "1");
    }

    @Test
    void shouldRangeByLex() throws IOException {
        same("ZADD", "z", "0", "a", "0", "b", "0", "bb", "0", "c", "0", "d", "0", "", "0", "\u00ff");
        lexRanges("z");
        // Mixed scores: not ordered by member, Redis's listpack scans decide.
        same("ZADD", "mixed", "1", "d", "2", "a", "3", "c", "4", "b", "5", "e");
        lexRanges("mixed");
        same("ZRANGEBYLEX", "z", "+\0", "+");
        same("ZRANGEBYLEX", "z", "-", "+\0x");
        same("ZRANGEBYLEX", "z", "-", "+", "WITHSCORES");
        same("ZRANGE", "z", "-", "+", "BYLEX", "WITHSCORES");
        same("ZRANGEBYLEX", "z", "-", "+", "LIMIT", "1");
        same("ZRANGEBYLEX", "z", "-", "+", "REV");
        same("ZRANGEBYLEX", "none", "-", "+");
        same("ZRANGEBYLEX", "none", "x", "+");
        same("ZLEXCOUNT", "none", "-", "+");
        same("ZLEXCOUNT", "none", "a", "+");
        same("SET", "s", "v");
        same("ZRANGEBYLEX", "s", "-", "+");
        same("ZLEXCOUNT", "s", "-", "+");
        same("ZRANGEBYLEX", "s", "x", "+");
    }

    private static void lexRanges(String key) throws IOException {
        String[][] ranges = {{"-", "+"}, {"[a", "[c"}, {"(a", "[c"}, {"[a", "(c"}, {"(a", "(c"}, {"[b", "[b"},
            {"(b", "[b"}, {"[c", "[a"}, {"+", "-"}, {"-", "-"}, {"+", "+"}, {"[", "+"}, {"(", "+"}, {"-", "[bb"},
            {"[bb", "+"}, {"a", "+"}, {"-", "b"}, {"+a", "+"}, {"-", "-b"}, {"", "+"}, {"[e", "[f"}, {"-", "(a"},
            {"[d", "+"}, {"-", "[a"}};
        for (String[] r : ranges) {
            same("ZRANGEBYLEX", key, r[0], r[1]);
            same("ZREVRANGEBYLEX", key, r[1], r[0]);
            same("ZRANGE", key, r[0], r[1], "BYLEX");
            same("ZRANGE", key, r[1], r[0], "BYLEX", "REV");
            same("ZLEXCOUNT", key, r[0], r[1]);
            same("ZRANGEBYLEX", key, r[0], r[1], "LIMIT", "1", "2");
            same("ZREVRANGEBYLEX", key, r[1], r[0], "LIMIT", "1", "-1");
            same("ZRANGE", key, r[0], r[1], "BYLEX", "LIMIT", "-1", "2");
        }
    }

    @Test
    void shouldRangeLargeSetsInTheirSkipList() throws IOException {
        fill(o, "big", 300, 0.5);
        fill(o, "lex", 200, 0);
        same("ZCARD", "big");
        for (String m : List.of("m000", "m150", "m299", "nope")) {
            same("ZRANK", "big", m);
            same("ZREVRANK", "big", m);
            same("ZSCORE", "big", m);
        }
        same("ZRANGE", "big", "100", "110", "WITHSCORES");
        same("ZRANGE", "big", "-5", "-1", "REV", "WITHSCORES");
        same("ZRANGEBYSCORE", "big", "(10", "20.5", "WITHSCORES", "LIMIT", "3", "4");
        same("ZREVRANGEBYSCORE", "big", "20", "10", "LIMIT", "2", "30");
        same("ZCOUNT", "big", "(10", "100");
        same("ZRANGE", "lex", "[m050", "(m060", "BYLEX");
        same("ZRANGE", "lex", "(m060", "[m050", "BYLEX", "REV", "LIMIT", "2", "3");
        same("ZLEXCOUNT", "lex", "[m050", "+");
        same("ZLEXCOUNT", "lex", "-", "(m010");
        same("ZREMRANGEBYLEX", "lex", "(m010", "[m020");
        same("ZREMRANGEBYSCORE", "big", "10", "(20");
        same("ZREMRANGEBYRANK", "big", "-10", "-5");
        same("ZRANGE", "big", "0", "-1", "WITHSCORES");
        same("ZRANGE", "lex", "0", "-1");
    }

    @Test
    void shouldRemoveMembersAndRanges() throws IOException {
        same("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e");
        same("ZREM", "z", "a", "nope", "a");
        same("ZREM", "none", "a");
        same("ZREM", "z");
        same("ZREMRANGEBYRANK", "z", "0", "0");
        same("ZREMRANGEBYRANK", "z", "5", "10");
        same("ZREMRANGEBYRANK", "z", "-1", "-2");
        same("ZREMRANGEBYRANK", "z", "x", "1");
        same("ZREMRANGEBYRANK", "none", "0", "1");
        same("ZREMRANGEBYSCORE", "z", "(3", "4");
        same("ZREMRANGEBYSCORE", "z", "x", "4");
        same("ZREMRANGEBYSCORE", "none", "0", "1");
        same("ZREMRANGEBYSCORE", "z", "5", "1");
        same("ZRANGE", "z", "0", "-1", "WITHSCORES");
        same("ZREMRANGEBYRANK", "z", "0", "-1");
        same("EXISTS", "z");
        same("ZADD", "l", "0", "a", "0", "b", "0", "c");
        same("ZREMRANGEBYLEX", "l", "(a", "+");
        same("ZREMRANGEBYLEX", "l", "a", "+");
        same("ZREMRANGEBYLEX", "none", "-", "+");
        same("ZREMRANGEBYLEX", "l", "-", "+");
        same("EXISTS", "l");
        same("ZREMRANGEBYLEX", "l", "-");
        same("SET", "s", "v");
        same("ZREM", "s", "a");
        same("ZREMRANGEBYRANK", "s", "0", "1");
        same("ZREMRANGEBYSCORE", "s", "0", "1");
        same("ZREMRANGEBYLEX", "s", "-", "+");
        same("ZREMRANGEBYRANK", "s", "x", "1");
    }

    @Test
    void shouldPopFromEitherEnd() throws IOException {
        same("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e");
        same("ZPOPMIN", "z");
        same("ZPOPMAX", "z");
        same("ZPOPMIN", "z", "2");
        same("ZPOPMAX", "z", "0");
        same("ZPOPMIN", "z", "-1");
        same("ZPOPMIN", "z", "x");
        same("ZPOPMIN", "z", "1", "2");
        same("ZPOPMAX", "z", "10");
        same("EXISTS", "z");
        same("ZPOPMIN", "none");
        same("ZPOPMAX", "none", "3");
        same("ZPOPMIN", "none", "x");
        same("ZPOPMIN");
        same("SET", "s", "v");
        same("ZPOPMIN", "s");
        same("ZPOPMAX", "s", "0");
        same("ZPOPMAX", "s", "x");
    }

    @Test
    void shouldPickRandomMembersAsRedisWhereItIsDeterministic() throws IOException {
        same("ZADD", "one", "1.5", "only");
        same("ZRANDMEMBER", "one");
        same("ZRANDMEMBER", "one", "1");
        same("ZRANDMEMBER", "one", "-3");
        same("ZRANDMEMBER", "one", "-3", "WITHSCORES");
        same("ZRANDMEMBER", "one", "5", "withscores");
        same("ZADD", "z", "1", "a", "2", "b", "3", "c");
        same("ZRANDMEMBER", "z", "3", "WITHSCORES");
        same("ZRANDMEMBER", "z", "100");
        same("ZRANDMEMBER", "z", "0");
        same("ZRANDMEMBER", "z", "0", "WITHSCORES");
        same("ZRANDMEMBER", "none");
        same("ZRANDMEMBER", "none", "2");
        same("ZRANDMEMBER", "none", "-2", "WITHSCORES");
        same("ZRANDMEMBER", "z", "x");
        same("ZRANDMEMBER", "z", "-9223372036854775808");
        same("ZRANDMEMBER", "z", "4611686018427387904", "WITHSCORES");
        same("ZRANDMEMBER", "z", "-4611686018427387904", "WITHSCORES");
        same("ZRANDMEMBER", "z", "1", "WITHSCORE");
        same("ZRANDMEMBER", "z", "1", "WITHSCORES", "x");
        same("ZRANDMEMBER", "none", "x");
        same("SET", "s", "v");
        same("ZRANDMEMBER", "s");
        same("ZRANDMEMBER", "s", "1");
        same("ZRANDMEMBER", "s", "x");
        same("ZRANDMEMBER");
    }

    @Test
    void shouldPickRandomMembersOfTheRightShape() throws IOException {
        fill(o, "z", 10, 1);
        fill(o, "big", 200, 1);
        for (String key : List.of("z", "big")) {
            for (String count : List.of("1", "3", "8", "-5", "-30")) {
                for (boolean ws : List.of(false, true)) {
                    String[] r = ws ? o.both("ZRANDMEMBER", key, count, "WITHSCORES") : o.both("ZRANDMEMBER", key, count);
                    List<Object> theirs = Resp.parse(r[0]);
                    List<Object> ours = Resp.parse(r[1]);
                    assertEquals(theirs.size(), ours.size(), key + " " + count);
                    Set<Object> members = new HashSet<>();
                    for (int i = 0; i < ours.size(); i += ws ? 2 : 1) {
                        String m = (String) ours.get(i);
                        assertTrue(m.matches("m\\d{3}"), m);
                        members.add(m);
                        if (ws) {
                            assertEquals(Integer.toString(Integer.parseInt(m.substring(1))), ours.get(i + 1));
                        }
                    }
                    if (!count.startsWith("-")) {
                        assertEquals(ours.size() / (ws ? 2 : 1), members.size(), "distinct members");
                    }
                }
            }
            String[] single = o.both("ZRANDMEMBER", key);
            assertTrue(single[1].startsWith("$4\r\nm"), single[1]);
        }
    }

    @Test
    void shouldScanSmallSetsWholeAndLargeSetsByCursor() throws IOException {
        same("ZADD", "z", "1", "a", "2", "b", "3", "ab", "1.5", "c");
        same("ZSCAN", "z", "0");
        same("ZSCAN", "z", "17");
        same("ZSCAN", "z", "");
        same("ZSCAN", "z", "-1");
        same("ZSCAN", "z", "+5");
        same("ZSCAN", "z", "0", "MATCH", "a*");
        same("ZSCAN", "z", "0", "MATCH", "*", "COUNT", "1");
        same("ZSCAN", "z", "0", "match", "[ab]", "count", "100");
        same("ZSCAN", "z", "0", "COUNT", "0");
        same("ZSCAN", "z", "0", "COUNT", "-1");
        same("ZSCAN", "z", "0", "COUNT", "x");
        same("ZSCAN", "z", "0", "COUNT");
        same("ZSCAN", "z", "0", "MATCH");
        same("ZSCAN", "z", "0", "TYPE", "zset");
        same("ZSCAN", "z", "0", "NOVALUES");
        same("ZSCAN", "z", " 5");
        same("ZSCAN", "z", "0\0x");
        same("ZSCAN", "z", "x");
        same("ZSCAN", "z", "18446744073709551615");
        same("ZSCAN", "z", "18446744073709551616");
        same("ZSCAN", "z", "-");
        same("ZSCAN", "none", "0");
        same("ZSCAN", "none", "0", "COUNT", "0");
        same("ZSCAN", "none", "x");
        same("ZSCAN", "z");
        same("SET", "s", "v");
        same("ZSCAN", "s", "0");
        same("ZSCAN", "s", "x");

        fill(o, "big", 500, 0.25);
        for (String[] opts : new String[][] {{}, {"COUNT", "37"}, {"MATCH", "m1*", "COUNT", "50"}}) {
            assertEquals(scanAll(0, "big", opts), scanAll(1, "big", opts));
        }
    }

    /** Runs a ZSCAN to its end on one side (0 redis, 1 ours) and returns every member with its score. */
    private static Map<String, String> scanAll(int side, String key, String... opts) throws IOException {
        Map<String, String> seen = new HashMap<>();
        String cursor = "0";
        int calls = 0;
        do {
            List<String> args = new ArrayList<>(List.of("ZSCAN", key, cursor));
            args.addAll(List.of(opts));
            List<Object> reply = Resp.parse(o.both(args.toArray(String[]::new))[side]);
            cursor = (String) reply.get(0);
            @SuppressWarnings("unchecked")
            List<Object> items = (List<Object>) reply.get(1);
            for (int i = 0; i < items.size(); i += 2) {
                seen.put((String) items.get(i), (String) items.get(i + 1));
            }
            assertTrue(++calls < 10_000, "the scan ends");
        } while (!cursor.equals("0"));
        return seen;
    }

    /** A small RESP2 reader for the tests that compare replies by content. */
    static final class Resp {
        private Resp() {
        }

        /** Parses one array reply into nested lists of strings (null for nil). */
        @SuppressWarnings("unchecked")
        static List<Object> parse(String reply) {
            int[] pos = {0};
            return (List<Object>) value(reply, pos);
        }

        /** The first {@code n} fields of a COMMAND INFO reply's only entry. */
        @SuppressWarnings("unchecked")
        static List<Object> first(String reply, int n) {
            return ((List<Object>) parse(reply).get(0)).subList(0, n);
        }

        private static Object value(String s, int[] pos) {
            int eol = s.indexOf("\r\n", pos[0]);
            char type = s.charAt(pos[0]);
            String head = s.substring(pos[0] + 1, eol);
            pos[0] = eol + 2;
            switch (type) {
                case '$' -> {
                    int len = Integer.parseInt(head);
                    if (len < 0) {
                        return null;
                    }
                    String v = s.substring(pos[0], pos[0] + len);
                    pos[0] += len + 2;
                    return v;
                }
                case '*' -> {
                    int n = Integer.parseInt(head);
                    if (n < 0) {
                        return null;
                    }
                    List<Object> items = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        items.add(value(s, pos));
                    }
                    return items;
                }
                default -> {
                    return type + head;
                }
            }
        }
    }
}
