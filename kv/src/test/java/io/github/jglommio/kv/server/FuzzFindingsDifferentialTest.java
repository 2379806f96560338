package io.github.jglommio.kv.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The differences {@link DifferentialFuzzTest} found, each pinned by the shortest sequence that
 * showed it, against redis-server 7.0 with 3 shards.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FuzzFindingsDifferentialTest {
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
    void shouldRefuseABadSubcommandInMultiInsteadOfQueueingIt() throws IOException {
        oracle.same("MULTI");
        oracle.same("OBJECT", "REFCOUNT");
        oracle.same("object", "nosuch", "k");
        oracle.same("OBJECT", "HELP", "x");
        oracle.same("CONFIG", "GET");
        oracle.same("EXEC");
    }

    @Test
    void shouldReadAScanCursorAsStrtoulDoes() throws IOException {
        oracle.same("SET", "k0", "v");
        for (String cursor : new String[] {"-1", "+0", "", "-0"}) {
            String[] r = oracle.both("SCAN", cursor, "COUNT", "100");
            assertEquals(r[0].charAt(0), r[1].charAt(0), () -> "SCAN '" + cursor + "': " + r[0] + " / " + r[1]);
        }
        for (String cursor : new String[] {" 5", "5x", "18446744073709551616", "-", "1.5"}) {
            oracle.same("SCAN", cursor);
        }
        oracle.same("SCAN", "-1", "MATCH", "k?", "TYPE");
    }

    @Test
    void shouldRefuseAFloatWithANulByte() throws IOException {
        oracle.same("SETBIT", "k0", "25", "1");
        oracle.same("INCRBYFLOAT", "k0", "1.5");
        oracle.same("SET", "k1", "1\0");
        oracle.same("INCRBYFLOAT", "k1", "1");
        oracle.same("INCRBYFLOAT", "k2", "\0");
        oracle.same("HSET", "h", "f", "\0");
        oracle.same("HINCRBYFLOAT", "h", "f", "1");
        oracle.same("HINCRBYFLOAT", "h", "g", "1\0");
    }

    @Test
    void shouldCountZeroBitsInAnEmptyNegativeRangeBeforeReadingTheUnit() throws IOException {
        oracle.same("SET", "k0", "foo");
        oracle.same("BITCOUNT", "k0", "-4", "-7", "WORD");
        oracle.same("BITCOUNT", "k0", "-7", "-4", "WORD");
        oracle.same("BITCOUNT", "k0", "-4", "-7", "BIT");
        oracle.same("BITPOS", "k0", "1", "-2", "-5", "WORD");
    }
}
