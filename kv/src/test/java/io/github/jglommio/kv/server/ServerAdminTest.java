package io.github.jglommio.kv.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the server commands do to the server, beyond their replies: settings that take effect
 * (timeout, maxclients, appendfsync, proto-max-bulk-len), SHUTDOWN stopping it, SAVE compacting the
 * logs, the slow log, latency events and commandstats across shards, and Jedis as a client of
 * CONFIG, CLIENT, COMMAND and INFO.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServerAdminTest {

    @TempDir
    static Path dir;
    private static KvServer server;
    private static int port;

    @BeforeAll
    static void start() throws IOException {
        server = KvServer.start(KvServerTest.config(dir.resolve("main")).with("shards", "3").with("appendonly", "no")
                .with("enable-debug-command", "yes"));
        port = server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Reads until the server closes {@code c}; false if it is still open after {@code seconds}. */
    private static boolean closedWithin(RespClient c, int seconds) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            try {
                if (c.reply() == null) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                return true; // reset
            }
        }
        return false;
    }

    @Test
    void shouldCloseIdleClientsAfterTheTimeout() throws Exception {
        try (RespClient admin = new RespClient(port); RespClient idle = new RespClient(port)) {
            assertEquals("+PONG\r\n", idle.call("PING"));
            assertEquals("+OK\r\n", admin.call("CONFIG", "SET", "timeout", "1"));
            try {
                assertTrue(closedWithin(idle, 30), "an idle client is closed");
            } finally {
                try (RespClient again = new RespClient(port)) {
                    assertEquals("+OK\r\n", again.call("CONFIG", "SET", "timeout", "0"));
                }
            }
        }
    }

    @Test
    void shouldNotCloseIdleClientsWithoutTimeout() throws Exception {
        try (RespClient idle = new RespClient(port)) {
            assertEquals("+PONG\r\n", idle.call("PING"));
            Thread.sleep(2500); // more than two idle checks
            assertEquals("+PONG\r\n", idle.call("PING"));
        }
    }

    @Test
    void shouldRefuseClientsOverANewMaxclients() throws Exception {
        try (RespClient admin = new RespClient(port)) {
            int open = Integer.parseInt(field(admin.call("INFO", "clients"), "connected_clients"));
            assertEquals("+OK\r\n", admin.call("CONFIG", "SET", "maxclients", Integer.toString(open)));
            try (RespClient refused = new RespClient(port)) {
                assertEquals("-ERR max number of clients reached\r\n", refused.reply());
            } finally {
                assertEquals("+OK\r\n", admin.call("CONFIG", "SET", "maxclients", "10000"));
            }
            try (RespClient again = new RespClient(port)) {
                assertEquals("+PONG\r\n", again.call("PING"));
            }
        }
    }

    @Test
    void shouldApplyProtoMaxBulkLenToNewConnections() throws Exception {
        try (RespClient admin = new RespClient(port)) {
            assertEquals("+OK\r\n", admin.call("CONFIG", "SET", "proto-max-bulk-len", "1mb"));
            try (RespClient c = new RespClient(port)) {
                String reply = c.raw("*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$" + ((1 << 20) + 1) + "\r\n").reply();
                assertTrue(reply.startsWith("-ERR Protocol error: invalid bulk length"), reply);
            } finally {
                assertEquals("+OK\r\n", admin.call("CONFIG", "SET", "proto-max-bulk-len", "512mb"));
            }
        }
    }

    @Test
    void shouldRecordSlowCommandsOfEveryShardWithTheirClient() throws Exception {
        try (RespClient c = new RespClient(port)) {
            assertEquals("+OK\r\n", c.call("CLIENT", "SETNAME", "slowpoke"));
            assertEquals("+OK\r\n", c.call("SLOWLOG", "RESET"));
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "slowlog-log-slower-than", "0"));
            List<String> keys = keysOnEveryShard();
            for (String k : keys) {
                assertEquals("+OK\r\n", c.call("SET", k, "v"));
            }
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "slowlog-log-slower-than", "10000"));
            String log = c.call("SLOWLOG", "GET", "-1");
            for (String k : keys) {
                assertTrue(log.contains("$3\r\nSET\r\n$" + k.length() + "\r\n" + k + "\r\n"), k + " in " + log);
            }
            assertTrue(log.contains("$8\r\nslowpoke\r\n"), "the client's name");
            assertEquals(":" + (keys.size() + 1) + "\r\n", c.call("SLOWLOG", "LEN"), "the SETs and the CONFIG SET that lowered the threshold");
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "slowlog-max-len", "2"));
            assertEquals("+OK\r\n", c.call("DEBUG", "SLEEP", "0.02"));
            assertEquals(":2\r\n", c.call("SLOWLOG", "LEN"), "trimmed to the new max");
            assertTrue(c.call("SLOWLOG", "GET", "1").contains("$5\r\nDEBUG\r\n"), "a command over the 10 ms threshold");
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "slowlog-max-len", "128"));
        }
    }

    /** One key per shard of the test server. */
    private static List<String> keysOnEveryShard() {
        List<String> keys = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            for (int i = 0; ; i++) {
                String k = "key-" + s + "-" + i;
                if (KeyHash.shardOf(k.getBytes(), 3) == s) {
                    keys.add(k);
                    break;
                }
            }
        }
        return keys;
    }

    @Test
    void shouldReportLatencyEventsOverTheThreshold() throws Exception {
        try (RespClient c = new RespClient(port)) {
            assertEquals(":0\r\n", c.call("LATENCY", "RESET").replace(":1\r\n", ":0\r\n"));
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "latency-monitor-threshold", "10"));
            assertEquals("+OK\r\n", c.call("DEBUG", "SLEEP", "0.03"));
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "latency-monitor-threshold", "0"));
            String latest = c.call("LATENCY", "LATEST");
            assertTrue(latest.startsWith("*1\r\n*4\r\n$7\r\ncommand\r\n:"), latest);
            assertTrue(c.call("LATENCY", "HISTORY", "command").startsWith("*1\r\n*2\r\n:"));
            assertTrue(c.call("LATENCY", "DOCTOR").contains("command"));
            assertEquals(":1\r\n", c.call("LATENCY", "RESET", "command"));
            assertEquals("*0\r\n", c.call("LATENCY", "LATEST"));
        }
    }

    @Test
    void shouldCountASplitCommandOnceAndResetStats() throws Exception {
        try (RespClient c = new RespClient(port)) {
            assertEquals("+OK\r\n", c.call("CONFIG", "RESETSTAT"));
            List<String> keys = keysOnEveryShard();
            assertEquals(":0\r\n", c.call("DEL", keys.get(0), keys.get(1), keys.get(2)));
            assertEquals("+OK\r\n", c.call("MSET", keys.get(0), "1", keys.get(1), "2", keys.get(2), "3"));
            c.call("DBSIZE");
            String stats = c.call("INFO", "commandstats");
            assertTrue(stats.contains("cmdstat_del:calls=1,"), stats);
            assertTrue(stats.contains("cmdstat_mset:calls=1,"), stats);
            assertTrue(stats.contains("cmdstat_dbsize:calls=1,"), stats);
            assertTrue(stats.contains("cmdstat_config|resetstat:calls=1,"), stats);
            assertEquals("5", field(c.call("INFO", "stats"), "total_commands_processed"));
            c.call("DEL", keys.get(0), keys.get(1), keys.get(2));
        }
    }

    @Test
    void shouldListClientsOfEveryShardAndKillThem() throws Exception {
        List<RespClient> clients = new ArrayList<>();
        try (RespClient admin = new RespClient(port)) {
            for (int i = 0; i < 8; i++) {
                RespClient c = new RespClient(port);
                clients.add(c);
                assertEquals("+OK\r\n", c.call("CLIENT", "SETNAME", "victim" + i));
            }
            String list = admin.call("CLIENT", "LIST");
            for (int i = 0; i < 8; i++) {
                assertTrue(list.contains(" name=victim" + i + " "), list);
            }
            String[] lines = list.substring(list.indexOf("\r\n") + 2).split("\n");
            long previous = 0;
            for (String l : lines) {
                if (l.startsWith("id=")) {
                    long id = Long.parseLong(l.substring(3, l.indexOf(' ')));
                    assertTrue(id > previous, "ordered by id");
                    previous = id;
                }
            }
            String killed = admin.call("CLIENT", "KILL", "TYPE", "normal");
            assertTrue(Long.parseLong(killed.substring(1).trim()) >= 8, killed);
            for (RespClient c : clients) {
                assertTrue(closedWithin(c, 10), "killed");
            }
            assertEquals("+PONG\r\n", admin.call("PING"));
        } finally {
            for (RespClient c : clients) {
                c.close();
            }
        }
    }

    @Test
    void shouldListenOnANewPortAndAddress() throws Exception {
        try (KvServer other = KvServer.start(KvServerTest.config(dir.resolve("rebind")).with("shards", "3")
                .with("appendonly", "no")); RespClient c = new RespClient(other.port())) {
            int before = other.port();
            int next;
            try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
                next = free.getLocalPort();
            }
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "port", Integer.toString(next)));
            assertEquals("*2\r\n$4\r\nport\r\n$" + Integer.toString(next).length() + "\r\n" + next + "\r\n",
                    c.call("CONFIG", "GET", "port"));
            assertEquals("+PONG\r\n", c.call("PING"), "open connections stay");
            for (int i = 0; i < 6; i++) {
                try (RespClient n = new RespClient(next)) {
                    assertEquals("+PONG\r\n", n.call("PING"), "every shard listens on the new port");
                }
            }
            assertThrows(IOException.class, () -> new RespClient(before).close(), "nothing listens on the old one");
            assertEquals(next, other.port());
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "bind", "* -::*"));
            try (RespClient n = new RespClient(next)) {
                assertEquals("+PONG\r\n", n.call("PING"), "the wildcard takes loopback connections");
            }
            assertEquals("-ERR CONFIG SET failed (possibly related to argument 'bind') - Failed to bind to specified"
                    + " addresses.\r\n", c.call("CONFIG", "SET", "bind", "127.0.0.1 10.255.255.1"));
            assertEquals("*2\r\n$4\r\nbind\r\n$6\r\n* -::*\r\n", c.call("CONFIG", "GET", "bind"));
        }
    }

    @Test
    void shouldStopTheServerOnShutdown() throws Exception {
        KvServer other = KvServer.start(KvServerTest.config(dir.resolve("shutdown")).with("shards", "2"));
        try (RespClient c = new RespClient(other.port())) {
            assertEquals("+OK\r\n", c.call("SET", "k", "v"));
            assertEquals("-ERR No shutdown in progress.\r\n", c.call("SHUTDOWN", "ABORT"));
            c.send("SHUTDOWN", "NOSAVE");
            assertNull(c.reply(), "no reply: the connection closes");
            other.awaitTermination();
            assertThrows(IOException.class, () -> new Socket("127.0.0.1", other.port()).close());
        } finally {
            other.close();
        }
        // The log was synced and closed: the write is there after a restart.
        try (KvServer again = KvServer.start(KvServerTest.config(dir.resolve("shutdown")).with("shards", "2"));
             RespClient c = new RespClient(again.port())) {
            assertEquals("$1\r\nv\r\n", c.call("GET", "k"));
        }
    }

    @Test
    void shouldCompactTheLogsOnSaveAndFollowANewAppendfsync() throws Exception {
        try (KvServer logged = KvServer.start(KvServerTest.config(dir.resolve("save")).with("shards", "2"));
             RespClient c = new RespClient(logged.port())) {
            long before = Long.parseLong(c.call("LASTSAVE").substring(1).trim());
            for (int i = 0; i < 20; i++) {
                c.call("SET", "k", Integer.toString(i));
            }
            assertEquals("+Background saving started\r\n", c.call("BGSAVE"));
            assertEquals("+OK\r\n", c.call("SAVE"));
            assertTrue(Long.parseLong(c.call("LASTSAVE").substring(1).trim()) >= before);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (Long.parseLong(field(c.call("INFO", "persistence"), "aof_rewrites")) < 2
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(Long.parseLong(field(c.call("INFO", "persistence"), "aof_rewrites")) >= 2, "both shards compacted");

            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "appendfsync", "always"));
            long syncs = syncs(c.call("INFO", "persistence"));
            for (int i = 0; i < 5; i++) {
                c.call("SET", "k", "always" + i);
            }
            assertTrue(syncs(c.call("INFO", "persistence")) >= syncs + 5, "each write synced under always");
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "appendfsync", "no"));
            syncs = syncs(c.call("INFO", "persistence"));
            for (int i = 0; i < 5; i++) {
                c.call("SET", "k", "no" + i);
            }
            assertEquals(syncs, syncs(c.call("INFO", "persistence")), "no syncs under no");
            assertEquals("no", field(c.call("INFO", "persistence"), "appendfsync"));
        }
        try (RespClient c = new RespClient(port)) {
            assertTrue(c.call("SAVE").startsWith("-ERR "), "appendonly no: nothing to save to");
            assertTrue(c.call("BGSAVE").startsWith("-ERR "));
        }
    }

    /** The sum of the shards' log syncs in INFO persistence. */
    private static long syncs(String info) {
        Matcher m = Pattern.compile("syncs=(\\d+)").matcher(info);
        long n = 0;
        while (m.find()) {
            n += Long.parseLong(m.group(1));
        }
        return n;
    }

    private static String field(String info, String name) {
        for (String line : info.split("\r\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1);
            }
        }
        return null;
    }

    @Test
    void shouldServeJedisForConfigClientCommandAndInfo() {
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            assertEquals("OK", j.configSet("maxmemory-policy", "allkeys-lru"));
            Map<String, String> got = j.configGet("maxmemory*");
            assertEquals("allkeys-lru", got.get("maxmemory-policy"));
            assertEquals("0", got.get("maxmemory"));
            assertEquals("OK", j.configSet("maxmemory-policy", "noeviction"));
            assertEquals("OK", j.clientSetname("jedis"));
            assertEquals("jedis", j.clientGetname());
            assertTrue(j.clientList().contains("name=jedis"));
            assertTrue(j.clientInfo().contains("name=jedis"));
            assertTrue(j.clientId() > 0);
            assertTrue(j.commandCount() > 50);
            assertFalse(j.commandInfo("get").isEmpty());
            assertEquals(List.of("a", "b"), j.commandGetKeys("mset", "a", "1", "b", "2"));
            assertTrue(j.info("server").contains("redis_mode:standalone"));
            assertTrue(j.info().contains("# Keyspace"));
            assertTrue(j.time().size() == 2);
            assertEquals("OK", j.configResetStat());
            assertTrue(j.slowlogLen() >= 0);
        }
    }

    @Test
    void shouldServeRedisCliForConfigClientCommandAndInfo() throws Exception {
        Path cli = RedisCliTest.redisCli();
        org.junit.jupiter.api.Assumptions.assumeTrue(cli != null, "redis-cli is not installed");
        assertEquals("hz\n10", run(cli, "config", "get", "hz"));
        assertEquals("OK", run(cli, "config", "set", "hz", "20"));
        assertEquals("hz\n20", run(cli, "config", "get", "hz"));
        assertEquals("OK", run(cli, "config", "set", "hz", "10"));
        assertTrue(run(cli, "client", "list").contains("cmd=client|list"));
        assertTrue(run(cli, "command", "count").matches("\\d+"));
        assertTrue(run(cli, "info", "replication").contains("role:master"));
        assertTrue(Files.exists(cli));
    }

    private static String run(Path cli, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(cli.toString(), "-p", Integer.toString(port)));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return out.strip();
    }
}
