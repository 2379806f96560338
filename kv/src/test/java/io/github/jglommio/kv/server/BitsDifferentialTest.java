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
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The bitmap commands against redis-server 7.0, reply for reply, byte for byte: SETBIT, GETBIT,
 * BITCOUNT and BITPOS with byte and bit ranges, BITOP, BITFIELD and BITFIELD_RO with every
 * overflow mode, and their errors. String contents are compared byte by byte through
 * {@code BITFIELD_RO ... GET u8}, whose integer replies survive the test client's text decoding.
 * BITOP reads and writes several keys together: it runs on 1 shard, and once on 3 shards with
 * its keys on one shard.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BitsDifferentialTest {
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

    /** Asserts both servers hold the same bytes at {@code key}. */
    private static void sameBytes(Oracle o, String key) throws IOException {
        String len = o.same("STRLEN", key);
        int n = Integer.parseInt(len.substring(1).trim());
        List<String> cmd = new ArrayList<>(List.of("BITFIELD_RO", key));
        for (int i = 0; i < n; i++) {
            cmd.add("GET");
            cmd.add("u8");
            cmd.add("#" + i);
        }
        o.same(cmd.toArray(new String[0]));
    }

    @Test
    void shouldSetAndGetBits() throws IOException {
        oracle.same(r("SETBIT", "b", "7", "1"), r("GET", "b"), r("SETBIT", "b", "7", "1"), r("SETBIT", "b", "7", "0"),
            r("SETBIT", "b", "0", "1"), r("GETBIT", "b", "0"), r("GETBIT", "b", "1"), r("GETBIT", "b", "7"),
            r("GETBIT", "b", "100"), r("GETBIT", "nokey", "0"), r("SETBIT", "b", "100", "0"), r("STRLEN", "b"),
            r("SETBIT", "z", "0", "0"), r("EXISTS", "z"), r("STRLEN", "z"), r("SET", "n", "42"),
            r("GETBIT", "n", "2"), r("GETBIT", "n", "3"), r("SETBIT", "n", "6", "1"), r("GET", "n"),
            r("PEXPIRE", "n", "100000"), r("SETBIT", "n", "30", "1"), r("SET", "a", "A"), r("SETBIT", "a", "6", "1"),
            r("GET", "a"));
        sameBytes(oracle, "b");
        sameBytes(oracle, "n");
        oracle.same(r("SETBIT", "b", "-1", "1"), r("SETBIT", "b", "x", "1"), r("SETBIT", "b", "1.5", "1"),
            r("SETBIT", "b", "#1", "1"), r("SETBIT", "b", "4294967296", "1"), r("SETBIT", "b", "0", "2"),
            r("SETBIT", "b", "0", "-1"), r("SETBIT", "b", "0", "x"), r("SETBIT", "b", "0", ""), r("SETBIT", "b", "x", "x"),
            r("GETBIT", "b", "-1"), r("GETBIT", "b", "x"), r("GETBIT", "b", "4294967296"), r("GETBIT", "b", "4294967295"),
            r("GETBIT", "nokey", "x"), r("SETBIT", "b", "0"), r("GETBIT", "b"), r("SETBIT", "b", "0", "1", "2"),
            r("LPUSH", "l", "x"), r("SETBIT", "l", "0", "1"), r("SETBIT", "l", "x", "1"), r("SETBIT", "l", "0", "5"),
            r("GETBIT", "l", "0"), r("GETBIT", "l", "x"));
    }

    @Test
    void shouldCountBitsInByteAndBitRanges() throws IOException {
        oracle.same(r("SET", "s", "foobar"), r("BITCOUNT", "s"), r("BITCOUNT", "s", "0", "0"), r("BITCOUNT", "s", "1", "1"),
            r("BITCOUNT", "s", "1", "1", "BYTE"), r("BITCOUNT", "s", "5", "30", "BIT"), r("BITCOUNT", "s", "0", "-1", "bit"),
            r("BITCOUNT", "nokey"), r("BITCOUNT", "nokey", "a", "b"), r("BITCOUNT", "nokey", "1"),
            r("BITCOUNT", "nokey", "0", "1", "BOGUS"), r("SET", "e", ""), r("BITCOUNT", "e"), r("BITCOUNT", "e", "0", "-1"),
            r("BITCOUNT", "e", "0", "-1", "BIT"));
        oracle.same(r("BITCOUNT", "s", "1"), r("BITCOUNT", "s", "0", "1", "BOGUS"), r("BITCOUNT", "s", "x", "1"),
            r("BITCOUNT", "s", "0", "x"), r("BITCOUNT", "s", "0", "x", "BOGUS"), r("BITCOUNT", "s", "x", "0", "BOGUS"),
            r("BITCOUNT", "s", "0", "1", "BIT", "extra"), r("BITCOUNT", "s", "0", "1", "BYTE", "x", "y"), r("BITCOUNT"),
            r("SADD", "set", "m"), r("BITCOUNT", "set"), r("BITCOUNT", "set", "x"), r("BITCOUNT", "set", "0", "1", "BOGUS"));
    }

    @Test
    void shouldFindBitsInByteAndBitRanges() throws IOException {
        oracle.same(r("SET", "s", "\u00ff\u00f0\u0000"), r("BITPOS", "s", "0"), r("BITPOS", "s", "1"),
            r("BITPOS", "s", "1", "2"), r("BITPOS", "s", "0", "0"), r("BITPOS", "s", "0", "0", "1"),
            r("BITPOS", "s", "1", "7", "15", "BIT"), r("BITPOS", "s", "1", "7", "-1", "BYTE"),
            r("BITPOS", "nokey", "0"), r("BITPOS", "nokey", "1"), r("BITPOS", "nokey", "0", "a", "b"),
            r("BITPOS", "nokey", "1", "a", "b", "c", "d"), r("SET", "ones", "\u007f\u007f"), r("BITPOS", "ones", "0", "1"),
            r("SETBIT", "all", "15", "1"), r("SETBIT", "all", "15", "0"), r("BITPOS", "all", "1"), r("BITPOS", "all", "0"),
            r("SET", "full", "\u00ff"), r("BITPOS", "full", "0"), r("BITPOS", "full", "0", "0"),
            r("BITPOS", "full", "0", "0", "-1"), r("BITPOS", "full", "0", "2", "BIT"), r("BITPOS", "full", "0", "2", "-1", "BIT"),
            r("SET", "e", ""), r("BITPOS", "e", "0"), r("BITPOS", "e", "1"), r("BITPOS", "e", "0", "0"),
            r("BITPOS", "e", "0", "0", "-1", "BIT"));
        oracle.same(r("BITPOS", "s", "2"), r("BITPOS", "s", "-1"), r("BITPOS", "s", "x"), r("BITPOS", "nokey", "2"),
            r("BITPOS", "nokey", "x"), r("BITPOS", "s", "1", "x"), r("BITPOS", "s", "1", "0", "x"),
            r("BITPOS", "s", "1", "0", "x", "BOGUS"), r("BITPOS", "s", "1", "x", "0", "BOGUS"),
            r("BITPOS", "s", "1", "0", "1", "BOGUS"), r("BITPOS", "s", "1", "0", "BIT"),
            r("BITPOS", "s", "1", "0", "1", "BIT", "x"), r("BITPOS", "s"), r("LPUSH", "l", "x"), r("BITPOS", "l", "1"),
            r("BITPOS", "l", "2"), r("BITPOS", "l", "1", "x"));
    }

    @Test
    void shouldMatchRandomCountsAndPositions() throws IOException {
        Random rnd = new Random(3);
        for (int round = 0; round < 40; round++) {
            oracle.same("DEL", "r");
            int len = rnd.nextInt(6);
            int style = rnd.nextInt(3);
            for (int bit = 0; bit < len * 8; bit++) {
                boolean on = style == 0 ? rnd.nextBoolean() : style == 1 ? rnd.nextInt(10) == 0 : rnd.nextInt(10) != 0;
                oracle.same("SETBIT", "r", Integer.toString(bit), on ? "1" : "0");
            }
            for (int q = 0; q < 40; q++) {
                String start = Integer.toString(rnd.nextInt(len * 10 + 4) - len * 5 - 2);
                String end = Integer.toString(rnd.nextInt(len * 10 + 4) - len * 5 - 2);
                String unit = rnd.nextBoolean() ? "BIT" : "BYTE";
                String bit = Integer.toString(rnd.nextInt(2));
                oracle.same(r("BITCOUNT", "r", start, end, unit), r("BITCOUNT", "r", start, end),
                    r("BITPOS", "r", bit, start, end, unit), r("BITPOS", "r", bit, start, end), r("BITPOS", "r", bit, start),
                    r("BITPOS", "r", bit));
            }
        }
    }

    @Test
    void shouldCombineStringsWithBitop() throws IOException {
        single.same(r("SET", "a", "foobar"), r("SET", "b", "abcdef"), r("SET", "c", "x"),
            r("BITOP", "AND", "d", "a", "b"), r("GET", "d"), r("BITOP", "or", "d", "a", "c"), r("GET", "d"),
            r("BITOP", "XOR", "d", "a", "b", "c"), r("BITOP", "Not", "d", "a"), r("BITOP", "AND", "d", "a", "nokey"),
            r("BITOP", "OR", "d", "nokey", "c"), r("BITOP", "XOR", "d", "a"), r("BITOP", "AND", "d", "a", "a", "a"));
        sameBytes(single, "d");
        single.same(r("BITOP", "NOT", "d", "c"));
        sameBytes(single, "d");
        single.same(r("BITOP", "AND", "d", "nokey", "nokey2"), r("EXISTS", "d"), r("BITOP", "NOT", "d", "nokey"),
            r("SET", "d", "x", "PX", "100000"), r("BITOP", "OR", "d", "a"), r("TTL", "d"), r("RPUSH", "d", "x"),
            r("BITOP", "OR", "d", "b"), r("TYPE", "d"), r("RPUSH", "d2", "x"), r("BITOP", "AND", "d2", "nokey"),
            r("EXISTS", "d2"), r("SET", "e", ""), r("BITOP", "OR", "d", "e"), r("EXISTS", "d"),
            r("BITOP", "OR", "a", "a", "b"), r("GET", "a"));
        single.same(r("BITOP", "BOGUS", "d", "a"), r("BITOP", "NOT", "d", "a", "b"), r("BITOP", "BOGUS", "d", "a", "b"),
            r("BITOP", "NOT", "d"), r("BITOP", "AND", "d"), r("BITOP"), r("BITOP", "ANDX", "d", "a"), r("LPUSH", "l", "x"),
            r("BITOP", "AND", "d", "a", "l"), r("BITOP", "NOT", "d", "l"), r("BITOP", "OR", "l", "a"), r("TYPE", "l"),
            r("BITOP", "BOGUS", "d", "l"), r("BITOP", "NOT", "d", "l", "a"));
    }

    @Test
    void shouldMatchRandomBitops() throws IOException {
        Random rnd = new Random(5);
        String[] ops = {"AND", "OR", "XOR", "NOT"};
        for (int round = 0; round < 60; round++) {
            for (String k : new String[] {"x", "y", "z"}) {
                single.same("DEL", k);
                int len = rnd.nextInt(5);
                for (int i = 0; i < len; i++) {
                    single.same("BITFIELD", k, "SET", "u8", "#" + i, Integer.toString(rnd.nextInt(256)));
                }
            }
            String op = ops[rnd.nextInt(ops.length)];
            single.same(op.equals("NOT") ? r("BITOP", op, "out", "x") : r("BITOP", op, "out", "x", "y", "z", "missing"));
            sameBytes(single, "out");
        }
    }

    @Test
    void shouldRunBitopOnThreeShardsWhenItsKeysShareOne() throws IOException {
        List<String> keys = StringsDifferentialTest.keysOnShard(2, 3);
        oracle.same(r("SET", keys.get(0), "foobar"), r("SET", keys.get(1), "abcdef"),
            r("BITOP", "XOR", keys.get(2), keys.get(0), keys.get(1)), r("BITOP", "BOGUS", keys.get(2), keys.get(0)));
        sameBytes(oracle, keys.get(2));
    }

    @Test
    void shouldGetSetAndIncrementBitfields() throws IOException {
        oracle.same(r("BITFIELD", "f", "SET", "i8", "0", "100", "GET", "i8", "0", "INCRBY", "i8", "0", "27", "GET", "u4", "0"),
            r("BITFIELD", "f", "INCRBY", "u2", "100", "1", "OVERFLOW", "SAT", "INCRBY", "u2", "102", "7", "GET", "u8", "96"),
            r("BITFIELD", "f", "SET", "u8", "#2", "255", "GET", "u8", "#2", "GET", "i8", "#2", "get", "U8", "0"),
            r("BITFIELD", "f", "set", "i64", "64", "-9223372036854775808", "get", "i64", "64", "get", "u63", "64",
                "INCRBY", "i64", "64", "-1", "OVERFLOW", "FAIL", "INCRBY", "i64", "64", "-1", "GET", "i64", "64"),
            r("BITFIELD", "f"), r("BITFIELD", "nokey"), r("EXISTS", "nokey"), r("BITFIELD", "nokey", "GET", "u8", "0"),
            r("EXISTS", "nokey"), r("BITFIELD", "new", "OVERFLOW", "FAIL", "INCRBY", "u2", "100", "10"), r("STRLEN", "new"),
            r("BITFIELD", "new2", "GET", "u8", "0", "SET", "u1", "0", "0"), r("STRLEN", "new2"),
            r("BITFIELD", "f", "GET", "u8", "4294967288"), r("BITFIELD", "f", "GET", "i64", "#67108863"),
            r("BITFIELD_RO", "f", "GET", "i8", "0", "GET", "u16", "#1"), r("BITFIELD_RO", "f"), r("BITFIELD_RO", "nokey"),
            r("BITFIELD_RO", "nokey", "GET", "u8", "0"), r("SET", "n", "42"), r("BITFIELD", "n", "INCRBY", "u8", "8", "1"),
            r("GET", "n"), r("PEXPIRE", "n", "100000"), r("BITFIELD", "n", "SET", "u8", "24", "65"), r("GET", "n"),
            r("TTL", "n"));
        sameBytes(oracle, "f");
    }

    @Test
    void shouldApplyEveryOverflowMode() throws IOException {
        oracle.same(r("BITFIELD", "b", "OVERFLOW", "SAT", "SET", "u8", "0", "-1", "GET", "u8", "0", "SET", "i8", "8", "-200",
            "GET", "i8", "8", "SET", "i8", "8", "200", "GET", "i8", "8", "OVERFLOW", "wrap", "SET", "u8", "0", "-1",
            "SET", "i8", "8", "200", "GET", "i8", "8", "INCRBY", "u63", "16", "-1", "INCRBY", "i64", "100",
            "-9223372036854775808", "INCRBY", "i64", "100", "-1", "OVERFLOW", "sat", "INCRBY", "i64", "200",
            "-9223372036854775808", "INCRBY", "i64", "200", "-1", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "1",
            "GET", "u8", "0", "INCRBY", "i64", "300", "9223372036854775807", "INCRBY", "i64", "300", "1",
            "SET", "u8", "0", "256", "SET", "i8", "8", "-129", "SET", "i8", "8", "-128", "GET", "i8", "8"));
        sameBytes(oracle, "b");
    }

    @Test
    void shouldMatchRandomBitfieldArithmetic() throws IOException {
        Random rnd = new Random(9);
        String[] modes = {"WRAP", "SAT", "FAIL"};
        for (int round = 0; round < 300; round++) {
            boolean signed = rnd.nextBoolean();
            int bits = 1 + rnd.nextInt(signed ? 64 : 63);
            String type = (signed ? "i" : "u") + bits;
            String offset = rnd.nextBoolean() ? Integer.toString(rnd.nextInt(40)) : "#" + rnd.nextInt(3);
            String value = randomValue(rnd, bits);
            String by = randomValue(rnd, bits);
            String mode = modes[rnd.nextInt(3)];
            oracle.same("BITFIELD", "f", "OVERFLOW", mode, "SET", type, offset, value, "GET", type, offset,
                "INCRBY", type, offset, by, "INCRBY", type, offset, by, "GET", type, offset);
        }
        sameBytes(oracle, "f");
    }

    private static String randomValue(Random rnd, int bits) {
        return switch (rnd.nextInt(5)) {
            case 0 -> Long.toString(rnd.nextLong());
            case 1 -> Long.toString((long) rnd.nextInt(7) - 3);
            case 2 -> Long.toString(bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) + rnd.nextInt(3) - 1);
            case 3 -> Long.toString(bits >= 63 ? Long.MIN_VALUE : -(1L << bits) + rnd.nextInt(3) - 1);
            default -> Long.toString(rnd.nextLong() >> rnd.nextInt(64));
        };
    }

    @Test
    void shouldRefuseBadBitfieldsBeforeChangingAnything() throws IOException {
        oracle.same(r("SET", "f", "x"));
        for (String[] ops : new String[][] {{"GET", "u64", "0"}, {"GET", "i65", "0"}, {"GET", "U8", "0"}, {"GET", "u0", "0"},
            {"GET", "i0", "0"}, {"GET", "u", "0"}, {"GET", "", "0"}, {"GET", "x8", "0"}, {"GET", "u8x", "0"},
            {"GET", "u-1", "0"}, {"GET", "u08", "0"}, {"GET", "u8", "-1"}, {"GET", "u8", "x"}, {"GET", "u8", "#-1"},
            {"GET", "u8", "#"}, {"GET", "u8", "##1"}, {"GET", "u8", "4294967296"}, {"GET", "u8", "#536870912"},
            {"GET", "u8", "#4611686018427387904"}, {"GET", "u8"}, {"SET", "u8", "0"}, {"SET", "u8", "0", "x"},
            {"SET", "u8", "0", "1.5"}, {"INCRBY", "u8", "0"}, {"INCRBY", "i8", "0", "9223372036854775808"},
            {"OVERFLOW"}, {"OVERFLOW", "BOGUS", "GET", "u8", "0"}, {"BOGUS"}, {"SET", "u8", "0", "1", "GET"},
            {"SET", "u8", "0", "65", "GET", "u8", "x"}, {"SET", "u8", "0", "65", "OVERFLOW", "x"}}) {
            String[] cmd = new String[2 + ops.length];
            cmd[0] = "BITFIELD";
            cmd[1] = "f";
            System.arraycopy(ops, 0, cmd, 2, ops.length);
            oracle.same(cmd);
            cmd[0] = "BITFIELD_RO";
            oracle.same(cmd);
        }
        oracle.same(r("GET", "f"), r("BITFIELD_RO", "f", "SET", "u8", "0", "1"), r("BITFIELD_RO", "f", "INCRBY", "u8", "0", "1"),
            r("BITFIELD_RO", "f", "OVERFLOW", "SAT", "GET", "u8", "0"), r("BITFIELD_RO", "f", "GET", "u8", "0", "SET", "u8", "0", "1", "GET", "u8", "x"),
            r("GET", "f"), r("LPUSH", "l", "x"), r("BITFIELD", "l"), r("BITFIELD", "l", "GET", "u8", "0"),
            r("BITFIELD", "l", "SET", "u8", "0", "1"), r("BITFIELD", "l", "GET", "u99", "0"), r("BITFIELD_RO", "l"),
            r("BITFIELD_RO", "l", "SET", "u8", "0", "1"), r("BITFIELD"), r("BITFIELD_RO"));
    }

    @Test
    void shouldDescribeTheCommandsAsRedisDoes() throws IOException {
        for (String name : new String[] {"setbit", "getbit", "bitcount", "bitpos", "bitop", "bitfield", "bitfield_ro"}) {
            String[] both = oracle.both("COMMAND", "INFO", name);
            assertEquals(StringsDifferentialTest.infoHead(both[0]), StringsDifferentialTest.infoHead(both[1]), name);
        }
    }

    /** INFO persistence's {@code rdb_changes_since_last_save} on each side: Redis's, ours. */
    private static long[] changes(Oracle o) throws IOException {
        String[] info = o.both("INFO", "persistence");
        long[] out = new long[2];
        for (int i = 0; i < 2; i++) {
            int at = info[i].indexOf("rdb_changes_since_last_save:");
            out[i] = Long.parseLong(info[i].substring(at + 28, info[i].indexOf('\r', at)));
        }
        return out;
    }

    @Test
    void shouldCountAChangeOnlyWhenSetbitOrBitfieldChangesTheValue() throws IOException {
        Oracle o = single;
        String[][] steps = {
            {"SETBIT", "foo", "0", "0"}, {"BITFIELD", "foo2", "SET", "i5", "0", "0"}, // new keys: changes
            {"SETBIT", "foo", "0", "0"}, {"BITFIELD", "foo2", "SET", "i5", "0", "0"}, // no change
            {"SETBIT", "foo", "0", "1"}, {"SETBIT", "foo", "0", "1"},
            {"BITFIELD", "foo2", "SET", "i5", "0", "1"}, {"BITFIELD", "foo2", "SET", "i5", "0", "1"},
            {"BITFIELD", "foo3", "INCRBY", "i5", "0", "1"}, {"BITFIELD", "foo3", "INCRBY", "i5", "0", "1"},
            {"SETBIT", "foo", "90", "0"}, {"BITFIELD", "foo2", "SET", "i5", "90", "0"}, // the length only
            {"BITFIELD", "foo2", "GET", "i5", "0"}, {"GET", "foo"},
        };
        long[] before = changes(o);
        for (String[] step : steps) {
            o.same(step);
            long[] now = changes(o);
            assertEquals(now[0] - before[0], now[1] - before[1], "changes counted by " + String.join(" ", step));
            before = now;
        }
    }
}
