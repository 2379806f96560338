package io.github.jglommio.kv.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ListDirection;
import redis.clients.jedis.util.KeyValue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The blocking pops end to end with Jedis on our server alone: timeouts and wake-ups, no element
 * lost or given twice under concurrent producers and consumers on keys spread over the shards,
 * the pops of woken clients surviving a restart, and a shutdown that does not wait for blocked
 * clients.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BlockingPopsTest {
    private static final String[] K = {CrossShardTest.keyOn(0, "a"), CrossShardTest.keyOn(1, "b"),
        CrossShardTest.keyOn(2, "c")};

    private static KvServer start(Path dir) throws IOException {
        return KvServer.start(KvServerTest.config(dir).with("shards", "3").with("appendfsync", "everysec"));
    }

    /** Waits until INFO says {@code n} clients are blocked. */
    private static void awaitBlocked(Jedis j, int n) {
        while (!j.info("clients").contains("blocked_clients:" + n + "\r\n")) {
            Thread.onSpinWait();
        }
    }

    @Test
    void shouldTimeOutAndWakeBlockedJedisClients(@TempDir Path dir) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (KvServer server = start(dir); Jedis j = new Jedis("127.0.0.1", server.port());
             Jedis blocked = new Jedis("127.0.0.1", server.port())) {
            assertNull(j.blpop(0.05, K[0], K[1]));
            assertNull(j.brpop(0.05, K[2]));
            assertNull(j.blmove(K[0], K[1], ListDirection.LEFT, ListDirection.RIGHT, 0.05));

            Future<KeyValue<String, String>> pop = pool.submit(() -> blocked.blpop(0.0, K[0], K[1], K[2]));
            awaitBlocked(j, 1);
            j.rpush(K[1], "one", "two");
            assertEquals(new KeyValue<>(K[1], "one"), pop.get());

            Future<KeyValue<String, String>> rpop = pool.submit(() -> blocked.brpop(5.0, K[2]));
            awaitBlocked(j, 1);
            j.lpush(K[2], "x", "y");
            assertEquals(new KeyValue<>(K[2], "x"), rpop.get());

            Future<String> move = pool.submit(() -> blocked.blmove(K[0], K[2], ListDirection.RIGHT,
                ListDirection.LEFT, 5.0));
            awaitBlocked(j, 1);
            j.rpush(K[0], "m1", "m2");
            assertEquals("m2", move.get());
            assertEquals(List.of("m2", "y"), j.lrange(K[2], 0, -1));
            assertEquals(List.of("m1"), j.lrange(K[0], 0, -1));
            assertEquals(List.of("two"), j.lrange(K[1], 0, -1));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldDeliverEveryElementExactlyOnceToConsumersAcrossShards(@TempDir Path dir) throws Exception {
        int producers = 3;
        int perProducer = 300;
        int consumers = 4;
        int total = producers * perProducer;
        String[] keys = {K[0], K[1], K[2], CrossShardTest.keyOn(0, "d"), CrossShardTest.keyOn(1, "e")};
        ExecutorService pool = Executors.newFixedThreadPool(producers + consumers);
        Set<String> received = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        AtomicInteger count = new AtomicInteger();
        try (KvServer server = start(dir); Jedis j = new Jedis("127.0.0.1", server.port())) {
            int port = server.port();
            List<Future<?>> work = new ArrayList<>();
            for (int c = 0; c < consumers; c++) {
                work.add(pool.submit(() -> {
                    try (Jedis cj = new Jedis("127.0.0.1", port)) {
                        while (count.get() < total) {
                            KeyValue<String, String> kv = cj.blpop(0.2, keys);
                            if (kv != null) {
                                count.incrementAndGet();
                                if (!received.add(kv.getValue())) {
                                    duplicates.incrementAndGet();
                                }
                            }
                        }
                    }
                    return null;
                }));
            }
            for (int p = 0; p < producers; p++) {
                int id = p;
                work.add(pool.submit(() -> {
                    try (Jedis pj = new Jedis("127.0.0.1", port)) {
                        for (int i = 0; i < perProducer; i++) {
                            pj.rpush(keys[(i + id) % keys.length], id + ":" + i);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
            assertEquals(0, duplicates.get());
            assertEquals(total, received.size());
            for (String k : keys) {
                assertEquals(0, j.llen(k));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldReplayThePopsOfWokenClientsAfterARestart(@TempDir Path dir) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            try (KvServer server = start(dir); Jedis j = new Jedis("127.0.0.1", server.port());
                 Jedis a = new Jedis("127.0.0.1", server.port()); Jedis b = new Jedis("127.0.0.1", server.port())) {
                Future<KeyValue<String, String>> pop = pool.submit(() -> a.blpop(0.0, K[0]));
                awaitBlocked(j, 1);
                Future<String> move = pool.submit(() -> b.blmove(K[1], K[2], ListDirection.LEFT,
                    ListDirection.LEFT, 0.0));
                awaitBlocked(j, 2);
                j.rpush(K[0], "p1", "p2");
                j.rpush(K[1], "q1", "q2");
                assertEquals("p1", pop.get().getValue());
                assertEquals("q1", move.get());
                j.zadd(K[0] + "z", 1, "m");
                assertEquals(1, j.bzpopmin(1.0, K[0] + "z").getValue().getScore(), 0.0);
            }
            try (KvServer server = start(dir); Jedis j = new Jedis("127.0.0.1", server.port())) {
                assertEquals(List.of("p2"), j.lrange(K[0], 0, -1));
                assertEquals(List.of("q2"), j.lrange(K[1], 0, -1));
                assertEquals(List.of("q1"), j.lrange(K[2], 0, -1));
                assertEquals(0, j.exists(K[0] + "z") ? 1 : 0);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldShutDownWhileClientsAreBlocked(@TempDir Path dir) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(1);
        try {
            KvServer server = start(dir);
            try (Jedis j = new Jedis("127.0.0.1", server.port()); Jedis a = new Jedis("127.0.0.1", server.port())) {
                pool.submit(() -> a.blpop(0.0, K[0], K[1]));
                awaitBlocked(j, 1);
                assertTrue(j.clientPause(50) != null);
                server.close(); // returns: the blocked client does not hold the shutdown
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
