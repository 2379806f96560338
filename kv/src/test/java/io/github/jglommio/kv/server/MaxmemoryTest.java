package io.github.jglommio.kv.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * maxmemory through the server: a workload over the bound keeps used_memory under it on every
 * shard and counts the evictions; evictions are logged, so a restart finds the same keys.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MaxmemoryTest {

    private static long field(String info, String name) {
        for (String l : info.split("\r\n")) {
            if (l.startsWith(name + ":")) {
                return Long.parseLong(l.substring(name.length() + 1));
            }
        }
        throw new AssertionError("no " + name);
    }

    @Test
    void shouldHoldTheBoundUnderAWorkloadOverIt(@TempDir Path dir) throws IOException {
        long bound = 2 << 20;
        KvConfig config = KvServerTest.config(dir).with("shards", "3").with("appendfsync", "no")
                .with("maxmemory", "2mb").with("maxmemory-policy", "allkeys-lru");
        long keys;
        try (KvServer server = KvServer.start(config); Jedis j = new Jedis("127.0.0.1", server.port())) {
            byte[] value = new byte[200];
            for (int i = 0; i < 30_000; i++) {
                j.set(("key:" + i).getBytes(), value);
                if (i % 5000 == 4999) {
                    String info = j.info("memory");
                    assertTrue(field(info, "used_memory") <= bound, info);
                    for (int s = 0; s < 3; s++) {
                        assertTrue(field(info, "shard" + s + "_used_memory") <= bound / 3, info);
                    }
                }
            }
            keys = j.dbSize();
            assertTrue(keys < 30_000 && keys > 1000, "keys kept: " + keys);
            long evicted = field(j.info("stats"), "evicted_keys");
            assertEquals(30_000 - keys, evicted);
            assertEquals("OK", j.configSet("maxmemory", "0"));
        }
        // Every eviction was logged as a DEL: the log replays to the same keys.
        try (KvServer server = KvServer.start(config.with("maxmemory", "0"));
             Jedis j = new Jedis("127.0.0.1", server.port())) {
            assertEquals(keys, j.dbSize());
        }
    }

    @Test
    void shouldNotEvictInsideATransaction(@TempDir Path dir) throws IOException {
        KvConfig config = KvServerTest.config(dir).with("shards", "1").with("appendonly", "no")
                .with("maxmemory", "100kb").with("maxmemory-policy", "allkeys-random");
        try (KvServer server = KvServer.start(config); Jedis j = new Jedis("127.0.0.1", server.port())) {
            String big = "x".repeat(80_000);
            redis.clients.jedis.Transaction tx = j.multi();
            tx.set("big1", big);
            tx.set("big2", big); // over the bound: outside a block this would evict one of the two
            tx.strlen("big1");
            tx.strlen("big2");
            java.util.List<Object> replies = tx.exec();
            assertEquals(java.util.List.of("OK", "OK", 80_000L, 80_000L), replies);
            // After the block the shard evicts until it fits: one of the two is gone.
            assertEquals(1, j.dbSize());
            assertEquals(1, field(j.info("stats"), "evicted_keys"));
        }
    }
}
