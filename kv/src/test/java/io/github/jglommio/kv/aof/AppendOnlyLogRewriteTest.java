package io.github.jglommio.kv.aof;

import io.github.jglommio.LocalExecutor;
import io.github.jglommio.Task;
import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.timer.Timer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;

import static io.github.jglommio.kv.aof.AppendOnlyLogTest.appendSome;
import static io.github.jglommio.kv.aof.AppendOnlyLogTest.onExecutor;
import static io.github.jglommio.kv.aof.AppendOnlyLogTest.replay;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(120)
class AppendOnlyLogRewriteTest {

    @TempDir
    Path dir;

    @Test
    void shouldKeepRecordsAppendedWhileARewriteRuns() {
        Map<String, String> expected = onExecutor(() -> {
            // The rewrite's copy gives the core away after every key, so the writers run in between.
            MapStateMachine state = new MapStateMachine(LocalExecutor::yieldTaskQueueNow);
            try (AppendOnlyLog log = new AppendOnlyLogBuilder(dir, 0, state).withFsyncPolicy(FsyncPolicy.EVERYSEC)
                    .withAutoRewrite(0, 0).open()) {
                appendSome(log, state, "base", 3000);
                long sizeBefore = log.stats().currentSize();
                Task<RewriteResult> rewrite = log.startRewrite();
                List<Task<Void>> writers = new ArrayList<>();
                for (int w = 0; w < 4; w++) {
                    String prefix = "w" + w + "-";
                    writers.add(Task.local(() -> {
                        // Keys shared with the base, and APPENDs: a record applied twice or lost would show.
                        // A page-cache write does not park: sleep between records, so they spread over
                        // the whole rewrite.
                        for (int i = 0; i < 5000 && !rewrite.isDone(); i++) {
                            Command c = state.execute("APPEND", i % 2 == 0 ? "base" + (i % 7) : prefix + i, "x" + i);
                            log.awaitDurable(log.append(c));
                            Timer.sleep(Duration.ofMillis(1));
                        }
                        return null;
                    }));
                }
                RewriteResult r = rewrite.join();
                writers.forEach(Task::join);
                assertTrue(r.bufferedBytes() > 0, "no record arrived during the rewrite: " + r);
                assertTrue(r.oldSize() >= sizeBefore, r + " vs " + sizeBefore);
                assertTrue(r.snapshotBytes() < sizeBefore, r.toString());
                AofStats s = log.stats();
                assertEquals(1, s.rewrites());
                assertEquals(r.newSize(), s.baseSize());
                appendSome(log, state, "after", 50);
            }
            return new TreeMap<>(state.map);
        });
        assertEquals(expected, replay(dir).map);
    }

    @Test
    void shouldRewriteAutomaticallyWhenTheLogHasGrown() {
        Map<String, String> expected = onExecutor(() -> {
            MapStateMachine state = new MapStateMachine();
            try (AppendOnlyLog log = new AppendOnlyLogBuilder(dir, 0, state).withFsyncPolicy(FsyncPolicy.EVERYSEC)
                    .withAutoRewrite(100, 16 << 10).open()) {
                // Overwriting a few keys grows the log much faster than the state.
                for (int i = 0; i < 5000; i++) {
                    log.awaitDurable(log.append(state.execute("SET", "k" + (i % 10), "value-" + i)));
                }
                while (log.stats().rewriteInProgress()) {
                    LocalExecutor.yieldNow();
                }
                AofStats s = log.stats();
                assertTrue(s.rewrites() >= 1, s.toString());
                // And an explicit one, with no writes meanwhile, leaves just the 10 keys.
                RewriteResult r = log.startRewrite().join();
                assertEquals(0, r.bufferedBytes());
                assertEquals(r.snapshotBytes(), log.stats().currentSize());
                assertTrue(r.snapshotBytes() < 10 * 40, r.toString());
            }
            return new TreeMap<>(state.map);
        });
        assertEquals(expected, replay(dir).map);
    }

    @Test
    void shouldLeaveTheOldLogInUseWhenARewriteFails() {
        Map<String, String> expected = onExecutor(() -> {
            int[] keys = {0};
            MapStateMachine state = new MapStateMachine(() -> {
                if (++keys[0] == 3) {
                    throw new IllegalStateException("injected failure in the middle of the snapshot");
                }
            });
            try (AppendOnlyLog log = new AppendOnlyLogBuilder(dir, 0, state).withFsyncPolicy(FsyncPolicy.ALWAYS)
                    .withAutoRewrite(0, 0).open()) {
                appendSome(log, state, "k", 300);
                Task<RewriteResult> rewrite = log.startRewrite();
                IllegalStateException e = assertThrows(IllegalStateException.class, rewrite::join);
                assertTrue(e.getMessage().contains("injected"), e.getMessage());
                assertFalse(Files.exists(dir.resolve("shard-0.aof.rewrite")), "the temporary file is removed");
                AofStats s = log.stats();
                assertEquals(1, s.rewriteFailures());
                assertFalse(s.lastRewriteOk());
                assertEquals("", s.writeError(), "a failed rewrite does not fail the log");
                appendSome(log, state, "after", 30);
            }
            return new TreeMap<>(state.map);
        });
        assertEquals(expected, replay(dir).map);
    }

    @Test
    void shouldIgnoreAnUnfinishedRewriteLeftByACrash() throws IOException {
        Map<String, String> expected = onExecutor(() -> {
            MapStateMachine state = new MapStateMachine();
            try (AppendOnlyLog log = AppendOnlyLog.open(dir, 0, FsyncPolicy.ALWAYS, state)) {
                return appendSome(log, state, "k", 40);
            }
        });
        // A crash before the rename: the old log is complete and the new file is junk.
        Files.write(dir.resolve("shard-0.aof.rewrite"), "*3\r\n$3\r\nSET\r\n$1\r\nk0\r\n".getBytes());
        assertEquals(expected, replay(dir).map);
        assertFalse(Files.exists(dir.resolve("shard-0.aof.rewrite")));
    }

    @Test
    void shouldStopARunningRewriteOnClose() {
        Map<String, String> expected = onExecutor(() -> {
            MapStateMachine state = new MapStateMachine(LocalExecutor::yieldTaskQueueNow);
            AppendOnlyLog log = new AppendOnlyLogBuilder(dir, 0, state).withAutoRewrite(0, 0).open();
            appendSome(log, state, "k", 2000);
            Task<RewriteResult> rewrite = log.startRewrite();
            LocalExecutor.yieldNow(); // let it start
            log.close();
            assertTrue(rewrite.isDone());
            RuntimeException e = assertThrows(RuntimeException.class, rewrite::join);
            assertTrue(e instanceof RewriteAbortedException || e instanceof CompletionException, e.toString());
            IOException appendAfterClose = assertThrows(IOException.class, () -> log.append(Command.of("SET", "a", "b")));
            assertTrue(appendAfterClose.getMessage().contains("closed"), appendAfterClose.getMessage());
            return new TreeMap<>(state.map);
        });
        assertFalse(Files.exists(dir.resolve("shard-0.aof.rewrite")));
        assertEquals(expected, replay(dir).map);
    }

    @Test
    void shouldRejectCallsFromAnotherExecutor() {
        AppendOnlyLog log = onExecutor(() -> {
            AppendOnlyLog l = AppendOnlyLog.open(dir, 0, FsyncPolicy.NO, new MapStateMachine());
            l.close();
            return l;
        });
        WrongThreadException e = assertThrows(WrongThreadException.class, () -> onExecutor(log::stats));
        assertTrue(e.getMessage().contains("AppendOnlyLog.stats"), e.getMessage());
        assertInstanceOf(WrongThreadException.class, assertThrows(WrongThreadException.class,
                () -> log.append(Command.of("SET", "a", "b"))));
    }
}
