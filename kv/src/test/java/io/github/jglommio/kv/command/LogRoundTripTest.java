package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.ProtocolException;
import io.github.jglommio.kv.resp.RespParser;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.kv.store.Keyspace;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Runs random writes against keyspace A, collecting what {@link KeyspaceCommands} returns for the
 * log (plus the DELs of expirations), replays that log through encode, parse and execute into a
 * fresh keyspace B, and checks both hold the same data; likewise for {@link LogRewriter}.
 */
class LogRoundTripTest {
    private static final String[] KEYS = {"a", "b", "c", "d", "e"};
    private static final String[] MEMBERS = {"x", "y", "z", "w"};

    /** A random command over a few keys so that types collide and errors happen. */
    static Command randomCommand(Random r, long now) {
        String k = KEYS[r.nextInt(KEYS.length)];
        String m = MEMBERS[r.nextInt(MEMBERS.length)];
        String n = Integer.toString(r.nextInt(20) - 5);
        String ms = Integer.toString(1 + r.nextInt(300));
        return switch (r.nextInt(43)) {
            case 0 -> Command.of("SET", k, m);
            case 1 -> Command.of("SET", k, m, "PX", ms);
            case 2 -> Command.of("SET", k, m, "EX", "1", "NX");
            case 3 -> Command.of("SET", k, m, "XX", "KEEPTTL", "GET");
            case 4 -> Command.of("SET", k, m, "PXAT", Long.toString(now + r.nextInt(400) - 100));
            case 5 -> Command.of("SETNX", k, m);
            case 6 -> Command.of("PSETEX", k, ms, m);
            case 7 -> Command.of("GETSET", k, m);
            case 8 -> Command.of("GETDEL", k);
            case 9 -> Command.of("APPEND", k, m);
            case 10 -> Command.of("INCRBY", k, n);
            case 11 -> Command.of("DECR", k);
            case 12 -> Command.of("MSET", k, m, KEYS[r.nextInt(KEYS.length)], n);
            case 13 -> Command.of("MSETNX", k, m, KEYS[r.nextInt(KEYS.length)], n);
            case 14 -> Command.of("DEL", k, KEYS[r.nextInt(KEYS.length)]);
            case 15 -> Command.of("PEXPIRE", k, Integer.toString(r.nextInt(300) - 50));
            case 16 -> Command.of("EXPIRE", k, "1", r.nextBoolean() ? "GT" : "NX");
            case 17 -> Command.of("PEXPIREAT", k, Long.toString(now + r.nextInt(300) - 50));
            case 18 -> Command.of("PERSIST", k);
            case 19 -> Command.of(r.nextBoolean() ? "LPUSH" : "RPUSH", k, m, n);
            case 20 -> Command.of(r.nextBoolean() ? "LPOP" : "RPOP", k);
            case 21 -> ListCommandsTest.randomWrite(r, k, KEYS[r.nextInt(KEYS.length)], m);
            case 22 -> Command.of("SADD", k, m, MEMBERS[r.nextInt(MEMBERS.length)]);
            case 23 -> Command.of("SREM", k, m);
            case 24 -> Command.of("SPOP", k, Integer.toString(r.nextInt(3)));
            case 25 -> Command.of("HSET", k, m, n);
            case 26 -> Command.of("HDEL", k, m);
            case 27 -> Command.of("HINCRBY", k, m, n);
            case 28 -> Command.of("ZADD", k, r.nextBoolean() ? "GT" : "CH", n + ".5", m);
            case 29 -> Command.of("ZINCRBY", k, n, m);
            case 30 -> ZSetLogWrites.random(r, k);
            case 31 -> Command.of("GET", k);
            case 32 -> Command.of("SPOP", k);
            case 38, 39 -> StringWrites.random(r, k, KEYS[r.nextInt(KEYS.length)], m, n, now);
            case 33 -> Command.of(r.nextBoolean() ? "RENAME" : "RENAMENX", k, KEYS[r.nextInt(KEYS.length)]);
            case 34 -> r.nextBoolean() ? Command.of("COPY", k, KEYS[r.nextInt(KEYS.length)])
                : Command.of("COPY", k, KEYS[r.nextInt(KEYS.length)], "REPLACE", "DB", "0");
            case 35 -> Command.of("SORT", k, "ALPHA", r.nextBoolean() ? "DESC" : "ASC", "STORE", KEYS[r.nextInt(KEYS.length)]);
            case 36 -> Command.of("SORT", k, "BY", r.nextBoolean() ? "nosort" : "*", "GET", "#", "GET", "*",
                "LIMIT", "1", "2", "ALPHA", "STORE", KEYS[r.nextInt(KEYS.length)]);
            case 37 -> Command.of("SORT", k, "BY", "*", "STORE", KEYS[r.nextInt(KEYS.length)]);
            case 40, 41 -> HashSetLogRoundTripTest.randomWrite(r, k, m);
            default -> Command.of("FLUSHALL");
        };
    }

    /** Executes random commands on A, advancing A's clock, and returns A's log. */
    static List<Command> runRandom(Harness a, long seed, int count) {
        Random r = new Random(seed);
        List<Command> log = new ArrayList<>();
        a.ks.setExpiryListener(key -> log.add(Command.of("DEL".getBytes(), key)));
        for (int i = 0; i < count; i++) {
            a.clock.addAndGet(r.nextInt(40));
            if (r.nextInt(20) == 0) {
                a.ks.expireCycle(3);
            }
            a.call(randomCommand(r, a.clock.get()));
            if (a.lastLogged != null) {
                log.add(a.lastLogged);
            }
        }
        return log;
    }

    /** Replays a log as bytes, through the parser in random chunks, into a loading keyspace. */
    static Keyspace replay(List<Command> log, AtomicLong clock, long seed) throws ProtocolException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (Command c : log) {
            bytes.writeBytes(RespWriter.encodeCommand(c));
        }
        byte[] all = bytes.toByteArray();
        Keyspace ks = new Keyspace(clock::get);
        ks.setLoading(true);
        KeyspaceCommands exec = new KeyspaceCommands();
        RespParser parser = new RespParser();
        Random r = new Random(seed);
        RespWriter sink = new RespWriter();
        int pos = 0;
        while (pos < all.length) {
            int end = Math.min(all.length, pos + 1 + r.nextInt(200));
            int from = pos;
            Command c;
            while ((c = parser.next(all, from, end)) != null) {
                from += parser.consumed();
                sink.clear();
                exec.execute(c, ks, sink);
                assertNotEquals('-', (char) sink.array()[0], "replayed commands never fail: " + c + " " + sink);
            }
            pos = end;
        }
        ks.setLoading(false);
        return ks;
    }

    static void checkRoundTrip(long seed, int count) throws ProtocolException {
        Harness a = new Harness();
        long start = a.clock.get();
        List<Command> log = runRandom(a, seed, count);
        Keyspace b = replay(log, a.clock, seed);
        Map<String, String> expected = Harness.dump(a.ks);
        assertEquals(expected, Harness.dump(b), "seed " + seed);

        List<Command> rewrite = new ArrayList<>();
        LogRewriter.rewrite(a.ks, rewrite::add);
        assertEquals(expected, Harness.dump(replay(rewrite, a.clock, seed + 1)), "rewrite, seed " + seed);

        // And the state stays equal as time moves on and keys die in both.
        a.clock.addAndGet(1000);
        assertEquals(Harness.dump(a.ks), Harness.dump(b));
        assertFalse(a.clock.get() == start);
    }

    @Test
    void shouldRebuildTheSameDataFromTheLogForFixedSeeds() throws ProtocolException {
        for (long seed = 0; seed < 200; seed++) {
            checkRoundTrip(seed, 300);
        }
    }

    @Test
    void shouldNotNeedTheLoadingModeWhenNothingExpires() throws ProtocolException {
        Harness a = new Harness();
        a.call("SET", "k", "v", "EX", "100");
        a.call("RPUSH", "l", "1", "2");
        a.call("ZADD", "z", "0.1", "m", "inf", "n");
        a.call("HSET", "h", "f", "v");
        List<Command> rewrite = new ArrayList<>();
        LogRewriter.rewrite(a.ks, rewrite::add);
        assertEquals(List.of("SET k v PXAT " + (a.clock.get() + 100_000), "RPUSH l 1 2", "ZADD z 0.1 m inf n",
            "HSET h f v"), rewrite.stream().map(Command::toString).toList());
    }

    @Test
    void shouldBatchLargeCollectionsInTheRewrite() {
        Harness a = new Harness();
        for (int i = 0; i < 150; i++) {
            a.call("RPUSH", "l", Integer.toString(i));
        }
        a.call("PEXPIRE", "l", "500");
        List<Command> rewrite = new ArrayList<>();
        LogRewriter.rewrite(a.ks, rewrite::add);
        assertEquals(4, rewrite.size(), "64 + 64 + 22 elements, then PEXPIREAT");
        assertEquals(2 + LogRewriter.BATCH, rewrite.get(0).argCount());
        assertEquals("PEXPIREAT l " + (a.clock.get() + 500), rewrite.get(3).toString());
    }
}
