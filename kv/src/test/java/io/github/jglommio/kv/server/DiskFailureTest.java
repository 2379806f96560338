package io.github.jglommio.kv.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A log that cannot be written, through a real server process (2 shards): writes on every shard get
 * Redis's {@code -MISCONF}, so does PING, reads go on, nothing hangs (every client call has a 5 s
 * timeout), the log's retry clears the state once the disk takes writes again, nothing acknowledged
 * is lost, and a shutdown while failed is not held up. The disk runs out two ways: a file size limit
 * (prlimit, EFBIG) and, where mounting is allowed, a full tmpfs (ENOSPC).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DiskFailureTest {

    private static final int LIMIT = 1 << 20;
    private static final String VALUE = "x".repeat(100_000);
    private static final int TIMEOUT_MS = 5_000;

    @TempDir
    Path dir;

    @Test
    void shouldRefuseWritesOnEveryShardWhileAFileCannotGrowAndRecover() throws Exception {
        assumeTrue(onPath("prlimit"), "prlimit (util-linux) is not installed");
        int port = freePort();
        // Soft limit 1 MiB, hard unlimited: the test lifts it later.
        Process child = PersistenceTest.startServer(List.of("prlimit", "--fsize=" + LIMIT + ":unlimited"), port, dir);
        try {
            refuseThenRecover(port, child, dir, "File too large",
                    List.of("prlimit", "--pid", Long.toString(child.pid()), "--fsize=unlimited:unlimited"));
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void shouldRefuseWritesOnEveryShardWhileTheDiskIsFullAndRecover() throws Exception {
        Path mnt = Files.createDirectories(dir.resolve("small"));
        assumeTrue(run(List.of("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mnt.toString())),
                "cannot mount a small tmpfs here (needs root)");
        try {
            int port = freePort();
            Path data = Files.createDirectories(mnt.resolve("data"));
            Process child = PersistenceTest.startServer(List.of(), port, data);
            try {
                refuseThenRecover(port, child, data, "No space left on device",
                        List.of("mount", "-o", "remount,size=64m", mnt.toString()));
            } finally {
                child.destroyForcibly();
                child.waitFor(10, TimeUnit.SECONDS);
            }
        } finally {
            run(List.of("umount", mnt.toString()));
        }
    }

    @Test
    void shouldShutDownPromptlyWhileTheLogCannotBeWritten() throws Exception {
        assumeTrue(onPath("prlimit"), "prlimit (util-linux) is not installed");
        int port = freePort();
        Process child = PersistenceTest.startServer(List.of("prlimit", "--fsize=" + LIMIT + ":unlimited"), port, dir);
        try {
            PersistenceTest.awaitPing(port, child, dir);
            fillUntilRefused(port, "File too large");
            child.destroy(); // SIGTERM: the log makes one last attempt, no retry loop holds the exit up
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the server did not stop");
        } finally {
            child.destroyForcibly();
        }
    }

    /**
     * The scenario of both kinds of full disk: fill until refused (with {@code reason}), give the disk
     * room with {@code lift}, wait for writes to work again, stop, check every acknowledged write.
     */
    private static void refuseThenRecover(int port, Process child, Path data, String reason, List<String> lift)
            throws Exception {
        PersistenceTest.awaitPing(port, child, data);
        Map<String, String> acked = fillUntilRefused(port, reason);
        assertTrue(run(lift), "could not give the disk room again: " + lift);
        awaitRecovery(port);
        checkAndStop(port, child, data, acked);
    }

    /**
     * SETs 100 kB values to keys of shard 0 until one is refused; checks the refusal, the MISCONF on
     * both shards and on PING, and that reads work. Returns the acknowledged writes.
     */
    private static Map<String, String> fillUntilRefused(int port, String reason) {
        String misconf = "MISCONF Errors writing to the AOF file: " + reason;
        Map<String, String> acked = new LinkedHashMap<>();
        String shard0 = keyOn(0, "small0");
        String shard1 = keyOn(1, "small1");
        try (Jedis j = new Jedis("127.0.0.1", port, TIMEOUT_MS)) {
            assertEquals("OK", j.set(shard0, "zero"));
            assertEquals("OK", j.set(shard1, "one"));
            acked.put(shard0, "zero");
            acked.put(shard1, "one");
            String refused = null;
            for (int i = 0; i < 200 && refused == null; i++) {
                String key = keyOn(0, "big" + i);
                try {
                    assertEquals("OK", j.set(key, VALUE + i));
                    acked.put(key, VALUE + i);
                } catch (JedisDataException e) {
                    refused = e.getMessage();
                }
            }
            assertEquals(misconf, refused, "the write that failed is answered with the log's error");
            for (String key : List.of(keyOn(0, "later"), keyOn(1, "later"))) {
                JedisDataException e = assertThrows(JedisDataException.class, () -> j.set(key, "v"));
                assertEquals(misconf, e.getMessage(), "every later write, on every shard");
            }
            assertEquals(misconf, assertThrows(JedisDataException.class, j::ping).getMessage(), "PING, as Redis");
            assertEquals(misconf, assertThrows(JedisDataException.class, () -> j.incr(keyOn(1, "n"))).getMessage());
            assertEquals("zero", j.get(shard0), "reads are served");
            assertEquals(List.of("zero", "one"), j.mget(shard0, shard1));
            assertTrue(j.info("persistence").contains("aof_last_write_status:err"), j.info("persistence"));
        }
        return acked;
    }

    /** Writes are accepted again within a few retries. */
    private static void awaitRecovery(int port) throws InterruptedException {
        String key = keyOn(1, "after");
        String last = null;
        for (int attempt = 0; attempt < 100; attempt++) {
            try (Jedis j = new Jedis("127.0.0.1", port, TIMEOUT_MS)) {
                assertEquals("OK", j.set(key, "recovered"));
                assertEquals("PONG", j.ping());
                assertTrue(j.info("persistence").contains("aof_last_write_status:ok"), j.info("persistence"));
                return;
            } catch (JedisDataException e) {
                last = e.getMessage();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("writes still refused 10 s after the disk took writes again: " + last);
    }

    /** Stops the server cleanly and checks, after a restart in-process, every acknowledged write. */
    private static void checkAndStop(int port, Process child, Path data, Map<String, String> acked) throws Exception {
        try (Jedis j = new Jedis("127.0.0.1", port, TIMEOUT_MS)) {
            assertEquals("OK", j.set(keyOn(0, "final"), "f"));
        }
        child.destroy();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the server did not stop");
        try (KvServer server = KvServer.start(KvServerTest.config(data).with("shards", "2"));
             Jedis j = new Jedis("127.0.0.1", server.port(), TIMEOUT_MS)) {
            for (Map.Entry<String, String> e : acked.entrySet()) {
                assertEquals(e.getValue(), j.get(e.getKey()), "acknowledged write " + e.getKey() + " lost");
            }
            assertEquals("recovered", j.get(keyOn(1, "after")));
            assertEquals("f", j.get(keyOn(0, "final")));
        }
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    /** The first key {@code prefix}, {@code prefix-1}, ... that shard {@code shard} of 2 owns. */
    static String keyOn(int shard, String prefix) {
        for (int i = 0; ; i++) {
            String k = i == 0 ? prefix : prefix + "-" + i;
            if (KeyHash.shardOf(k.getBytes(StandardCharsets.UTF_8), 2) == shard) {
                return k;
            }
        }
    }

    private static boolean run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
