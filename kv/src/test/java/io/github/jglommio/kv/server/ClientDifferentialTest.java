package io.github.jglommio.kv.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * CLIENT against redis-server 7.0: errors and replies byte for byte, the fields of CLIENT INFO and
 * LIST by name, and KILL and PAUSE seen from other connections. Three shards, so that the clients
 * killed and listed live on several.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClientDifferentialTest {
    @TempDir
    static Path dir;
    private static Oracle oracle;

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(Oracle.available(), Oracle.MISSING);
        oracle = Oracle.start(dir, 3);
    }

    @AfterAll
    static void stop() throws IOException {
        if (oracle != null) {
            oracle.close();
        }
    }

    /** The field names of a CLIENT INFO/LIST bulk reply, line by line. */
    private static List<String> fieldNames(String reply) {
        List<String> names = new ArrayList<>();
        String body = reply.substring(reply.indexOf("\r\n") + 2);
        for (String line : body.split("\n")) {
            StringBuilder sb = new StringBuilder();
            for (String kv : line.trim().split(" ")) {
                if (kv.contains("=")) {
                    sb.append(kv, 0, kv.indexOf('=')).append(' ');
                }
            }
            if (!sb.isEmpty()) {
                names.add(sb.toString().trim());
            }
        }
        return names;
    }

    private static String field(String line, String name) {
        for (String kv : line.split("[ \n]")) {
            if (kv.startsWith(name + "=")) {
                return kv.substring(name.length() + 1);
            }
        }
        return null;
    }

    @Test
    void shouldNameTheConnectionAsRedis() throws IOException {
        oracle.same("CLIENT", "GETNAME");
        oracle.same("CLIENT", "SETNAME", "bob");
        oracle.same("CLIENT", "GETNAME");
        oracle.same("CLIENT", "SETNAME", "bad name");
        oracle.same("CLIENT", "SETNAME", "new\nline");
        oracle.same("CLIENT", "SETNAME", "");
        oracle.same("CLIENT", "GETNAME");
        oracle.same("CLIENT", "SETNAME");
        oracle.same("CLIENT", "SETNAME", "a", "b");
        oracle.same("CLIENT", "GETNAME", "x");
    }

    @Test
    void shouldDescribeConnectionsWithRedisFields() throws IOException {
        String[] info = oracle.both("CLIENT", "INFO");
        assertEquals(fieldNames(info[0]), fieldNames(info[1]));
        assertEquals("client|info", field(info[1], "cmd"));
        for (String name : List.of("qbuf", "argv-mem", "multi", "sub", "events", "cmd", "flags")) {
            assertEquals(field(info[0], name), field(info[1], name), name + " (the query buffer holds the running command)");
        }
        String[] id = oracle.both("CLIENT", "ID");
        assertTrue(id[1].startsWith(":"), id[1]);
        assertEquals(id[1].substring(1).trim(), field(info[1], "id"));
        try (Oracle other = oracle.session()) {
            other.same("CLIENT", "SETNAME", "other");
            String[] list = oracle.both("CLIENT", "LIST");
            assertEquals(fieldNames(list[0]), fieldNames(list[1]));
            assertTrue(list[1].contains(" name=other "), list[1]);
            String[] normal = oracle.both("CLIENT", "LIST", "TYPE", "NORMAL");
            assertEquals(fieldNames(normal[0]), fieldNames(normal[1]));
            oracle.same("MULTI");
            oracle.same("PING");
            assertEquals("x", field(other.both("CLIENT", "LIST")[1].lines()
                    .filter(l -> l.contains(" multi=1 ")).findFirst().orElse(""), "flags"));
            oracle.same("DISCARD");
        }
        for (String type : List.of("master", "replica", "slave", "pubsub")) {
            oracle.same("CLIENT", "LIST", "TYPE", type);
        }
        oracle.same("CLIENT", "LIST", "TYPE", "foo");
        oracle.same("CLIENT", "LIST", "TYPE");
        oracle.same("CLIENT", "LIST", "ID");
        oracle.same("CLIENT", "LIST", "ID", "abc");
        oracle.same("CLIENT", "LIST", "ID", "0");
        oracle.same("CLIENT", "LIST", "ID", "-1", "999999");
        oracle.same("CLIENT", "LIST", "ID", "1", "TYPE", "normal");
        oracle.same("CLIENT", "LIST", "TYPE", "normal", "ID", "1");
        oracle.same("CLIENT", "LIST", "foo");
        oracle.same("CLIENT", "INFO", "x");
        oracle.same("CLIENT", "ID", "x");
    }

    @Test
    void shouldListByIdOnEveryShard() throws IOException {
        List<Oracle> sessions = new ArrayList<>();
        try {
            List<String> ours = new ArrayList<>();
            List<String> theirs = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                Oracle s = oracle.session();
                sessions.add(s);
                String[] id = s.both("CLIENT", "ID");
                theirs.add(id[0].substring(1).trim());
                ours.add(id[1].substring(1).trim());
            }
            List<String> theirArgs = new ArrayList<>(List.of("CLIENT", "LIST", "ID"));
            theirArgs.addAll(theirs);
            List<String> ourArgs = new ArrayList<>(List.of("CLIENT", "LIST", "ID"));
            ourArgs.addAll(ours);
            String[] list = oracle.each(theirArgs.toArray(String[]::new), ourArgs.toArray(String[]::new));
            assertEquals(fieldNames(list[0]), fieldNames(list[1]));
            assertEquals(6, fieldNames(list[1]).size());
        } finally {
            for (Oracle s : sessions) {
                s.close();
            }
        }
    }

    @Test
    void shouldKillAsRedisAndCloseTheKilled() throws IOException {
        oracle.same("CLIENT", "KILL", "1.2.3.4:5");
        oracle.same("CLIENT", "KILL", "nosuch");
        oracle.same("CLIENT", "KILL", "ID", "abc");
        oracle.same("CLIENT", "KILL", "ID", "0");
        oracle.same("CLIENT", "KILL", "ID", "-5");
        oracle.same("CLIENT", "KILL", "ID", "999999");
        oracle.same("CLIENT", "KILL", "ADDR", "1.2.3.4:5");
        oracle.same("CLIENT", "KILL", "LADDR", "1.2.3.4:5");
        oracle.same("CLIENT", "KILL", "TYPE", "foo");
        oracle.same("CLIENT", "KILL", "TYPE", "master");
        oracle.same("CLIENT", "KILL", "USER", "nosuch");
        oracle.same("CLIENT", "KILL", "SKIPME", "maybe");
        oracle.same("CLIENT", "KILL", "MAXAGE", "100");
        oracle.same("CLIENT", "KILL", "ID");
        oracle.same("CLIENT", "KILL", "ID", "1", "foo");
        oracle.same("CLIENT", "KILL", "foo", "bar");
        oracle.same("CLIENT", "KILL", "ADDR");
        oracle.same("CLIENT", "KILL", "SKIPME", "yes");
        oracle.same("CLIENT", "KILL");

        // By id, from another connection: the killed one is closed, wherever it is served.
        try (Oracle victim = oracle.session()) {
            String[] id = victim.both("CLIENT", "ID");
            String[] killed = oracle.each(new String[] {"CLIENT", "KILL", "ID", id[0].substring(1).trim()},
                    new String[] {"CLIENT", "KILL", "ID", id[1].substring(1).trim()});
            assertEquals(":1\r\n", killed[0]);
            assertEquals(killed[0], killed[1]);
            assertClosed(victim);
        }
        // By address, the old form: +OK, then closed.
        try (Oracle victim = oracle.session()) {
            String[] info = victim.both("CLIENT", "INFO");
            String[] killed = oracle.each(new String[] {"CLIENT", "KILL", field(info[0], "addr")},
                    new String[] {"CLIENT", "KILL", field(info[1], "addr")});
            assertEquals("+OK\r\n", killed[0]);
            assertEquals(killed[0], killed[1]);
            assertClosed(victim);
        }
        // By type: every other normal client, on every shard.
        List<Oracle> victims = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                victims.add(oracle.session());
                victims.get(i).same("PING");
            }
            oracle.same("CLIENT", "KILL", "TYPE", "normal", "USER", "default", "SKIPME", "yes");
            for (Oracle v : victims) {
                assertClosed(v);
            }
        } finally {
            for (Oracle v : victims) {
                v.close();
            }
        }
        oracle.same("PING");
    }

    @Test
    void shouldKillItselfAfterTheReply() throws IOException {
        try (Oracle self = oracle.session()) {
            String[] id = self.both("CLIENT", "ID");
            String[] killed = self.each(
                    new String[] {"CLIENT", "KILL", "ID", id[0].substring(1).trim(), "SKIPME", "no"},
                    new String[] {"CLIENT", "KILL", "ID", id[1].substring(1).trim(), "SKIPME", "no"});
            assertEquals(":1\r\n", killed[0]);
            assertEquals(killed[0], killed[1]);
            assertClosed(self);
        }
        try (Oracle self = oracle.session()) {
            String[] id = self.both("CLIENT", "ID");
            String[] skipped = self.each(new String[] {"CLIENT", "KILL", "ID", id[0].substring(1).trim()},
                    new String[] {"CLIENT", "KILL", "ID", id[1].substring(1).trim()});
            assertEquals(":0\r\n", skipped[0]);
            assertEquals(skipped[0], skipped[1]);
            self.same("PING");
        }
    }

    private static void assertClosed(Oracle o) {
        String[] r;
        try {
            r = o.both("PING");
        } catch (IOException e) {
            return; // reset: closed
        }
        assertEquals(null, r[0], "redis closed it");
        assertEquals(null, r[1], "ours closed it");
    }

    /** Waits until INFO clients says {@code n} blocked clients on both servers. */
    private static void awaitBlocked(int n) throws IOException {
        String want = "blocked_clients:" + n + "\r\n";
        while (true) {
            String[] info = oracle.both("INFO", "clients");
            if (info[0].contains(want) && info[1].contains(want)) {
                return;
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void shouldCountAClientWaitingForThePauseAsBlocked() throws IOException {
        oracle.same("CLIENT", "PAUSE", "60000", "WRITE");
        try (RespClient theirs = new RespClient(oracle.theirPort());
             RespClient ours = new RespClient(oracle.ours().port())) {
            theirs.send("SET", "paused-key", "v");
            ours.send("SET", "paused-key", "v");
            awaitBlocked(1);
            String[] list = oracle.both("CLIENT", "LIST");
            for (String l : list) {
                assertTrue(l.lines().anyMatch(line -> line.contains(" flags=b ")), l);
            }
            oracle.same("GET", "paused-key"); // a read runs
            oracle.same("CLIENT", "UNPAUSE");
            assertEquals(theirs.reply(), ours.reply());
            awaitBlocked(0);
            oracle.same("GET", "paused-key");
        } finally {
            oracle.same("CLIENT", "UNPAUSE");
            oracle.same("DEL", "paused-key");
        }
    }

    @Test
    void shouldAnswerPauseErrorsAsRedis() throws IOException {
        oracle.same("CLIENT", "PAUSE");
        oracle.same("CLIENT", "PAUSE", "abc");
        oracle.same("CLIENT", "PAUSE", "-1");
        oracle.same("CLIENT", "PAUSE", "10", "foo");
        oracle.same("CLIENT", "PAUSE", "10", "write", "x");
        oracle.same("CLIENT", "UNPAUSE", "x");
        oracle.same("CLIENT", "PAUSE", "0");
        oracle.same("CLIENT", "PAUSE", "0", "WRITE");
        oracle.same("CLIENT", "UNPAUSE");
    }

    @Test
    void shouldHoldWritesUntilUnpausedAndLetReadsThrough() throws Exception {
        for (int port : new int[] {oracle.theirPort(), oracle.ours().port()}) {
            try (RespClient admin = new RespClient(port); RespClient writer = new RespClient(port);
                 RespClient reader = new RespClient(port)) {
                reader.call("DEL", "paused-key");
                assertEquals("+OK\r\n", admin.call("CLIENT", "PAUSE", "100000", "WRITE"));
                writer.send("SET", "paused-key", "v");
                Thread.sleep(200); // time for the SET to reach the server and wait there
                assertEquals("$-1\r\n", reader.call("GET", "paused-key"), "the write waits, port " + port);
                assertEquals("+PONG\r\n", reader.call("PING"));
                assertEquals("+OK\r\n", admin.call("CLIENT", "UNPAUSE"));
                assertEquals("+OK\r\n", writer.reply(), "the paused client is answered, not refused");
                assertEquals("$1\r\nv\r\n", reader.call("GET", "paused-key"));
            }
        }
    }

    @Test
    void shouldHoldEveryCommandUnderPauseAll() throws Exception {
        for (int port : new int[] {oracle.theirPort(), oracle.ours().port()}) {
            try (RespClient admin = new RespClient(port); RespClient other = new RespClient(port)) {
                assertEquals("+OK\r\n", admin.call("CLIENT", "PAUSE", "300", "ALL"));
                // Answered once the pause ends by itself: UNPAUSE would wait too.
                assertEquals("+PONG\r\n", other.call("PING"));
                assertEquals("+OK\r\n", admin.call("CLIENT", "UNPAUSE"));
            }
        }
    }

    @Test
    void shouldAnswerTheOtherSubcommandsAsRedis() throws IOException {
        oracle.same("CLIENT", "NO-EVICT", "on");
        oracle.same("CLIENT", "NO-EVICT", "OFF");
        oracle.same("CLIENT", "NO-EVICT", "maybe");
        oracle.same("CLIENT", "NO-EVICT");
        oracle.same("CLIENT", "TRACKING", "off");
        oracle.same("CLIENT", "TRACKING", "OFF", "extra");
        oracle.same("CLIENT", "TRACKING", "off", "bcast");
        oracle.same("CLIENT", "TRACKING", "maybe");
        oracle.same("CLIENT", "TRACKING", "on", "redirect", "abc");
        oracle.same("CLIENT", "CACHING", "yes");
        oracle.same("CLIENT", "CACHING", "maybe");
        oracle.same("CLIENT", "CACHING");
        oracle.same("CLIENT", "GETREDIR");
        oracle.same("CLIENT", "GETREDIR", "x");
        oracle.same("CLIENT", "TRACKINGINFO");
        oracle.same("CLIENT", "UNBLOCK", "1");
        oracle.same("CLIENT", "UNBLOCK", "0");
        oracle.same("CLIENT", "UNBLOCK", "abc");
        oracle.same("CLIENT", "UNBLOCK", "1", "timeout");
        oracle.same("CLIENT", "UNBLOCK", "1", "ERROR");
        oracle.same("CLIENT", "UNBLOCK", "1", "foo");
        oracle.same("CLIENT", "UNBLOCK", "1", "2", "3");
        oracle.same("CLIENT", "SETINFO", "lib-name", "x");
        oracle.same("CLIENT", "NO-TOUCH", "on");
        oracle.same("CLIENT", "foo");
        oracle.same("CLIENT", "HELP");
        oracle.same("CLIENT", "HELP", "x");
        oracle.same("CLIENT");
        String[] on = oracle.both("CLIENT", "TRACKING", "on");
        assertEquals("+OK\r\n", on[0]);
        assertNotEquals("+OK\r\n", on[1], "tracking is not done here, so it is refused, not faked");
        oracle.same("CLIENT", "TRACKING", "off");
    }
}
