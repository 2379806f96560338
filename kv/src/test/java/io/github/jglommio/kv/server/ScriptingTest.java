package io.github.jglommio.kv.server;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scripts through the server: their effects survive a restart (the log holds the writes, not
 * the script), a script past busy-reply-threshold makes other clients get -BUSY until SCRIPT KILL
 * ends it, and Jedis and Lettuce run EVAL, EVALSHA and FCALL as applications do.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ScriptingTest {

    @Test
    void shouldReplayScriptEffectsAfterARestart(@TempDir Path dir) throws IOException {
        KvConfig config = KvServerTest.config(dir).with("shards", "1").with("appendfsync", "always");
        try (KvServer server = KvServer.start(config); Jedis j = new Jedis("127.0.0.1", server.port())) {
            Object r = j.eval("redis.call('set', KEYS[1], ARGV[1]); redis.call('incrby', KEYS[2], 5);"
                    + " redis.call('rpush', KEYS[3], 'a', 'b'); redis.call('select', 2);"
                    + " redis.call('set', KEYS[1], 'in2'); return redis.call('spop', KEYS[4])",
                    List.of("s", "n", "l", "set"), List.of("v"));
            assertEquals(null, r);
            j.sadd("set", "x", "y", "z");
            String popped = (String) j.eval("return redis.call('spop', KEYS[1])", 1, "set");
            j.eval("redis.call('set', 'k', 'v'); redis.call('pexpire', 'k', 100000)", 0);
        }
        String log = Files.readString(dir.resolve("shard-0.aof"));
        assertTrue(log.contains("MULTI") && !log.contains("EVAL") && !log.contains("redis.call"),
                "effects are logged, never the script: " + log);
        try (KvServer server = KvServer.start(config); Jedis j = new Jedis("127.0.0.1", server.port())) {
            assertEquals("v", j.get("s"));
            assertEquals("5", j.get("n"));
            assertEquals(List.of("a", "b"), j.lrange("l", 0, -1));
            assertEquals(2, j.scard("set")); // the random pop replays as the member it popped
            assertTrue(j.pttl("k") > 0);
            j.select(2);
            assertEquals("in2", j.get("s"));
        }
    }

    @Test
    void shouldAnswerBusyAndKillALongScript(@TempDir Path dir) throws Exception {
        KvConfig config = KvServerTest.config(dir).with("shards", "1");
        try (KvServer server = KvServer.start(config); RespClient admin = new RespClient(server.port());
             RespClient runner = new RespClient(server.port()); RespClient tx = new RespClient(server.port())) {
            assertEquals("+OK\r\n", admin.call("CONFIG", "SET", "busy-reply-threshold", "50"));
            assertEquals("-NOTBUSY No scripts in execution right now.\r\n", admin.call("SCRIPT", "KILL"));
            assertEquals("+OK\r\n", tx.call("MULTI"));
            assertEquals("+QUEUED\r\n", tx.call("INCR", "x"));
            runner.send("EVAL", "local i = 0 while true do i = i + 1 end", "0");
            CompletableFuture<String> killed = CompletableFuture.supplyAsync(() -> {
                try {
                    return runner.reply();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            String busy = "-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n";
            String ping;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!(ping = admin.call("PING")).equals(busy)) {
                assertEquals("+PONG\r\n", ping); // until the script passes the threshold
                assertTrue(System.nanoTime() < deadline, "never busy");
                Thread.sleep(10);
            }
            assertEquals(busy, admin.call("GET", "x"));
            // As Redis: a command queued while busy fails the transaction, and EXEC ends it.
            assertEquals(busy, tx.call("INCR", "x"));
            assertEquals("-EXECABORT Transaction discarded because of: " + busy.substring(1), tx.call("EXEC"));
            assertTrue(admin.call("FUNCTION", "KILL").startsWith("-BUSY"));
            assertEquals("+OK\r\n", admin.call("SCRIPT", "KILL"));
            String reply = killed.get(30, TimeUnit.SECONDS);
            assertTrue(reply.startsWith("-ERR Script killed by user with SCRIPT KILL... script: "), reply);
            assertEquals("+PONG\r\n", admin.call("PING"));
            assertEquals("$4\r\nasdf\r\n", tx.call("PING", "asdf")); // no longer in MULTI: not QUEUED
            // The connection and the shard go on.
            assertEquals(":3\r\n", runner.call("EVAL", "return 3", "0"));
            // A script that wrote cannot be killed; it ends by itself.
            runner.send("EVAL", "redis.call('set', 'w', '1') local t = redis.call('time')[1]"
                    + " while redis.call('time')[1] - t < 3 do end return 'done'", "0");
            String r;
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while ((r = admin.call("SCRIPT", "KILL")).startsWith("-NOTBUSY") && System.nanoTime() < deadline) {
                Thread.sleep(10); // before the script started, or past the threshold
            }
            assertTrue(r.startsWith("-UNKILLABLE Sorry the script already executed write commands"), r);
            assertEquals("$4\r\ndone\r\n", runner.reply());
            assertEquals("$1\r\n1\r\n", admin.call("GET", "w"));
        }
    }

    @Test
    void shouldRunScriptsThroughJedis(@TempDir Path dir) throws IOException {
        try (KvServer server = KvServer.start(KvServerTest.config(dir)); Jedis j = new Jedis("127.0.0.1",
                server.port())) {
            // A lock as Redisson and Spring take and release it.
            String acquire = "if redis.call('exists', KEYS[1]) == 0 then redis.call('hincrby', KEYS[1], ARGV[2], 1);"
                    + " redis.call('pexpire', KEYS[1], ARGV[1]); return nil; end;"
                    + " return redis.call('pttl', KEYS[1]);";
            assertEquals(null, j.eval(acquire, List.of("lock"), List.of("30000", "owner-1")));
            Object held = j.eval(acquire, List.of("lock"), List.of("30000", "owner-2"));
            assertTrue(held instanceof Long && (Long) held > 0, String.valueOf(held));
            String sha = j.scriptLoad("return redis.call('incrby', KEYS[1], ARGV[1])");
            assertEquals(7L, j.evalsha(sha, List.of("c"), List.of("7")));
            assertEquals(List.of(true, false), j.scriptExists(sha, "0000000000000000000000000000000000000000"));
            assertEquals("mylib", j.functionLoad("#!lua name=mylib\nredis.register_function('hi',"
                    + " function(keys, args) return 'hi ' .. args[1] end)"));
            assertEquals("hi there", j.fcall("hi", List.of(), List.of("there")));
            assertEquals(1, j.functionList().size());
            assertEquals("OK", j.functionFlush());
        }
    }

    @Test
    void shouldRunScriptsThroughLettuce(@TempDir Path dir) throws IOException {
        try (KvServer server = KvServer.start(KvServerTest.config(dir))) {
            RedisClient client = RedisClient.create("redis://127.0.0.1:" + server.port());
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                RedisCommands<String, String> r = c.sync();
                Long n = r.eval("return redis.call('incrby', KEYS[1], ARGV[1])", ScriptOutputType.INTEGER,
                        new String[] {"rate"}, "3");
                assertEquals(3L, n);
                String sha = r.scriptLoad("return {KEYS[1], ARGV[1], 3}");
                List<Object> l = r.evalsha(sha, ScriptOutputType.MULTI, new String[] {"k"}, "a");
                assertEquals(List.of("k", "a", 3L), l);
                // Under RESP3 (Lettuce's HELLO 3), a script's map reply is a map.
                Object m = r.eval("return {map={a=1}}", ScriptOutputType.OBJECT);
                assertEquals(java.util.Map.of("a", 1L), m);
            } finally {
                client.shutdown();
            }
        }
    }
}
