/**
 * Persistence of one shard: an append-only log (Redis's AOF) of the commands that changed the shard,
 * replayed on start and compacted by rewrites. {@link io.github.jglommio.kv.aof.AppendOnlyLog} is the
 * log, {@link io.github.jglommio.kv.aof.AppendOnlyLogBuilder} configures it,
 * {@link io.github.jglommio.kv.aof.FsyncPolicy} is {@code appendfsync} and
 * {@link io.github.jglommio.kv.aof.LogStateMachine} is all the log knows of the data.
 *
 * <p>File format: RESP multibulk commands, one after another, as Redis's AOF
 * ({@code *3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n...}); {@code redis-check-aof} can read it. An
 * incomplete last record (a crash during a write) is dropped on replay with a warning; a bad record
 * anywhere else is a {@link io.github.jglommio.kv.aof.CorruptLogException} naming the file and offset.
 * As in Redis's AOF, a {@code SELECT n} record switches the database of the records after it (0 at
 * the start of every file; see {@link io.github.jglommio.kv.aof.KeyspaceStateMachine}).
 *
 * <p><b>Cross-shard transactions: all or nothing on replay.</b> Each shard has its own log, so an
 * operation that changes keys on several shards (a MULTI/EXEC, RENAME, SMOVE, MSET, SINTERSTORE,
 * LMOVE...; FLUSHALL and SWAPDB, which change every shard) is logged by each of them separately,
 * and a crash between two shards' writes could leave one part logged and the other not. So each
 * participant logs its part as a block that names the transaction
 * ({@link io.github.jglommio.kv.aof.TxRecords}):
 * {@code TXPART <txid> <shard> <shard>...}, {@code MULTI}, the part's records, {@code EXEC}. The
 * ids come from one server-wide counter that starts above every id in the logs. Before any shard
 * replays, {@link io.github.jglommio.kv.aof.TxDecisions#scan} reads every shard's log, and a
 * transaction applies only if every listed shard's log holds its complete block (or has compacted
 * it, below); replay drops the others' parts, following only their {@code SELECT}s. No commit
 * record is needed: the client's reply waits until every part is durable under the policy, so an
 * acknowledged transaction has all its parts in the logs under every policy, and a dropped one was
 * never acknowledged (under {@code no} and {@code everysec} a power loss still costs each shard's
 * last second or two, as for any write, and a transaction whose parts were not all synced is then
 * dropped whole, never applied in half). Every participant holds the transaction's keys (or the whole keyspace) until
 * the coordinator has seen every part durable and releases them, so no acknowledged write of
 * another client builds on a transaction a crash could still drop. A transaction whose changes fall
 * on one shard logs plainly (a single-shard {@code MULTI}/{@code EXEC}, as before), and single-key
 * commands never meet any of this: they pay nothing, not a byte.
 *
 * <p>Compaction keeps the rule true. A snapshot (every start, every rewrite) begins with
 * {@code TXHORIZON <h> [<txid>...]}: every transaction up to {@code h} that logged a part here is
 * complete on every shard and in this log (in the snapshot, without its block), except the listed
 * ones, which were dropped. A rewrite asks the shard for {@code h} at its cut
 * ({@link io.github.jglommio.kv.aof.AppendOnlyLogBuilder#withTransactions}): the highest id below
 * which every transaction scheduled on the shard has been released, that is, is complete
 * everywhere; it compacts the records only up to the first block of a transaction above {@code h}
 * and copies the rest of the old log as it is, so a transaction still in flight keeps its block. A
 * start decides every transaction the logs hold, so its snapshot takes the highest id seen as
 * {@code h} and lists the dropped ones: a crash before every shard has rewritten its log then finds
 * them dropped again rather than complete under the new horizon. A transaction whose part a failed
 * log could not make durable (answered {@code -MISCONF}) keeps the shard's horizon below it until
 * the next start, so its blocks are never compacted into a snapshot that would claim it complete.
 * A log written before this format has no such records and replays as before.
 *
 * <p><b>What an acknowledgement promises.</b> A write may be acknowledged when
 * {@link io.github.jglommio.kv.aof.AppendOnlyLog#awaitDurable} returns for its token, or when the
 * {@link io.github.jglommio.kv.aof.DurabilityCallback} given to
 * {@link io.github.jglommio.kv.aof.AppendOnlyLog#whenDurable} is called with {@code true} (the server
 * holds a connection's reply that way, so that the connection's task need not park and wake for it):
 * <ul>
 * <li>{@code appendfsync no} and {@code everysec}: the record is in the kernel (written to the file
 *     through the page cache), so it survives a kill -9 of the server. {@code everysec} also
 *     {@code fdatasync}s every second, so a kernel crash or power loss loses at most the last 1 to 2
 *     seconds; {@code no} leaves that to the kernel's own write-back (about 30 s).</li>
 * <li>{@code appendfsync always}: the record is written and {@code fdatasync}ed, so it survives a
 *     power loss on a device that honours cache flushes.</li>
 * </ul>
 * Under every policy one write (and under {@code always} one sync) covers all records appended
 * while the previous batch was written: group commit.
 *
 * <p><b>Why these primitives</b> (measured on this project's 2-vCPU ext4/virtio machine, kernel 6.18;
 * fio, 512-byte sequential writes, one at a time): {@code pwrite} into the page cache takes 1.0 µs;
 * the same write through io_uring takes 17 µs, because ext4 has no non-blocking buffered writes and
 * io_uring hands each to a worker thread; an O_DIRECT write of the 4 KiB tail block takes 39 µs (and
 * every group commit would rewrite the partly filled tail). So batches go out with
 * {@link io.github.jglommio.io.BufferedFile#writeAtInline} on the executor's thread, and only the
 * syncs, which block for a device flush (about 75 µs for write plus {@code fdatasync}, the same as
 * {@code RWF_DSYNC} and as O_DIRECT plus {@code fdatasync}), go through io_uring, so that the shard
 * keeps serving while its disk flushes. Snapshots (open and rewrite) are large sequential writes and
 * use a {@link io.github.jglommio.io.DmaStreamWriter}.
 *
 * <p><b>Failures.</b> A failed write or sync fails the waiters of that batch, tells the log's
 * {@link io.github.jglommio.kv.aof.LogHealthListener} (the server then answers every write, on every
 * shard, with {@code -MISCONF}, as Redis does) and is retried every second with nothing dropped;
 * the first retry that succeeds clears it.
 *
 * <p>Threading model: thread-per-core, no locks. A log belongs to the executor (shard) of the task that
 * opened it and is used only by that executor's tasks: connection tasks append and wait, one writer task
 * owns the file and writes batches (group commit), an everysec timer task syncs, and a rewrite task runs
 * in a low-shares task queue. They share plain fields because they run one at a time on the executor's
 * thread; every other thread gets {@link java.lang.WrongThreadException}. Every wait parks only the
 * calling task.
 */
package io.github.jglommio.kv.aof;
