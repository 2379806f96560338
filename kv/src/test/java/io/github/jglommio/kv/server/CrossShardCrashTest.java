package io.github.jglommio.kv.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Crash atomicity of cross-shard operations: the logs of a 2-shard server are cut as a crash
 * between the two shards' writes leaves them (one shard's part of the last operation missing, or
 * torn in the middle), and the restarted server must show none of that operation and all of the
 * ones before it.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CrossShardCrashTest {

    private static final String A = DiskFailureTest.keyOn(0, "a");
    private static final String B = DiskFailureTest.keyOn(1, "b");

    private static KvConfig config(Path dir) {
        return KvServerTest.config(dir).with("shards", "2").with("appendfsync", "always").with("databases", "2");
    }

    /** Writes A=1, B=1 (single-shard SETs, then a cross-shard MSET), then runs {@code last}. */
    private static void write(Path dir, String last) throws IOException {
        try (KvServer server = KvServer.start(config(dir)); Jedis j = new Jedis("127.0.0.1", server.port())) {
            j.set(A, "0");
            j.set(B, "0");
            j.mset(A, "1", B, "1");
            switch (last) {
                case "mset" -> j.mset(A, "2", B, "2");
                case "multi" -> {
                    Transaction t = j.multi();
                    t.set(A, "2");
                    t.incr(B);
                    assertEquals(List.of("OK", 2L), t.exec());
                }
                case "rename" -> j.rename(A, B);
                case "flushall" -> j.flushAll();
                case "swapdb" -> j.swapDB(0, 1);
                case "multiswap" -> {
                    // on shard 0's keys, but SWAPDB changes every shard
                    try (RespClient raw = new RespClient(server.port())) {
                        raw.call("MULTI");
                        raw.call("SET", A, "2");
                        raw.call("SWAPDB", "0", "1");
                        assertEquals("*2\r\n+OK\r\n+OK\r\n", raw.call("EXEC"));
                    }
                }
                default -> throw new IllegalArgumentException(last);
            }
        }
    }

    /** The state of both keys in both databases: db0 A, db0 B, db1 A, db1 B. */
    private static List<String> state(Jedis j) {
        j.select(0);
        String a0 = j.get(A);
        String b0 = j.get(B);
        j.select(1);
        String a1 = j.get(A);
        String b1 = j.get(B);
        j.select(0);
        return Arrays.asList(a0, b0, a1, b1);
    }

    private static List<String> stateAfterRestart(Path dir) throws IOException {
        try (KvServer server = KvServer.start(config(dir)); Jedis j = new Jedis("127.0.0.1", server.port())) {
            return state(j);
        }
    }

    /** The offset of the last TXPART record in {@code log}. */
    private static long lastPart(Path log) throws IOException {
        String text = new String(Files.readAllBytes(log), StandardCharsets.ISO_8859_1);
        int name = text.lastIndexOf("\r\n$6\r\nTXPART\r\n");
        assertTrue(name > 0, log + " holds no TXPART record");
        return text.lastIndexOf('*', name);
    }

    private static void truncate(Path log, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
            ch.truncate(size);
        }
    }

    @ParameterizedTest(name = "{0}, shard {1}''s part {2}")
    @CsvSource({
        "mset, 0, missing", "mset, 1, missing", "mset, 1, torn",
        "multi, 0, missing", "multi, 1, torn",
        "rename, 0, missing", "rename, 1, missing", "rename, 0, torn",
        "flushall, 0, missing", "flushall, 1, missing", "flushall, 1, torn",
        "swapdb, 0, missing", "swapdb, 1, torn",
        "multiswap, 0, missing", "multiswap, 1, missing", "multiswap, 0, torn"})
    void shouldShowNothingOfAnOperationOneShardDidNotLog(String last, int cutShard, String how, @TempDir Path dir)
            throws IOException {
        write(dir, last);
        Path log = dir.resolve("shard-" + cutShard + ".aof");
        long part = lastPart(log);
        long size = Files.size(log);
        // missing: the shard crashed before writing its part; torn: in the middle of the write
        truncate(log, how.equals("missing") ? part : part + (size - part) / 2);

        List<String> before = Arrays.asList("1", "1", null, null);
        assertEquals(before, stateAfterRestart(dir), last + " must be all or nothing");
        // The restart rewrote every log, dropping the operation's other part: a second restart agrees.
        assertEquals(before, stateAfterRestart(dir));
        // New transactions get new ids (above the dropped one's) and persist.
        try (KvServer server = KvServer.start(config(dir)); Jedis j = new Jedis("127.0.0.1", server.port())) {
            j.mset(A, "3", B, "3");
            j.rename(A, B);
        }
        assertEquals(Arrays.asList(null, "3", null, null), stateAfterRestart(dir));
    }

    @ParameterizedTest
    @CsvSource({"mset, 2, 2", "multi, 2, 2", "rename, , 1", "flushall, , ", "swapdb, , ", "multiswap, , "})
    void shouldApplyEveryOperationBothShardsLogged(String last, String a, String b, @TempDir Path dir)
            throws IOException {
        write(dir, last);
        List<String> expected = switch (last) {
            case "swapdb" -> Arrays.asList(null, null, "1", "1");
            case "multiswap" -> Arrays.asList(null, null, "2", "1");
            default -> Arrays.asList(a, b, null, null);
        };
        assertEquals(expected, stateAfterRestart(dir));
        assertEquals(expected, stateAfterRestart(dir));
    }

    /**
     * A rewrite (BGREWRITEAOF on every shard) compacts the cross-shard operations before it, and the
     * guarantee holds for those after it: cut one shard's part of the last one.
     */
    @Test
    void shouldKeepTheGuaranteeAcrossARewrite(@TempDir Path dir) throws Exception {
        try (KvServer server = KvServer.start(config(dir)); Jedis j = new Jedis("127.0.0.1", server.port())) {
            for (int i = 0; i < 200; i++) {
                j.mset(A, "r" + i, B, "r" + i);
            }
            assertEquals("Background append only file rewriting started", j.bgrewriteaof());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (j.info("persistence").split("rewrites=1", -1).length < 3 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            String info = j.info("persistence");
            assertEquals(3, info.split("rewrites=1", -1).length, "both shards rewrote: " + info);
            j.mset(A, "x", B, "x");
            j.mset(A, "y", B, "y");
        }
        for (int s = 0; s < 2; s++) {
            String text = Files.readString(dir.resolve("shard-" + s + ".aof"), StandardCharsets.ISO_8859_1);
            assertTrue(text.matches("(?s)\\*\\d+\r\n\\$9\r\nTXHORIZON\r\n.*"), "a rewritten log starts with its horizon");
            assertEquals(2, text.split("TXPART", -1).length - 1, "compacted: only the two later parts stay marked");
        }
        Path log = dir.resolve("shard-1.aof");
        truncate(log, lastPart(log));
        assertEquals(Arrays.asList("x", "x", null, null), stateAfterRestart(dir));
    }

    /**
     * A child server with 2 shards killed with SIGKILL while 4 clients run cross-shard transactions
     * (MULTI INCR a INCR b EXEC, a and b on different shards, and MSET of a pair of keys on different
     * shards): after the restart the two counters are equal and count at least every acknowledged
     * transaction, and each pair holds one value, at least its last acknowledged one.
     */
    @ParameterizedTest
    @ValueSource(strings = {"everysec", "no", "always"})
    void shouldNeverShowHalfATransactionAfterKillDashNine(String policy, @TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process child = PersistenceTest.startServer(port, dir, "--appendfsync", policy);
        int clients = 4;
        AtomicInteger execs = new AtomicInteger();
        AtomicIntegerArray pairs = new AtomicIntegerArray(clients);
        List<Thread> writers = new ArrayList<>();
        try {
            PersistenceTest.awaitPing(port, child, dir);
            for (int c = 0; c < clients; c++) {
                int client = c;
                writers.add(Thread.ofPlatform().start(() -> {
                    try (Jedis j = new Jedis("127.0.0.1", port)) {
                        for (int i = 1; ; i++) {
                            Transaction t = j.multi();
                            t.incr(A);
                            t.incr(B);
                            t.exec();
                            execs.incrementAndGet();
                            j.mset(DiskFailureTest.keyOn(0, "ma" + client), Integer.toString(i),
                                    DiskFailureTest.keyOn(1, "mb" + client), Integer.toString(i));
                            pairs.set(client, i);
                        }
                    } catch (RuntimeException killed) {
                        // the server died under the client
                    }
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (execs.get() < 500 && System.nanoTime() < deadline && child.isAlive()) {
                Thread.sleep(1);
            }
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no final write or sync
            child.waitFor(10, TimeUnit.SECONDS);
        }
        for (Thread t : writers) {
            t.join(10_000);
        }
        assertTrue(execs.get() >= 500, "only " + execs.get() + " transactions were acknowledged");
        try (KvServer server = KvServer.start(KvServerTest.config(dir).with("shards", "2"));
             Jedis j = new Jedis("127.0.0.1", server.port())) {
            String a = j.get(A);
            assertEquals(a, j.get(B), policy + ": the counters of one transaction differ");
            assertTrue(Long.parseLong(a) >= execs.get(), policy + ": " + a + " < " + execs.get() + " acknowledged");
            for (int c = 0; c < clients; c++) {
                String ma = j.get(DiskFailureTest.keyOn(0, "ma" + c));
                assertEquals(ma, j.get(DiskFailureTest.keyOn(1, "mb" + c)), policy + ": half an MSET of client " + c);
                assertTrue((ma == null ? 0 : Integer.parseInt(ma)) >= pairs.get(c), policy + ": acknowledged MSET lost");
            }
        }
    }
}
