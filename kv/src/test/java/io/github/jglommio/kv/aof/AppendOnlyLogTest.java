package io.github.jglommio.kv.aof;

import io.github.jglommio.LocalExecutor;
import io.github.jglommio.Task;
import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(120)
class AppendOnlyLogTest {

    @TempDir
    Path dir; // under /tmp: a real disk here, so the log uses O_DIRECT

    static <T> T onExecutor(Callable<T> body) {
        return LocalExecutor.create().run(body);
    }

    /** Opens the log of shard 0 in {@code dir} into a fresh state machine and returns that state. */
    static MapStateMachine replay(Path dir) {
        return onExecutor(() -> {
            MapStateMachine state = new MapStateMachine();
            AppendOnlyLog.open(dir, 0, FsyncPolicy.NO, state).close();
            return state;
        });
    }

    /** Applies and appends {@code n} commands, waiting for each one, and returns the expected state. */
    static Map<String, String> appendSome(AppendOnlyLog log, MapStateMachine state, String prefix, int n)
            throws IOException {
        for (int i = 0; i < n; i++) {
            Command c = i % 3 == 2
                    ? state.execute("DEL", prefix + (i - 1))
                    : state.execute("APPEND", prefix + (i % 7), "v" + i + ",");
            log.awaitDurable(log.append(c));
        }
        return new TreeMap<>(state.map);
    }

    @ParameterizedTest
    @EnumSource(FsyncPolicy.class)
    void shouldReplayWhatWasAppendedAfterReopening(FsyncPolicy policy) {
        Map<String, String> expected = onExecutor(() -> {
            MapStateMachine state = new MapStateMachine();
            try (AppendOnlyLog log = AppendOnlyLog.open(dir, 0, policy, state)) {
                assertEquals(ReplayResult.EMPTY, log.replayResult());
                appendSome(log, state, "k", 200);
                assertEquals(200, log.stats().records());
            }
            return new TreeMap<>(state.map);
        });
        assertFalse(expected.isEmpty());
        assertEquals(expected, replay(dir).map);
        // Once more: the second start replays the log the first one compacted.
        assertEquals(expected, replay(dir).map);
        assertFalse(Files.exists(dir.resolve("shard-0.aof.rewrite")));
    }

    @Test
    void shouldSyncBeforeWakingUnderAlways() {
        onExecutor(() -> {
            try (AppendOnlyLog log = AppendOnlyLog.open(dir, 0, FsyncPolicy.ALWAYS, new MapStateMachine())) {
                for (int i = 0; i < 5; i++) {
                    long syncsBefore = log.stats().syncs();
                    long token = log.append(Command.of("SET", "k" + i, "v"));
                    log.awaitDurable(token);
                    AofStats s = log.stats();
                    assertTrue(s.syncs() > syncsBefore, "no fdatasync before the waiter woke: " + s);
                    assertEquals(token, s.writtenBytes());
                }
            }
            return null;
        });
    }

    @Test
    void shouldLetALoneWaiterWriteItsBatchItselfButNotUnderAlways() {
        onExecutor(() -> {
            try (AppendOnlyLog log = AppendOnlyLog.open(dir, 0, FsyncPolicy.EVERYSEC, new MapStateMachine())) {
                long token = log.append(Command.of("SET", "k", "v"));
                log.awaitDurable(token); // nothing else is ready to run: this task writes
                assertEquals(1, log.inlineWrites());
                assertEquals(token, log.stats().writtenBytes());
                // Two tasks: the first to wait finds the other ready and parks; the second finds only the
                // (woken) writer and writes both records: still one write for the turn.
                List<Task<Void>> two = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    String key = "t" + i;
                    two.add(Task.local(() -> {
                        log.awaitDurable(log.append(Command.of("SET", key, "v")));
                        return null;
                    }));
                }
                two.forEach(Task::join);
                assertEquals(2, log.stats().writes(), "one write for the lone record, one shared by the two tasks");
                assertEquals(2, log.inlineWrites());
            }
            try (AppendOnlyLog log = AppendOnlyLog.open(dir, 1, FsyncPolicy.ALWAYS, new MapStateMachine())) {
                log.awaitDurable(log.append(Command.of("SET", "k", "v")));
                assertEquals(0, log.inlineWrites(), "always shares its sync through the writer task");
            }
            return null;
        });
    }

    @Test
    void shouldWakeOnlyAfterTheWriteUnderEverysecAndNo() {
        onExecutor(() -> {
            try (AppendOnlyLog log = AppendOnlyLog.open(dir, 0, FsyncPolicy.EVERYSEC, new MapStateMachine())) {
                long token = log.append(Command.of("SET", "k", "v"));
                assertEquals(token, log.stats().pendingBytes(), "append does no I/O");
                log.awaitDurable(token);
                assertEquals(0, log.stats().pendingBytes());
                assertEquals(token, log.stats().writtenBytes());
            }
            try (AppendOnlyLog log = AppendOnlyLog.open(dir, 1, FsyncPolicy.NO, new MapStateMachine())) {
                long syncs = log.stats().syncs();
                long token = log.append(Command.of("SET", "k", "v"));
                assertEquals(token, log.stats().pendingBytes(), "append does no I/O");
                log.awaitDurable(token);
                assertEquals(0, log.stats().pendingBytes(), "NO also waits until the record is in the kernel");
                assertEquals(token, log.stats().writtenBytes());
                assertEquals(syncs, log.stats().syncs(), "NO never syncs a batch");
            }
            return null;
        });
    }

    @ParameterizedTest
    @EnumSource(value = FsyncPolicy.class, names = {"ALWAYS", "EVERYSEC"})
    @Timeout(30) // a waiter left behind parks for ever
    void shouldWakeAWaiterThatArrivesWhileItsBatchIsBeingWritten(FsyncPolicy policy) {
        onExecutor(() -> {
            try (AppendOnlyLog log = AppendOnlyLog.open(dir, 0, policy, new MapStateMachine())) {
                for (int i = 0; i < 20; i++) {
                    long token = log.append(Command.of("SET", "k" + i, "v"));
                    LocalExecutor.yieldNow(); // the writer takes the batch and parks in its write meanwhile
                    log.awaitDurable(token);
                    assertTrue(log.stats().writtenBytes() >= token);
                }
            }
            return null;
        });
    }

    @Test
    void shouldShareOneSyncAmongManyConcurrentWriters() {
        onExecutor(() -> {
            try (AppendOnlyLog log = AppendOnlyLog.open(dir, 0, FsyncPolicy.ALWAYS, new MapStateMachine())) {
                long syncsBefore = log.stats().syncs();
                List<Task<Void>> tasks = new ArrayList<>();
                for (int t = 0; t < 100; t++) {
                    String key = "k" + t;
                    tasks.add(Task.local(() -> {
                        log.awaitDurable(log.append(Command.of("SET", key, "v")));
                        return null;
                    }));
                }
                tasks.forEach(Task::join);
                AofStats s = log.stats();
                assertEquals(100, s.records());
                assertTrue(s.syncs() - syncsBefore <= 10, "100 waiters took " + (s.syncs() - syncsBefore) + " syncs");
            }
            return null;
        });
        assertEquals(100, replay(dir).map.size());
    }

    @ParameterizedTest
    @EnumSource(FsyncPolicy.class)
    void shouldCallBackOnceTheRecordIsDurableInsteadOfParking(FsyncPolicy policy) {
        onExecutor(() -> {
            try (AppendOnlyLog log = AppendOnlyLog.open(dir, 0, policy, new MapStateMachine())) {
                List<String> events = new ArrayList<>();
                long syncsBefore = log.stats().syncs();
                // Another task is ready to run, so this one may not write inline: the callback is kept.
                Task<Void> other = Task.local(() -> null);
                long token = log.append(Command.of("SET", "k", "v"));
                assertTrue(log.whenDurable(token, durable -> {
                    AofStats s = log.stats();
                    events.add(durable + " written=" + (s.writtenBytes() >= token)
                            + " synced=" + (s.syncs() > syncsBefore));
                }));
                assertEquals(List.of(), events, "not durable yet: nothing is written before the writer runs");
                other.join();
                log.awaitDurable(token); // parks until the writer has written it: the callback ran first
                assertEquals(List.of("true written=true synced=" + (policy == FsyncPolicy.ALWAYS)), events);
                assertFalse(log.whenDurable(token, durable -> events.add("again")), "durable already: answer now");
                assertEquals(1, events.size());
            }
            return null;
        });
    }

    @Test
    void shouldWriteInlineAndAnswerNowWhenNothingElseIsReady() {
        onExecutor(() -> {
            try (AppendOnlyLog log = AppendOnlyLog.open(dir, 0, FsyncPolicy.EVERYSEC, new MapStateMachine())) {
                long token = log.append(Command.of("SET", "k", "v"));
                assertFalse(log.whenDurable(token, durable -> {
                    throw new AssertionError("not kept");
                }));
                assertEquals(1, log.inlineWrites());
                assertEquals(token, log.stats().writtenBytes());
            }
            return null;
        });
    }

    @Test
    void shouldCallBackExactlyOnceWhenTheLogClosesWithItPending() {
        List<Boolean> results = onExecutor(() -> {
            List<Boolean> r = new ArrayList<>();
            AppendOnlyLog log = AppendOnlyLog.open(dir, 0, FsyncPolicy.ALWAYS, new MapStateMachine());
            try {
                long token = log.append(Command.of("SET", "k", "v"));
                Task<Void> other = Task.local(() -> null);
                assertTrue(log.whenDurable(token, r::add));
                other.join();
            } finally {
                log.close(); // writes and syncs what is left: the callback gets true, at the latest here
            }
            return r;
        });
        assertEquals(List.of(true), results, "called exactly once");
    }

    @Test
    void shouldDropATornLastRecordWhereverItWasCut() throws IOException {
        Map<String, String> expected = onExecutor(() -> {
            MapStateMachine state = new MapStateMachine();
            try (AppendOnlyLog log = AppendOnlyLog.open(dir, 0, FsyncPolicy.ALWAYS, state)) {
                return appendSome(log, state, "k", 30);
            }
        });
        byte[] complete = Files.readAllBytes(dir.resolve("shard-0.aof"));
        byte[] last = RespWriter.encodeCommand(Command.of("APPEND", "last", "the-torn-one"));
        for (int cut = 0; cut < last.length; cut++) {
            Path d = Files.createDirectories(dir.resolve("cut-" + cut));
            byte[] torn = Arrays.copyOf(complete, complete.length + cut);
            System.arraycopy(last, 0, torn, complete.length, cut);
            Files.write(d.resolve("shard-0.aof"), torn);
            long[] truncated = new long[1];
            Map<String, String> replayed = onExecutor(() -> {
                MapStateMachine state = new MapStateMachine();
                try (AppendOnlyLog log = AppendOnlyLog.open(d, 0, FsyncPolicy.NO, state)) {
                    truncated[0] = log.replayResult().truncatedBytes();
                }
                return state.map;
            });
            assertEquals(expected, replayed, "cut at " + cut);
            assertEquals(cut, truncated[0], "cut at " + cut);
        }
    }

    @Test
    void shouldDropZeroPaddingLeftAfterTheLastRecord() throws IOException {
        byte[] records = concat(RespWriter.encodeCommand(Command.of("SET", "a", "1")),
                RespWriter.encodeCommand(Command.of("SET", "b", "2")));
        // A crash between the padded block write and the truncation leaves zeros, perhaps after part of a record.
        byte[] partial = Arrays.copyOf(RespWriter.encodeCommand(Command.of("SET", "c", "3")), 9);
        Files.write(dir.resolve("shard-0.aof"), concat(records, partial, new byte[4000]));
        assertEquals(Map.of("a", "1", "b", "2"), replay(dir).map);
    }

    @Test
    void shouldRefuseACorruptRecordInTheMiddleNamingItsOffset() throws IOException {
        byte[] first = RespWriter.encodeCommand(Command.of("SET", "a", "1"));
        byte[] second = RespWriter.encodeCommand(Command.of("SET", "b", "2"));
        byte[] third = RespWriter.encodeCommand(Command.of("SET", "c", "3"));
        byte[] file = concat(first, second, third);
        file[first.length + 4] = 'x'; // the '$' of the second record's first argument
        Path log = dir.resolve("shard-0.aof");
        Files.write(log, file);
        CorruptLogException e = unwrapCorrupt(dir);
        assertEquals(first.length, e.offset());
        assertTrue(e.getMessage().contains(log.toString()) && e.getMessage().contains("offset " + first.length),
                e.getMessage());
        assertTrue(Arrays.equals(file, Files.readAllBytes(log)), "a refused log is left as it was");
    }

    /** Opens the log in {@code dir} and returns the CorruptLogException it fails with. */
    private static CorruptLogException unwrapCorrupt(Path dir) {
        IOException e = onExecutor(() -> {
            try {
                AppendOnlyLog.open(dir, 0, FsyncPolicy.ALWAYS, new MapStateMachine()).close();
                return null;
            } catch (IOException io) {
                return io;
            }
        });
        return assertInstanceOf(CorruptLogException.class, e);
    }

    @Test
    void shouldRefuseGarbageInsteadOfACommand() throws IOException {
        byte[] first = RespWriter.encodeCommand(Command.of("SET", "a", "1"));
        byte[] inline = "SET b 2\r\n".getBytes(StandardCharsets.US_ASCII); // valid RESP inline, never written by the log
        Files.write(dir.resolve("shard-0.aof"), concat(first, inline, first));
        assertEquals(first.length, unwrapCorrupt(dir).offset());
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int pos = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, pos, p.length);
            pos += p.length;
        }
        return out;
    }
}
