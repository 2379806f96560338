package io.github.jglommio.kv.server;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyValue;
import io.lettuce.core.LMoveArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Pub/sub and blocking pops through Lettuce, which speaks RESP3 (push frames for messages) and
 * multiplexes one connection per client: the server on three shards, channels and keys on
 * different shards.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LettuceClientsTest {
    @TempDir
    static Path dir;
    private static KvServer server;
    private static RedisClient lettuce;
    private static final String A = Resp3DifferentialTest.keyOn(0, "a");
    private static final String B = Resp3DifferentialTest.keyOn(1, "b");
    private static final String C = Resp3DifferentialTest.keyOn(2, "c");

    @BeforeAll
    static void start() throws IOException {
        server = KvServer.start(KvServerTest.config(dir).with("shards", "3").with("appendonly", "no"));
        lettuce = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(server.port())
                .withTimeout(Duration.ofSeconds(10)).build());
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
