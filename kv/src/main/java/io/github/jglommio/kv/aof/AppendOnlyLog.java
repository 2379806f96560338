package io.github.jglommio.kv.aof;

import io.github.jglommio.Latency;
import io.github.jglommio.LocalExecutor;
import io.github.jglommio.Shares;
import io.github.jglommio.Task;
import io.github.jglommio.TaskQueueHandle;
import io.github.jglommio.io.BufferedFile;
import io.github.jglommio.io.Directory;
import io.github.jglommio.io.DmaFile;
import io.github.jglommio.io.DmaStreamWriter;
import io.github.jglommio.io.DmaStreamWriterBuilder;
import io.github.jglommio.io.Files;
import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;

/**
 * One shard's append-only log: Redis's AOF. The file {@code shard-<n>.aof} holds RESP multibulk
 * commands, one after another; replaying them in order into an empty state rebuilds the shard.
 *
 * {@snippet :
 * AppendOnlyLog log = AppendOnlyLog.open(dir, shard, FsyncPolicy.EVERYSEC, stateMachine); // replays
 * // per request, in the connection's task:
 * Command logged = KeyspaceCommands.execute(cmd, keyspace, out);   // reply goes into `out`
 * long token = logged == null ? 0 : log.append(logged);           // copies into memory, no I/O
 * // ... more pipelined commands ...
 * log.awaitDurable(token);               // parks until the policy's durability is reached
 * socket.write(out.array(), 0, out.size());                       // only now acknowledge
 * // on shutdown
 * log.close();                           // writes and syncs everything
 * }
 *
 * <p><b>Group commit.</b> {@link #append} only copies the record into an in-memory batch and wakes the
 * log's writer task, so it never parks. The writer takes the whole batch and writes it with one
 * {@code pwrite(2)} into the page cache ({@link BufferedFile#writeAtInline}: on the executor's
 * thread, no ring round trip), then under {@link FsyncPolicy#ALWAYS} {@code fdatasync}s it, and wakes
 * every task parked in {@link #awaitDurable} for a record of that batch; records appended meanwhile
 * form the next batch. The writer runs after the connection tasks that were ready with it, so one
 * write (and one sync) covers the records of every connection served in that loop turn. Under
 * {@code no} and {@code everysec}, a waiter that finds nothing else ready to run (the last
 * connection of the turn, or a lone one) writes the batch itself: the same single write, without
 * parking and waking.
 *
 * <p><b>Rewrite.</b> {@link #startRewrite()} (and the automatic trigger, see
 * {@link AppendOnlyLogBuilder#withAutoRewrite}) compacts the log in a low-shares task queue: it replays
 * the file, up to a record boundary {@code cut}, into a private empty state machine and writes that
 * state's {@link LogStateMachine#rebuild} commands to {@code shard-<n>.aof.rewrite} with a
 * {@link DmaStreamWriter} (a large sequential write: direct I/O keeps it out of the page cache); every
 * record the writer writes after {@code cut} is also copied to a rewrite buffer. Finally the writer
 * task itself, between two batches, appends the rest of the buffer to the new file, syncs it, renames
 * it over the log and syncs the directory; later batches go to the new file. The new log is therefore
 * exactly "state at {@code cut}" followed by every record after {@code cut}, whatever the connections
 * did meanwhile, and the old log stays complete until the rename. The price: the private copy of the
 * state needs as much memory as the shard's data while the rewrite runs (Redis's fork pays it in
 * copy-on-write pages instead). {@link #open} does the same with the replayed state before serving:
 * every start begins a fresh, compacted log. A log that keeps cross-shard transactions
 * ({@link AppendOnlyLogBuilder#withTransactions}) starts each snapshot with a {@code TXHORIZON}
 * record, and a rewrite's replay stops at the first {@code TXPART} block of a transaction above the
 * horizon read at the cut: the old log's records from there to the cut are copied as they are,
 * before the records after the cut (see the package comment).
 *
 * <p><b>Failures.</b> When a write or sync fails (a full disk, say), every waiter of the failed batch
 * gets the {@link IOException} (its writes are not acknowledged), the
 * {@link AppendOnlyLogBuilder#withHealthListener health listener} is told, and later
 * {@link #awaitDurable} calls throw at once: a server refuses writes meanwhile, as Redis answers
 * {@code -MISCONF}. Appends are still taken (an expiration must be logged), and nothing appended is
 * dropped: what did not reach the file stays in memory, and the writer retries every
 * {@value #RETRY_DELAY_SECONDS} second(s); the first retry that writes (and syncs) it all clears the
 * failure and tells the listener. So the file always holds a prefix of the appended records, and
 * once writes work again, all of them. A failed rewrite leaves the old log in use and is retried by
 * the automatic trigger after {@value #REWRITE_RETRY_DELAY_SECONDS} seconds.
 *
 * <p>Threading: owned by the executor of the task that opened it; every method must be called from
 * that executor's tasks ({@link WrongThreadException} otherwise). Any number of tasks may append and
 * wait at the same time.
 */
public final class AppendOnlyLog implements AutoCloseable {

    /*
     * Implementation overview.
     *
     * This class is the public face: it checks the calling thread, opens (replay and the fresh log) and
     * closes. LogWriter holds the batch, the writer task, the waiters, the sync timer and the failure;
     * Compaction holds the rewrite task and what it shares with the writer task.
     *
     * Everything runs on the owner executor's thread, one task at a time: plain fields suffice, but
     * every park point (I/O, await) lets other tasks change them, which the code re-checks after.
     */

    /** Seconds between the retries of a failed write or sync. */
    public static final int RETRY_DELAY_SECONDS = 1;

    /** Seconds before the automatic trigger retries a failed rewrite. */
    public static final int REWRITE_RETRY_DELAY_SECONDS = 10;

    private static final System.Logger LOG = System.getLogger(AppendOnlyLog.class.getName());

    private final LocalExecutor owner;
    private volatile FsyncPolicy policy;
    private final Path path;
    private final Directory directory;
    private final ReplayResult replayResult;
    private final TaskQueueHandle rewriteQueue;
    private final boolean ownsRewriteQueue;
    private final Compaction compaction;
    private final LogWriter logWriter;

    private AppendOnlyLog(AppendOnlyLogBuilder config, Directory directory, Path path, Path rewritePath,
                          LogReader reader, ReplayResult replayResult, BufferedFile file, long size) {
        this.owner = LocalExecutor.current();
        this.policy = config.fsyncPolicy;
        this.directory = directory;
        this.path = path;
        this.replayResult = replayResult;
        this.ownsRewriteQueue = config.rewriteQueue == null;
        this.rewriteQueue = ownsRewriteQueue
                ? owner.createTaskQueue(Shares.of(config.rewriteShares), Latency.notImportant(), "aof-rewrite-" + config.shard)
                : config.rewriteQueue;
        this.compaction = new Compaction(this, config, reader, path, rewritePath, rewriteQueue);
        this.logWriter = new LogWriter(config, path, directory, compaction, file, size);
    }

    /**
     * Opens shard {@code shard}'s log in {@code directory} with {@code policy} and the other defaults of
     * {@link AppendOnlyLogBuilder}. See {@link AppendOnlyLogBuilder#open()}.
     */
    public static AppendOnlyLog open(Path directory, int shard, FsyncPolicy policy, LogStateMachine state)
            throws IOException {
        return new AppendOnlyLogBuilder(directory, shard, state).withFsyncPolicy(policy).open();
    }

    /**
     * Opens the log configured by {@code b}: replays the existing file, if any, into {@code b}'s state
     * machine (dropping an incomplete last record with a warning), writes the state as a fresh log
     * ({@code shard-<n>.aof.rewrite}, synced, renamed over {@code shard-<n>.aof}, directory synced), opens
     * it for appending through the page cache, then starts the writer task and, under
     * {@link FsyncPolicy#EVERYSEC}, the sync timer. Call it before
     * serving requests: nothing else may touch the state machine until it returns.
     */
    static AppendOnlyLog open(AppendOnlyLogBuilder b) throws IOException {
        Path path = b.directory.resolve("shard-" + b.shard + ".aof");
        Path rewritePath = b.directory.resolve("shard-" + b.shard + ".aof.rewrite");
        LogReader reader = new LogReader(b.maxBulkLength, b.maxMultibulkLength);
        Directory directory = Directory.create(b.directory);
        DmaStreamWriter writer = null;
        BufferedFile appender = null;
        try {
            ReplayResult replayed = Files.exists(path)
                    ? reader.replayAll(path, b.state, b.txDecisions, LocalExecutor::yieldIfNeeded)
                    : ReplayResult.EMPTY;
            if (Files.exists(rewritePath)) {
                LOG.log(Level.INFO, "discarding " + rewritePath + ", left by a rewrite that did not finish");
            }
            DmaFile file = DmaFile.create(rewritePath);
            writer = newWriter(file, b);
            // Every transaction replay met is decided now, and applied or dropped in the state.
            writeHorizon(writer, b, b.txDecisions.maxTxId());
            SnapshotWriter.write(b.state, writer, LocalExecutor::yieldIfNeeded);
            writer.sync();
            long size = writer.currentPosition();
            appender = LogWriter.openForAppend(rewritePath);
            appender.rename(path); // through the appender, so that its later errors name the log
            directory.sync();
            writer.close();
            writer = null;
            AppendOnlyLog log = new AppendOnlyLog(b, directory, path, rewritePath, reader, replayed, appender, size);
            log.logWriter.start();
            return log;
        } catch (IOException | RuntimeException e) {
            Cleanup.close(writer, e);
            Cleanup.close(appender, e);
            Cleanup.removeIfPresent(rewritePath, e);
            Cleanup.close(directory, e);
            throw e;
        }
    }

    /**
     * Starts a snapshot with its TXHORIZON record when the log keeps cross-shard transactions:
     * every transaction at or below {@code horizon} that had a part here is in the snapshot, except
     * the aborted ones it lists.
     */
    static void writeHorizon(DmaStreamWriter writer, AppendOnlyLogBuilder b, long horizon) throws IOException {
        if (b.txHorizon != null) {
            byte[] record = RespWriter.encodeCommand(TxRecords.horizon(Math.max(horizon, b.txDecisions.maxTxId()),
                    b.txDecisions.aborted()));
            writer.write(record, 0, record.length);
        }
    }

    static DmaStreamWriter newWriter(DmaFile file, AppendOnlyLogBuilder b) {
        // The log syncs explicitly where its policy needs it; a writer closed after a rewrite replaced
        // its file needs no sync.
        return new DmaStreamWriterBuilder(file).withBufferSize(b.bufferSize).withSyncOnClose(false).build();
    }

    // ---------------------------------------------------------------- appending and waiting

    /**
     * Appends {@code command} (encoded as a RESP multibulk) and returns its token for
     * {@link #awaitDurable}. Only copies into memory and wakes the writer: never parks. Taken even while
     * the log has failed (see Failures in the class comment).
     *
     * @throws IOException          when the log is closed
     * @throws WrongThreadException outside the owner executor's tasks
     */
    public long append(Command command) throws IOException {
        return append(RespWriter.encodeCommand(command));
    }

    /**
     * Appends one encoded record ({@link RespWriter#encodeCommand}) and returns its token: the log
     * position just after it, increasing with every append. The array is copied; the caller keeps it.
     * Never parks; taken even while the log has failed.
     *
     * @throws IOException          when the log is closed
     * @throws WrongThreadException outside the owner executor's tasks
     */
    public long append(byte[] encodedRecord) throws IOException {
        checkOwner("append");
        return logWriter.append(encodedRecord);
    }

    /**
     * Arranges for {@code callback} to run once the record of {@code token} (and every earlier one) is
     * durable under the log's policy, instead of parking as {@link #awaitDurable} does: a server keeps
     * the reply and goes on reading. Returns {@code false}, without keeping the callback, when the
     * caller should answer now: the records are durable already (written inline here when nothing
     * else was ready to run, as {@link #awaitDurable} does), or the log has failed or is closing, in
     * which case {@link #awaitDurable} throws at once. Otherwise the callback runs exactly once: with
     * {@code true} after the batch's write (and sync under {@link FsyncPolicy#ALWAYS}), with
     * {@code false} if the log fails or closes first.
     *
     * @param token a value returned by {@link #append}
     * @param callback what to run; see {@link DurabilityCallback} for its threading rules
     * @return whether the callback was kept
     * @throws IllegalArgumentException if {@code token} was not returned by {@code append}
     * @throws WrongThreadException     outside the owner executor's tasks
     */
    public boolean whenDurable(long token, DurabilityCallback callback) {
        checkOwner("whenDurable");
        return logWriter.whenDurable(token, callback);
    }

    /**
     * Parks the calling task until the record with {@code token}, and every one before it, is as durable
     * as the policy promises: written to the file and synced ({@link FsyncPolicy#ALWAYS}), or written to
     * the file, that is handed to the kernel ({@link FsyncPolicy#EVERYSEC}, {@link FsyncPolicy#NO}).
     * Reply to a write only after this returns. A token of 0 (no record) returns at once.
     *
     * @throws IOException              when the write or sync of the record failed, or the log has failed
     *                                  and no retry has succeeded since (the cause is the failure):
     *                                  reply with an error
     * @throws IllegalArgumentException when {@code token} was never returned by {@link #append}
     * @throws java.util.concurrent.CancellationException when the calling task is cancelled meanwhile
     * @throws WrongThreadException     outside the owner executor's tasks
     */
    public void awaitDurable(long token) throws IOException {
        checkOwner("awaitDurable");
        logWriter.awaitDurable(token);
    }

    /** The failure that makes the log refuse to acknowledge writes, or null while it works. Owner executor. */
    public IOException failure() {
        checkOwner("failure");
        return logWriter.failure();
    }

    /** The statistics of this log. Owner executor. */
    public AofStats stats() {
        checkOwner("stats");
        return logWriter.stats();
    }

    /** What replaying the log found when it was opened. Any thread. */
    public ReplayResult replayResult() {
        return replayResult;
    }

    /** The log file, {@code <directory>/shard-<n>.aof}. Any thread. */
    public Path path() {
        return path;
    }

    /** The policy the log follows now: the one it was opened with, or the last {@link #setFsyncPolicy}. Any thread. */
    public FsyncPolicy policy() {
        return policy;
    }

    /**
     * Changes when a logged write counts as durable (CONFIG SET appendfsync): batches written from
     * now on follow {@code p}; writes already acknowledged keep the promise they were given. Owner
     * executor only.
     */
    public void setFsyncPolicy(FsyncPolicy p) {
        checkOwner("setFsyncPolicy");
        policy = java.util.Objects.requireNonNull(p, "policy");
        logWriter.setPolicy(p);
    }

    /** Batches a waiter wrote itself instead of the writer task. */
    long inlineWrites() {
        return logWriter.inlineWrites();
    }

    /** Makes the writer task run its loop again if it is parked. */
    void wakeWriter() {
        logWriter.wakeWriter();
    }

    private void checkOwner(String what) {
        if (!LocalExecutor.isOnExecutor() || LocalExecutor.current() != owner) {
            throw new WrongThreadException("AppendOnlyLog." + what + " must be called from a task of executor '"
                    + owner.name() + "', which owns " + path + "; it was called from " + Thread.currentThread());
        }
    }

    // ---------------------------------------------------------------- rewrite

    /**
     * Starts a rewrite (compaction) in the rewrite task queue, or returns the one running: Redis's
     * {@code BGREWRITEAOF}. Join the task (from this executor) for its {@link RewriteResult}; a failed
     * rewrite's join throws a {@link java.util.concurrent.CompletionException} wrapping its
     * {@link IOException}, and the old log stays in use.
     *
     * @throws IOException          when the log is closed (a rewrite of a failed log fails in its task)
     * @throws WrongThreadException outside the owner executor's tasks
     */
    public Task<RewriteResult> startRewrite() throws IOException {
        checkOwner("startRewrite");
        if (logWriter.isClosing()) {
            throw new IOException("append-only log " + path + " is closed");
        }
        return compaction.start();
    }

    // ---------------------------------------------------------------- closing

    /**
     * Refuses further appends, stops a running rewrite (its temporary file is removed; the log is
     * unchanged), writes and syncs every appended record whatever the policy, wakes the waiters, and
     * closes the file. Idempotent.
     *
     * @throws IOException          when the final write or sync failed, or the log had failed before:
     *                              records may be missing from the file
     * @throws WrongThreadException outside the owner executor's tasks
     */
    @Override
    public void close() throws IOException {
        checkOwner("close");
        if (logWriter.isClosing()) {
            return;
        }
        IOException error = logWriter.close();
        try {
            directory.close();
        } catch (IOException e) {
            if (error == null) {
                error = e;
            } else {
                error.addSuppressed(e);
            }
        }
        if (ownsRewriteQueue) {
            owner.removeTaskQueue(rewriteQueue);
        }
        if (error != null) {
            throw error;
        }
    }

    @Override
    public String toString() {
        return "AppendOnlyLog[" + path + ", " + policy.configName() + ", " + logWriter + "]";
    }
}
