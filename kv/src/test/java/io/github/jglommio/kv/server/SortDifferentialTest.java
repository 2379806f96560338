package io.github.jglommio.kv.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * SORT and SORT_RO against redis-server 7.0, byte for byte: every option over lists, sets and
 * sorted sets, patterns that read strings and hash fields, STORE, and the errors. On one shard,
 * plus STORE on 3 shards with both keys on one; {@code SortShardsDifferentialTest} runs every case
 * on 3 shards, where the pattern keys live on other shards than the sorted key.
 *
 * <p>No case here makes Redis's {@code strtod} overflow or underflow: Redis does not reset
 * {@code errno} before it, so after one ERANGE every later numeric sort of the process fails
 * until some system call changes {@code errno}. That case is covered by {@code SortCommandTest}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SortDifferentialTest {
    @TempDir
    static Path dir;
    /** The server most cases run on: of one shard here, of several in a subclass. */
    private static Oracle one;
    private static Oracle three;

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(Oracle.available(), Oracle.MISSING);
        one = Oracle.start(Files.createDirectories(dir.resolve("one")), 1);
        three = Oracle.start(Files.createDirectories(dir.resolve("three")), 3);
    }

    /** Replaces the main pair by one whose server has {@code shards} shards (for a subclass's {@code @BeforeAll}). */
    static void restartWith(int shards) throws IOException {
        one.close();
        one = null;
        one = Oracle.start(Files.createDirectories(dir.resolve("one-" + shards)), shards);
    }

    @AfterAll
    static void stop() throws IOException {
        if (one != null) {
            one.close();
        }
        if (three != null) {
            three.close();
        }
    }

    @BeforeEach
    void flush() throws IOException {
        one.flush();
        three.flush();
    }

    private static String[] cmd(String... args) {
        return args;
    }

    private static String[] with(String[] head, String... tail) {
        String[] all = new String[head.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    /** The option combinations each shape of data is sorted with. */
    private static final List<String[]> OPTIONS = List.of(
            cmd(), cmd("DESC"), cmd("ASC"), cmd("ALPHA"), cmd("alpha", "desc"), cmd("DESC", "ASC"),
            cmd("LIMIT", "0", "2"), cmd("LIMIT", "1", "2"), cmd("LIMIT", "2", "-1"), cmd("LIMIT", "-5", "2"),
            cmd("LIMIT", "0", "0"), cmd("LIMIT", "10", "2"), cmd("LIMIT", "1", "9223372036854775807"),
            cmd("LIMIT", "2", "9223372036854775807"), cmd("LIMIT", "9223372036854775807", "1"),
            cmd("LIMIT", "1", "3", "DESC"), cmd("ALPHA", "LIMIT", "1", "1"),
            cmd("BY", "nosort"), cmd("BY", "nosort", "DESC"), cmd("BY", "nosort", "LIMIT", "1", "2"),
            cmd("BY", "nosort", "LIMIT", "1", "2", "DESC"), cmd("BY", "nosort", "LIMIT", "2", "9223372036854775807"),
            cmd("BY", "w_*"), cmd("BY", "w_*", "DESC"), cmd("BY", "w_*", "LIMIT", "1", "2"),
            cmd("BY", "h_*->weight"), cmd("BY", "h_*->weight", "DESC", "LIMIT", "0", "3"),
            cmd("BY", "w_*", "ALPHA"), cmd("BY", "nosort", "BY", "w_*"), cmd("BY", "w_*", "BY", "nosort"),
            cmd("GET", "#"), cmd("GET", "o_*"), cmd("GET", "#", "GET", "o_*", "GET", "h_*->name"),
            cmd("BY", "w_*", "GET", "h_*->name", "GET", "#"), cmd("GET", "h_*->"), cmd("GET", "*->name"),
            cmd("GET", "o_*_*"), cmd("GET", "nosuch"), cmd("GET", "o_*", "BY", "nosort", "DESC"),
            cmd("BY", "h_*->missing"), cmd("BY", "missing_*", "DESC"));

    /** Weights, names and hashes for the elements 1, 2, 3, 5 and 10. */
    private static void patterns() throws IOException {
        one.same("MSET", "w_1", "50", "w_2", "40", "w_3", "-1.5", "w_5", "0x10", "w_10", "1e1");
        one.same("MSET", "o_1", "one", "o_2", "two", "o_10", "ten");
        one.same("HSET", "h_1", "name", "n1", "weight", "3");
        one.same("HSET", "h_2", "name", "n2", "weight", "1");
        one.same("HSET", "h_5", "name", "n5", "weight", "2.5");
        one.same("RPUSH", "w_3x", "not a string");
    }

    private static void sortAll(String key) throws IOException {
        for (String[] o : OPTIONS) {
            one.same(with(cmd("SORT", key), o));
            one.same(with(cmd("SORT_RO", key), o));
        }
    }

    @Test
    void shouldSortAListWithEveryOption() throws IOException {
        patterns();
        one.same("RPUSH", "l", "3", "1", "10", "2", "5", "2");
        sortAll("l");
    }

    @Test
    void shouldSortASetOfIntegersInItsOwnOrder() throws IOException {
        patterns();
        // An intset walks in numeric order, so even BY nosort answers as Redis does.
        one.same("SADD", "s", "3", "1", "10", "2", "5");
        sortAll("s");
    }

    @Test
    void shouldSortASortedSetWithEveryOption() throws IOException {
        patterns();
        one.same("ZADD", "z", "5", "1", "4", "2", "3", "3", "2", "5", "1", "10");
        sortAll("z");
    }

    @Test
    void shouldSortAHashTableSetWhereOrderIsDefined() throws IOException {
        one.same("SADD", "s", "b", "c", "a", "dd", "10");
        one.same("MSET", "w_a", "3", "w_b", "2", "w_c", "1", "w_dd", "0", "w_10", "9");
        one.same("SORT", "s", "ALPHA");
        one.same("SORT", "s", "ALPHA", "DESC", "LIMIT", "1", "3");
        one.same("SORT", "s", "BY", "w_*");
        one.same("SORT", "s", "BY", "w_*", "GET", "#", "GET", "w_*");
        one.same("SORT", "s");
        // Without sorting, a hash table's order is its own: compare the elements only.
        one.sameUnordered(false, "SORT", "s", "BY", "nosort");
        one.same("SORT", "s", "BY", "nosort", "STORE", "d");
        one.same("LRANGE", "d", "0", "-1");
        one.same("SORT", "s", "BY", "nosort", "DESC", "LIMIT", "1", "2", "STORE", "d");
        one.same("LRANGE", "d", "0", "-1");
    }

    @Test
    void shouldSortAlphaByBytes() throws IOException {
        one.same("RPUSH", "l", "b", "a", "ab", "", "a10", "a2", "b1", "é", "zz", "0", "10", "9");
        one.same("SORT", "l", "ALPHA");
        one.same("SORT", "l", "ALPHA", "DESC");
        one.same("SORT", "l", "ALPHA", "LIMIT", "2", "5");
        // STORE compares binary; upper case sorts before lower case under either rule.
        one.same("RPUSH", "m", "b", "B", "a", "A", "_", "~");
        one.same("SORT", "m", "ALPHA", "STORE", "d");
        one.same("LRANGE", "d", "0", "-1");
        one.same("MSET", "w_a", "x", "w_b", "y", "w_A", "z", "w_B", "w", "w__", "v", "w_~", "u");
        one.same("SORT", "m", "BY", "w_*", "ALPHA");
        one.same("SORT", "m", "BY", "w_*", "ALPHA", "DESC", "STORE", "d");
        one.same("LRANGE", "d", "0", "-1");
    }

    @Test
    void shouldParseNumbersAsStrtod() throws IOException {
        one.same("RPUSH", "l", "1.5", "-inf", "inf", "+5", ".5", "5.", "INFINITY", "-Infinity", "1E5", "0x10",
                "0x1.8p1", "0XaP-2", "", " 3", "\t4", "-0", "0", "00", "01", "1e308", "-2.5e-3", "7");
        one.same("SORT", "l");
        one.same("SORT", "l", "DESC");
        one.same("SORT", "l", "LIMIT", "3", "4");
        for (String bad : List.of("3 ", "abc", "nan", "-nan", "0x", "1e", "1e+", "+", "-", ".", " ", "1.2.3", "0x1p",
                "infx", "in", "1d", "1f", "0b1", "1_000", "١")) {
            one.same("DEL", "b");
            one.same("RPUSH", "b", "1", bad);
            one.same("SORT", "b");
            one.same("SORT", "b", "ALPHA");
            one.same("SET", "w_x", bad);
            one.same("RPUSH", "c", "x");
            one.same("SORT", "c", "BY", "w_*");
        }
    }

    @Test
    void shouldStoreTheResultAsAList() throws IOException {
        patterns();
        one.same("RPUSH", "l", "3", "1", "2", "10");
        one.same("SET", "dst", "old");
        one.same("EXPIRE", "dst", "1000");
        one.same("SORT", "l", "STORE", "dst");
        one.same("TYPE", "dst");
        one.same("TTL", "dst");
        one.same("LRANGE", "dst", "0", "-1");
        one.same("SORT", "l", "BY", "w_*", "GET", "o_*", "GET", "#", "STORE", "dst");
        one.same("LRANGE", "dst", "0", "-1");
        one.same("SORT", "l", "LIMIT", "0", "0", "STORE", "dst");
        one.same("EXISTS", "dst");
        one.same("SORT", "l", "LIMIT", "0", "0", "STORE", "dst");
        one.same("SORT", "nope", "STORE", "dst");
        one.same("SORT", "l", "DESC", "STORE", "l");
        one.same("LRANGE", "l", "0", "-1");
        one.same("SORT", "l", "STORE", "a", "STORE", "b");
        one.same("EXISTS", "a", "b");
        one.same("ZADD", "z", "2", "x", "1", "y");
        one.same("SORT", "z", "BY", "nosort", "DESC", "STORE", "dst");
        one.same("LRANGE", "dst", "0", "-1");
        one.same("SORT", "z", "BY", "nosort", "GET", "nosuch_*", "STORE", "dst");
        one.same("LRANGE", "dst", "0", "-1");
        one.same("SORT", "z", "STORE", "dst");
        one.same("EXISTS", "dst");
    }

    @Test
    void shouldAnswerErrorsInRedisOrder() throws IOException {
        one.same("SET", "s", "x");
        one.same("HSET", "h", "f", "v");
        one.same("RPUSH", "l", "a", "b");
        for (String c : List.of("SORT", "SORT_RO")) {
            one.same(c);
            one.same(c, "s");
            one.same(c, "h");
            one.same(c, "s", "FOO");
            one.same(c, "nope", "FOO");
            one.same(c, "nope");
            one.same(c, "l");
            one.same(c, "l", "GET", "#");
            one.same(c, "l", "ALPHA", "GET", "#");
            one.same(c, "l", "LIMIT");
            one.same(c, "l", "LIMIT", "1");
            one.same(c, "l", "LIMIT", "a", "1");
            one.same(c, "l", "LIMIT", "1", "a");
            one.same(c, "l", "LIMIT", "1.5", "1");
            one.same(c, "l", "LIMIT", "a", "1", "FOO");
            one.same(c, "s", "LIMIT", "a", "1");
            one.same(c, "l", "BY");
            one.same(c, "l", "GET");
            one.same(c, "l", "STORE");
            one.same(c, "l", "STORE", "d");
            one.same(c, "l", "ALPHA", "STORE", "d", "FOO");
            one.same(c, "s", "STORE", "d");
            one.same(c, "l", "GET", "#", "GET", "");
        }
        one.same("EXISTS", "d");
    }

    @Test
    void shouldStoreOnThreeShardsWhenBothKeysShareOne() throws IOException {
        List<String> keys = KeysDifferentialTest.sameShard(3, 2);
        three.same("RPUSH", keys.get(0), "b", "c", "a");
        three.same("SORT", keys.get(0), "ALPHA", "STORE", keys.get(1));
        three.same("LRANGE", keys.get(1), "0", "-1");
        three.same("SORT", keys.get(0), "ALPHA", "DESC");
        three.same("SORT_RO", keys.get(0), "ALPHA", "LIMIT", "1", "1");
    }
}
