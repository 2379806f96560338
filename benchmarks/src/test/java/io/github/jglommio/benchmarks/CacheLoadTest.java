package io.github.jglommio.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class CacheLoadTest {

    @Test
    void shouldDrawSkewedKeysInRange() {
        CacheLoad.Distribution zipf = CacheLoad.zipf(1000, 0.99);
        CacheLoad.Distribution hotCold = CacheLoad.hotCold(1000, 0.1, 0.9);
        SplittableRandom random = new SplittableRandom(1);
        int zipfTop = 0;
        int hot = 0;
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            int z = zipf.next(random);
            int h = hotCold.next(random);
            assertTrue(z >= 0 && z < 1000 && h >= 0 && h < 1000);
            zipfTop += z < 10 ? 1 : 0;
            hot += h < 100 ? 1 : 0;
        }
        // Zipf 0.99 over 1000 keys: the first 10 carry about 39% of the weight; hot/cold sends 90% to the first 100.
        assertTrue(zipfTop > 0.35 * n && zipfTop < 0.43 * n, "zipf top 10: " + zipfTop);
        assertTrue(hot > 0.88 * n && hot < 0.92 * n, "hot share: " + hot);
    }

    @Test
    void shouldCountHitsAndSetTheMissesAgainstARealRedis(@TempDir Path dir) throws Exception {
        assumeTrue(RedisBenchmark.onPath("redis-server"), "redis-server is not installed");
        int port = RedisBenchmark.freePort();
        Process redis = RedisBenchmark.start(List.of("redis-server", "--port", Integer.toString(port), "--bind",
                "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()), dir.resolve("log"));
        try {
            RedisBenchmark.awaitPing(port, redis, "redis-server", dir.resolve("log"));
            // 50 keys, no bound: every key misses once, then hits; 4 clients may miss the same key together.
            CacheLoad.Result r = CacheLoad.run(port, 4, CacheLoad.hotCold(50, 0.5, 0.5), 10, 2000, 1);
            assertEquals(2000, r.gets());
            long keys = Long.parseLong(CacheLoad.call(port, "DBSIZE").substring(1));
            assertTrue(keys <= 50 && keys > 40, "keys set on misses: " + keys);
            assertTrue(r.hits() >= 2000 - 50 * 4 && r.hits() <= 2000 - keys, "hits: " + r.hits());
            assertEquals(0, CacheLoad.info(port, "stats", "evicted_keys"));
        } finally {
            RedisBenchmark.stop(redis);
        }
    }
}
