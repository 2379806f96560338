package io.github.jglommio.kv.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.ScanResult;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server over TCP with two shards: command semantics, cross-shard fan-out, protocol handling. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KvServerTest {

    private static KvServer server;
    private static int port;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws IOException {
        server = KvServer.start(config(dir).with("shards", "2").with("appendonly", "no"));
        port = server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static KvConfig config(Path dir) {
        return KvConfig.defaults().withPort(0).with("dir", dir.toString()).with("pin", "no");
    }

    @BeforeEach
    void flush() {
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            j.flushAll();
        }
    }

    /** Two keys that live on different shards of two. */
    static String[] keysOnBothShards() {
        String a = "k0";
        for (int i = 1; ; i++) {
            String b = "k" + i;
            if (KeyHash.shardOf(b.getBytes(StandardCharsets.UTF_8), 2) != KeyHash.shardOf(a.getBytes(StandardCharsets.UTF_8), 2)) {
                return new String[] {a, b};
            }
        }
    }

    @Test
    void shouldServeStringCommandsThroughJedis() {
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            assertEquals("PONG", j.ping());
            assertEquals("hi", j.echo("hi"));
            assertEquals("OK", j.set("a", "1"));
            assertEquals("1", j.get("a"));
            assertNull(j.get("missing"));
            assertNull(j.set("a", "2", SetParams.setParams().nx()));
            assertEquals("1", j.get("a"));
            assertEquals("OK", j.set("a", "3", SetParams.setParams().xx()));
            assertNull(j.set("b", "3", SetParams.setParams().xx()));
            assertEquals(4, j.incr("a"));
            assertEquals(3, j.decr("a"));
            assertEquals(13, j.incrBy("a", 10));
            j.set("s", "x");
            assertThrows(redis.clients.jedis.exceptions.JedisDataException.class, () -> j.incr("s"));
            assertEquals("OK", j.set("e", "v", SetParams.setParams().ex(100)));
            long ttl = j.ttl("e");
            assertTrue(ttl > 90 && ttl <= 100, "ttl " + ttl);
            assertEquals(1, j.persist("e"));
            assertEquals(-1, j.ttl("e"));
            assertEquals(1, j.expire("e", 50));
            assertTrue(j.ttl("e") > 0);
            assertEquals(-2, j.ttl("nothing"));
        }
    }

    @Test
    void shouldExpireKeysWithPx() throws InterruptedException {
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            j.set("short", "v", SetParams.setParams().px(50));
            Thread.sleep(120);
            assertNull(j.get("short"));
            assertFalse(j.exists("short"));
        }
    }

    @Test
    void shouldFanMultiKeyCommandsOutOverShards() {
        String[] k = keysOnBothShards();
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            assertEquals("OK", j.mset(k[0], "A", k[1], "B", "third", "C"));
            assertEquals(List.of("A", "B", "C"), j.mget(k[0], k[1], "third"));
            List<String> withMissing = j.mget(k[1], "nope", k[0]);
            assertEquals("B", withMissing.get(0));
            assertNull(withMissing.get(1));
            assertEquals("A", withMissing.get(2));
            assertEquals(2, j.exists(k[0], k[1], "nope"));
            assertEquals(3, j.dbSize());
            assertEquals(Set.of(k[0], k[1], "third"), j.keys("*"));
            assertEquals(2, j.del(k[0], k[1], "nope"));
            assertEquals(1, j.dbSize());
            assertEquals("OK", j.flushAll());
            assertEquals(0, j.dbSize());
        }
    }

    @Test
    void shouldScanEveryKeyOnceAcrossShards() {
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            Set<String> expected = new HashSet<>();
            for (int i = 0; i < 500; i++) {
                j.set("key:" + i, "v");
                expected.add("key:" + i);
            }
            j.set("other", "v");
            Set<String> seen = new HashSet<>();
            String cursor = ScanParams.SCAN_POINTER_START;
            int calls = 0;
            do {
                ScanResult<String> r = j.scan(cursor, new ScanParams().match("key:*").count(50));
                seen.addAll(r.getResult());
                cursor = r.getCursor();
                calls++;
            } while (!cursor.equals("0") && calls < 10_000);
            assertEquals(expected, seen);
            assertTrue(calls > 2, "the scan visits both shards in steps: " + calls);
        }
    }

    @Test
    void shouldKeepPipelineRepliesInRequestOrderAcrossShards() throws IOException {
        try (RespClient c = new RespClient(port)) {
            StringBuilder pipeline = new StringBuilder();
            for (int i = 0; i < 200; i++) {
                pipeline.append(new String(RespClient.encode("SET", "p" + i, "v" + i), StandardCharsets.UTF_8));
                pipeline.append(new String(RespClient.encode("GET", "p" + i), StandardCharsets.UTF_8));
                pipeline.append(new String(RespClient.encode("INCR", "counter"), StandardCharsets.UTF_8));
            }
            c.raw(pipeline.toString());
            for (int i = 0; i < 200; i++) {
                assertEquals("+OK\r\n", c.reply());
                assertEquals("$" + ("v" + i).length() + "\r\nv" + i + "\r\n", c.reply());
                assertEquals(":" + (i + 1) + "\r\n", c.reply());
            }
        }
    }

    @Test
    void shouldKeepOrderWhenThisShardsCommandsRunAfterTheOthersAreSent() throws IOException {
        // The connection's own shard runs its part of a pipeline after the other shard's batch went
        // out; replies written at once (server commands, errors) must still come in request order,
        // and a server command sees the writes before it.
        String[] k = keysOnBothShards();
        try (RespClient c = new RespClient(port)) {
            String[][] pipeline = {
                {"SET", k[0], "1"}, {"SET", k[1], "2"}, {"ECHO", "between"}, {"GET", k[0]}, {"NOSUCH"},
                {"INCR", k[0]}, {"GET", k[1]}, {"GET"}, {"INCR", k[1]}, {"DBSIZE"}, {"INFO", "keyspace"}, {"GET", k[0]}};
            StringBuilder sb = new StringBuilder();
            for (String[] command : pipeline) {
                sb.append(new String(RespClient.encode(command), StandardCharsets.UTF_8));
            }
            c.raw(sb.toString());
            assertEquals("+OK\r\n", c.reply());
            assertEquals("+OK\r\n", c.reply());
            assertEquals("$7\r\nbetween\r\n", c.reply());
            assertEquals("$1\r\n1\r\n", c.reply());
            assertTrue(c.reply().startsWith("-ERR unknown command 'NOSUCH'"));
            assertEquals(":2\r\n", c.reply());
            assertEquals("$1\r\n2\r\n", c.reply());
            assertEquals("-ERR wrong number of arguments for 'get' command\r\n", c.reply());
            assertEquals(":3\r\n", c.reply());
            assertEquals(":2\r\n", c.reply());
            assertTrue(c.reply().contains("db0:keys=2,"), "INFO sees the writes before it on both shards");
            assertEquals("$1\r\n2\r\n", c.reply());
        }
    }

    @Test
    void shouldServeManyConnectionsWritingKeysOfBothShardsAtOnce() throws Exception {
        // Batches of many connections to one shard travel as few mesh messages; none may be lost.
        int clients = 16;
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int c = 0; c < clients; c++) {
            int client = c;
            threads.add(Thread.ofPlatform().start(() -> {
                try (Jedis j = new Jedis("127.0.0.1", port)) {
                    for (int i = 0; i < 300; i++) {
                        assertEquals("OK", j.set("c" + client + ":" + i, "v" + i));
                        assertEquals(i + 1, j.incr("count:" + client));
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(List.of(), failures);
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            assertEquals(clients * 301L, j.dbSize());
            for (int c = 0; c < clients; c++) {
                assertEquals("300", j.get("count:" + c));
                assertEquals("v299", j.get("c" + c + ":299"));
            }
            String stats = j.info("stats");
            long batches = infoField(stats, "cross_shard_batches");
            long messages = infoField(stats, "cross_shard_messages");
            assertTrue(messages > 0 && messages <= batches, stats);
        }
    }

    private static long infoField(String info, String name) {
        for (String line : info.split("\r\n")) {
            if (line.startsWith(name + ":")) {
                return Long.parseLong(line.substring(name.length() + 1));
            }
        }
        throw new AssertionError(name + " missing from " + info);
    }

    @Test
    void shouldPipelineThroughJedis() {
        String[] k = keysOnBothShards();
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            Pipeline p = j.pipelined();
            p.set(k[0], "x");
            p.set(k[1], "y");
            var mget = p.mget(k[1], k[0]);
            var del = p.del(k[0]);
            var exists = p.exists(k[0], k[1]);
            p.sync();
            assertEquals(List.of("y", "x"), mget.get());
            assertEquals(1L, del.get());
            assertEquals(1L, exists.get());
        }
    }

    @Test
    void shouldAcceptInlineCommands() throws IOException {
        try (RespClient c = new RespClient(port)) {
            c.raw("SET inline \"a b\"\r\nGET inline\r\nPING\r\n");
            assertEquals("+OK\r\n", c.reply());
            assertEquals("$3\r\na b\r\n", c.reply());
            assertEquals("+PONG\r\n", c.reply());
        }
    }

    @Test
    void shouldAnswerErrorsAsRedisDoes() throws IOException {
        try (RespClient c = new RespClient(port)) {
            assertTrue(c.call("NOSUCH", "a").startsWith("-ERR unknown command 'NOSUCH'"), "unknown command");
            assertEquals("-ERR wrong number of arguments for 'get' command\r\n", c.call("GET"));
            assertEquals("-ERR DB index is out of range\r\n", c.call("SELECT", "16"));
            assertEquals("+OK\r\n", c.call("SELECT", "0"));
            assertTrue(c.call("AUTH", "x").startsWith("-ERR AUTH <password> called without any password"));
            // The connection stays usable after command errors.
            assertEquals("+PONG\r\n", c.call("PING"));
        }
    }

    @Test
    void shouldReplyThenCloseOnProtocolError() throws IOException {
        try (RespClient c = new RespClient(port)) {
            c.raw("PING\r\n*1\r\n$abc\r\n");
            assertEquals("+PONG\r\n", c.reply());
            assertEquals("-ERR Protocol error: invalid bulk length\r\n", c.reply());
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void shouldRefuseBulksOverTheLimitAndClose() throws IOException {
        KvServer small = KvServer.start(config(dir.resolve("small")).with("shards", "1").with("appendonly", "no")
                .with("proto-max-bulk-len", "1kb"));
        try (RespClient c = new RespClient(small.port())) {
            c.raw("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5000\r\n");
            assertTrue(c.reply().startsWith("-ERR Protocol error"));
            assertTrue(c.closedByServer());
        } finally {
            small.close();
        }
    }

    @Test
    void shouldReplyOkToQuitAndClose() throws IOException {
        try (RespClient c = new RespClient(port)) {
            c.raw(new String(RespClient.encode("QUIT"), StandardCharsets.UTF_8) + "PING\r\n");
            assertEquals("+OK\r\n", c.reply());
            assertTrue(c.closedByServer(), "nothing after QUIT is answered");
        }
    }

    @Test
    void shouldAnswerTheServerCommandsClientsSendAtStart() throws IOException {
        try (RespClient c = new RespClient(port)) {
            assertEquals("*2\r\n$4\r\nsave\r\n$0\r\n\r\n", c.call("CONFIG", "GET", "save"));
            assertEquals("*2\r\n$10\r\nappendonly\r\n$2\r\nno\r\n", c.call("CONFIG", "GET", "appendonly"));
            assertEquals("+OK\r\n", c.call("CLIENT", "SETNAME", "tester"));
            assertEquals("$6\r\ntester\r\n", c.call("CLIENT", "GETNAME"));
            assertTrue(c.call("CLIENT", "SETNAME", "bad name").startsWith("-ERR Client names cannot contain spaces"));
            assertTrue(c.call("COMMAND", "COUNT").startsWith(":"));
            assertTrue(c.call("COMMAND", "INFO", "get").startsWith("*1\r\n*"));
            String info = c.call("INFO");
            for (String field : List.of("redis_version:7.0.0", "# Clients", "total_commands_processed:",
                    "# Persistence", "# Shards", "shard0:executor=kv-0", "shard1:executor=kv-1", "ring_submissions=")) {
                assertTrue(info.contains(field), field + " in " + info);
            }
            assertFalse(c.call("INFO", "server").contains("# Shards"));
        }
    }

    @Test
    void shouldRefuseClientsBeyondMaxclients() throws IOException {
        KvServer small = KvServer.start(config(dir.resolve("maxclients")).with("shards", "2").with("appendonly", "no").with("maxclients", "2"));
        List<RespClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                RespClient c = new RespClient(small.port());
                clients.add(c);
                assertEquals("+PONG\r\n", c.call("PING"));
            }
            try (RespClient third = new RespClient(small.port())) {
                assertEquals("-ERR max number of clients reached\r\n", third.reply());
                assertTrue(third.closedByServer());
            }
            clients.remove(0).close();
            // The count drops when a client leaves (asynchronously on the server): retry briefly.
            String got = null;
            for (int attempt = 0; attempt < 50 && !"+PONG\r\n".equals(got); attempt++) {
                try (RespClient again = new RespClient(small.port())) {
                    got = again.call("PING");
                } catch (IOException e) {
                    got = null;
                }
            }
            assertEquals("+PONG\r\n", got);
        } finally {
            for (RespClient c : clients) {
                c.close();
            }
            small.close();
        }
    }

    @Test
    void shouldRequireAuthWhenAPasswordIsSet() throws IOException {
        KvServer secured = KvServer.start(config(dir.resolve("secured")).with("shards", "2").with("appendonly", "no")
                .with("requirepass", "s3cret"));
        try (RespClient c = new RespClient(secured.port())) {
            assertEquals("-NOAUTH Authentication required.\r\n", c.call("GET", "a"));
            assertEquals("-NOAUTH Authentication required.\r\n", c.call("PING"));
            assertEquals("-WRONGPASS invalid username-password pair or user is disabled.\r\n", c.call("AUTH", "nope"));
            assertEquals("+OK\r\n", c.call("AUTH", "s3cret"));
            assertEquals("+OK\r\n", c.call("SET", "a", "1"));
            assertEquals("$1\r\n1\r\n", c.call("GET", "a"));
        } finally {
            secured.close();
        }
    }
}
