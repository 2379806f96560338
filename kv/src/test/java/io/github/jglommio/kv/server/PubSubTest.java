package io.github.jglommio.kv.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pub/sub across the shards of one server: per-publisher order to subscribers on every shard, a
 * subscriber's own replies never interleaved with its messages, subscriptions dropped with their
 * connection (and an overflowing one closed), the registries left empty, and Jedis's
 * {@link JedisPubSub} end to end.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PubSubTest {
    private static final int SHARDS = 3;

    @TempDir
    static Path dir;
    private static KvServer server;

    @BeforeAll
    static void start() throws IOException {
        server = KvServer.start(KvServerTest.config(dir).with("shards", Integer.toString(SHARDS))
                .with("appendonly", "no"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Opens connections until every shard serves one; returns one per shard, indexed by shard. */
    private static RespClient[] onEveryShard() throws IOException {
        RespClient[] byShard = new RespClient[SHARDS];
        List<RespClient> extra = new ArrayList<>();
        try (RespClient probe = new RespClient(server.port())) {
            int[] before = clientsPerShard(probe);
            int found = 0;
            for (int attempt = 0; found < SHARDS && attempt < 500; attempt++) {
                RespClient c = new RespClient(server.port());
                assertEquals("+PONG\r\n", c.call("PING"));
                int[] after = clientsPerShard(probe);
                int shard = -1;
                for (int s = 0; s < SHARDS; s++) {
                    if (after[s] > before[s]) {
                        shard = s;
                    }
                }
                before = after;
                if (shard >= 0 && byShard[shard] == null) {
                    byShard[shard] = c;
                    found++;
                } else {
                    extra.add(c);
                }
            }
            assertEquals(SHARDS, found, "connections landed on every shard");
        } finally {
            for (RespClient c : extra) {
                c.close();
            }
        }
        return byShard;
    }

    private static int[] clientsPerShard(RespClient probe) throws IOException {
        int[] n = new int[SHARDS];
        for (String line : probe.call("INFO", "shards").split("\r\n")) {
            if (line.startsWith("shard")) {
                int s = Integer.parseInt(line.substring(5, line.indexOf(':')));
                String rest = line.substring(line.indexOf("clients=") + 8);
                n[s] = Integer.parseInt(rest.substring(0, rest.indexOf(',')));
            }
        }
        return n;
    }

    private static String message(String channel, String payload) {
        return "*3\r\n$7\r\nmessage\r\n$" + channel.length() + "\r\n" + channel + "\r\n$" + payload.length() + "\r\n"
                + payload + "\r\n";
    }

    private static String numsub(RespClient c, String channel) throws IOException {
        return c.call("PUBSUB", "NUMSUB", channel);
    }

    /** Asks {@code c} for {@code args} until the reply is {@code expected} (a close is noticed asynchronously). */
    private static void awaitReply(RespClient c, String expected, String... args) throws IOException {
        while (!c.call(args).equals(expected)) {
            Thread.onSpinWait();
        }
    }

    private static int registryEntries() {
        AtomicInteger n = new AtomicInteger();
        server.onEveryShard(sh -> {
            for (SubscriptionKind k : SubscriptionKind.all()) {
                n.addAndGet(sh.pubsub.entries(k));
            }
        });
        return n.get();
    }

    @Test
    void shouldDeliverEveryMessageInPublishOrderToSubscribersOnEveryShard() throws IOException {
        RespClient[] subs = onEveryShard();
        String channel = "ordered";
        try (RespClient publisher = new RespClient(server.port())) {
            for (RespClient s : subs) {
                assertEquals("*3\r\n$9\r\nsubscribe\r\n$7\r\nordered\r\n:1\r\n", s.call("SUBSCRIBE", channel));
            }
            int n = 1000;
            for (int i = 0; i < n; i++) {
                publisher.send("PUBLISH", channel, "m" + i);
            }
            for (int i = 0; i < n; i++) {
                assertEquals(":" + SHARDS + "\r\n", publisher.reply(), "receivers of message " + i);
            }
            for (RespClient s : subs) {
                for (int i = 0; i < n; i++) {
                    assertEquals(message(channel, "m" + i), s.reply());
                }
            }
        } finally {
            for (RespClient s : subs) {
                s.close();
            }
        }
    }

    @Test
    void shouldNeverInterleaveASubscribersRepliesWithItsMessages() throws Exception {
        int n = 500;
        try (RespClient sub = new RespClient(server.port()); RespClient publisher = new RespClient(server.port())) {
            sub.call("SUBSCRIBE", "mixed");
            CompletableFuture<Void> flood = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < n; i++) {
                        publisher.send("PUBLISH", "mixed", "x".repeat(i % 97) + i);
                    }
                    for (int i = 0; i < n; i++) {
                        publisher.reply();
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            for (int i = 0; i < n; i++) {
                sub.send("PING", "p" + i);
            }
            int pongs = 0;
            int messages = 0;
            for (int k = 0; k < 2 * n; k++) {
                String frame = sub.reply();
                if (frame.startsWith("*2\r\n$4\r\npong\r\n")) {
                    assertEquals("*2\r\n$4\r\npong\r\n$" + ("p" + pongs).length() + "\r\np" + pongs + "\r\n", frame);
                    pongs++;
                } else {
                    String payload = "x".repeat(messages % 97) + messages;
                    assertEquals(message("mixed", payload), frame);
                    messages++;
                }
            }
            flood.get(60, TimeUnit.SECONDS);
            assertEquals(n, pongs);
            assertEquals(n, messages);
        }
    }

    @Test
    void shouldForgetTheSubscriptionsOfAClosedConnection() throws IOException {
        RespClient[] subs = onEveryShard();
        try (RespClient observer = new RespClient(server.port())) {
            for (RespClient s : subs) {
                s.send("SUBSCRIBE", "leaving", "also-leaving");
                s.reply();
                s.reply();
                s.call("PSUBSCRIBE", "leav*");
                s.call("SSUBSCRIBE", "sharded-leaving");
            }
            assertEquals("*2\r\n$7\r\nleaving\r\n:" + SHARDS + "\r\n", numsub(observer, "leaving"));
            for (RespClient s : subs) {
                s.close();
            }
            awaitReply(observer, "*2\r\n$7\r\nleaving\r\n:0\r\n", "PUBSUB", "NUMSUB", "leaving");
            awaitReply(observer, ":0\r\n", "PUBSUB", "NUMPAT");
            awaitReply(observer, "*0\r\n", "PUBSUB", "SHARDCHANNELS");
            assertEquals("*0\r\n", observer.call("PUBSUB", "CHANNELS"));
            assertEquals(":0\r\n", observer.call("PUBLISH", "leaving", "anyone?"));
            assertEquals(0, registryEntries(), "entries left in the shards' registries");
        }
    }

    @Test
    void shouldLeaveNoRegistryEntryAfterUnsubscribingAndReset() throws IOException {
        try (RespClient s = new RespClient(server.port()); RespClient observer = new RespClient(server.port())) {
            s.send("SUBSCRIBE", "a", "b");
            s.reply();
            s.reply();
            s.call("PSUBSCRIBE", "p*");
            s.call("UNSUBSCRIBE", "a");
            assertEquals("*2\r\n$1\r\na\r\n:0\r\n", numsub(observer, "a"));
            assertEquals("*2\r\n$1\r\nb\r\n:1\r\n", numsub(observer, "b"));
            assertEquals("+RESET\r\n", s.call("RESET"));
            assertEquals("*0\r\n", observer.call("PUBSUB", "CHANNELS"));
            assertEquals(":0\r\n", observer.call("PUBSUB", "NUMPAT"));
            assertEquals(0, registryEntries(), "entries left in the shards' registries");
            assertEquals("$-1\r\n", s.call("GET", "k"));
        }
    }

    @Test
    void shouldCloseASubscriberThatDoesNotReadPastItsOutputLimit() throws IOException {
        try (RespClient slow = new RespClient(server.port()); RespClient publisher = new RespClient(server.port())) {
            slow.call("SUBSCRIBE", "flood");
            String big = "b".repeat(1 << 20);
            // Well past the 32 MiB limit and what the kernel's socket buffers hold.
            int published = 0;
            while (published < 96 && publisher.call("PUBLISH", "flood", big).equals(":1\r\n")) {
                published++;
            }
            awaitReply(publisher, "*2\r\n$5\r\nflood\r\n:0\r\n", "PUBSUB", "NUMSUB", "flood");
            assertTrue(published < 96, "the slow subscriber was closed while messages were published");
            assertEquals("+PONG\r\n", publisher.call("PING"));
        }
    }

    @Test
    void shouldExemptSubscribersFromTheIdleTimeout() throws IOException {
        try (RespClient sub = new RespClient(server.port())) {
            sub.call("SUBSCRIBE", "patient");
            try (RespClient idle = new RespClient(server.port())) {
                assertEquals("+PONG\r\n", idle.call("PING")); // idle from now on, the subscriber from before
                try (RespClient admin = new RespClient(server.port())) {
                    assertEquals("+OK\r\n", admin.call("CONFIG", "SET", "timeout", "1"));
                }
                try {
                    assertEquals(null, idle.reply()); // returns once the idle check closed it
                } catch (java.net.SocketException e) {
                    // reset: closed as well
                }
            } finally {
                try (RespClient admin = new RespClient(server.port())) {
                    assertEquals("+OK\r\n", admin.call("CONFIG", "SET", "timeout", "0"));
                }
            }
            // The subscriber was idle longer than the client that was closed, and stays.
            try (RespClient publisher = new RespClient(server.port())) {
                assertEquals(":1\r\n", publisher.call("PUBLISH", "patient", "still here"));
            }
            assertEquals(message("patient", "still here"), sub.reply());
        }
    }

    @Test
    void shouldCountAPublishOnceInCommandStatsThoughEveryShardDelivers() throws IOException {
        try (RespClient c = new RespClient(server.port())) {
            assertEquals("+OK\r\n", c.call("CONFIG", "RESETSTAT"));
            c.call("PUBLISH", "counted", "1");
            c.call("PUBLISH", "counted", "2");
            String stats = c.call("INFO", "commandstats");
            assertTrue(stats.contains("cmdstat_publish:calls=2,"), stats);
        }
    }

    @Test
    void shouldStopAServerWhoseClientsAreSubscribed() throws Exception {
        KvServer other = KvServer.start(KvServerTest.config(dir.resolve("other")).with("shards", "2")
                .with("appendonly", "no"));
        RespClient sub = new RespClient(other.port());
        try (RespClient publisher = new RespClient(other.port())) {
            sub.call("SUBSCRIBE", "bye");
            assertEquals(":1\r\n", publisher.call("PUBLISH", "bye", "now"));
            assertEquals(message("bye", "now"), sub.reply());
            other.close(); // returns: the subscriber's connection and its writer end
            assertTrue(sub.closedByServer());
        } finally {
            sub.close();
        }
    }

    @Test
    void shouldSubscribeAndPublishAcrossShardsWithJedis() throws Exception {
        String[] channels = {PubSubDifferentialTest.on(0, "jedis"), PubSubDifferentialTest.on(1, "jedis"),
                PubSubDifferentialTest.on(2, "jedis")};
        int perChannel = 20;
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch subscribed = new CountDownLatch(1);
        JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onSubscribe(String channel, int count) {
                if (count == channels.length) {
                    psubscribe("d?ne"); // from the listener's thread, as Jedis expects
                }
            }

            @Override
            public void onPSubscribe(String pattern, int count) {
                subscribed.countDown();
            }

            @Override
            public void onMessage(String channel, String message) {
                received.add(channel + "=" + message);
            }

            @Override
            public void onPMessage(String pattern, String channel, String message) {
                received.add(pattern + ">" + channel + "=" + message);
                punsubscribe();
                unsubscribe();
            }
        };
        CompletableFuture<Void> subscriber = CompletableFuture.runAsync(() -> {
            try (Jedis j = new Jedis("127.0.0.1", server.port())) {
                j.subscribe(listener, channels); // returns once every subscription ended
            }
        });
        assertTrue(subscribed.await(30, TimeUnit.SECONDS), "subscribed");
        List<String> expected = new ArrayList<>();
        try (Jedis publisher = new Jedis("127.0.0.1", server.port())) {
            java.util.Map<String, Long> numsub = publisher.pubsubNumSub(channels);
            for (String ch : channels) {
                assertEquals(1L, numsub.get(ch), ch);
            }
            for (int i = 0; i < perChannel; i++) {
                for (String ch : channels) {
                    assertEquals(1L, publisher.publish(ch, "n" + i));
                    expected.add(ch + "=n" + i);
                }
            }
            assertEquals(1L, publisher.publish("done", "last"));
            expected.add("d?ne>done=last");
            subscriber.get(30, TimeUnit.SECONDS);
            assertEquals(expected, received);
        }
    }
}
