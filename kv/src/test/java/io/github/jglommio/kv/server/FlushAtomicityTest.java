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
 * FLUSHALL and FLUSHDB on 3 shards are one step for every client: readers that read a key of each
 * shard in one MGET (a cross-shard transaction) while another client fills the three keys with one
 * MSET and flushes them again never see some shards flushed and others not.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FlushAtomicityTest {

    @Test
    void shouldNeverShowHalfAFlush(@TempDir Path dir) throws Exception {
        KvConfig config = KvServerTest.config(dir).with("shards", "3").with("appendonly", "no");
        String[] k = {Resp3DifferentialTest.keyOn(0, "key"), Resp3DifferentialTest.keyOn(1, "key"),
            Resp3DifferentialTest.keyOn(2, "key")};
        try (KvServer server = KvServer.start(config)) {
            ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
            List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                readers.add(Thread.ofPlatform().start(() -> {
                    try (Jedis j = new Jedis("127.0.0.1", server.port())) {
                        for (int i = 0; i < 400; i++) {
                            List<String> got = j.mget(k);
                            if (new HashSet<>(got).size() != 1) {
                                problems.add("MGET saw " + got); // some keys flushed, others not
                            }
                        }
                    } catch (RuntimeException e) {
                        problems.add(e.toString());
                    }
                }));
            }
            try (Jedis writer = new Jedis("127.0.0.1", server.port())) {
                for (int i = 0; i < 200; i++) {
                    assertEquals("OK", writer.mset(k[0], "v", k[1], "v", k[2], "v"));
                    assertEquals("OK", i % 2 == 0 ? writer.flushAll() : writer.flushDB());
                }
                assertEquals(0L, writer.dbSize(), "the last flush emptied every shard");
            }
            for (Thread r : readers) {
                r.join();
            }
            assertTrue(problems.isEmpty(), problems.toString());
        }
    }
}
