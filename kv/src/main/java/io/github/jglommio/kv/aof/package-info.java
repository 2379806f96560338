/**
 * Persistence of one shard: an append-only log (Redis's AOF) of the commands that changed the shard,
 * written with a {@link io.github.jglommio.io.DmaStreamWriter}, replayed on start and compacted by
 * rewrites. {@link io.github.jglommio.kv.aof.AppendOnlyLog} is the log,
 * {@link io.github.jglommio.kv.aof.AppendOnlyLogBuilder} configures it,
 * {@link io.github.jglommio.kv.aof.FsyncPolicy} is {@code appendfsync} and
 * {@link io.github.jglommio.kv.aof.LogStateMachine} is all the log knows of the data.
 *
 * <p>File format: RESP multibulk commands, one after another, as Redis's AOF
 * ({@code *3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n...}); {@code redis-check-aof} can read it. An
 * incomplete last record (a crash during a write) is dropped on replay with a warning; a bad record
 * anywhere else is a {@link io.github.jglommio.kv.aof.CorruptLogException} naming the file and offset.
 *
 * <p>Threading model: thread-per-core, no locks. A log belongs to the executor (shard) of the task that
 * opened it and is used only by that executor's tasks: connection tasks append and wait, one writer task
 * owns the file and writes batches (group commit), an everysec timer task syncs, and a rewrite task runs
 * in a low-shares task queue. They share plain fields because they run one at a time on the executor's
 * thread; every other thread gets {@link java.lang.WrongThreadException}. Every wait parks only the
 * calling task.
 *
 * <p>Durability: a write may be acknowledged when {@link io.github.jglommio.kv.aof.AppendOnlyLog#awaitDurable}
 * returns for its token; see {@link io.github.jglommio.kv.aof.FsyncPolicy} for what each policy then
 * guarantees.
 */
package io.github.jglommio.kv.aof;
