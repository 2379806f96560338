package io.github.jglommio.kv.server;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyValue;
import io.lettuce.core.LMoveArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.resps.Tuple;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server on three shards through two real clients that speak RESP3: Lettuce, which negotiates
 * it by itself (HELLO 3), and Jedis configured for it. Hashes read as maps, sorted sets with their
 * scores as doubles, sets as sets, MULTI/EXEC, a WATCH that another client's write aborts, pub/sub
 * (push frames) and blocking pops;
 * the keys of each test are spread over the shards, so cross-shard commands and transactions run.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Resp3ClientsTest {
    @TempDir
    static Path dir;
    private static KvServer server;
    private static RedisClient lettuce;
    private static final String A = Resp3DifferentialTest.keyOn(0, "a");
    private static final String B = Resp3DifferentialTest.keyOn(1, "b");
    private static final String C = Resp3DifferentialTest.keyOn(2, "c");

    private StatefulRedisConnection<String, String> connection;
    private RedisCommands<String, String> redis;

    @BeforeAll
    static void start() throws IOException {
        server = KvServer.start(KvServerTest.config(dir).with("shards", "3").with("appendonly", "no"));
        lettuce = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(server.port())
                .withTimeout(Duration.ofSeconds(10)).build());
        // RESP3 is Lettuce's default; stated so that a fallback to RESP2 cannot pass unnoticed.
        lettuce.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP3).build());
    }

    @AfterAll
    static void stop() {
        if (lettuce != null) {
            lettuce.shutdown(Duration.ZERO, Duration.ofSeconds(5));
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void connect() {
        connection = lettuce.connect();
        redis = connection.sync();
        redis.flushall();
    }

    @AfterEach
    void disconnect() {
        connection.close();
    }

    private static Jedis jedis() {
        return new Jedis(new HostAndPort("127.0.0.1", server.port()),
                DefaultJedisClientConfig.builder().protocol(RedisProtocol.RESP3).build());
    }

    @Test
    void shouldNegotiateResp3WithLettuce() {
        assertTrue(redis.clientInfo().contains(" resp=3"), redis.clientInfo());
        assertTrue(redis.info("server").contains("redis_version:"));
        assertNull(redis.get(A));
    }

    @Test
    void shouldReadHashesAsMapsAcrossShards() {
        redis.hset(A, Map.of("f1", "v1", "f2", "v2"));
        redis.hset(B, Map.of("g", "w"));
        assertEquals(Map.of("f1", "v1", "f2", "v2"), redis.hgetall(A));
        assertEquals(Map.of("g", "w"), redis.hgetall(B));
        assertEquals(Map.of(), redis.hgetall(C));
        assertEquals(Map.of("timeout", "0"), redis.configGet("timeout"));
        try (Jedis j = jedis()) {
            assertEquals(Map.of("f1", "v1", "f2", "v2"), j.hgetAll(A));
            assertEquals(Map.of("g", "w"), j.hgetAll(B));
            assertEquals(Arrays.asList("v1", null), j.hmget(A, "f1", "nope"));
        }
    }

    @Test
    void shouldReadSortedSetsWithScoresAcrossShards() {
        redis.zadd(A, ScoredValue.just(1, "a"), ScoredValue.just(2.5, "b"), ScoredValue.just(0.1, "c"));
        redis.zadd(B, ScoredValue.just(4, "a"), ScoredValue.just(5, "x"));
        assertEquals(List.of(ScoredValue.just(0.1, "c"), ScoredValue.just(1, "a"), ScoredValue.just(2.5, "b")),
                redis.zrangeWithScores(A, 0, -1));
        assertEquals(2.5, redis.zscore(A, "b"));
        assertEquals(3.5, redis.zincrby(A, 1, "b"));
        assertEquals(List.of(1.0, 3.5), redis.zmscore(A, "a", "b"));
        assertEquals(List.of(ScoredValue.just(5, "a"), ScoredValue.just(5, "x"), ScoredValue.just(0.1, "c"),
                ScoredValue.just(3.5, "b")).size(), redis.zunionWithScores(A, B).size());
        assertEquals(ScoredValue.just(5, "a"), redis.zunionWithScores(A, B).stream()
                .filter(v -> v.getValue().equals("a")).findFirst().orElseThrow());
        assertEquals(ScoredValue.just(0.1, "c"), redis.zpopmin(A));
        assertEquals(List.of(ScoredValue.just(5, "x"), ScoredValue.just(4, "a")), redis.zpopmax(B, 2));
        List<ScoredValue<String>> random = redis.zrandmemberWithScores(A, 2);
        assertEquals(2, random.size());
        assertTrue(random.contains(ScoredValue.just(1, "a")) && random.contains(ScoredValue.just(3.5, "b")), random::toString);
        try (Jedis j = jedis()) {
            j.zadd(C, Map.of("m", 1.5, "n", 2.0));
            assertEquals(List.of(new Tuple("m", 1.5), new Tuple("n", 2.0)), j.zrangeWithScores(C, 0, -1));
            assertEquals(1.5, j.zscore(C, "m"));
            assertNull(j.zscore(C, "nope"));
            assertEquals(Set.of("a", "b"), Set.copyOf(j.zrange(A, 0, -1)));
        }
    }

    @Test
    void shouldReadSetsAsSetsAcrossShards() {
        redis.sadd(A, "x", "y", "z");
        redis.sadd(B, "y", "z", "w");
        assertEquals(Set.of("x", "y", "z"), redis.smembers(A));
        assertEquals(Set.of("y", "z"), redis.sinter(A, B));
        assertEquals(Set.of("x", "y", "z", "w"), redis.sunion(A, B));
        try (Jedis j = jedis()) {
            assertEquals(Set.of("x"), j.sdiff(A, B));
            assertEquals(Set.of("x", "y", "z"), j.smembers(A));
        }
    }

    @Test
    void shouldRunTransactionsAcrossShardsWithLettuce() {
        redis.hset(A, "f", "v");
        redis.zadd(B, 2.5, "m");
        assertEquals("OK", redis.multi());
        redis.hgetall(A);
        redis.zscore(B, "m");
        redis.set(C, "1");
        redis.smembers(C + "-set");
        TransactionResult result = redis.exec();
        assertFalse(result.wasDiscarded());
        assertEquals(Map.of("f", "v"), result.get(0));
        assertEquals(2.5, (Double) result.get(1));
        assertEquals("OK", result.get(2));
        assertEquals(Set.of(), result.get(3));
        assertEquals("1", redis.get(C));
    }

    @Test
    void shouldAbortAWatchedTransactionWhenAnotherClientWrites() {
        for (String other : List.of(A + "-same-shard", B)) {
            redis.set(A, "v");
            redis.watch(A);
            redis.multi();
            redis.set(A, "mine");
            redis.get(other);
            try (StatefulRedisConnection<String, String> second = lettuce.connect()) {
                second.sync().set(A, "theirs");
            }
            assertTrue(redis.exec().wasDiscarded());
            assertEquals("theirs", redis.get(A));
        }
        redis.watch(A);
        redis.multi();
        redis.set(A, "mine");
        assertFalse(redis.exec().wasDiscarded(), "an untouched watch lets the transaction run");
        assertEquals("mine", redis.get(A));
    }

    @Test
    void shouldRunTransactionsAndWatchesWithJedisOverResp3() {
        try (Jedis j = jedis(); Jedis other = jedis()) {
            j.hset(A, "f", "v");
            j.zadd(B, 1.5, "m");
            Transaction t = j.multi();
            t.hgetAll(A);
            t.zscore(B, "m");
            t.get(C);
            List<Object> replies = t.exec();
            assertEquals(List.of(Map.of("f", "v"), 1.5), replies.subList(0, 2));
            assertNull(replies.get(2));

            j.watch(A);
            Transaction aborted = j.multi();
            aborted.set(A, "mine");
            aborted.zscore(B, "m");
            other.hset(A, "f", "changed");
            assertNull(aborted.exec());
            assertEquals("changed", j.hget(A, "f"));
        }
    }

    @Test
    void shouldDeliverEveryMessageInOrderAcrossShards() throws Exception {
        LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
        try (StatefulRedisPubSubConnection<String, String> sub = lettuce.connectPubSub();
             StatefulRedisConnection<String, String> pub = lettuce.connect()) {
            sub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    got.add(channel + "=" + message);
                }

                @Override
                public void message(String pattern, String channel, String message) {
                    got.add(pattern + ">" + channel + "=" + message);
                }
            });
            sub.sync().subscribe(A, B);
            sub.sync().psubscribe(C.substring(0, 1) + "*");
            RedisCommands<String, String> p = pub.sync();
            assertEquals(1L, p.publish(A, "one"), "one subscriber of A");
            assertEquals(1L, p.publish(B, "two"));
            assertEquals(1L, p.publish(C, "three"), "C only through the pattern");
            for (int i = 0; i < 200; i++) {
                p.publish(A, Integer.toString(i));
            }
            List<String> expected = new ArrayList<>(List.of(A + "=one", B + "=two", C.charAt(0) + "*>" + C + "=three"));
            for (int i = 0; i < 200; i++) {
                expected.add(A + "=" + i);
            }
            List<String> received = new ArrayList<>();
            while (received.size() < expected.size()) {
                received.add(got.poll(10, TimeUnit.SECONDS));
            }
            assertEquals(expected, received, "every message, in the publisher's order");
            sub.sync().unsubscribe(A, B);
            assertEquals(0L, p.publish(A, "gone"), "nobody subscribes to A any more");
            assertEquals(List.of(), p.pubsubChannels(A), "PUBSUB CHANNELS no longer lists A");
        }
    }

    @Test
    void shouldServeBlockingPopsFromAnyShard() throws Exception {
        try (StatefulRedisConnection<String, String> blocked = lettuce.connect();
             StatefulRedisConnection<String, String> pusher = lettuce.connect()) {
            RedisCommands<String, String> p = pusher.sync();
            p.del(A, B, C);
            assertNull(blocked.sync().blpop(0.1, A, B), "an empty list times out with nil");

            CompletableFuture<KeyValue<String, String>> pop = blocked.async().blpop(10, A, B, C).toCompletableFuture();
            awaitBlocked(p, 1);
            p.rpush(C, "x");
            KeyValue<String, String> kv = pop.get(10, TimeUnit.SECONDS);
            assertEquals(C, kv.getKey(), "served from the key that got data, on another shard");
            assertEquals("x", kv.getValue());

            CompletableFuture<String> move = blocked.async().blmove(B, A, LMoveArgs.Builder.rightLeft(), 10)
                    .toCompletableFuture();
            awaitBlocked(p, 1);
            p.lpush(B, "m");
            assertEquals("m", move.get(10, TimeUnit.SECONDS));
            assertEquals(List.of("m"), p.lrange(A, 0, -1), "moved to the other shard's list");
            assertEquals(0L, p.llen(B));

            CompletableFuture<KeyValue<String, io.lettuce.core.ScoredValue<String>>> zpop =
                    blocked.async().bzpopmin(10, B).toCompletableFuture();
            awaitBlocked(p, 1);
            p.zadd(B, 2.5, "z");
            assertEquals(2.5, zpop.get(10, TimeUnit.SECONDS).getValue().getScore(), "the score as a RESP3 double");
        }
    }

    /** Waits until INFO clients reports {@code n} blocked clients. */
    private static void awaitBlocked(RedisCommands<String, String> redis, int n) throws InterruptedException {
        while (!redis.info("clients").contains("blocked_clients:" + n + "\r\n")) {
            Thread.sleep(5);
        }
    }
}
