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
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The list commands against redis-server 7.0, byte for byte: every command and option, the error
 * paths and their order, missing keys and the reply types. Single-key commands run on 3 shards;
 * the commands that move elements between keys (LMOVE, RPOPLPUSH, LMPOP) run on 1 shard, and
 * once on 3 shards with keys that share a shard.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ListsDifferentialTest {
    private static final String MAX = Long.toString(Long.MAX_VALUE);
    private static final String MIN = Long.toString(Long.MIN_VALUE);
    private static final String NEG_MAX = Long.toString(-Long.MAX_VALUE);
    private static final String TOO_BIG = "9223372036854775808";

    @TempDir
    static Path dir;
    private static Oracle sharded;
    private static Oracle single;

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(Oracle.available(), Oracle.MISSING);
        sharded = Oracle.start(Files.createDirectories(dir.resolve("three")), 3);
        single = Oracle.start(Files.createDirectories(dir.resolve("one")), 1);
    }

    @AfterAll
    static void stop() throws IOException {
        try {
            if (sharded != null) {
                sharded.close();
            }
        } finally {
            if (single != null) {
                single.close();
            }
        }
    }

    @BeforeEach
    void flush() throws IOException {
        sharded.flush();
        single.flush();
    }

    private static String[] r(String... args) {
        return args;
    }

    private static String[] concat(String[] head, String... tail) {
        String[] all = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    // ---- push, length ----------------------------------------------------------------------

    @Test
    void shouldPushAtEitherEndLikeRedis() throws IOException {
        Oracle o = sharded;
        o.same(r("RPUSH", "l", "a", "b", "c"), r("LPUSH", "l", "z", "y"), r("rpush", "l", "", "é"),
            r("LRANGE", "l", "0", "-1"), r("LLEN", "l"), r("LLEN", "missing"), r("TYPE", "l"));
        o.same(r("LPUSHX", "missing", "a"), r("RPUSHX", "missing", "a", "b"), r("EXISTS", "missing"));
        o.same(r("LPUSHX", "l", "x1", "x2"), r("RPUSHX", "l", "y1"), r("LRANGE", "l", "0", "-1"));
        o.same(r("SET", "s", "v"), r("LPUSH", "s", "a"), r("RPUSH", "s", "a"), r("LPUSHX", "s", "a"),
            r("RPUSHX", "s", "a"), r("LLEN", "s"));
        o.same(r("HSET", "h", "f", "v"), r("LPUSH", "h", "a"), r("LLEN", "h"));
        for (String name : List.of("LPUSH", "RPUSH", "LPUSHX", "RPUSHX")) {
            o.same(name, "l");
            o.same(name);
        }
        o.same(r("LLEN"), r("LLEN", "l", "extra"));
    }

    @Test
    void shouldKeepAListOfManyElementsInOrder() throws IOException {
        Oracle o = sharded;
        List<String> items = new ArrayList<>(List.of("RPUSH", "big"));
        for (int i = 0; i < 700; i++) {
            items.add("e" + (i % 50));
        }
        o.same(items.toArray(String[]::new));
        o.same(r("LPUSH", "big", "head"), r("LRANGE", "big", "0", "-1"), r("LRANGE", "big", "300", "320"),
            r("LRANGE", "big", "-20", "-1"), r("LINDEX", "big", "350"), r("LINDEX", "big", "-351"),
            r("LPOS", "big", "e7", "COUNT", "0"), r("LPOS", "big", "e7", "RANK", "-3", "COUNT", "4"),
            r("LSET", "big", "500", "changed"), r("LINSERT", "big", "BEFORE", "e49", "new"),
            r("LREM", "big", "-5", "e3"), r("LREM", "big", "0", "e4"), r("LLEN", "big"),
            r("LTRIM", "big", "100", "-100"), r("LRANGE", "big", "0", "-1"), r("LPOP", "big", "200"),
            r("RPOP", "big", "200"), r("LRANGE", "big", "0", "-1"));
    }

    // ---- LPOP / RPOP -----------------------------------------------------------------------

    @Test
    void shouldPopWithAndWithoutCountLikeRedis() throws IOException {
        Oracle o = sharded;
        o.same(r("RPUSH", "l", "a", "b", "c", "d", "e"), r("LPOP", "l"), r("RPOP", "l"), r("LPOP", "l", "0"),
            r("RPOP", "l", "0"), r("LPOP", "l", "1"), r("RPOP", "l", "1"), r("LPOP", "l", "5"), r("EXISTS", "l"));
        o.same(r("LPOP", "l"), r("RPOP", "l"), r("LPOP", "l", "0"), r("RPOP", "l", "3"));
        o.same(r("RPUSH", "l", "a", "b", "c"), r("RPOP", "l", "3"), r("EXISTS", "l"));
        o.same(r("RPUSH", "l", "a"), r("LPOP", "l", MAX), r("EXISTS", "l"));
        for (String bad : List.of("-1", "x", "1.5", "", TOO_BIG, MIN, " 1", "+1", "01")) {
            o.same("LPOP", "l", bad);
            o.same("RPOP", "missing", bad);
        }
        o.same(r("SET", "s", "v"), r("LPOP", "s"), r("RPOP", "s", "1"), r("LPOP", "s", "0"), r("RPOP", "s", "-1"));
        o.same(r("LPOP"), r("RPOP"), r("LPOP", "l", "1", "2"), r("RPOP", "l", "1", "2", "3"));
    }

    // ---- LRANGE / LINDEX / LSET ------------------------------------------------------------

    private static final List<String> INDEXES = List.of("0", "1", "3", "6", "7", "100", "-1", "-2", "-7", "-8",
        "-100", MAX, MIN);

    @Test
    void shouldRangeOverEveryIndexPair() throws IOException {
        Oracle o = sharded;
        o.same("RPUSH", "l", "a", "b", "c", "d", "e", "f", "g");
        for (String start : INDEXES) {
            for (String stop : INDEXES) {
                o.same("LRANGE", "l", start, stop);
            }
        }
        o.same(r("LRANGE", "missing", "0", "-1"), r("LRANGE", "missing", "x", "1"), r("LRANGE", "l", "x", "1"),
            r("LRANGE", "l", "0", "1.0"), r("LRANGE", "l", "0", TOO_BIG), r("SET", "s", "v"),
            r("LRANGE", "s", "0", "-1"), r("LRANGE", "s", "0", "x"), r("LRANGE", "l", "0"),
            r("LRANGE", "l", "0", "1", "2"));
    }

    @Test
    void shouldIndexFromEitherEnd() throws IOException {
        Oracle o = sharded;
        o.same("RPUSH", "l", "a", "b", "c", "d", "e", "f", "g");
        for (String i : INDEXES) {
            o.same("LINDEX", "l", i);
        }
        // The key is looked at before the index: a missing key answers null even to a bad index.
        o.same(r("LINDEX", "missing", "0"), r("LINDEX", "missing", "x"), r("LINDEX", "l", "x"),
            r("LINDEX", "l", TOO_BIG), r("SET", "s", "v"), r("LINDEX", "s", "0"), r("LINDEX", "s", "x"),
            r("LINDEX", "l"), r("LINDEX", "l", "0", "1"));
    }

    @Test
    void shouldSetByIndexOrAnswerRedisErrors() throws IOException {
        Oracle o = sharded;
        o.same("RPUSH", "l", "a", "b", "c", "d", "e", "f", "g");
        for (String i : INDEXES) {
            o.same("LSET", "l", i, "set" + i);
        }
        o.same(r("LRANGE", "l", "0", "-1"), r("LSET", "missing", "0", "x"), r("LSET", "missing", "x", "x"),
            r("EXISTS", "missing"), r("LSET", "l", "x", "v"), r("LSET", "l", "1.5", "v"), r("SET", "s", "v"),
            r("LSET", "s", "0", "x"), r("LSET", "s", "x", "x"), r("LSET", "l", "0"), r("LSET", "l", "0", "a", "b"));
    }

    // ---- LINSERT / LREM / LTRIM ------------------------------------------------------------

    @Test
    void shouldInsertBeforeAndAfterTheFirstPivot() throws IOException {
        Oracle o = sharded;
        o.same(r("RPUSH", "l", "a", "b", "a", "c"), r("LINSERT", "l", "BEFORE", "a", "x"),
            r("LINSERT", "l", "after", "a", "y"), r("LINSERT", "l", "After", "c", "tail"),
            r("LINSERT", "l", "before", "x", "head"), r("LINSERT", "l", "BEFORE", "nope", "z"),
            r("LINSERT", "l", "AFTER", "", "z"), r("LINSERT", "l", "AFTER", "b", ""), r("LRANGE", "l", "0", "-1"));
        o.same(r("LINSERT", "missing", "BEFORE", "a", "x"), r("EXISTS", "missing"),
            r("LINSERT", "missing", "MIDDLE", "a", "x"), r("LINSERT", "l", "MIDDLE", "a", "x"),
            r("LINSERT", "l", "BEFOREX", "a", "x"), r("SET", "s", "v"), r("LINSERT", "s", "BEFORE", "a", "x"),
            r("LINSERT", "s", "UP", "a", "x"), r("LINSERT", "l", "BEFORE", "a"),
            r("LINSERT", "l", "BEFORE", "a", "x", "y"), r("LRANGE", "l", "0", "-1"));
    }

    @Test
    void shouldRemoveByTheSignOfTheCount() throws IOException {
        Oracle o = sharded;
        String[] fill = r("RPUSH", "l", "x", "a", "x", "b", "x", "x", "c", "x");
        for (String count : List.of("0", "1", "2", "-1", "-2", "-3", "100", "-100", MAX, MIN)) {
            o.same(r("DEL", "l"), fill, r("LREM", "l", count, "x"), r("LRANGE", "l", "0", "-1"));
        }
        o.same(r("DEL", "l"), fill, r("LREM", "l", "0", "nope"), r("LREM", "l", "0", "x"), r("LREM", "l", "-1", "a"),
            r("LREM", "l", "1", "b"), r("LREM", "l", "1", "c"), r("EXISTS", "l"));
        o.same(r("LREM", "missing", "0", "x"), r("LREM", "missing", "x", "x"), r("RPUSH", "l", "a"),
            r("LREM", "l", "x", "a"), r("LREM", "l", TOO_BIG, "a"), r("SET", "s", "v"), r("LREM", "s", "0", "a"),
            r("LREM", "s", "x", "a"), r("LREM", "l", "0"), r("LREM", "l", "0", "a", "b"));
    }

    @Test
    void shouldTrimToEveryIndexPair() throws IOException {
        Oracle o = sharded;
        String[] fill = r("RPUSH", "l", "a", "b", "c", "d", "e", "f", "g");
        for (String start : INDEXES) {
            for (String stop : INDEXES) {
                o.same(r("DEL", "l"), fill, r("LTRIM", "l", start, stop), r("LRANGE", "l", "0", "-1"), r("EXISTS", "l"));
            }
        }
        o.same(r("LTRIM", "missing", "0", "1"), r("EXISTS", "missing"), r("LTRIM", "missing", "x", "1"),
            r("LTRIM", "l", "0", "x"), r("SET", "s", "v"), r("LTRIM", "s", "0", "1"), r("LTRIM", "s", "x", "1"),
            r("LTRIM", "l", "0"), r("LTRIM", "l", "0", "1", "2"));
    }

    // ---- LPOS ------------------------------------------------------------------------------

    @Test
    void shouldFindPositionsWithEveryCombinationOfOptions() throws IOException {
        Oracle o = sharded;
        o.same("RPUSH", "l", "a", "b", "c", "a", "b", "c", "a", "x", "a");
        List<String[]> ranks = List.of(r(), r("RANK", "1"), r("RANK", "2"), r("RANK", "4"), r("RANK", "5"),
            r("RANK", "-1"), r("RANK", "-2"), r("RANK", "-4"), r("RANK", "-5"), r("rank", MAX), r("RANK", NEG_MAX),
            r("RANK", MIN));
        List<String[]> counts = List.of(r(), r("COUNT", "0"), r("count", "1"), r("COUNT", "2"), r("COUNT", "10"),
            r("COUNT", MAX));
        List<String[]> maxLens = List.of(r(), r("MAXLEN", "0"), r("MAXLEN", "1"), r("maxlen", "4"),
            r("MAXLEN", "100"));
        for (String element : List.of("a", "c", "nope")) {
            for (String[] rank : ranks) {
                for (String[] count : counts) {
                    for (String[] maxLen : maxLens) {
                        o.same(concat(concat(concat(r("LPOS", "l", element), rank), count), maxLen));
                    }
                }
            }
        }
        // Options in any order, the last one of a kind wins.
        o.same(r("LPOS", "l", "a", "MAXLEN", "7", "COUNT", "0", "RANK", "-1"),
            r("LPOS", "l", "a", "RANK", "1", "RANK", "2", "COUNT", "5", "COUNT", "1"));
        o.same(r("LPOS", "missing", "a"), r("LPOS", "missing", "a", "COUNT", "0"),
            r("LPOS", "missing", "a", "RANK", "2", "MAXLEN", "3"), r("LPOS", "missing", "a", "COUNT", "3"));
    }

    @Test
    void shouldAnswerLposOptionErrorsInRedisOrder() throws IOException {
        Oracle o = sharded;
        o.same(r("RPUSH", "l", "a", "b"), r("SET", "s", "v"));
        for (String key : List.of("l", "missing", "s")) {
            o.same(r("LPOS", key, "a", "RANK", "0"), r("LPOS", key, "a", "RANK", "x"), r("LPOS", key, "a", "RANK", TOO_BIG),
                r("LPOS", key, "a", "COUNT", "-1"), r("LPOS", key, "a", "COUNT", "x"),
                r("LPOS", key, "a", "COUNT", TOO_BIG), r("LPOS", key, "a", "MAXLEN", "-1"),
                r("LPOS", key, "a", "MAXLEN", "x"), r("LPOS", key, "a", "FOO", "1"), r("LPOS", key, "a", "RANK"),
                r("LPOS", key, "a", "COUNT"), r("LPOS", key, "a", "MAXLEN"), r("LPOS", key, "a", "COUNT", "1", "RANK"),
                r("LPOS", key, "a", "RANK", "0", "COUNT", "-1"), r("LPOS", key, "a", "COUNT", "-1", "RANK", "0"),
                r("LPOS", key, "a", "RANK", "0", "FOO"), r("LPOS", key, "a", "FOO", "RANK", "0"),
                r("LPOS", key, "a", "RANK", "1"), r("LPOS", key, "a"));
        }
        o.same(r("LPOS", "l"), r("LPOS"));
    }

    // ---- type, arity, COMMAND INFO ---------------------------------------------------------

    private static final List<String[]> EVERY_COMMAND = List.of(r("LPUSH", "K", "a"), r("RPUSH", "K", "a"),
        r("LPUSHX", "K", "a"), r("RPUSHX", "K", "a"), r("LPOP", "K"), r("LPOP", "K", "2"), r("RPOP", "K"),
        r("RPOP", "K", "0"), r("LLEN", "K"), r("LRANGE", "K", "0", "-1"), r("LINDEX", "K", "0"),
        r("LSET", "K", "0", "v"), r("LINSERT", "K", "BEFORE", "a", "b"), r("LREM", "K", "0", "a"),
        r("LTRIM", "K", "0", "1"), r("LPOS", "K", "a"), r("LPOS", "K", "a", "COUNT", "0"), r("RPOPLPUSH", "K", "K"),
        r("LMOVE", "K", "K", "LEFT", "RIGHT"), r("LMPOP", "1", "K", "LEFT"));

    private static String[] on(String key, String[] cmd) {
        String[] c = cmd.clone();
        for (int i = 1; i < c.length; i++) {
            if (c[i].equals("K")) {
                c[i] = key;
            }
        }
        return c;
    }

    @Test
    void shouldAnswerWrongTypeForEveryOtherType() throws IOException {
        Oracle o = single;
        o.same(r("SET", "str", "v"), r("SADD", "set", "m"), r("HSET", "hash", "f", "v"), r("ZADD", "zset", "1", "m"));
        for (String key : List.of("str", "set", "hash", "zset")) {
            for (String[] cmd : EVERY_COMMAND) {
                o.same(on(key, cmd));
            }
            o.same(r("TYPE", key));
        }
    }

    @Test
    void shouldAnswerMissingKeysWithRedisReplyTypes() throws IOException {
        Oracle o = single;
        for (String[] cmd : EVERY_COMMAND) {
            o.same(on("missing", cmd));
            o.same("DEL", "missing");
        }
    }

    @Test
    void shouldAnswerArityErrors() throws IOException {
        Oracle o = sharded;
        o.same(r("LPUSH"), r("LPUSH", "k"), r("RPUSHX", "k"), r("LPOP"), r("RPOP", "k", "1", "x"), r("LLEN"),
            r("LLEN", "k", "k"), r("LRANGE", "k", "0"), r("LINDEX", "k"), r("LSET", "k", "0"), r("LINSERT", "k", "BEFORE", "a"),
            r("LREM", "k", "0"), r("LTRIM", "k", "0"), r("LPOS", "k"), r("RPOPLPUSH", "k"), r("RPOPLPUSH", "a", "b", "c"),
            r("LMOVE", "a", "b", "LEFT"), r("LMOVE", "a", "b", "LEFT", "RIGHT", "x"), r("LMPOP", "1", "k"), r("LMPOP"));
    }

    @Test
    void shouldDescribeListCommandsAsRedisDoes() throws IOException {
        for (String name : List.of("lpush", "rpush", "lpushx", "rpushx", "lpop", "rpop", "llen", "lrange", "lindex",
                "lset", "linsert", "lrem", "ltrim", "lpos", "rpoplpush", "lmove", "lmpop")) {
            String[] replies = sharded.both("COMMAND", "INFO", name);
            // Name, arity, flags and key positions; ACL categories, tips and key specs are not ours.
            assertEquals(firstSixFields(replies[0]), firstSixFields(replies[1]), name);
        }
    }

    /** The wire text of a one-command COMMAND INFO reply up to its key step. */
    private static String firstSixFields(String reply) {
        String[] lines = reply.split("\r\n");
        int flags = Integer.parseInt(lines[5].substring(1));
        return String.join("\n", Arrays.copyOfRange(lines, 0, 6 + flags + 3));
    }

    // ---- LMOVE / RPOPLPUSH -----------------------------------------------------------------

    @Test
    void shouldMoveBetweenEveryPairOfEnds() throws IOException {
        Oracle o = single;
        for (String from : List.of("LEFT", "RIGHT")) {
            for (String to : List.of("left", "Right")) {
                o.same(r("DEL", "src", "dst"), r("RPUSH", "src", "a", "b", "c"), r("LMOVE", "src", "dst", from, to),
                    r("LMOVE", "src", "dst", from, to), r("RPUSH", "dst", "old"), r("LMOVE", "src", "dst", from, to),
                    r("LRANGE", "dst", "0", "-1"), r("EXISTS", "src"), r("LMOVE", "src", "dst", from, to));
            }
        }
    }

    @Test
    void shouldRotateWhenSourceAndDestinationAreOneKey() throws IOException {
        Oracle o = single;
        o.same(r("RPUSH", "l", "a", "b", "c"), r("LMOVE", "l", "l", "LEFT", "RIGHT"), r("LRANGE", "l", "0", "-1"),
            r("LMOVE", "l", "l", "RIGHT", "LEFT"), r("LMOVE", "l", "l", "LEFT", "LEFT"),
            r("LMOVE", "l", "l", "RIGHT", "RIGHT"), r("RPOPLPUSH", "l", "l"), r("LRANGE", "l", "0", "-1"));
        o.same(r("RPUSH", "one", "x"), r("LMOVE", "one", "one", "LEFT", "RIGHT"), r("RPOPLPUSH", "one", "one"),
            r("LRANGE", "one", "0", "-1"), r("LMOVE", "none", "none", "LEFT", "RIGHT"), r("EXISTS", "none"));
    }

    @Test
    void shouldAnswerMoveErrorsInRedisOrder() throws IOException {
        Oracle o = single;
        o.same(r("RPUSH", "l", "a"), r("SET", "s", "v"));
        o.same(r("LMOVE", "l", "d", "LEFT", "UP"), r("LMOVE", "l", "d", "UP", "LEFT"), r("LMOVE", "missing", "d", "x", "y"),
            r("LMOVE", "s", "d", "UP", "LEFT"), r("LMOVE", "missing", "s", "LEFT", "LEFT"), r("LMOVE", "l", "s", "LEFT", "LEFT"),
            r("LMOVE", "s", "l", "LEFT", "LEFT"), r("LMOVE", "s", "missing", "RIGHT", "LEFT"), r("EXISTS", "missing"),
            r("RPOPLPUSH", "missing", "s"), r("RPOPLPUSH", "l", "s"), r("RPOPLPUSH", "s", "l"), r("LRANGE", "l", "0", "-1"),
            r("GET", "s"));
    }

    @Test
    void shouldPopOneIntoAnotherWithRpoplpush() throws IOException {
        Oracle o = single;
        o.same(r("RPUSH", "src", "a", "b", "c"), r("RPOPLPUSH", "src", "dst"), r("RPOPLPUSH", "src", "dst"),
            r("RPOPLPUSH", "src", "dst"), r("RPOPLPUSH", "src", "dst"), r("LRANGE", "dst", "0", "-1"), r("EXISTS", "src"));
        o.same(r("RPUSH", "src", "x"), r("EXPIRE", "dst", "100"), r("RPOPLPUSH", "src", "dst"), r("TTL", "dst"));
    }

    // ---- LMPOP -----------------------------------------------------------------------------

    @Test
    void shouldPopFromTheFirstNonEmptyList() throws IOException {
        Oracle o = single;
        o.same(r("RPUSH", "a", "1", "2", "3"), r("RPUSH", "b", "x", "y"), r("LMPOP", "1", "a", "LEFT"),
            r("LMPOP", "1", "a", "right", "COUNT", "1"), r("LMPOP", "3", "none", "b", "a", "LEFT", "count", "5"),
            r("LMPOP", "2", "b", "a", "RIGHT", "COUNT", "10"), r("EXISTS", "a", "b"), r("LMPOP", "2", "a", "b", "LEFT"),
            r("LMPOP", "1", "none", "LEFT", "COUNT", "3"));
        o.same(r("RPUSH", "a", "1", "2"), r("LMPOP", "2", "a", "a", "LEFT", "COUNT", "1"),
            r("LMPOP", "1", "a", "LEFT", "COUNT", MAX), r("EXISTS", "a"));
        o.same(r("RPUSH", "a", "1"), r("SET", "s", "v"), r("LMPOP", "2", "a", "s", "LEFT"), r("LMPOP", "2", "none", "s", "LEFT"),
            r("LMPOP", "2", "s", "none", "LEFT"));
    }

    @Test
    void shouldAnswerLmpopErrorsInRedisOrder() throws IOException {
        Oracle o = single;
        o.same("RPUSH", "l", "a", "b");
        for (String[] bad : List.of(r("0", "l", "LEFT"), r("-1", "l", "LEFT"), r("x", "l", "LEFT"), r(TOO_BIG, "l", "LEFT"),
                r("2", "l", "LEFT"), r("3", "l", "LEFT"), r(MAX, "l", "LEFT"), r("2147483648", "l", "LEFT"),
                r("1", "l", "UP"), r("1", "l", "LEFT", "LEFT"), r("1", "l", "LEFT", "COUNT"), r("1", "l", "LEFT", "COUNT", "0"),
                r("1", "l", "LEFT", "COUNT", "-1"), r("1", "l", "LEFT", "COUNT", "x"), r("1", "l", "LEFT", "COUNT", TOO_BIG),
                r("1", "l", "LEFT", "COUNT", "1", "COUNT", "2"), r("1", "l", "LEFT", "FOO", "1"),
                r("1", "l", "LEFT", "COUNT", "1", "FOO"), r("1", "none", "UP"), r("1", "none", "LEFT", "COUNT", "0"),
                r("0", "l", "UP", "COUNT", "0"), r("1", "l", "UP", "COUNT", "0"))) {
            o.same(concat(r("LMPOP"), bad));
        }
        o.same(r("LRANGE", "l", "0", "-1"), r("LMPOP", "1", "l"), r("LMPOP", "1"), r("LMPOP"));
    }

    @Test
    void shouldMoveAndMultiPopOnThreeShardsWhenTheKeysShareOne() throws IOException {
        Oracle o = sharded;
        List<String> keys = new ArrayList<>();
        for (int i = 0; keys.size() < 3; i++) {
            String k = "key" + i;
            if (KeyHash.shardOf(k.getBytes(StandardCharsets.UTF_8), 3) == 1) {
                keys.add(k);
            }
        }
        String a = keys.get(0);
        String b = keys.get(1);
        String c = keys.get(2);
        assertNotEquals(a, b);
        o.same(r("RPUSH", a, "1", "2", "3", "4"), r("LMOVE", a, b, "LEFT", "RIGHT"), r("RPOPLPUSH", a, b),
            r("LMPOP", "3", c, b, a, "RIGHT", "COUNT", "5"), r("LMPOP", "2", c, a, "LEFT"), r("LRANGE", a, "0", "-1"),
            r("LRANGE", b, "0", "-1"), r("LMOVE", a, a, "RIGHT", "LEFT"), r("LMPOP", "2", a, c, "LEFT", "COUNT", "9"),
            r("EXISTS", a, b, c));
    }

    // ---- everything together ---------------------------------------------------------------

    @Test
    void shouldMatchRedisOnRandomListCommands() throws IOException {
        Oracle o = single;
        SplittableRandom random = new SplittableRandom(42);
        o.same("SET", "s", "v");
        for (int i = 0; i < 4000; i++) {
            o.same(randomCommand(random));
        }
        for (String k : KEYS) {
            o.same("LRANGE", k, "0", "-1");
        }
    }

    private static final String[] KEYS = {"a", "b", "c", "s"};
    private static final String[] ELEMENTS = {"x", "y", "z", ""};

    private static String[] randomCommand(SplittableRandom r) {
        String k = KEYS[r.nextInt(KEYS.length)];
        String k2 = KEYS[r.nextInt(KEYS.length)];
        String e = ELEMENTS[r.nextInt(ELEMENTS.length)];
        String e2 = ELEMENTS[r.nextInt(ELEMENTS.length)];
        String i = Integer.toString(r.nextInt(-6, 7));
        String j = Integer.toString(r.nextInt(-6, 7));
        String end = r.nextBoolean() ? "LEFT" : "RIGHT";
        String end2 = r.nextBoolean() ? "LEFT" : "RIGHT";
        return switch (r.nextInt(20)) {
            case 0, 1 -> r("RPUSH", k, e, e2);
            case 2, 3 -> r("LPUSH", k, e, e2, e);
            case 4 -> r(r.nextBoolean() ? "LPUSHX" : "RPUSHX", k, e);
            case 5 -> r(r.nextBoolean() ? "LPOP" : "RPOP", k);
            case 6 -> r(r.nextBoolean() ? "LPOP" : "RPOP", k, Integer.toString(r.nextInt(4)));
            case 7 -> r("LRANGE", k, i, j);
            case 8 -> r("LINDEX", k, i);
            case 9 -> r("LSET", k, i, e);
            case 10 -> r("LINSERT", k, r.nextBoolean() ? "BEFORE" : "AFTER", e, e2);
            case 11 -> r("LREM", k, Integer.toString(r.nextInt(-3, 4)), e);
            case 12 -> r("LTRIM", k, i, j);
            case 13 -> r("LPOS", k, e, "RANK", Integer.toString(r.nextBoolean() ? r.nextInt(1, 4) : -r.nextInt(1, 4)),
                "COUNT", Integer.toString(r.nextInt(3)), "MAXLEN", Integer.toString(r.nextInt(5)));
            case 14 -> r("LPOS", k, e);
            case 15 -> r("LMOVE", k, k2, end, end2);
            case 16 -> r("RPOPLPUSH", k, k2);
            case 17 -> r("LMPOP", "2", k, k2, end, "COUNT", Integer.toString(r.nextInt(1, 4)));
            case 18 -> r("LLEN", k);
            default -> r("LMPOP", "1", k, end);
        };
    }
}
