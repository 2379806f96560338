package io.github.jglommio.kv.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SWAPDB on 3 shards is one step for every client: readers that read a key of each shard in one
 * MGET (a cross-shard transaction) while another client swaps, alone or inside MULTI, never see
 * one shard swapped and another not.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SwapDbAtomicityTest {

    @Test
    void shouldNeverShowHalfASwap(@TempDir Path dir) throws Exception {
        KvConfig config = KvServerTest.config(dir).with("shards", "3").with("appendonly", "no");
        String[] k = {Resp3DifferentialTest.keyOn(0, "key"), Resp3DifferentialTest.keyOn(1, "key"),
            Resp3DifferentialTest.keyOn(2, "key")};
        try (KvServer server = KvServer.start(config); Jedis setup = new Jedis("127.0.0.1", server.port())) {
            // db 0 holds generation 0 on every shard, db 1 generation 1; each swap flips both.
            for (String key : k) {
                setup.set(key, "0");
            }
            setup.select(1);
            for (String key : k) {
                setup.set(key, "1");
            }
            ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
            List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                readers.add(Thread.ofPlatform().start(() -> {
                    try (Jedis j = new Jedis("127.0.0.1", server.port())) {
                        for (int i = 0; i < 400; i++) {
                            Set<String> seen = new HashSet<>(j.mget(k));
                            if (seen.size() != 1) {
                                problems.add("MGET saw " + j.mget(k));
                            }
                        }
                    } catch (RuntimeException e) {
                        problems.add(e.toString());
                    }
                }));
            }
            int swaps = 200;
            try (Jedis swapper = new Jedis("127.0.0.1", server.port()); RespClient raw = new RespClient(server.port())) {
                for (int i = 0; i < swaps; i++) {
                    if (i % 2 == 0) {
                        assertEquals("OK", swapper.swapDB(0, 1));
                    } else {
                        // Inside a transaction whose block runs on one shard: every shard swaps at once too.
                        assertEquals("+OK\r\n", raw.call("MULTI"));
                        raw.call("GET", k[i % 3]);
                        raw.call("SWAPDB", "0", "1");
                        String exec = raw.call("EXEC");
                        assertTrue(exec.startsWith("*2\r\n") && exec.endsWith("+OK\r\n"), exec);
                    }
                }
            }
            for (Thread r : readers) {
                r.join();
            }
            assertTrue(problems.isEmpty(), problems.toString());
            setup.select(0);
            assertEquals(List.of("0", "0", "0"), setup.mget(k), "an even number of swaps");
        }
    }
}
