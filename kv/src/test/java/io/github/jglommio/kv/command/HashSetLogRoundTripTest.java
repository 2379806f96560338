package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.ProtocolException;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.kv.store.Keyspace;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The hash and set writes through the log and the log rewrite: what the handlers return replays
 * into the same data, and hashes keep their field order (which HGETALL shows) on the way.
 */
class HashSetLogRoundTripTest {
    private static final String[] KEYS = {"a", "b", "c", "d"};
    private static final String[] MEMBERS = {"x", "y", "z", "1", "2", "-3"};

    /** A random hash or set write (or a read that must log nothing) over a few keys. */
    static Command randomWrite(Random r, String k, String m) {
        String k2 = KEYS[r.nextInt(KEYS.length)];
        String k3 = KEYS[r.nextInt(KEYS.length)];
        String m2 = MEMBERS[r.nextInt(MEMBERS.length)];
        String n = Integer.toString(r.nextInt(20) - 5);
        return switch (r.nextInt(18)) {
            case 0 -> Command.of("HSET", k, m, n, m2, m);
            case 1 -> Command.of("HSETNX", k, m, n);
            case 2 -> Command.of("HMSET", k, m2, m);
            case 3 -> Command.of("HDEL", k, m, m2);
            case 4 -> Command.of("HINCRBY", k, m, n);
            case 5 -> Command.of("HINCRBYFLOAT", k, m, n + ".1");
            case 6 -> Command.of("SADD", k, m, m2);
            case 7 -> Command.of("SREM", k, m);
            case 8 -> Command.of("SPOP", k, Integer.toString(r.nextInt(4)));
            case 9 -> Command.of("SPOP", k);
            case 10 -> Command.of("SMOVE", k, k2, m);
            case 11 -> Command.of("SINTERSTORE", k, k2, k3);
            case 12 -> Command.of("SUNIONSTORE", k, k2, k3);
            case 13 -> Command.of("SDIFFSTORE", k, k2, k3);
            case 14 -> Command.of("HRANDFIELD", k, "-3", "WITHVALUES");
            case 15 -> Command.of("SRANDMEMBER", k, "-3");
            case 16 -> Command.of("PEXPIRE", k, Integer.toString(100 + r.nextInt(500)));
            default -> Command.of("SET", k, m);
        };
    }

    @Test
    void shouldRebuildTheSameHashesAndSetsFromTheLogAndTheRewrite() throws ProtocolException {
        for (long seed = 0; seed < 100; seed++) {
            Harness a = new Harness();
            Random r = new Random(seed);
            List<Command> log = new ArrayList<>();
            a.ks.setExpiryListener(key -> log.add(Command.of("DEL".getBytes(), key)));
            for (int i = 0; i < 300; i++) {
                a.clock.addAndGet(r.nextInt(20));
                Command c = randomWrite(r, KEYS[r.nextInt(KEYS.length)], MEMBERS[r.nextInt(MEMBERS.length)]);
                a.call(c);
                if (a.lastLogged != null) {
                    log.add(a.lastLogged);
                }
                if (c.name().contains("RAND")) {
                    assertEquals(null, a.lastLogged, "random reads log nothing");
                }
            }
            Keyspace b = LogRoundTripTest.replay(log, a.clock, seed);
            assertEquals(Harness.dump(a.ks), Harness.dump(b), "seed " + seed);
            assertSameHashOrder(a.ks, b, seed);
            List<Command> rewrite = new ArrayList<>();
            LogRewriter.rewrite(a.ks, rewrite::add);
            Keyspace c = LogRoundTripTest.replay(rewrite, a.clock, seed + 1);
            assertEquals(Harness.dump(a.ks), Harness.dump(c), "rewrite, seed " + seed);
            assertSameHashOrder(a.ks, c, seed);
        }
    }

    private static void assertSameHashOrder(Keyspace expected, Keyspace actual, long seed) {
        KeyspaceCommands exec = new KeyspaceCommands();
        for (String k : KEYS) {
            RespWriter x = new RespWriter();
            RespWriter y = new RespWriter();
            exec.execute(Command.of("HGETALL", k), expected, x);
            exec.execute(Command.of("HGETALL", k), actual, y);
            assertEquals(x.toString(), y.toString(), "HGETALL " + k + ", seed " + seed);
        }
    }
}
