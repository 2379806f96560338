package io.github.jglommio.kv.command;

import io.github.jglommio.kv.aof.KeyspaceStateMachine;
import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.kv.store.Keyspace;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link LogRoundTripTest}'s random writes over four numbered databases, with SELECT, MOVE,
 * SWAPDB and COPY ... DB among them: the log (SELECT records where the database changes, as the
 * server writes it) and the rewrite both rebuild every database.
 */
class DatabasesLogRoundTripTest {
    private static final int DATABASES = 4;
    private static final String[] KEYS = {"a", "b", "c", "d", "e"};

    /** Per database, the data. */
    private static Map<Integer, Map<String, String>> dump(KeyspaceStateMachine sm) {
        Map<Integer, Map<String, String>> all = new TreeMap<>();
        for (int db = 0; db < DATABASES; db++) {
            Keyspace ks = sm.databases().peek(db);
            Map<String, String> live = ks == null ? Map.of() : Harness.dump(ks);
            if (!live.isEmpty()) {
                all.put(db, live); // dead keys not reclaimed yet count in size(), not here
            }
        }
        return all;
    }

    private static void append(KeyspaceStateMachine sm, List<Command> log, int db, Command record) {
        Command select = sm.switchLogDb(db);
        if (select != null) {
            log.add(select);
        }
        log.add(record);
    }

    @Test
    void shouldRebuildEveryDatabaseFromTheLogAndFromTheRewrite() {
        int switches = 0;
        for (long seed = 0; seed < 100; seed++) {
            AtomicLong clock = new AtomicLong(1_000_000);
            KeyspaceStateMachine a = new KeyspaceStateMachine(clock::get, new KeyspaceCommands(new SplittableRandom(seed)),
                    DATABASES);
            List<Command> log = new ArrayList<>();
            a.databases().setExpiryListener((db, key) -> append(a, log, db, Command.of("DEL".getBytes(), key)));
            Random r = new Random(seed);
            int selected = 0;
            RespWriter out = new RespWriter();
            for (int i = 0; i < 300; i++) {
                clock.addAndGet(r.nextInt(40));
                if (r.nextInt(20) == 0) {
                    a.databases().expireCycle(3);
                }
                String k = KEYS[r.nextInt(KEYS.length)];
                String n = Integer.toString(r.nextInt(DATABASES));
                Command c = switch (r.nextInt(12)) {
                    case 0 -> null; // SELECT: the connection's, not a record
                    case 1 -> Command.of("SWAPDB", n, Integer.toString(r.nextInt(DATABASES)));
                    case 2 -> Command.of("MOVE", k, n);
                    case 3 -> r.nextBoolean() ? Command.of("COPY", k, KEYS[r.nextInt(KEYS.length)], "DB", n)
                            : Command.of("COPY", k, KEYS[r.nextInt(KEYS.length)], "DB", n, "REPLACE");
                    default -> LogRoundTripTest.randomCommand(r, clock.get());
                };
                if (c == null) {
                    selected = Integer.parseInt(n);
                    continue;
                }
                if (c.name().equalsIgnoreCase("swapdb")) {
                    // A server command: the server swaps and logs it as it is, in no database.
                    a.databases().swap(Integer.parseInt(new String(c.arg(1))), Integer.parseInt(new String(c.arg(2))));
                    log.add(c);
                    continue;
                }
                out.clear();
                Command logged = a.commands().execute(c, a.databases().get(selected), out);
                if (logged != null) {
                    append(a, log, selected, logged);
                    switches += logged.name().equalsIgnoreCase("move") ? 1 : 0;
                }
            }
            Map<Integer, Map<String, String>> expected = dump(a);

            KeyspaceStateMachine b = new KeyspaceStateMachine(clock::get, new KeyspaceCommands(), DATABASES);
            log.forEach(b::apply);
            assertEquals(0, b.replayErrors(), "seed " + seed);
            assertEquals(expected, dump(b), "log, seed " + seed);
            assertEquals(a.logDb(), b.logDb(), "seed " + seed);

            KeyspaceStateMachine c = new KeyspaceStateMachine(clock::get, new KeyspaceCommands(), DATABASES);
            a.rebuild(c::apply);
            assertEquals(expected, dump(c), "rewrite, seed " + seed);
            assertEquals(a.logDb(), c.logDb(), "the rewrite ends where the log goes on, seed " + seed);
        }
        assertTrue(switches > 50, "MOVE did move keys: " + switches);
    }
}
