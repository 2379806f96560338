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
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The numbered databases against redis-server 7.0, byte for byte, on 3 shards: SELECT, MOVE,
 * SWAPDB, COPY ... DB, FLUSHDB, FLUSHALL, DBSIZE, KEYS, SCAN, RANDOMKEY per database, SELECT in
 * pipelines and inside MULTI, WATCH of a key of one database, INFO keyspace, CLIENT INFO's db=,
 * RESET, CONFIG databases, and their errors. Keys are chosen on every shard ({@link #keys}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DatabasesDifferentialTest {
    @TempDir
    static Path dir;
    private static Oracle o;
    /** For each shard s, keys[s] holds names that hash to shard s. */
    private static final String[][] keys = new String[3][4];

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(Oracle.available(), Oracle.MISSING);
        o = Oracle.start(Files.createDirectories(dir.resolve("three")), 3);
        int[] found = new int[3];
        for (int i = 0; found[0] < 4 || found[1] < 4 || found[2] < 4; i++) {
            String k = "key" + i;
            int s = KeyHash.shardOf(k.getBytes(StandardCharsets.UTF_8), 3);
            if (found[s] < 4) {
                keys[s][found[s]++] = k;
            }
        }
    }

    @AfterAll
    static void stop() throws IOException {
        if (o != null) {
            o.close();
        }
    }

    @BeforeEach
    void reset() throws IOException {
        o.same("SELECT", "0");
        o.flush();
    }

    /** The i-th key of shard s. */
    private static String k(int s, int i) {
        return keys[s][i];
    }

    @Test
    void shouldAnswerSelectAndItsErrorsAsRedis() throws IOException {
        for (String arg : new String[] {"0", "15", "16", "-1", "abc", "01", "1.0", "3000000000",
                "99999999999999999999", "", " 1"}) {
            o.same("SELECT", arg);
        }
        o.same("SELECT");
        o.same("SELECT", "1", "2");
        o.same("CONFIG", "GET", "databases");
        o.same("CONFIG", "SET", "databases", "4");
    }

    @Test
    void shouldKeepEachDatabaseApart() throws IOException {
        for (int s = 0; s < 3; s++) {
            o.same("SET", k(s, 0), "zero");
        }
        o.same("SELECT", "3");
        for (int s = 0; s < 3; s++) {
            o.same("GET", k(s, 0));
            o.same("SET", k(s, 0), "three");
            o.same("RPUSH", k(s, 1), "x", "y");
        }
        o.same("DBSIZE");
        o.sameUnordered(false, "KEYS", "*");
        assertEquals(scanAll(true), scanAll(false));
        o.same("SELECT", "15");
        o.same("DBSIZE");
        o.same("RANDOMKEY");
        o.same("SET", k(1, 2), "only");
        o.same("RANDOMKEY");
        o.same("SELECT", "0");
        for (int s = 0; s < 3; s++) {
            o.same("GET", k(s, 0));
            o.same("EXISTS", k(s, 1));
        }
        o.same("DBSIZE");
        o.same("MGET", k(0, 0), k(1, 0), k(2, 0)); // a cross-shard read in db 0
        o.same("SELECT", "3");
        o.same("MGET", k(0, 0), k(1, 0), k(2, 0)); // and in db 3
        o.same("MSET", k(0, 3), "a", k(1, 3), "b", k(2, 3), "c");
        o.same("DEL", k(0, 3), k(1, 3));
        o.same("DBSIZE");
        o.same("INFO", "keyspace");
    }

    /** Every key a full SCAN of the selected database returns, sorted. */
    private static List<String> scanAll(boolean theirs) throws IOException {
        List<String> all = new ArrayList<>();
        String cursor = "0";
        do {
            String[] r = o.both("SCAN", cursor, "COUNT", "3");
            String reply = theirs ? r[0] : r[1];
            String[] lines = reply.split("\r\n");
            cursor = lines[2];
            for (int i = 4; i < lines.length; i += 2) {
                all.add(lines[i]);
            }
        } while (!cursor.equals("0"));
        all.sort(null);
        return all;
    }

    @Test
    void shouldFollowSelectInsideAPipeline() throws IOException {
        List<String[]> p = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            p.add(new String[] {"SET", k(s, 0), "1"});
            p.add(new String[] {"SELECT", "1"});
            p.add(new String[] {"SET", k(s, 0), "2"});
            p.add(new String[] {"SELECT", "0"});
            p.add(new String[] {"GET", k(s, 0)});
            p.add(new String[] {"SELECT", "1"});
            p.add(new String[] {"GET", k(s, 0)});
            p.add(new String[] {"MGET", k(0, 0), k(1, 0), k(2, 0)});
            p.add(new String[] {"SELECT", "99"});
            p.add(new String[] {"GET", k(s, 0)});
            p.add(new String[] {"SELECT", "0"});
        }
        p.add(new String[] {"DBSIZE"});
        o.pipeline(p.toArray(new String[0][]));
    }

    @Test
    void shouldRunSelectInsideMultiOnOneShardAndAcrossShards() throws IOException {
        o.same("MULTI");
        o.same("SET", k(1, 0), "a");
        o.same("SELECT", "2");
        o.same("SET", k(1, 0), "b");
        o.same("SELECT", "77");
        o.same("GET", k(1, 0));
        o.same("EXEC");
        o.same("GET", k(1, 0)); // the EXEC left the connection in db 2
        o.same("SELECT", "0");
        o.same("GET", k(1, 0));
        // Keys of every shard: a cross-shard transaction.
        o.same("MULTI");
        o.same("SET", k(0, 1), "x");
        o.same("SELECT", "5");
        o.same("MSET", k(1, 1), "y", k(2, 1), "z");
        o.same("SELECT", "6");
        o.same("SET", k(0, 1), "w");
        o.same("EXEC");
        o.same("MGET", k(0, 1), k(1, 1), k(2, 1));
        o.same("SELECT", "5");
        o.same("MGET", k(0, 1), k(1, 1), k(2, 1));
        o.same("SELECT", "0");
        o.same("MGET", k(0, 1), k(1, 1), k(2, 1));
        // And as one pipeline, with commands after the EXEC.
        o.pipeline(new String[] {"MULTI"}, new String[] {"SELECT", "9"}, new String[] {"SET", k(2, 2), "nine"},
                new String[] {"EXEC"}, new String[] {"GET", k(2, 2)}, new String[] {"SELECT", "0"},
                new String[] {"GET", k(2, 2)});
    }

    @Test
    void shouldWatchAKeyOfOneDatabaseOnly() throws IOException {
        try (Oracle other = o.session()) {
            for (int s = 0; s < 3; s++) {
                o.same("SELECT", "0");
                o.same("WATCH", k(s, 0));
                other.same("SELECT", "1");
                other.same("SET", k(s, 0), "elsewhere"); // the same name in another db: no abort
                o.same("MULTI");
                o.same("SET", k(s, 1), "1");
                o.same("EXEC");
                o.same("WATCH", k(s, 0));
                other.same("SELECT", "0");
                other.same("SET", k(s, 0), "here"); // the watched key: abort
                o.same("MULTI");
                o.same("SET", k(s, 1), "2");
                o.same("EXEC");
                // Watched in db 4, after a SELECT; touched there by MOVE into db 4.
                o.same("SELECT", "4");
                o.same("WATCH", k(s, 0));
                other.same("MOVE", k(s, 0), "4");
                o.same("MULTI");
                o.same("GET", k(s, 0));
                o.same("EXEC");
                o.same("FLUSHALL");
            }
            // FLUSHDB of another database leaves the watch alone; FLUSHALL does not.
            o.same("SET", k(1, 2), "v");
            o.same("WATCH", k(1, 2));
            other.same("SELECT", "2");
            other.same("SET", k(1, 2), "v");
            other.same("FLUSHDB");
            o.same("MULTI");
            o.same("GET", k(1, 2));
            o.same("EXEC");
            o.same("WATCH", k(1, 2));
            other.same("FLUSHALL");
            o.same("MULTI");
            o.same("GET", k(1, 2));
            o.same("EXEC");
            // A SELECT inside a transaction that a watch aborts does not run.
            o.same("SELECT", "0");
            o.same("WATCH", k(0, 0));
            other.same("SET", k(0, 0), "x");
            o.pipeline(new String[] {"MULTI"}, new String[] {"SELECT", "3"}, new String[] {"EXEC"},
                    new String[] {"SET", k(1, 0), "in-zero"}, new String[] {"DBSIZE"});
            o.same("GET", k(1, 0));
        }
    }

    @Test
    void shouldMoveKeysBetweenDatabases() throws IOException {
        for (int s = 0; s < 3; s++) {
            o.same("SET", k(s, 0), "v", "PXAT", "4102444800000");
            o.same("HSET", k(s, 1), "f", "1");
            o.same("MOVE", k(s, 0), "2");
            o.same("MOVE", k(s, 0), "2"); // gone from here
            o.same("MOVE", k(s, 2), "2"); // never there
            o.same("SET", k(s, 3), "mine");
            o.same("SELECT", "2");
            o.same("SET", k(s, 3), "theirs");
            o.same("PEXPIRETIME", k(s, 0));
            o.same("GET", k(s, 0));
            o.same("SELECT", "0");
            o.same("MOVE", k(s, 3), "2"); // the target has it
            o.same("GET", k(s, 3));
            o.same("MOVE", k(s, 1), "0");
            o.same("MOVE", k(s, 1), "16");
            o.same("MOVE", k(s, 1), "-1");
            o.same("MOVE", k(s, 1), "x");
            o.same("MOVE", k(s, 1), "3000000000");
            o.same("MOVE", k(s, 1), "15");
            o.same("SELECT", "15");
            o.same("HGETALL", k(s, 1));
            o.same("SELECT", "0");
        }
        o.same("MOVE", "a");
        sameKeyspaceInfo();
        // MOVE and COPY ... DB inside a transaction whose keys span shards.
        o.same("FLUSHALL");
        o.same("SET", k(0, 0), "m");
        o.same("SELECT", "5");
        o.same("SET", k(2, 0), "taken");
        o.same("SELECT", "0");
        o.same("SET", k(2, 0), "stays");
        o.same("MULTI");
        o.same("MOVE", k(0, 0), "5");
        o.same("MOVE", k(2, 0), "5");
        o.same("SET", k(1, 0), "x");
        o.same("COPY", k(1, 0), k(2, 1), "DB", "5");
        o.same("SELECT", "5");
        o.same("MGET", k(0, 0), k(1, 0), k(2, 0), k(2, 1));
        o.same("EXEC");
        o.same("MGET", k(0, 0), k(1, 0), k(2, 0), k(2, 1));
        o.same("SELECT", "0");
        o.same("MGET", k(0, 0), k(1, 0), k(2, 0), k(2, 1));
    }

    @Test
    void shouldSwapDatabasesOnEveryShard() throws IOException {
        for (int s = 0; s < 3; s++) {
            o.same("SET", k(s, 0), "in-zero");
            o.same("SELECT", "1");
            o.same("SET", k(s, 0), "in-one");
            o.same("SET", k(s, 1), "only-one");
            o.same("SELECT", "0");
        }
        o.same("SWAPDB", "0", "1");
        o.same("MGET", k(0, 0), k(1, 0), k(2, 0), k(0, 1), k(1, 1), k(2, 1));
        o.same("DBSIZE");
        o.same("SWAPDB", "1", "7");
        o.same("SELECT", "7");
        o.same("MGET", k(0, 0), k(1, 0), k(2, 0));
        o.same("SWAPDB", "3", "3");
        o.same("INFO", "keyspace");
        for (String[] bad : new String[][] {{"x", "1"}, {"0", "x"}, {"16", "x"}, {"0", "16"}, {"-1", "0"},
                {"3000000000", "0"}, {"0", "99999999999999999999"}}) {
            o.same("SWAPDB", bad[0], bad[1]);
        }
        o.same("SWAPDB", "0");
        // A SWAPDB in a pipeline between writes on every shard.
        o.pipeline(new String[] {"SELECT", "0"}, new String[] {"SET", k(0, 2), "a"}, new String[] {"SET", k(1, 2), "b"},
                new String[] {"SWAPDB", "0", "2"}, new String[] {"SET", k(2, 2), "c"},
                new String[] {"MGET", k(0, 2), k(1, 2), k(2, 2)}, new String[] {"SELECT", "2"},
                new String[] {"MGET", k(0, 2), k(1, 2), k(2, 2)}, new String[] {"SELECT", "0"});
    }

    @Test
    void shouldSwapInsideATransactionInItsPlace() throws IOException {
        for (int s = 0; s < 3; s++) {
            o.same("SELECT", "1");
            o.same("SET", k(s, 0), "one");
            o.same("SELECT", "0");
            o.same("MULTI");
            o.same("SET", k(s, 1), "zero");
            o.same("SWAPDB", "0", "1");
            o.same("GET", k(s, 1));
            o.same("GET", k(s, 0));
            o.same("SWAPDB", "0", "99");
            o.same("SWAPDB", "x", "1");
            o.same("SELECT", "1");
            o.same("GET", k(s, 1));
            o.same("EXEC");
            o.same("GET", k(s, 1));
            o.same("SELECT", "0");
            // Every shard swapped, not only the block's.
            o.same("MGET", k(0, 0), k(1, 0), k(2, 0), k(0, 1), k(1, 1), k(2, 1));
            o.same("FLUSHALL");
        }
        try (Oracle other = o.session()) {
            o.same("WATCH", k(2, 3));
            other.same("SET", k(2, 3), "changed");
            o.pipeline(new String[] {"MULTI"}, new String[] {"SWAPDB", "0", "2"}, new String[] {"EXEC"},
                    new String[] {"GET", k(2, 3)}, new String[] {"DBSIZE"});
        }
    }

    @Test
    void shouldAbortAWatchThatSwapdbChanges() throws IOException {
        try (Oracle other = o.session()) {
            o.same("SET", k(1, 0), "v");
            o.same("WATCH", k(1, 0));
            other.same("SWAPDB", "0", "5");
            o.same("MULTI");
            o.same("GET", k(1, 0));
            o.same("EXEC");
            o.same("WATCH", k(2, 0)); // in neither database: SWAPDB does not touch it
            other.same("SWAPDB", "0", "5");
            o.same("MULTI");
            o.same("GET", k(2, 1));
            o.same("EXEC");
        }
    }

    @Test
    void shouldCopyIntoAnotherDatabase() throws IOException {
        o.same("SET", k(0, 0), "v", "PXAT", "4102444800000");
        o.same("COPY", k(0, 0), k(0, 0), "DB", "1"); // same name, other db: fine
        o.same("COPY", k(0, 0), k(0, 0), "DB", "0");
        o.same("COPY", k(0, 0), k(0, 0));
        o.same("COPY", k(0, 0), k(1, 0), "DB", "2"); // across shards
        o.same("COPY", k(0, 0), k(0, 1), "DB", "2"); // one shard
        o.same("SET", k(2, 0), "new");
        o.same("COPY", k(2, 0), k(1, 0), "DB", "2");
        o.same("COPY", k(2, 0), k(1, 0), "DB", "2", "REPLACE");
        o.same("COPY", k(0, 0), k(1, 0), "DB", "16");
        o.same("COPY", k(0, 0), k(1, 0), "DB", "-1");
        o.same("COPY", k(0, 0), k(1, 0), "DB", "x");
        o.same("COPY", k(0, 0), k(1, 0), "DB", "3000000000");
        o.same("COPY", k(0, 0), k(1, 0), "DB");
        o.same("SELECT", "2");
        o.same("MGET", k(1, 0), k(0, 1));
        o.same("PEXPIRETIME", k(0, 1));
        o.same("SELECT", "1");
        o.same("GET", k(0, 0));
        sameKeyspaceInfo();
    }

    /**
     * INFO keyspace on both, but for avg_ttl: Redis estimates it from samples of the expire
     * cycle, this server computes it exactly.
     */
    private static void sameKeyspaceInfo() throws IOException {
        String[] r = o.both("INFO", "keyspace");
        assertEquals(withoutAvgTtl(r[0]), withoutAvgTtl(r[1]));
    }

    private static String withoutAvgTtl(String reply) {
        return reply.substring(reply.indexOf("\r\n") + 2).replaceAll(",avg_ttl=\\d+", "");
    }

    @Test
    void shouldFlushOneDatabaseOrAll() throws IOException {
        for (int db : new int[] {0, 1, 9}) {
            o.same("SELECT", Integer.toString(db));
            for (int s = 0; s < 3; s++) {
                o.same("SET", k(s, 0), "v" + db);
            }
        }
        o.same("SELECT", "1");
        o.same("FLUSHDB");
        o.same("DBSIZE");
        o.same("FLUSHDB", "ASYNC");
        o.same("FLUSHDB", "SYNC");
        o.same("FLUSHDB", "x");
        o.same("SELECT", "9");
        o.same("DBSIZE");
        o.same("INFO", "keyspace");
        o.same("FLUSHALL", "SYNC");
        o.same("DBSIZE");
        o.same("SELECT", "0");
        o.same("DBSIZE");
        o.same("INFO", "keyspace");
    }

    @Test
    void shouldHonourTheDatabasesSetting() throws IOException {
        try (Oracle four = Oracle.start(Files.createDirectories(dir.resolve("four")), 3, "databases", "4")) {
            four.same("CONFIG", "GET", "databases");
            four.same("SELECT", "4");
            four.same("SELECT", "3");
            four.same("SET", k(2, 0), "v");
            four.same("MOVE", k(2, 0), "4");
            four.same("SWAPDB", "3", "4");
            four.same("SWAPDB", "0", "3");
            four.same("COPY", k(2, 0), k(1, 0), "DB", "4");
            four.same("SELECT", "0");
            four.same("GET", k(2, 0));
            four.same("INFO", "keyspace");
        }
    }

    @Test
    void shouldSwapInsideATransactionOnOneShard() throws IOException {
        try (Oracle one = Oracle.start(Files.createDirectories(dir.resolve("one")), 1)) {
            one.same("SET", "a", "zero");
            one.same("MULTI");
            one.same("SET", "b", "zero");
            one.same("SWAPDB", "0", "1");
            one.same("MGET", "a", "b");
            one.same("SELECT", "1");
            one.same("MGET", "a", "b");
            one.same("EXEC");
            one.same("DBSIZE");
            one.same("SELECT", "0");
            one.same("DBSIZE");
        }
    }

    @Test
    void shouldShowTheDatabaseInClientInfoAndResetToZero() throws IOException {
        o.same("SELECT", "6");
        String[] info = o.both("CLIENT", "INFO");
        assertTrue(info[0].contains(" db=6 "), info[0]);
        assertTrue(info[1].contains(" db=6 "), info[1]);
        o.same("SET", k(0, 0), "six");
        o.both("HELLO", "2"); // HELLO leaves the database alone
        o.same("GET", k(0, 0));
        o.same("RESET");
        o.same("GET", k(0, 0));
        info = o.both("CLIENT", "INFO");
        assertTrue(info[1].contains(" db=0 "), info[1]);
    }
}
