package io.github.jglommio.kv.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * client-output-buffer-limit and the memory a connection keeps: a client past the hard limit is
 * closed, one past the soft limit for its seconds too (normal and pub/sub), a client that reads is
 * not, and idle connections hold no read buffer.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OutputLimitsTest {

    private static KvServer server;
    private static int port;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws IOException {
        server = KvServer.start(KvServerTest.config(dir).with("shards", "2").with("appendonly", "no"));
        port = server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void reset() {
        try (Jedis j = new Jedis("127.0.0.1", port, 30_000)) {
            j.flushAll();
            j.configSet("client-output-buffer-limit", OutputLimits.DEFAULT);
            j.configResetStat();
        }
    }

    private static long disconnections() {
        try (Jedis j = new Jedis("127.0.0.1", port, 30_000)) {
            String info = j.info("stats");
            for (String line : info.split("\r\n")) {
                if (line.startsWith("client_output_buffer_limit_disconnections:")) {
                    return Long.parseLong(line.substring(line.indexOf(':') + 1));
                }
            }
        }
        throw new AssertionError("INFO stats has no client_output_buffer_limit_disconnections");
    }

    /** Waits until {@code n} clients are connected, the one asking included. */
    private static void awaitClients(int n) throws InterruptedException {
        while (true) {
            try (Jedis j = new Jedis("127.0.0.1", port, 30_000)) {
                if (j.info("clients").contains("connected_clients:" + n + "\r\n")) {
                    return;
                }
            }
            Thread.sleep(50);
        }
    }

    /** Sets {@code key} to a value of {@code bytes} bytes; returns the key. */
    private static String bigValue(String key, int bytes) {
        try (Jedis j = new Jedis("127.0.0.1", port, 30_000)) {
            j.set(key, "x".repeat(bytes));
        }
        return key;
    }

    /** Reads until the server closes the socket; returns the bytes read. */
    private static long drainToEnd(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        byte[] buf = new byte[64 << 10];
        long total = 0;
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                total += n;
            }
        } catch (java.net.SocketException reset) {
            // closed with unread data: a reset
        }
        return total;
    }

    private static byte[] repeated(String inline, int times) {
        return (inline + "\r\n").repeat(times).getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void shouldCloseAClientWhosePipelinePassesTheHardLimit() throws IOException {
        String key = bigValue("big", 1 << 20);
        try (Jedis j = new Jedis("127.0.0.1", port, 30_000)) {
            j.configSet("client-output-buffer-limit", "normal 4mb 0 0");
        }
        try (Socket s = new Socket("127.0.0.1", port)) {
            // 200 MiB of replies asked for at once; the shard stops after about 4.
            s.getOutputStream().write(repeated("GET " + key, 200));
            long got = drainToEnd(s);
            assertTrue(got < 8L << 20, "the replies past the limit were not sent: " + got + " bytes");
        }
        assertEquals(1, disconnections());
        try (Jedis j = new Jedis("127.0.0.1", port, 30_000)) {
            assertEquals("PONG", j.ping()); // the server goes on
        }
    }

    @Test
    void shouldStopAPipelineOnAnotherShardPastTheHardLimit() throws IOException {
        String[] keys = KvServerTest.keysOnBothShards();
        bigValue(keys[0], 1 << 20);
        bigValue(keys[1], 1 << 20);
        try (Jedis j = new Jedis("127.0.0.1", port, 30_000)) {
            j.configSet("client-output-buffer-limit", "normal 4mb 0 0");
        }
        try (Socket s = new Socket("127.0.0.1", port)) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < 100; i++) {
                b.append("GET ").append(keys[i % 2]).append("\r\n");
            }
            s.getOutputStream().write(b.toString().getBytes(StandardCharsets.US_ASCII));
            long got = drainToEnd(s);
            assertTrue(got < 16L << 20, "the replies past the limit were not sent: " + got + " bytes");
        }
        assertEquals(1, disconnections());
    }

    @Test
    void shouldServeAClientThatReadsUnderTheLimit() throws IOException {
        String key = bigValue("big", 1 << 20);
        try (Jedis j = new Jedis("127.0.0.1", port, 30_000)) {
            j.configSet("client-output-buffer-limit", "normal 64mb 0 0");
            for (int i = 0; i < 20; i++) {
                assertEquals(1 << 20, j.get(key).length());
            }
        }
        assertEquals(0, disconnections());
    }

    @Test
    void shouldCloseAClientPastTheSoftLimitForItsSeconds() throws Exception {
        String key = bigValue("big", 1 << 20);
        try (Jedis j = new Jedis("127.0.0.1", port, 30_000)) {
            j.configSet("client-output-buffer-limit", "normal 0 2mb 1");
        }
        try (Socket s = new Socket("127.0.0.1", port)) {
            // 32 MiB of replies, never read: the write parks with far more than 2 MiB waiting.
            s.getOutputStream().write(repeated("GET " + key, 32));
            while (disconnections() == 0) {
                Thread.sleep(200);
            }
            awaitClients(1); // the closed one is gone; the one that asks remains
        }
        assertEquals(1, disconnections());
    }

    @Test
    void shouldCloseASubscriberPastThePubSubSoftLimitForItsSeconds() throws Exception {
        try (Jedis j = new Jedis("127.0.0.1", port, 30_000)) {
            j.configSet("client-output-buffer-limit", "pubsub 0 1mb 1");
        }
        try (Socket sub = new Socket("127.0.0.1", port); Jedis pub = new Jedis("127.0.0.1", port, 30_000)) {
            OutputStream out = sub.getOutputStream();
            out.write(RespClient.encode("SUBSCRIBE", "ch"));
            while (pub.pubsubNumSub("ch").get("ch") == 0) {
                Thread.sleep(20);
            }
            String message = "m".repeat(256 << 10);
            for (int i = 0; i < 64 && disconnections() == 0; i++) {
                pub.publish("ch", message); // 16 MiB in all, never read
            }
            while (disconnections() == 0) {
                pub.publish("ch", "more");
                Thread.sleep(200);
            }
            while (pub.pubsubNumSub("ch").get("ch") != 0) {
                Thread.sleep(20); // the closed subscriber's subscription goes with it
            }
        }
        assertEquals(1, disconnections());
    }

    @Test
    void shouldCloseASubscriberPastThePubSubHardLimitAsConfigured() throws Exception {
        try (Jedis j = new Jedis("127.0.0.1", port, 30_000)) {
            j.configSet("client-output-buffer-limit", "pubsub 2mb 0 0");
        }
        try (Socket sub = new Socket("127.0.0.1", port); Jedis pub = new Jedis("127.0.0.1", port, 30_000)) {
            sub.getOutputStream().write(RespClient.encode("SUBSCRIBE", "ch"));
            while (pub.pubsubNumSub("ch").get("ch") == 0) {
                Thread.sleep(20);
            }
            String message = "m".repeat(256 << 10);
            for (int i = 0; i < 64 && disconnections() == 0; i++) {
                pub.publish("ch", message);
            }
            while (pub.pubsubNumSub("ch").get("ch") != 0) {
                Thread.sleep(20); // closed at once, unsubscribed with it
            }
        }
        assertEquals(1, disconnections());
    }

    @Test
    void shouldKeepNoReadBufferForIdleConnections() throws Exception {
        AtomicLong before = new AtomicLong();
        server.onEveryShard(sh -> before.addAndGet(sh.readBuffers.made));
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                Socket s = new Socket("127.0.0.1", port);
                idle.add(s);
                s.getOutputStream().write(repeated("PING", 1));
                byte[] pong = s.getInputStream().readNBytes(7);
                assertEquals("+PONG\r\n", new String(pong, StandardCharsets.US_ASCII));
            }
            AtomicLong after = new AtomicLong();
            server.onEveryShard(sh -> after.addAndGet(sh.readBuffers.made));
            // Each connection gave its buffer back before it waited again: the next one took it.
            assertTrue(after.get() - before.get() <= 4, "buffers made for 200 idle connections: "
                    + (after.get() - before.get()));
            for (Socket s : idle) { // all still served
                s.getOutputStream().write(repeated("PING", 1));
                assertEquals("+PONG\r\n", new String(s.getInputStream().readNBytes(7), StandardCharsets.US_ASCII));
            }
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
    }
}
