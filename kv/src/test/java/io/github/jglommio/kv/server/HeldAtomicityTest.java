package io.github.jglommio.kv.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A MULTI that holds FLUSHALL, FLUSHDB or SWAPDB plus writes on every shard of 3 is one step for
 * every client ({@link HeldRun}): while a writer replaces generation g-1 by g that way, readers
 * reading a key of each shard in one MGET, counting keys with DBSIZE, or reading both databases
 * in a transaction of their own, never see a flushed shard, a mix of generations, or database 1
 * out of step with database 0.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class HeldAtomicityTest {

    @Test
    void shouldNeverShowHalfATransactionThatFlushesOrSwaps(@TempDir Path dir) throws Exception {
        KvConfig config = KvServerTest.config(dir).with("shards", "3").with("appendonly", "no");
        String[] k = {Resp3DifferentialTest.keyOn(0, "key"), Resp3DifferentialTest.keyOn(1, "key"),
            Resp3DifferentialTest.keyOn(2, "key")};
        try (KvServer server = KvServer.start(config); RespClient writer = new RespClient(server.port())) {
            // Database 0 holds generation 0 on every shard, database 1 nothing.
            assertEquals("+OK\r\n", writer.call("MSET", k[0], "0", k[1], "0", k[2], "0"));
            ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
            List<Thread> readers = new ArrayList<>();
            readers.add(Thread.ofPlatform().start(() -> {
                try (Jedis j = new Jedis("127.0.0.1", server.port())) {
                    for (int i = 0; i < 400; i++) {
                        List<String> got = j.mget(k);
                        if (new HashSet<>(got).size() != 1 || got.get(0) == null) {
                            problems.add("MGET saw " + got);
                        }
                        long size = j.dbSize();
                        if (size != 3) {
                            problems.add("DBSIZE saw " + size);
                        }
                    }
                } catch (RuntimeException e) {
                    problems.add(e.toString());
                }
            }));
            readers.add(Thread.ofPlatform().start(() -> {
                try (RespClient c = new RespClient(server.port())) {
                    for (int i = 0; i < 200; i++) {
                        c.send("MULTI").send("MGET", k[0], k[1], k[2]).send("SELECT", "1")
                                .send("MGET", k[0], k[1], k[2]).send("DBSIZE").send("SELECT", "0").send("EXEC");
                        for (int r = 0; r < 6; r++) {
                            c.reply(); // +OK, then +QUEUED
                        }
                        String exec = c.reply();
                        if (!consistent(exec)) {
                            problems.add("MULTI saw " + exec.replace("\r\n", " "));
                        }
                    }
                } catch (Exception e) {
                    problems.add(e.toString());
                }
            }));
            for (int g = 1; g <= 150; g++) {
                String v = Integer.toString(g);
                String exec;
                if (g % 3 == 0) {
                    // Database 1 gets generation g, then becomes database 0: 0 holds g, 1 holds g-1.
                    writer.send("MULTI").send("SELECT", "1").send("FLUSHDB").send("SET", k[0], v).send("SET", k[1], v)
                            .send("SET", k[2], v).send("SWAPDB", "0", "1").send("SELECT", "0").send("EXEC");
                    for (int r = 0; r < 8; r++) {
                        writer.reply();
                    }
                    exec = writer.reply();
                    assertEquals("*7\r\n+OK\r\n+OK\r\n+OK\r\n+OK\r\n+OK\r\n+OK\r\n+OK\r\n", exec);
                } else {
                    // Everything flushed, database 0 rebuilt with g, database 1 with g-1.
                    String before = Integer.toString(g - 1);
                    writer.send("MULTI").send(g % 3 == 1 ? "FLUSHALL" : "FLUSHDB").send("SET", k[0], v)
                            .send("SET", k[1], v).send("SET", k[2], v).send("SELECT", "1").send("FLUSHDB")
                            .send("MSET", k[0], before, k[1], before, k[2], before).send("SELECT", "0")
                            .send("EXEC");
                    for (int r = 0; r < 9; r++) {
                        writer.reply();
                    }
                    exec = writer.reply();
                    assertEquals("*8\r\n" + "+OK\r\n".repeat(8), exec);
                }
            }
            for (Thread r : readers) {
                r.join();
            }
            assertTrue(problems.isEmpty(), problems.toString());
            assertEquals("*3\r\n$3\r\n150\r\n$3\r\n150\r\n$3\r\n150\r\n", writer.call("MGET", k[0], k[1], k[2]));
        }
    }

    /**
     * Whether a reader's EXEC reply ({@code [MGET of db 0, OK, MGET of db 1, DBSIZE of db 1, OK]})
     * shows one state: database 0's three keys of one generation g, database 1's of generation g-1,
     * or all missing (and DBSIZE 0) before the first write there.
     */
    private static boolean consistent(String exec) {
        List<String> lines = List.of(exec.split("\r\n"));
        int[] at = {1};
        if (!lines.get(0).equals("*5")) {
            return false;
        }
        List<String> db0 = mget(lines, at);
        at[0]++; // +OK
        List<String> db1 = mget(lines, at);
        String size1 = lines.get(at[0]);
        if (new HashSet<>(db0).size() != 1 || new HashSet<>(db1).size() != 1 || db0.get(0) == null) {
            return false;
        }
        int gen = Integer.parseInt(db0.get(0));
        if (db1.get(0) == null) {
            return gen == 0 && size1.equals(":0");
        }
        return Integer.parseInt(db1.get(0)) == gen - 1 && size1.equals(":3");
    }

    /** The three values of the MGET reply at line {@code at[0]}, which moves past it. */
    private static List<String> mget(List<String> lines, int[] at) {
        List<String> values = new ArrayList<>();
        at[0]++; // *3
        for (int i = 0; i < 3; i++) {
            String head = lines.get(at[0]++);
            values.add(head.equals("$-1") ? null : lines.get(at[0]++));
        }
        return values;
    }
}
