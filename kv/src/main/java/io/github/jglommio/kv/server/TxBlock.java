package io.github.jglommio.kv.server;

/**
 * A transaction (MULTI ... EXEC) as the shard that runs it sees it: the {@link ShardBatch} entries
 * that follow its {@link ShardBatch#EXEC} entry, how many of them may write (two or more are
 * logged between {@code MULTI} and {@code EXEC} records, so that a crash in the middle of their
 * write replays none of them), and the connection's watches, checked before anything runs.
 * Immutable; made by the connection, read by the shard that runs it.
 *
 * @param count the number of commands, the entries right after the EXEC entry
 * @param writes how many of them are write commands
 * @param watch the connection's watches, or null if it watched nothing
 * @param txid for a block that swaps databases while every shard is held for it
 *             ({@link DbCommands.SwapBlock}), the whole-keyspace transaction's id; else 0
 * @param participants with {@code txid}, every shard: they all log a part (the others their
 *             SWAPDBs), so the block is logged as this shard's {@code TXPART} block; else null
 */
record TxBlock(int count, int writes, WatchState watch, long txid, int[] participants) {

    TxBlock(int count, int writes, WatchState watch) {
        this(count, writes, watch, 0, null);
    }
}
