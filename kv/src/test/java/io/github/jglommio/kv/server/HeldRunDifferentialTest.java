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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What runs under the whole-keyspace hold ({@link HeldRun}), against redis-server 7.0 byte for
 * byte, on servers of 2 and 3 shards with keys chosen on different shards: transactions whose
 * keys span shards with DBSIZE, KEYS, RANDOMKEY, FLUSHALL, FLUSHDB, SWAPDB, SELECT, COPY ... DB
 * and MOVE among them (each refused with CROSSSLOT before), watched ones, and SORT / SORT_RO with
 * BY and GET patterns whose keys live on other shards than the sorted key, with STORE to another
 * shard, alone and inside MULTI.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class HeldRunDifferentialTest {
    @TempDir
    static Path dir;
    private static Oracle two;
    private static Oracle three;

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(Oracle.available(), Oracle.MISSING);
        two = Oracle.start(Files.createDirectories(dir.resolve("two")), 2, "databases", "4");
        three = Oracle.start(Files.createDirectories(dir.resolve("three")), 3, "databases", "4");
    }

    @AfterAll
    static void stop() throws IOException {
        if (two != null) {
            two.close();
        }
        if (three != null) {
            three.close();
        }
    }

    @BeforeEach
    void flush() throws IOException {
        two.flush();
        three.flush();
    }

    /** A key named {@code prefix} plus a number that lives on shard {@code shard} of {@code shards}. */
    static String keyOn(int shards, int shard, String prefix) {
        for (int i = 0; ; i++) {
            String k = prefix + i;
            if (KeyHash.shardOf(k.getBytes(StandardCharsets.UTF_8), shards) == shard) {
                return k;
            }
        }
    }

    private static String[] r(String... args) {
        return args;
    }

    /** Each server, with a key of each of its shards. */
    private interface Case {
        void run(Oracle o, String[] keys) throws IOException;
    }

    private static void onBoth(Case c) throws IOException {
        for (Oracle o : List.of(two, three)) {
            int n = o == two ? 2 : 3;
            String[] keys = new String[n];
            for (int s = 0; s < n; s++) {
                keys[s] = keyOn(n, s, "k" + s + "-");
            }
            c.run(o, keys);
            o.flush();
        }
    }

    @Test
    void shouldRunAFlushAmongWritesOnSeveralShards() throws IOException {
        onBoth((o, k) -> {
            o.same("SET", k[0], "old");
            o.same("SET", k[1], "old");
            o.pipeline(r("MULTI"), r("FLUSHALL"), r("SET", k[0], "v"), r("SET", k[1], "w"), r("EXEC"));
            o.same("MGET", k[0], k[1]);
            o.same("DBSIZE");
            o.pipeline(r("MULTI"), r("SET", k[1], "x"), r("FLUSHDB"), r("SET", k[0], "y"), r("MGET", k[0], k[1]),
                    r("DBSIZE"), r("EXEC"));
            o.same("DBSIZE");
            o.pipeline(r("MULTI"), r("SET", k[0], "1"), r("FLUSHALL", "ASYNC"), r("FLUSHDB", "SYNC"),
                    r("FLUSHALL", "BOGUS"), r("EXEC"));
            o.same("DBSIZE");
        });
    }

    @Test
    void shouldCountListAndPickKeysInsideATransaction() throws IOException {
        onBoth((o, k) -> {
            o.pipeline(r("MULTI"), r("RANDOMKEY"), r("DBSIZE"), r("KEYS", "*"), r("SET", k[0], "a"),
                    r("KEYS", k[0]), r("RANDOMKEY"), r("DBSIZE"), r("SET", k[1], "b"), r("DBSIZE"),
                    r("KEYS", k[1]), r("DEL", k[0]), r("RANDOMKEY"), r("EXISTS", k[0], k[1]), r("EXEC"));
            // Two keys: KEYS and RANDOMKEY order or pick differ, their count not.
            o.pipeline(r("MULTI"), r("MSET", k[0], "1", k[1], "2"), r("DBSIZE"), r("EXEC"));
            o.pipeline(r("MULTI"), r("DEL", k[0], k[1]), r("RANDOMKEY"), r("KEYS", "*"), r("DBSIZE"), r("EXEC"));
        });
    }

    @Test
    void shouldScanInsideATransactionAsOutside() throws IOException {
        onBoth((o, k) -> {
            o.same("MSET", k[0], "1", k[1], "2");
            try (RespClient c = new RespClient(o.ours().port())) {
                Oracle.negotiate(c);
                List<String> outside = new ArrayList<>();
                List<String> cursors = new ArrayList<>(List.of("0", "1", "2", "bad"));
                for (String cursor : cursors) {
                    outside.add(c.call("SCAN", cursor));
                }
                assertEquals("+OK\r\n", c.call("MULTI"));
                for (String cursor : cursors) {
                    assertEquals("+QUEUED\r\n", c.call("SCAN", cursor));
                }
                assertEquals("*" + cursors.size() + "\r\n" + String.join("", outside), c.call("EXEC"));
                assertEquals("-ERR invalid cursor\r\n", outside.get(3));
            }
        });
    }

    @Test
    void shouldSwapAmongWritesOnSeveralShards() throws IOException {
        onBoth((o, k) -> {
            o.same("SET", k[0], "in0");
            o.pipeline(r("MULTI"), r("SET", k[1], "b0"), r("SWAPDB", "0", "1"), r("SET", k[0], "a0"),
                    r("MGET", k[0], k[1]), r("SELECT", "1"), r("MGET", k[0], k[1]), r("SWAPDB", "0", "9"),
                    r("SWAPDB", "x", "1"), r("EXEC"));
            o.same("MGET", k[0], k[1]);
            o.same("SELECT", "0");
            o.same("MGET", k[0], k[1]);
            o.same("DBSIZE");
        });
    }

    @Test
    void shouldMoveAndCopyBetweenDatabasesAcrossShards() throws IOException {
        onBoth((o, k) -> {
            o.same("SET", k[0], "a");
            o.pipeline(r("MULTI"), r("COPY", k[0], k[1], "DB", "2"), r("MOVE", k[0], "3"), r("SELECT", "2"),
                    r("SET", k[0], "in2"), r("MGET", k[0], k[1]), r("SELECT", "3"), r("MGET", k[0], k[1]),
                    r("EXEC"));
            o.same("MGET", k[0], k[1]);
            o.same("SELECT", "0");
            o.same("COPY", k[0], k[1], "DB", "1");
            o.same("SELECT", "2");
            o.same("COPY", k[1], k[0], "DB", "0", "REPLACE");
            o.same("SELECT", "0");
            o.same("MGET", k[0], k[1]);
            o.pipeline(r("MULTI"), r("SELECT", "1"), r("SET", k[1], "x"), r("SELECT", "2"), r("GET", k[1]),
                    r("DBSIZE"), r("SELECT", "0"), r("EXEC"));
        });
    }

    @Test
    void shouldAbortAHeldTransactionWhenAWatchedKeyChanged() throws IOException {
        onBoth((o, k) -> {
            try (Oracle other = o.session()) {
                o.same("SET", k[0], "1");
                o.same("WATCH", k[0]);
                other.same("SET", k[0], "2");
                o.pipeline(r("MULTI"), r("FLUSHALL"), r("SET", k[1], "x"), r("EXEC"));
                o.same("MGET", k[0], k[1]);
                o.same("WATCH", k[1]);
                o.pipeline(r("MULTI"), r("DBSIZE"), r("SET", k[0], "y"), r("SWAPDB", "0", "1"), r("EXEC"));
                o.same("MGET", k[0], k[1]);
                o.same("SELECT", "1");
                o.same("MGET", k[0], k[1]);
                o.same("SELECT", "0");
            }
        });
    }

    /** A list whose elements' weight, object and hash keys land on every shard of the server. */
    private static void sortData(Oracle o, String list, int shards) throws IOException {
        boolean[] seen = new boolean[shards];
        String[] elements = {"3", "1", "5", "2", "4", "7", "6", "9", "8"};
        for (String e : elements) {
            o.same("RPUSH", list, e);
            o.same("SET", "w_" + e, Integer.toString(100 - Integer.parseInt(e) * 7 % 10));
            o.same("SET", "o_" + e, "obj" + e);
            o.same("HSET", "h_" + e, "f", "field" + e, "n", Integer.toString(Integer.parseInt(e) % 3));
            seen[KeyHash.shardOf(("w_" + e).getBytes(StandardCharsets.UTF_8), shards)] = true;
        }
        o.same("SADD", "set", "1", "2", "3", "4", "5");
        for (boolean b : seen) {
            assertTrue(b, "the weights live on every shard");
        }
        int listShard = KeyHash.shardOf(list.getBytes(StandardCharsets.UTF_8), shards);
        assertFalse(KeyHash.shardOf("w_1".getBytes(StandardCharsets.UTF_8), shards) == listShard
                && KeyHash.shardOf("w_2".getBytes(StandardCharsets.UTF_8), shards) == listShard
                && KeyHash.shardOf("w_3".getBytes(StandardCharsets.UTF_8), shards) == listShard);
    }

    @Test
    void shouldSortByPatternsOnOtherShards() throws IOException {
        onBoth((o, k) -> {
            int n = k.length;
            sortData(o, k[0], n);
            String list = k[0];
            for (String sort : List.of("SORT", "SORT_RO")) {
                o.same(sort, list, "BY", "w_*");
                o.same(sort, list, "BY", "w_*", "DESC", "LIMIT", "1", "4");
                o.same(sort, list, "BY", "h_*->n", "GET", "#");
                o.same(sort, list, "BY", "w_*", "GET", "o_*", "GET", "#", "GET", "h_*->f", "GET", "missing_*");
                o.same(sort, list, "BY", "nosort", "GET", "o_*");
                o.same(sort, list, "GET", "o_*", "ALPHA", "DESC");
                o.same(sort, "set", "BY", "w_*", "GET", "h_*->f");
                o.same(sort, "nosuchkey", "BY", "w_*", "GET", "o_*");
                o.same(sort, list, "BY", "o_*"); // not numbers: the error
                o.same(sort, list, "BY", "w_*", "LIMIT", "x", "1");
                o.same(sort, k[1], "BY", "w_*"); // missing
            }
            o.same("SORT_RO", list, "BY", "w_*", "STORE", k[1]);
            o.same("SET", "string", "s");
            o.same("SORT", "string", "BY", "w_*");
        });
    }

    @Test
    void shouldSortAndStoreOnAnotherShard() throws IOException {
        onBoth((o, k) -> {
            int n = k.length;
            sortData(o, k[0], n);
            for (int s = 0; s < n; s++) {
                o.same("SORT", k[0], "BY", "w_*", "GET", "o_*", "STORE", k[s]);
                o.same("LRANGE", k[s], "0", "-1");
            }
            o.same("SORT", k[1], "BY", "w_*", "STORE", k[n - 1]); // an empty sort deletes the destination
            o.same("EXISTS", k[n - 1]);
            o.same("SORT", "set", "BY", "nosort", "GET", "h_*->f", "STORE", k[1]);
            o.same("LRANGE", k[1], "0", "-1");
        });
    }

    @Test
    void shouldSortByPatternsInsideATransaction() throws IOException {
        onBoth((o, k) -> {
            int n = k.length;
            sortData(o, k[0], n);
            o.pipeline(r("MULTI"), r("SET", "w_1", "1000"), r("SORT", k[0], "BY", "w_*", "GET", "o_*"),
                    r("SORT", k[0], "BY", "w_*", "STORE", k[n - 1]), r("LRANGE", k[n - 1], "0", "-1"),
                    r("DEL", "o_3"), r("SORT_RO", k[0], "BY", "w_*", "GET", "o_*", "GET", "h_*->f"), r("EXEC"));
            o.pipeline(r("MULTI"), r("FLUSHALL"), r("RPUSH", k[1], "2", "1"), r("SET", "w_2", "1"),
                    r("SET", "w_1", "2"), r("SORT", k[1], "BY", "w_*", "GET", "#"), r("EXEC"));
            o.pipeline(r("MULTI"), r("SORT", k[1], "BY", "w_*"), r("EXEC"));
        });
    }

    @Test
    void shouldServeABlockedClientAfterTheHeldTransaction() throws IOException {
        onBoth((o, k) -> {
            try (RespClient theirs = new RespClient(o.theirPort()); RespClient ours = new RespClient(o.ours().port())) {
                Oracle.negotiate(theirs, ours);
                for (RespClient c : List.of(theirs, ours)) {
                    c.send("BLPOP", k[1], "0");
                }
                awaitBlocked(o, 1);
                // The push and the flush after it run before the waiter is served: it gets what is
                // left once the transaction is done.
                o.pipeline(r("MULTI"), r("RPUSH", k[1], "a", "b"), r("DBSIZE"), r("SET", k[0], "x"), r("FLUSHALL"),
                        r("RPUSH", k[1], "c"), r("EXEC"));
                assertEquals(theirs.reply(), ours.reply());
                awaitBlocked(o, 0);
                o.same("LRANGE", k[1], "0", "-1");
            }
        });
    }

    @Test
    void shouldSwitchProtocolInsideAHeldTransaction() throws IOException {
        onBoth((o, k) -> {
            o.same("SET", k[0], "1");
            String theirs;
            String ours;
            try (RespClient t = new RespClient(o.theirPort()); RespClient c = new RespClient(o.ours().port())) {
                for (RespClient x : List.of(t, c)) {
                    x.send("MULTI").send("HELLO", "3").send("DBSIZE").send("HGETALL", k[1]).send("MGET", k[0], k[1])
                            .send("HELLO", "2").send("HGETALL", k[1]).send("EXEC");
                    for (int i = 0; i < 7; i++) {
                        x.reply();
                    }
                }
                theirs = t.reply();
                ours = c.reply();
            }
            assertEquals(Resp3DifferentialTest.normalized(theirs), Resp3DifferentialTest.normalized(ours));
        });
    }

    private static void awaitBlocked(Oracle o, int n) throws IOException {
        String want = "blocked_clients:" + n + "\r\n";
        while (true) {
            String[] info = o.both("INFO", "clients");
            if (info[0].contains(want) && info[1].contains(want)) {
                return;
            }
            Thread.onSpinWait();
        }
    }
}
