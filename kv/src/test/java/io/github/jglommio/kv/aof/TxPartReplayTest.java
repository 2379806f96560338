package io.github.jglommio.kv.aof;

import io.github.jglommio.kv.command.KeyspaceCommands;
import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.github.jglommio.kv.aof.AppendOnlyLogTest.onExecutor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cross-shard transactions in the logs: the startup decision from every shard's log, replay of
 * complete and incomplete parts, and rewrites that keep the records of transactions not yet known
 * complete.
 */
@Timeout(120)
class TxPartReplayTest {

    @TempDir
    Path dir;

    private static byte[] records(String[]... commands) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String[] c : commands) {
            out.writeBytes(RespWriter.encodeCommand(Command.of(c)));
        }
        return out.toByteArray();
    }

    private static String[] c(String... args) {
        return args;
    }

    /** Shard 0 logged its parts of transactions 5 and 6, shard 1 only of 5 (a crash before its part of 6). */
    private void writeTwoLogs() throws IOException {
        Files.write(dir.resolve("shard-0.aof"), records(c("SET", "x", "0"),
                c("TXPART", "5", "0", "1"), c("MULTI"), c("SET", "x", "5"), c("EXEC"),
                c("APPEND", "x", "+"),
                c("TXPART", "6", "0", "1"), c("MULTI"), c("SET", "x", "6"), c("EXEC")));
        Files.write(dir.resolve("shard-1.aof"), records(c("SET", "y", "0"),
                c("TXPART", "5", "0", "1"), c("MULTI"), c("SET", "y", "5"), c("EXEC")));
    }

    private Map<String, String> replay(int shard, TxDecisions decisions) {
        return onExecutor(() -> {
            MapStateMachine state = new MapStateMachine();
            new AppendOnlyLogBuilder(dir, shard, state).withFsyncPolicy(FsyncPolicy.NO)
                    .withTransactions(decisions, () -> 0).open().close();
            return state.map;
        });
    }

    @Test
    void shouldApplyOnlyTheTransactionsEveryParticipantLogged() throws IOException {
        writeTwoLogs();
        TxDecisions d = TxDecisions.scan(dir, 1 << 20, 1 << 10);
        assertTrue(d.applies(5));
        assertFalse(d.applies(6));
        assertEquals(List.of(6L), d.aborted());
        assertEquals(6, d.maxTxId());
        assertEquals(Map.of("x", "5+"), replay(0, d));
        assertEquals(Map.of("y", "5"), replay(1, d));

        // The restart rewrote both logs with a horizon that lists 6 as aborted: a later scan agrees.
        for (int s = 0; s < 2; s++) {
            String text = Files.readString(dir.resolve("shard-" + s + ".aof"), StandardCharsets.ISO_8859_1);
            assertTrue(text.startsWith("*3\r\n$9\r\nTXHORIZON\r\n$1\r\n6\r\n$1\r\n6\r\n"), text);
            assertFalse(text.contains("TXPART"), text);
        }
        TxDecisions again = TxDecisions.scan(dir, 1 << 20, 1 << 10);
        assertEquals(6, again.maxTxId());
        assertEquals(List.of(), again.aborted());
    }

    /**
     * A crash in the middle of the restart: shard 1 rewrote its log (its horizon covers 6, listed as
     * aborted), shard 0 did not: 6 stays dropped. Without the list, the horizon would make it complete.
     */
    @Test
    void shouldKeepADroppedTransactionDroppedWhenOnlySomeShardsRewrote() throws IOException {
        writeTwoLogs();
        TxDecisions d = TxDecisions.scan(dir, 1 << 20, 1 << 10);
        byte[] old0 = Files.readAllBytes(dir.resolve("shard-0.aof"));
        replay(1, d);
        assertEquals(d.aborted(), TxDecisions.scan(dir, 1 << 20, 1 << 10).aborted());
        Files.write(dir.resolve("shard-0.aof"), old0);
        TxDecisions later = TxDecisions.scan(dir, 1 << 20, 1 << 10);
        assertTrue(later.applies(5), "5 is in shard 1's snapshot, under its horizon");
        assertFalse(later.applies(6));
        assertEquals(Map.of("x", "5+"), replay(0, later));
    }

    @Test
    void shouldTreatATornPartAsMissing() throws IOException {
        writeTwoLogs();
        Path log0 = dir.resolve("shard-1.aof");
        byte[] all = Files.readAllBytes(log0);
        byte[] part6 = records(c("TXPART", "6", "0", "1"), c("MULTI"), c("SET", "y", "6"));
        byte[] torn = new byte[all.length + part6.length];
        System.arraycopy(all, 0, torn, 0, all.length);
        System.arraycopy(part6, 0, torn, all.length, part6.length); // no EXEC: the write stopped there
        Files.write(log0, torn);
        TxDecisions d = TxDecisions.scan(dir, 1 << 20, 1 << 10);
        assertFalse(d.applies(6));
        assertEquals(Map.of("y", "5"), replay(1, d));
        assertEquals(Map.of("x", "5+"), replay(0, d));
    }

    @Test
    void shouldReplayLogsWithoutTransactionRecordsAsBefore() throws IOException {
        Files.write(dir.resolve("shard-0.aof"), records(c("SET", "x", "0"), c("MULTI"), c("APPEND", "x", "1"),
                c("APPEND", "x", "2"), c("EXEC"), c("DEL", "y")));
        TxDecisions d = TxDecisions.scan(dir, 1 << 20, 1 << 10);
        assertEquals(0, d.maxTxId());
        assertEquals(Map.of("x", "012"), replay(0, d));
        assertEquals(Map.of("x", "012"), AppendOnlyLogTest.replay(dir).map); // and without a scan
    }

    /** The SELECT inside a dropped part still switches the database of the records after it. */
    @Test
    void shouldFollowTheSelectOfADroppedPart() throws IOException {
        Files.write(dir.resolve("shard-0.aof"), records(
                c("TXPART", "7", "0", "1"), c("MULTI"), c("SELECT", "1"), c("SET", "k", "dropped"), c("EXEC"),
                c("SET", "after", "v")));
        TxDecisions d = TxDecisions.scan(dir, 1 << 20, 1 << 10);
        assertFalse(d.applies(7));
        KeyspaceStateMachine sm = onExecutor(() -> {
            KeyspaceStateMachine state = new KeyspaceStateMachine(() -> 1_000_000L, new KeyspaceCommands(), 2);
            new AppendOnlyLogBuilder(dir, 0, state).withFsyncPolicy(FsyncPolicy.NO)
                    .withTransactions(d, () -> 0).open().close();
            return state;
        });
        assertNull(sm.databases().get(1).get("k".getBytes(StandardCharsets.UTF_8)));
        assertNull(sm.databases().get(0).get("after".getBytes(StandardCharsets.UTF_8)));
        assertEquals("v", new String((byte[]) sm.databases().get(1).get("after".getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8));
    }

    /**
     * A rewrite compacts only up to the first part of a transaction above the horizon at its cut
     * (not known complete on every shard): from there the records stay as they were, marker
     * included; once the horizon passes it, the next rewrite compacts it too.
     */
    @Test
    void shouldRewriteOnlyUpToTheFirstTransactionNotKnownComplete() {
        long[] horizon = {9};
        String[] texts = onExecutor(() -> {
            MapStateMachine state = new MapStateMachine();
            try (AppendOnlyLog log = new AppendOnlyLogBuilder(dir, 0, state).withFsyncPolicy(FsyncPolicy.NO)
                    .withAutoRewrite(0, 0).withTransactions(TxDecisions.NONE, () -> horizon[0]).open()) {
                for (int i = 0; i < 50; i++) {
                    log.append(state.execute("APPEND", "a", "."));
                }
                log.append(TxRecords.part(8, new int[] {0, 1}));
                log.append(TxRecords.multi());
                log.append(state.execute("SET", "eight", "8"));
                log.append(TxRecords.exec());
                log.append(TxRecords.part(10, new int[] {0, 1}));
                log.append(TxRecords.multi());
                log.append(state.execute("SET", "b", "1"));
                log.append(TxRecords.exec());
                log.awaitDurable(log.append(state.execute("APPEND", "a", "!")));
                log.startRewrite().join();
                String first = Files.readString(log.path(), StandardCharsets.ISO_8859_1);
                horizon[0] = 10;
                log.startRewrite().join();
                String second = Files.readString(log.path(), StandardCharsets.ISO_8859_1);
                return new String[] {first, second};
            }
        });
        String first = texts[0];
        assertTrue(first.startsWith("*2\r\n$9\r\nTXHORIZON\r\n$1\r\n9\r\n"), first);
        assertFalse(first.contains("$1\r\n8\r\n$1\r\n0"), "8 is under the horizon: compacted");
        assertTrue(first.contains("SET\r\n$5\r\neight\r\n$1\r\n8"), first);
        assertTrue(first.contains("TXPART\r\n$2\r\n10\r\n"), "10 stays marked: " + first);
        assertTrue(first.endsWith(new String(records(c("TXPART", "10", "0", "1"), c("MULTI"), c("SET", "b", "1"),
                c("EXEC"), c("APPEND", "a", "!")), StandardCharsets.ISO_8859_1)), first);
        String second = texts[1];
        assertTrue(second.startsWith("*2\r\n$9\r\nTXHORIZON\r\n$2\r\n10\r\n"), second);
        assertFalse(second.contains("TXPART"), second);
        assertEquals(Map.of("a", ".".repeat(50) + "!", "b", "1", "eight", "8"), AppendOnlyLogTest.replay(dir).map);
    }
}
