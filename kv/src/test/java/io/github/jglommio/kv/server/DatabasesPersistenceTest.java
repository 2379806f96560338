package io.github.jglommio.kv.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The numbered databases survive a restart and a log rewrite, on every shard. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DatabasesPersistenceTest {

    /** One key name per shard of 3. */
    private static String[] keysOnEveryShard() {
        String[] k = new String[3];
        for (int i = 0, found = 0; found < 3; i++) {
            String name = "key" + i;
            int s = KeyHash.shardOf(name.getBytes(StandardCharsets.UTF_8), 3);
            if (k[s] == null) {
                k[s] = name;
                found++;
            }
        }
        return k;
    }

    @Test
    void shouldKeepDatabasesZeroThreeAndFifteenOnEveryShardAcrossRestartsAndARewrite(@TempDir Path dir)
            throws IOException, InterruptedException {
        KvConfig config = KvServerTest.config(dir).with("shards", "3").with("appendfsync", "everysec");
        String[] k = keysOnEveryShard();
        try (KvServer server = KvServer.start(config); Jedis j = new Jedis("127.0.0.1", server.port())) {
            for (int db : new int[] {0, 3, 15}) {
                j.select(db);
                for (String key : k) {
                    j.set(key, key + "@" + db);
                }
                j.rpush("list-" + db, "a", "b");
            }
            j.select(3);
            j.move(k[0], 4); // db 4 gets k0, db 3 keeps the others
            j.select(0);
            j.swapDB(14, 15); // db 14 now holds what was written to 15
            j.swapDB(15, 14); // and back
            j.select(7);
            j.set(k[1], "flushed");
            j.flushDB();
        }
        try (KvServer server = KvServer.start(config); Jedis j = new Jedis("127.0.0.1", server.port())) {
            check(j, k);
            assertEquals("Background append only file rewriting started", j.bgrewriteaof());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (countRewrites(j.info("persistence")) < 3 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            j.select(15);
            j.set("after-rewrite", "yes");
        }
        try (KvServer server = KvServer.start(config); Jedis j = new Jedis("127.0.0.1", server.port())) {
            check(j, k);
            j.select(15);
            assertEquals("yes", j.get("after-rewrite"));
        }
    }

    private static int countRewrites(String info) {
        int n = 0;
        for (int i = info.indexOf("rewrites="); i >= 0; i = info.indexOf("rewrites=", i + 1)) {
            if (!info.startsWith("rewrites=0", i)) {
                n++;
            }
        }
        return n;
    }

    private static void check(Jedis j, String[] k) {
        j.select(0);
        assertEquals(List.of(k[0] + "@0", k[1] + "@0", k[2] + "@0"), j.mget(k));
        assertEquals(4, j.dbSize());
        j.select(3);
        assertEquals(java.util.Arrays.asList(null, k[1] + "@3", k[2] + "@3"), j.mget(k));
        j.select(4);
        assertEquals(k[0] + "@3", j.get(k[0]));
        j.select(15);
        assertEquals(List.of(k[0] + "@15", k[1] + "@15", k[2] + "@15"), j.mget(k));
        assertEquals(List.of("a", "b"), j.lrange("list-15", 0, -1));
        j.select(7);
        assertNull(j.get(k[1]));
        j.select(14);
        assertEquals(0, j.dbSize());
        String keyspace = j.info("keyspace");
        assertTrue(keyspace.contains("db0:keys=4,") && keyspace.contains("db3:keys=3,")
                && keyspace.contains("db4:keys=1,") && keyspace.contains("db15:keys="), keyspace);
    }
}
