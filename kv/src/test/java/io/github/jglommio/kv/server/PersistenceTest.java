package io.github.jglommio.kv.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The append-only logs through the server: a clean restart, a rewrite, and kill -9 of a server process. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PersistenceTest {

    @Test
    void shouldRecoverEveryShardAfterARestart(@TempDir Path dir) throws IOException {
        KvConfig config = KvServerTest.config(dir).with("shards", "2").with("appendfsync", "everysec");
        String[] k = KvServerTest.keysOnBothShards();
        try (KvServer server = KvServer.start(config); Jedis j = new Jedis("127.0.0.1", server.port())) {
            j.mset(k[0], "zero", k[1], "one");
            j.incrBy("counter", 41);
            j.incr("counter");
            j.set("ttl", "v", SetParams.setParams().ex(1000));
            j.set("gone", "v");
            j.del("gone");
            j.rpush("list", "a", "b", "c");
        }
        assertTrue(Files.exists(dir.resolve("shard-0.aof")) || Files.list(dir).findAny().isPresent());
        try (KvServer server = KvServer.start(config); Jedis j = new Jedis("127.0.0.1", server.port())) {
            assertEquals(List.of("zero", "one"), j.mget(k[0], k[1]));
            assertEquals("42", j.get("counter"));
            assertNull(j.get("gone"));
            long ttl = j.ttl("ttl");
            assertTrue(ttl > 900 && ttl <= 1000, "ttl " + ttl);
            assertEquals(List.of("a", "b", "c"), j.lrange("list", 0, -1));
            assertEquals(5, j.dbSize());
            assertTrue(j.info("persistence").contains("replayed="), "INFO persistence shows the replay");
        }
    }

    @Test
    void shouldCompactTheLogOnBgrewriteaofAndLogExpirations(@TempDir Path dir) throws Exception {
        KvConfig config = KvServerTest.config(dir).with("shards", "1").with("appendfsync", "everysec");
        long before;
        try (KvServer server = KvServer.start(config); Jedis j = new Jedis("127.0.0.1", server.port())) {
            for (int i = 0; i < 1000; i++) {
                j.incr("counter");
            }
            j.set("short", "v", SetParams.setParams().px(20));
            Thread.sleep(60);
            assertNull(j.get("short")); // expired on access: the server logs a DEL for it
            before = Files.size(dir.resolve("shard-0.aof"));
            assertEquals("Background append only file rewriting started", j.bgrewriteaof());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!j.info("persistence").contains("rewrites=1") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(j.info("persistence").contains("rewrites=1"), j.info("persistence"));
        }
        long after = Files.size(dir.resolve("shard-0.aof"));
        assertTrue(after < before / 10, "compacted from " + before + " to " + after + " bytes");
        try (KvServer server = KvServer.start(config); Jedis j = new Jedis("127.0.0.1", server.port())) {
            assertEquals("1000", j.get("counter"));
            assertNull(j.get("short"));
            assertEquals(1, j.dbSize());
        }
    }

    /**
     * A child server with 2 shards and 4 clients writing keys of both shards; kill -9 after 1, 400 and
     * 3,000 acknowledged writes, under each policy: every acknowledged write is there after a restart
     * (under no and everysec it was in the page cache, under always on disk, before its reply).
     */
    @ParameterizedTest
    @ValueSource(strings = {"everysec", "no", "always"})
    void shouldKeepEveryAcknowledgedWriteAfterKillDashNine(String policy, @TempDir Path dir) throws Exception {
        for (int killAfter : new int[] {1, 400, 3_000}) {
            Path data = dir.resolve("kill-after-" + killAfter);
            Files.createDirectories(data);
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Process child = startServer(port, data, "--appendfsync", policy);
            int clients = 4;
            AtomicIntegerArray acked = new AtomicIntegerArray(clients);
            AtomicInteger total = new AtomicInteger();
            List<Thread> writers = new ArrayList<>();
            try {
                awaitPing(port, child, data);
                for (int c = 0; c < clients; c++) {
                    int client = c;
                    writers.add(Thread.ofPlatform().start(() -> {
                        try (Jedis j = new Jedis("127.0.0.1", port)) {
                            for (int i = 0; ; i++) {
                                j.set("c" + client + "-" + i, "v" + i);
                                acked.set(client, i + 1);
                                total.incrementAndGet();
                            }
                        } catch (RuntimeException killed) {
                            // the server died under the client
                        }
                    }));
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (total.get() < killAfter && System.nanoTime() < deadline && child.isAlive()) {
                    Thread.sleep(1);
                }
            } finally {
                child.destroyForcibly();     // SIGKILL: no shutdown hook, no final write or sync
                child.waitFor(10, TimeUnit.SECONDS);
            }
            for (Thread t : writers) {
                t.join(10_000);
            }
            assertTrue(total.get() >= killAfter, "only " + total.get() + " writes were acknowledged");
            try (KvServer server = KvServer.start(KvServerTest.config(data).with("shards", "2"));
                 Jedis j = new Jedis("127.0.0.1", server.port())) {
                for (int c = 0; c < clients; c++) {
                    for (int i = 0; i < acked.get(c); i++) {
                        assertEquals("v" + i, j.get("c" + c + "-" + i), policy + ", killed after " + killAfter
                                + ": acknowledged write c" + c + "-" + i + " lost");
                    }
                }
            }
        }
    }

    /** Starts KvMain in a child JVM: 2 shards, unpinned, data in {@code dir}, output in dir/child.log. */
    static Process startServer(int port, Path dir, String... options) throws IOException {
        return startServer(List.of(), port, dir, options);
    }

    /** As {@link #startServer(int, Path, String...)}, the command line after {@code prefix} (prlimit, say). */
    static Process startServer(List<String> prefix, int port, Path dir, String... options) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(java, "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                KvMain.class.getName(), "--port", Integer.toString(port), "--dir", dir.toString(), "--shards", "2",
                "--pin", "no"));
        cmd.addAll(List.of(options));
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile()).start();
    }

    static void awaitPing(int port, Process child, Path dir) throws Exception {
        for (int attempt = 0; attempt < 300; attempt++) {
            if (!child.isAlive()) {
                throw new AssertionError("server exited: " + Files.readString(dir.resolve("child.log")));
            }
            try (Jedis j = new Jedis("127.0.0.1", port)) {
                if ("PONG".equals(j.ping())) {
                    return;
                }
            } catch (RuntimeException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("server did not answer: " + Files.readString(dir.resolve("child.log")));
    }
}
