package io.github.jglommio.kv.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * MULTI/EXEC/DISCARD/WATCH/UNWATCH against redis-server 7.0, byte for byte, on a server of three
 * shards: queued-command errors abort EXEC, runtime errors do not roll back, a watched key changed
 * by another client (or expired, or flushed) aborts EXEC with a null array.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TransactionsTest {
    @TempDir
    static Path dir;
    private static Oracle oracle;
    /** Keys that all live on shard 0 of 3, so a transaction over them runs on one shard. */
    private static final String[] K = sameShardKeys(4);

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

    static String[] sameShardKeys(int n) {
        String[] keys = new String[n];
        int found = 0;
        for (int i = 0; found < n; i++) {
            String k = "tx" + i;
            if (KeyHash.shardOf(k.getBytes(StandardCharsets.UTF_8), 3) == 0) {
                keys[found++] = k;
            }
        }
        return keys;
    }

    private static String[] r(String... args) {
        return args;
    }

    @Test
    void shouldRunQueuedCommandsTogetherAndReplyWithAnArray() throws IOException {
        String replies = oracle.pipeline(r("MULTI"), r("SET", K[0], "1"), r("INCR", K[0]), r("GET", K[0]),
                r("PING"), r("ECHO", "e"), r("MSET", K[1], "a", K[2], "b"), r("MGET", K[1], K[2], K[3]),
                r("EXEC"), r("GET", K[0]));
        assertEquals("+OK\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n"
                + "*7\r\n+OK\r\n:2\r\n$1\r\n2\r\n+PONG\r\n$1\r\ne\r\n+OK\r\n*3\r\n$1\r\na\r\n$1\r\nb\r\n$-1\r\n"
                + "$1\r\n2\r\n", replies);
        oracle.pipeline(r("MULTI"), r("EXEC"));
    }

    @Test
    void shouldAbortOnQueuingErrorsButNotRollBackRuntimeErrors() throws IOException {
        oracle.pipeline(r("MULTI"), r("SET", K[0], "1"), r("INCR", K[0], "x"), r("NOSUCH", "a"), r("EXEC"),
                r("EXISTS", K[0]));
        oracle.pipeline(r("SET", K[0], "1"), r("MULTI"), r("LPUSH", K[0], "x"), r("INCR", K[0]), r("EXEC"));
        oracle.pipeline(r("MULTI"), r("MULTI"), r("WATCH", K[0]), r("SET", K[1], "v"), r("EXEC"), r("GET", K[1]));
        oracle.pipeline(r("MULTI"), r("WATCH"), r("EXEC"));
        oracle.pipeline(r("EXEC"), r("DISCARD"), r("MULTI"), r("SET", K[0], "2"), r("DISCARD"), r("GET", K[0]),
                r("EXEC"));
        oracle.pipeline(r("MULTI"), r("UNWATCH"), r("EXEC"));
    }

    @Test
    void shouldAbortWhenAnotherClientChangesAWatchedKey() throws IOException {
        try (Oracle other = oracle.session()) {
            oracle.same("SET", K[0], "1");
            oracle.same("WATCH", K[0], K[1]);
            other.same("INCR", K[0]);
            oracle.pipeline(r("MULTI"), r("SET", K[1], "x"), r("EXEC"), r("EXISTS", K[1]));
            // The watches ended with that EXEC: the next transaction runs.
            other.same("INCR", K[0]);
            oracle.pipeline(r("MULTI"), r("SET", K[1], "x"), r("EXEC"));
            // A write that changes nothing does not count; one on a key of another shard does.
            oracle.same("WATCH", K[0], "elsewhere");
            other.same("SET", K[0], "3", "NX");
            oracle.pipeline(r("MULTI"), r("GET", K[0]), r("EXEC"));
            oracle.same("WATCH", K[0], "elsewhere");
            other.same("SET", "elsewhere", "1");
            oracle.pipeline(r("MULTI"), r("GET", K[0]), r("EXEC"));
            // UNWATCH forgets.
            oracle.same("WATCH", K[0]);
            oracle.same("UNWATCH");
            other.same("INCR", K[0]);
            oracle.pipeline(r("MULTI"), r("GET", K[0]), r("EXEC"));
        }
    }

    @Test
    void shouldAbortWhenAWatchedKeyIsFlushedOrExpiresButNotForAMissingOne() throws IOException, InterruptedException {
        try (Oracle other = oracle.session()) {
            oracle.same("SET", K[0], "1");
            oracle.same("WATCH", K[0]);
            other.same("FLUSHALL");
            oracle.pipeline(r("MULTI"), r("GET", K[0]), r("EXEC"));
            oracle.same("WATCH", K[1]);
            other.same("FLUSHALL");
            oracle.pipeline(r("MULTI"), r("GET", K[1]), r("EXEC"));
            oracle.same("SET", K[2], "v", "PX", "100");
            oracle.same("WATCH", K[2]);
            Thread.sleep(250);
            oracle.pipeline(r("MULTI"), r("SET", K[3], "1"), r("EXEC"), r("EXISTS", K[3]));
            oracle.same("WATCH", K[1]);
            other.same("EXPIRE", K[1], "100"); // no such key: nothing changes
            oracle.pipeline(r("MULTI"), r("PING"), r("EXEC"));
        }
    }

    @Test
    void shouldRunATransactionWhoseKeysSpanShards() throws IOException {
        String[] two = KvServerTest.keysOnBothShards(); // different shards of 2 are not always of 3
        String a = K[0];
        String b = null;
        for (int i = 0; b == null; i++) {
            String k = "other" + i;
            if (KeyHash.shardOf(k.getBytes(StandardCharsets.UTF_8), 3) != 0) {
                b = k;
            }
        }
        assertEquals(2, two.length);
        try (RespClient c = new RespClient(oracle.ours().port())) {
            assertEquals("+OK\r\n", c.call("MULTI"));
            assertEquals("+QUEUED\r\n", c.call("SET", a, "1"));
            assertEquals("+QUEUED\r\n", c.call("SET", b, "1"));
            assertEquals("*2\r\n+OK\r\n+OK\r\n", c.call("EXEC"));
            assertEquals(":2\r\n", c.call("EXISTS", a, b));
            assertEquals("+OK\r\n", c.call("MULTI"));
            assertEquals("+QUEUED\r\n", c.call("DBSIZE"));
            assertEquals("+QUEUED\r\n", c.call("SET", a, "2"));
            assertEquals("+QUEUED\r\n", c.call("SET", b, "2"));
            assertEquals("*3\r\n:2\r\n+OK\r\n+OK\r\n", c.call("EXEC")); // run under the hold (HeldRun)
            assertEquals("-ERR EXEC without MULTI\r\n", c.call("EXEC"));
        }
    }
}
