package io.github.jglommio.kv.aof;

import io.github.jglommio.kv.command.KeyspaceCommands;
import io.github.jglommio.kv.command.LogRewriter;
import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.kv.store.Keyspace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static io.github.jglommio.kv.aof.AppendOnlyLogTest.onExecutor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The numbered databases in the log: SELECT and SWAPDB records, replay, rewrite, expirations. */
@Timeout(120)
class DatabasesReplayTest {

    @TempDir
    Path dir;

    /** Each database's state as the commands that rebuild it, sorted, behind a "db n" line. */
    static List<String> dump(KeyspaceStateMachine sm) {
        List<String> out = new ArrayList<>();
        for (int db = 0; db < sm.databases().count(); db++) {
            Keyspace ks = sm.databases().peek(db);
            if (ks == null || ks.size() == 0) {
                continue;
            }
            List<String> one = new ArrayList<>();
            LogRewriter.rewrite(ks, c -> one.add(c.toString()));
            one.sort(null);
            out.add("db " + db);
            out.addAll(one);
        }
        return out;
    }

    /** Executes {@code args} in database {@code db} as the server does: SELECT record first when needed. */
    static void run(AppendOnlyLog log, KeyspaceStateMachine sm, int db, String... args) throws java.io.IOException {
        Command logged = sm.commands().execute(Command.of(args), sm.databases().get(db), new RespWriter());
        if (logged != null) {
            Command select = sm.switchLogDb(db);
            if (select != null) {
                log.append(select);
            }
            log.awaitDurable(log.append(logged));
        }
    }

    private static String get(KeyspaceStateMachine sm, int db, String key) {
        Object v = sm.databases().get(db).get(key.getBytes());
        return v == null ? null : new String((byte[]) v);
    }

    @Test
    void shouldApplyEachRecordInTheDatabaseOfTheLastSelect() {
        KeyspaceStateMachine sm = new KeyspaceStateMachine(() -> 1_000_000L, new KeyspaceCommands(), 16);
        sm.apply(Command.of("SET", "a", "zero"));
        sm.apply(Command.of("SELECT", "3"));
        sm.apply(Command.of("SET", "a", "three"));
        sm.apply(Command.of("MULTI"));
        sm.apply(Command.of("SELECT", "5"));
        sm.apply(Command.of("SET", "b", "five"));
        sm.apply(Command.of("EXEC"));
        sm.apply(Command.of("SET", "c", "still five"));
        sm.apply(Command.of("MOVE", "c", "6"));
        sm.apply(Command.of("SWAPDB", "3", "4"));
        assertEquals("zero", get(sm, 0, "a"));
        assertNull(get(sm, 3, "a"));
        assertEquals("three", get(sm, 4, "a"));
        assertEquals("five", get(sm, 5, "b"));
        assertEquals("still five", get(sm, 6, "c"));
        assertEquals(5, sm.logDb());
        sm.apply(Command.of("FLUSHDB"));
        assertEquals(0, sm.databases().get(5).size());
        assertEquals(1, sm.databases().get(6).size(), "FLUSHDB empties the selected database only");
        sm.apply(Command.of("FLUSHALL"));
        assertEquals(0, sm.databases().totalSize());
        assertThrows(RuntimeException.class, () -> sm.apply(Command.of("SELECT", "16")));
    }

    @Test
    void shouldRebuildEveryDatabaseAfterARewriteAndTheRecordsThatFollowIt() {
        AtomicLong clock = new AtomicLong(1_000_000);
        List<String> expected = onExecutor(() -> {
            KeyspaceStateMachine sm = new KeyspaceStateMachine(clock::get, new KeyspaceCommands(), 16);
            try (AppendOnlyLog log = new AppendOnlyLogBuilder(dir, 0, sm).withFsyncPolicy(FsyncPolicy.ALWAYS)
                    .withAutoRewrite(0, 0).open()) {
                run(log, sm, 0, "SET", "k", "zero");
                run(log, sm, 15, "RPUSH", "k", "a", "b");
                run(log, sm, 15, "HSET", "h", "f", "v");
                run(log, sm, 3, "SET", "k", "three", "PXAT", "2000000");
                // The log is in db 3 now, but the snapshot writes db 15 last: it must end with SELECT 3,
                // or the records after the cut (no SELECT: still db 3) would land in db 15.
                log.startRewrite().join();
                run(log, sm, 3, "SET", "after", "rewrite");
                run(log, sm, 0, "INCR", "n");
            }
            return dump(sm);
        });
        assertEquals(List.of("db 0", "SET k zero", "SET n 1", "db 3", "SET after rewrite", "SET k three PXAT 2000000",
                "db 15", "HSET h f v", "RPUSH k a b"), expected);
        List<String> replayed = onExecutor(() -> {
            KeyspaceStateMachine sm = new KeyspaceStateMachine(clock::get, new KeyspaceCommands(), 16);
            AppendOnlyLog.open(dir, 0, FsyncPolicy.NO, sm).close();
            assertEquals(0, sm.replayErrors());
            assertEquals("rewrite", get(sm, 3, "after"));
            return dump(sm);
        });
        assertEquals(expected, replayed);
    }

    @Test
    void shouldLogAnExpirationInTheDatabaseOfTheKey() {
        AtomicLong clock = new AtomicLong(1000);
        onExecutor(() -> {
            KeyspaceStateMachine sm = new KeyspaceStateMachine(clock::get, new KeyspaceCommands(), 16);
            try (AppendOnlyLog log = AppendOnlyLog.open(dir, 0, FsyncPolicy.ALWAYS, sm)) {
                sm.logExpirations(log);
                run(log, sm, 2, "SET", "k", "v", "PX", "100");
                run(log, sm, 0, "SET", "k", "zero");
                clock.set(2000);
                // Found dead in db 2 while the log is in db 0: SELECT 2, DEL k, then the APPEND in db 2.
                run(log, sm, 2, "APPEND", "k", "x");
                run(log, sm, 0, "APPEND", "k", "!");
            }
            return null;
        });
        onExecutor(() -> {
            KeyspaceStateMachine sm = new KeyspaceStateMachine(clock::get, new KeyspaceCommands(), 16);
            AppendOnlyLog.open(dir, 0, FsyncPolicy.ALWAYS, sm).close();
            assertEquals("x", get(sm, 2, "k"));
            assertEquals(Keyspace.NO_EXPIRY, sm.databases().get(2).expireAt("k".getBytes()));
            assertEquals("zero!", get(sm, 0, "k"));
            return null;
        });
    }
}
