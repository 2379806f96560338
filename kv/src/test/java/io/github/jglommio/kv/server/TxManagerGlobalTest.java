package io.github.jglommio.kv.server;

import io.github.jglommio.kv.command.CommandSpec;
import io.github.jglommio.kv.command.CommandTable;
import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.LocalExecutor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link TxManager}'s whole-keyspace transactions (SWAPDB) among keyed ones, in id order. */
class TxManagerGlobalTest {
    private static final CommandSpec GET = CommandTable.lookup("get");
    private static final CommandSpec PING = CommandTable.lookup("ping");

    private static byte[][] keys(String... k) {
        byte[][] b = new byte[k.length][];
        for (int i = 0; i < k.length; i++) {
            b[i] = k[i].getBytes();
        }
        return b;
    }

    @Test
    void shouldRunAWholeKeyspaceTransactionBetweenTheEarlierAndTheLaterOnes() {
        LocalExecutor.create().run(this::betweenEarlierAndLater);
    }

    private Void betweenEarlierAndLater() {
        TxManager txs = new TxManager();
        List<String> active = new ArrayList<>();
        Object owner = new Object();
        assertTrue(txs.schedule(1, keys("a"), () -> active.add("t1")));
        assertTrue(txs.schedule(2, null, owner, () -> active.add("global")));
        assertTrue(txs.schedule(3, keys("b"), () -> active.add("t3")));
        assertEquals(List.of("t1"), active, "the global waits for t1, t3 (another key) for the global");
        assertTrue(txs.blocks(GET, Command.of("GET", "a")));
        assertFalse(txs.blocks(GET, Command.of("GET", "b")));

        txs.finish(1);
        assertEquals(List.of("t1", "global"), active);
        assertTrue(txs.blocks(GET, Command.of("GET", "b")), "while it holds, every keyspace command waits");
        assertFalse(txs.blocks(PING, Command.of("PING")), "server commands do not");
        assertFalse(txs.blocks(GET, Command.of("GET", "b"), owner), "but those of its owner");
        assertFalse(txs.schedule(2, keys("c"), () -> { }), "ids only go up");

        txs.finish(2);
        assertEquals(List.of("t1", "global", "t3"), active);
        assertFalse(txs.blocks(GET, Command.of("GET", "a")));
        txs.finish(3);
        assertFalse(txs.anyActive());
        return null;
    }

    @Test
    void shouldLetAWholeKeyspaceTransactionGoFirstWhenNothingIsEarlier() {
        LocalExecutor.create().run(this::firstWhenNothingIsEarlier);
    }

    private Void firstWhenNothingIsEarlier() {
        TxManager txs = new TxManager();
        List<String> active = new ArrayList<>();
        assertTrue(txs.schedule(5, null, null, () -> active.add("g5")));
        assertTrue(txs.schedule(6, null, null, () -> active.add("g6")));
        assertEquals(List.of("g5"), active);
        txs.finish(5);
        assertEquals(List.of("g5", "g6"), active);
        txs.finish(6);
        assertFalse(txs.anyActive());
        return null;
    }

    @Test
    void shouldKeepTheLogHorizonBelowEveryTransactionNotFinishedHere() {
        LocalExecutor.create().run(() -> {
            TxManager txs = new TxManager();
            assertEquals(0, txs.horizon());
            assertTrue(txs.schedule(4, keys("a"), () -> { }));
            assertTrue(txs.schedule(6, keys("b"), () -> { }));
            assertEquals(3, txs.horizon(), "4 still holds its keys: maybe not durable on every shard");
            txs.finish(6);
            assertEquals(3, txs.horizon(), "a later one finished, but 4 did not");
            txs.finish(4);
            assertEquals(6, txs.horizon());
            assertTrue(txs.schedule(9, null, null, () -> { }));
            assertEquals(8, txs.horizon(), "a whole-keyspace transaction counts too");
            txs.undecided(9);
            txs.finish(9);
            assertTrue(txs.schedule(12, keys("c"), () -> { }));
            txs.finish(12);
            assertEquals(8, txs.horizon(), "9 was released without every part durable: never under the horizon");
            return null;
        });
    }
}
