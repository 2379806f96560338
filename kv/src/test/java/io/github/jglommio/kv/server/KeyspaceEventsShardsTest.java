package io.github.jglommio.kv.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Keyspace notifications on a server of two shards against redis-server 7.0: each subscriber, on
 * whichever shard took its connection, gets every message Redis's subscriber gets, and those of one
 * key in Redis's order, for single-key commands of keys on either shard, multi-key commands split
 * by shard (MSET, DEL), cross-shard ones (RENAME, SMOVE, LMOVE, SINTERSTORE, MULTI/EXEC over both)
 * and expiry; and the setting given at start ({@code Egx}). The order between keys of different shards is not Redis's (each shard publishes its
 * own keys' events), so it is not compared.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeyspaceEventsShardsTest {
    @TempDir
    static Path dir;
    static Oracle oracle;

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(Oracle.available(), Oracle.MISSING);
        oracle = Oracle.start(dir, 2, "notify-keyspace-events", "Egx"); // as Spring Session sets it
    }

    @Test
    @Order(1)
    void shouldTakeTheSettingAtStart() throws IOException {
        // Redis's normalised form, as CONFIG GET shows it on both.
        assertTrue(oracle.same("CONFIG", "GET", "notify-keyspace-events").endsWith("$3\r\ngxE\r\n"));
        try (KeyspaceEventsDifferentialTest.Listener l = new KeyspaceEventsDifferentialTest.Listener(oracle)) {
            // Keys of one shard: its events keep their order; another shard's could come between.
            // The expiring key last: a slow machine could otherwise let it expire before the DEL on
            // one server and after it on the other.
            String k = on(1, "k");
            oracle.same("LPUSH", on(1, "l"), "x");
            oracle.same("DEL", on(1, "l"));
            oracle.same("SET", k, "v", "PX", "20");
            while (true) {
                String[] r = oracle.both("EXISTS", k);
                if (r[0].equals(":0\r\n") && r[1].equals(":0\r\n")) {
                    break;
                }
                Thread.onSpinWait();
            }
            l.same("Egx from the start");
        }
    }

    @AfterAll
    static void stop() throws IOException {
        if (oracle != null) {
            oracle.close();
        }
    }

    /** A key name starting with {@code prefix} that hashes to {@code shard} of 2. */
    static String on(int shard, String prefix) {
        for (int i = 0; ; i++) {
            String name = prefix + i;
            if (KeyHash.shardOf(name.getBytes(StandardCharsets.UTF_8), 2) == shard) {
                return name;
            }
        }
    }

    @Test
    @Order(2)
    void shouldDeliverEveryEventToEverySubscriberInEachKeysOrder() throws IOException {
        String a = on(0, "a");
        String b = on(1, "b");
        String l0 = on(0, "l");
        String l1 = on(1, "l");
        String s0 = on(0, "s");
        String s1 = on(1, "s");
        String d = on(1, "d");
        String e = on(0, "e");
        List<String[]> commands = new ArrayList<>();
        for (int round = 0; round < 20; round++) {
            commands.add(new String[] {"SET", a, "v" + round});
            commands.add(new String[] {"SET", b, "v" + round, "EX", "100"});
            commands.add(new String[] {"RPUSH", l0, "x" + round, "y"});
            commands.add(new String[] {"LPUSH", l1, "z" + round});
            commands.add(new String[] {"LMOVE", l0, l1, "LEFT", "RIGHT"});
            commands.add(new String[] {"SADD", s0, "m" + round, "n"});
            commands.add(new String[] {"SMOVE", s0, s1, "n"});
            commands.add(new String[] {"SINTERSTORE", d, s0, s1});
            commands.add(new String[] {"MSET", a, "1", b, "2", e, "3"});
            commands.add(new String[] {"RENAME", a, e});
            commands.add(new String[] {"INCR", b});
            commands.add(new String[] {"DEL", a, b, e, d});
            commands.add(new String[] {"MULTI"});
            commands.add(new String[] {"SET", a, "t"});
            commands.add(new String[] {"RPUSH", l1, "t"});
            commands.add(new String[] {"EXPIRE", a, "100"});
            commands.add(new String[] {"EXEC"});
        }
        commands.add(new String[] {"SET", e, "short", "PX", "20"});
        commands.add(new String[] {"SET", d, "short", "PX", "20"});

        oracle.same("FLUSHALL");
        oracle.same("CONFIG", "SET", "notify-keyspace-events", "KEA");
        RespClient theirs = subscriber(oracle.theirPort());
        List<RespClient> ours = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ours.add(subscriber(oracle.ours().port())); // SO_REUSEPORT spreads them over the shards
        }
        try {
            for (String[] c : commands) {
                oracle.same(c);
            }
            while (true) { // the expiry of the last two keys, by either server's cycle
                String[] r = oracle.both("EXISTS", e, d);
                if (r[0].equals(":0\r\n") && r[1].equals(":0\r\n")) {
                    break;
                }
                Thread.onSpinWait();
            }
            List<String> expected = framesUntilPong(theirs);
            assertTrue(expected.size() > 20 * 30, "Redis's subscriber got " + expected.size() + " frames");
            for (RespClient c : ours) {
                List<String> got = new ArrayList<>();
                try {
                    for (int i = 0; i < expected.size(); i++) {
                        got.add(c.reply());
                    }
                } catch (java.net.SocketTimeoutException missing) {
                    assertEquals(byKey(expected), byKey(got), "each key's events, in order (some missing)");
                }
                assertEquals(List.of(), framesUntilPong(c), "messages beyond Redis's");
                assertEquals(byKey(expected), byKey(got), "each key's events, in order");
            }
        } finally {
            theirs.close();
            for (RespClient c : ours) {
                c.close();
            }
            oracle.same("CONFIG", "SET", "notify-keyspace-events", "");
        }
    }

    private static RespClient subscriber(int port) throws IOException {
        RespClient c = new RespClient(port);
        Oracle.negotiate(c);
        c.call("PSUBSCRIBE", "__key*__:*");
        return c;
    }

    private static List<String> framesUntilPong(RespClient c) throws IOException {
        c.send("PING", "mark");
        String bulk = "$4\r\nmark\r\n";
        String pong = "*2\r\n$4\r\npong\r\n" + bulk;
        List<String> out = new ArrayList<>();
        String f;
        while (!(f = c.reply()).equals(pong) && !f.equals(bulk)) {
            out.add(f);
        }
        return out;
    }

    /** The frames grouped by the key they are about (a keyspace channel's tail, or a keyevent message), each group in order. */
    private static Map<String, List<String>> byKey(List<String> frames) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (String f : frames) {
            String[] parts = f.split("\r\n");
            String channel = parts[6];
            String key = channel.startsWith("__keyspace@") ? channel.substring(channel.indexOf("__:") + 3) : parts[8];
            m.computeIfAbsent(key, k -> new ArrayList<>()).add(f);
        }
        return new java.util.TreeMap<>(m);
    }
}
