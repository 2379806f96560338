package io.github.jglommio.kv.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Commands and transactions whose keys live on several shards behave as on one Redis: the same
 * replies as redis-server 7.0, and no client sees half of one (an invariant under concurrent
 * transfers, checked by readers).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CrossShardTest {
    @TempDir
    static Path dir;
    private static Oracle oracle;
    /** A key on each of the three shards. */
    private static final String[] K = {keyOn(0, "a"), keyOn(1, "b"), keyOn(2, "c")};

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

    static String keyOn(int shard, String prefix) {
        for (int i = 0; ; i++) {
            String k = prefix + i;
            if (KeyHash.shardOf(k.getBytes(StandardCharsets.UTF_8), 3) == shard) {
                return k;
            }
        }
    }

    private static String[] r(String... args) {
        return args;
    }

    @Test
    void shouldAnswerMultiKeyCommandsAcrossShardsAsRedis() throws IOException {
        oracle.same("MSET", K[0], "1", K[1], "2", K[2], "3");
        oracle.same("MGET", K[2], "nokey", K[0], K[1]);
        oracle.same("EXISTS", K[0], K[1], K[2], K[0], "nokey");
        oracle.same("MSETNX", K[0], "x", "fresh", "y");
        oracle.same("MGET", K[0], "fresh");
        oracle.same("MSETNX", "fresh1", "x", "fresh2", "y");
        oracle.same("MGET", "fresh1", "fresh2");
        oracle.same("DEL", K[0], K[1], "nokey");
        oracle.same("MGET", K[0], K[1], K[2]);
        oracle.same("RPUSH", K[0], "x", "y", "z");
        oracle.same("LMOVE", K[0], K[1], "LEFT", "RIGHT");
        oracle.same("RPOPLPUSH", K[0], K[2]); // K[2] is a string: WRONGTYPE, nothing moves
        oracle.same("LRANGE", K[0], "0", "-1");
        oracle.same("LRANGE", K[1], "0", "-1");
        oracle.same("LMPOP", "3", "nokey", K[1], K[0], "RIGHT", "COUNT", "5");
        oracle.same("SET", K[2], "v", "EX", "1000");
        oracle.same("TTL", K[2]);
    }

    @Test
    void shouldRunATransactionAcrossShardsAsOne() throws IOException {
        String replies = oracle.pipeline(r("SET", K[0], "10"), r("MULTI"), r("DECRBY", K[0], "3"),
                r("INCRBY", K[1], "3"), r("PING"), r("RPUSH", K[2], "e"), r("MGET", K[0], K[1]), r("INCR", K[2]),
                r("EXEC"), r("MGET", K[0], K[1]));
        assertEquals("+OK\r\n+OK\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n"
                + "*6\r\n:7\r\n:3\r\n+PONG\r\n:1\r\n*2\r\n$1\r\n7\r\n$1\r\n3\r\n"
                + "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
                + "*2\r\n$1\r\n7\r\n$1\r\n3\r\n", replies);
        try (Oracle other = oracle.session()) {
            oracle.same("WATCH", K[0]);
            other.same("INCR", K[0]);
            oracle.pipeline(r("MULTI"), r("SET", K[1], "x"), r("SET", K[2], "y"), r("EXEC"), r("MGET", K[1], K[2]));
        }
    }

    @Test
    void shouldLogACrossShardTransactionSoThatARestartSeesAllOfIt() throws Exception {
        Path data = dir.resolve("persist");
        java.nio.file.Files.createDirectories(data);
        KvConfig config = KvServerTest.config(data).with("shards", "3").with("appendfsync", "always");
        KvServer server = KvServer.start(config);
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            j.mset(K[0], "1", K[1], "2");
            j.rpush(K[2], "x", "y");
            Transaction t = j.multi();
            t.incrBy(K[0], 10);
            t.lmove(K[2], K[1] + "-list", redis.clients.jedis.args.ListDirection.LEFT,
                    redis.clients.jedis.args.ListDirection.LEFT);
            t.del(K[1]);
            t.exec();
        } finally {
            server.close();
        }
        server = KvServer.start(config);
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            assertEquals("11", j.get(K[0]));
            assertNull(j.get(K[1]));
            assertEquals(List.of("y"), j.lrange(K[2], 0, -1));
            assertEquals(List.of("x"), j.lrange(K[1] + "-list", 0, -1));
        } finally {
            server.close();
        }
    }

    @Test
    void shouldNeverShowHalfATransferToAnyReader() throws Exception {
        KvServer server = oracle.ours();
        int port = server.port();
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            j.mset(K[0], "1000", K[1], "1000", K[2], "1000");
        }
        AtomicReference<String> broken = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int from = w % 3;
            int to = (w + 1) % 3;
            threads.add(Thread.ofPlatform().start(() -> {
                try (Jedis j = new Jedis("127.0.0.1", port)) {
                    for (int i = 0; i < 300; i++) {
                        if (i % 2 == 0) {
                            Transaction t = j.multi();
                            t.decrBy(K[from], 7);
                            t.incrBy(K[to], 7);
                            t.exec();
                        } else {
                            // a plain write on a key that transfers hold: must wait, not interleave
                            j.incrBy(K[from], 0);
                        }
                    }
                }
            }));
        }
        for (int rd = 0; rd < 2; rd++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try (Jedis j = new Jedis("127.0.0.1", port)) {
                    for (int i = 0; i < 300; i++) {
                        long sum = 0;
                        for (String v : j.mget(K[0], K[1], K[2])) {
                            sum += Long.parseLong(v);
                        }
                        if (sum != 3000) {
                            broken.compareAndSet(null, "MGET saw a sum of " + sum);
                        }
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertNull(broken.get());
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            long sum = 0;
            for (String v : j.mget(K[0], K[1], K[2])) {
                sum += Long.parseLong(v);
            }
            assertEquals(3000, sum);
        }
    }
}
