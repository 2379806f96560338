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
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

import static io.github.jglommio.kv.aof.AppendOnlyLogTest.onExecutor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The log with the real data plane: every value type, expiry, rewrite and replay. */
@Timeout(120)
class KeyspaceStateMachineTest {

    @TempDir
    Path dir;

    /** The state as the commands that rebuild it, sorted: equal states give equal lists. */
    static List<String> dump(KeyspaceStateMachine sm) {
        List<String> out = new ArrayList<>();
        LogRewriter.rewrite(sm.keyspace(), c -> out.add(c.toString()));
        out.sort(null);
        return out;
    }

    /** Executes {@code args} as the server does: reply discarded, the logged form appended and waited for. */
    static void run(AppendOnlyLog log, KeyspaceStateMachine sm, String... args) throws java.io.IOException {
        Command logged = sm.commands().execute(Command.of(args), sm.keyspace(), new RespWriter());
        if (logged != null) {
            log.awaitDurable(log.append(logged));
        }
    }

    @Test
    void shouldRebuildEveryValueTypeAfterARewriteAndARestart() {
        AtomicLong clock = new AtomicLong(1_000_000);
        List<String> expected = onExecutor(() -> {
            KeyspaceStateMachine sm = new KeyspaceStateMachine(clock::get, new KeyspaceCommands(new SplittableRandom(1)));
            try (AppendOnlyLog log = new AppendOnlyLogBuilder(dir, 0, sm).withFsyncPolicy(FsyncPolicy.ALWAYS)
                    .withAutoRewrite(0, 0).open()) {
                run(log, sm, "SET", "s", "hello", "EX", "1000");
                run(log, sm, "APPEND", "s", " world");
                run(log, sm, "INCRBY", "n", "41");
                run(log, sm, "INCR", "n");
                for (int i = 0; i < 200; i++) {
                    run(log, sm, "RPUSH", "list", "e" + i);
                    run(log, sm, "SADD", "set", "m" + (i % 50));
                    run(log, sm, "HSET", "hash", "f" + (i % 30), "v" + i);
                    run(log, sm, "ZADD", "zset", Integer.toString(i % 17), "z" + (i % 40));
                }
                run(log, sm, "LPOP", "list");
                run(log, sm, "SET", "gone", "x");
                run(log, sm, "DEL", "gone");
                log.startRewrite().join();
                run(log, sm, "RPUSH", "list", "after-rewrite");
                run(log, sm, "PEXPIRE", "hash", "500000");
            }
            return dump(sm);
        });
        assertFalse(expected.isEmpty());
        List<String> replayed = onExecutor(() -> {
            KeyspaceStateMachine sm = new KeyspaceStateMachine(clock::get, new KeyspaceCommands());
            AppendOnlyLog.open(dir, 0, FsyncPolicy.NO, sm).close();
            assertEquals(0, sm.replayErrors());
            return dump(sm);
        });
        assertEquals(expected, replayed);
    }

    @Test
    void shouldNotExpireKeysInTheMiddleOfAReplay() {
        // Live at t=1000: k gets an expiry at t=2000, then an APPEND (which keeps it). At t=3000 k is dead.
        // A replay that let k expire before the APPEND would resurrect k as "x" without expiry.
        AtomicLong clock = new AtomicLong(1000);
        onExecutor(() -> {
            KeyspaceStateMachine sm = new KeyspaceStateMachine(clock::get, new KeyspaceCommands());
            try (AppendOnlyLog log = AppendOnlyLog.open(dir, 0, FsyncPolicy.ALWAYS, sm)) {
                run(log, sm, "SET", "k", "v", "PXAT", "2000");
                run(log, sm, "APPEND", "k", "x");
            }
            return null;
        });
        clock.set(3000);
        onExecutor(() -> {
            KeyspaceStateMachine sm = new KeyspaceStateMachine(clock::get, new KeyspaceCommands());
            AppendOnlyLog.open(dir, 0, FsyncPolicy.ALWAYS, sm).close();
            assertNull(sm.keyspace().get("k".getBytes()));
            assertEquals(List.of(), dump(sm));
            return null;
        });
    }

    @Test
    void shouldLogTheExpirationOfAKeyBeforeTheCommandThatFoundItDead() {
        // k expires at t=1100; at t=2000 an APPEND finds it dead and creates a new k = "x" without expiry.
        // Without the DEL in the log, the replay (in which nothing expires) would append to the old value.
        AtomicLong clock = new AtomicLong(1000);
        onExecutor(() -> {
            KeyspaceStateMachine sm = new KeyspaceStateMachine(clock::get, new KeyspaceCommands());
            try (AppendOnlyLog log = AppendOnlyLog.open(dir, 0, FsyncPolicy.ALWAYS, sm)) {
                sm.logExpirations(log);
                run(log, sm, "SET", "k", "v", "PX", "100");
                clock.set(2000);
                run(log, sm, "APPEND", "k", "x");
            }
            return null;
        });
        onExecutor(() -> {
            KeyspaceStateMachine sm = new KeyspaceStateMachine(clock::get, new KeyspaceCommands());
            AppendOnlyLog.open(dir, 0, FsyncPolicy.ALWAYS, sm).close();
            assertEquals("x", new String((byte[]) sm.keyspace().get("k".getBytes())));
            assertEquals(Keyspace.NO_EXPIRY, sm.keyspace().expireAt("k".getBytes()));
            return null;
        });
    }

    @Test
    void shouldApplyATransactionBlockAtItsExecAndNeverATornOne() {
        KeyspaceStateMachine sm = new KeyspaceStateMachine(() -> 1_000_000L, new KeyspaceCommands());
        sm.apply(Command.of("MULTI"));
        sm.apply(Command.of("SET", "a", "1"));
        sm.apply(Command.of("SET", "b", "2"));
        assertEquals(0, sm.keyspace().size(), "nothing of a block applies before its EXEC");
        sm.apply(Command.of("EXEC"));
        assertEquals(2, sm.keyspace().size());
        // A block the log ends in (a crash while it was written) is never applied.
        sm.apply(Command.of("MULTI"));
        sm.apply(Command.of("SET", "c", "3"));
        assertEquals(2, sm.keyspace().size());
        // ... unless more records follow it: then it was complete.
        sm.apply(Command.of("MULTI"));
        sm.apply(Command.of("SET", "d", "4"));
        sm.apply(Command.of("EXEC"));
        assertEquals(4, sm.keyspace().size());
    }
}
