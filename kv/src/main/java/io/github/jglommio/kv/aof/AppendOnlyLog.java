package io.github.jglommio.kv.aof;

import io.github.jglommio.Latency;
import io.github.jglommio.LocalExecutor;
import io.github.jglommio.Shares;
import io.github.jglommio.Task;
import io.github.jglommio.TaskQueueHandle;
import io.github.jglommio.io.Directory;
import io.github.jglommio.io.DmaFile;
import io.github.jglommio.io.DmaStreamWriter;
import io.github.jglommio.io.DmaStreamWriterBuilder;
import io.github.jglommio.io.Files;
import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.sync.Semaphore;
import io.github.jglommio.timer.TimerActionRepeat;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * One shard's append-only log: Redis's AOF on a {@link DmaStreamWriter}. The file
 * {@code shard-<n>.aof} holds RESP multibulk commands, one after another; replaying them in order
 * into an empty state rebuilds the shard.
 *
 * {@snippet :
 * AppendOnlyLog log = AppendOnlyLog.open(dir, shard, FsyncPolicy.ALWAYS, stateMachine); // replays
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
 * log's writer task, so it never parks. The writer takes the whole batch, writes it (and under
 * {@link FsyncPolicy#ALWAYS} {@code fdatasync}s it) in one go, then wakes every task parked in
 * {@link #awaitDurable} for a record of that batch; records appended meanwhile form the next batch.
 * Under load, one sync thus covers the records of many connections.
 *
 * <p><b>Rewrite.</b> {@link #startRewrite()} (and the automatic trigger, see
 * {@link AppendOnlyLogBuilder#withAutoRewrite}) compacts the log in a low-shares task queue: it replays
 * the file, up to a record boundary {@code cut}, into a private empty state machine and writes that
 * state's {@link LogStateMachine#rebuild} commands to {@code shard-<n>.aof.rewrite}; every record the
 * writer writes after {@code cut} is also copied to a rewrite buffer. Finally the writer task itself,
 * between two batches, appends the rest of the buffer to the new file, syncs it, renames it over the
 * log and syncs the directory; later batches go to the new file. The new log is therefore exactly
 * "state at {@code cut}" followed by every record after {@code cut}, whatever the connections did
 * meanwhile, and the old log stays complete until the rename. The price: the private copy of the
 * state needs as much memory as the shard's data while the rewrite runs (Redis's fork pays it in
 * copy-on-write pages instead). {@link #open} does the same with the replayed state before serving,
 * because a {@code DmaStreamWriter} writes a file from position 0: every start begins a fresh,
 * compacted log.
 *
 * <p><b>Failures.</b> When a write or sync fails, every waiter gets the {@link IOException} and the log
 * stays failed, like Redis refusing writes after a failed AOF write: later {@link #append}s and
 * {@link #awaitDurable}s throw at once, with the original failure as the cause. A failed rewrite
 * leaves the old log in use and is retried by the automatic trigger after
 * {@value #REWRITE_RETRY_DELAY_SECONDS} seconds.
 *
 * <p>Threading: owned by the executor of the task that opened it; every method must be called from
 * that executor's tasks ({@link WrongThreadException} otherwise). Any number of tasks may append and
 * wait at the same time.
 */
public final class AppendOnlyLog implements AutoCloseable {

    /*
     * Implementation overview.
     *
     * Positions ("seq") are logical: bytes appended since open, across rewrites; a token is the seq
     * just after its record. appendedSeq >= writtenSeq >= syncedSeq; ackedSeq is the one the policy
     * waits for (syncedSeq under ALWAYS, writtenSeq otherwise).
     *
     * Only the writer task calls the DmaStreamWriter (it admits one task at a time): batches, the
     * rewrite's cut and its installation all happen in its loop, so a batch is never half written when
     * the rewrite looks at the file. The everysec timer calls fdatasync on the DmaFile directly, under
     * `fileMutex`, which the writer takes before closing a file.
     *
     * Waiters park on Completions: `inFlight` covers the batch being written (up to inFlightEnd),
     * `next` the records appended since; when the writer takes a batch, `next` becomes `inFlight`.
     *
     * Everything runs on the owner executor's thread, one task at a time: plain fields suffice, but
     * every park point (I/O, await) lets other tasks change them, which the code re-checks after.
     */

    /** Seconds before the automatic trigger retries a failed rewrite. */
    public static final int REWRITE_RETRY_DELAY_SECONDS = 10;

    private static final System.Logger LOG = System.getLogger(AppendOnlyLog.class.getName());
    private static final Duration EVERYSEC = Duration.ofSeconds(1);

    private final LocalExecutor owner;
    private final AppendOnlyLogBuilder config;
    private final FsyncPolicy policy;
    private final Path path;
    private final Directory directory;
    private final ReplayResult replayResult;
    private final TaskQueueHandle rewriteQueue;
    private final boolean ownsRewriteQueue;
    private final Compaction compaction;
    private final Semaphore wake;
    private final Semaphore fileMutex;

    // Writer state.
    private DmaStreamWriter writer;
    private DmaFile file;
    private RecordBuffer pending = new RecordBuffer();
    private RecordBuffer spare = new RecordBuffer();
    private long appendedSeq;
    private long writtenSeq;
    private long syncedSeq;
    private long ackedSeq;
    private long inFlightEnd;
    private Completion inFlight;
    private Completion next;
    private boolean writerParked;
    private boolean stopWriter;
    private boolean closing;
    private IOException failure;
    private Task<Void> writerTask;
    private TimerActionRepeat syncTimer;

    /** The file's length after the last rewrite (or open). */
    private long baseSize;

    // Counters.
    private long records;
    private long writes;
    private long syncs;

    private AppendOnlyLog(AppendOnlyLogBuilder config, Directory directory, Path path, Path rewritePath,
                          LogReader reader, ReplayResult replayResult, DmaStreamWriter writer, DmaFile file) {
        this.owner = LocalExecutor.current();
        this.config = config;
        this.policy = config.fsyncPolicy;
        this.directory = directory;
        this.path = path;
        this.replayResult = replayResult;
        this.writer = writer;
        this.file = file;
        this.baseSize = writer.currentPosition();
        this.wake = new Semaphore(0);
        this.fileMutex = new Semaphore(1);
        this.ownsRewriteQueue = config.rewriteQueue == null;
        this.rewriteQueue = ownsRewriteQueue
                ? owner.createTaskQueue(Shares.of(config.rewriteShares), Latency.notImportant(), "aof-rewrite-" + config.shard)
                : config.rewriteQueue;
        this.compaction = new Compaction(this, config, reader, path, rewritePath, rewriteQueue);
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
     * ({@code shard-<n>.aof.rewrite}, synced, renamed over {@code shard-<n>.aof}, directory synced), then
     * starts the writer task and, under {@link FsyncPolicy#EVERYSEC}, the sync timer. Call it before
     * serving requests: nothing else may touch the state machine until it returns.
     */
    static AppendOnlyLog open(AppendOnlyLogBuilder b) throws IOException {
        Path path = b.directory.resolve("shard-" + b.shard + ".aof");
        Path rewritePath = b.directory.resolve("shard-" + b.shard + ".aof.rewrite");
        LogReader reader = new LogReader(b.maxBulkLength, b.maxMultibulkLength);
        Directory directory = Directory.create(b.directory);
        DmaStreamWriter writer = null;
        try {
            ReplayResult replayed = Files.exists(path)
                    ? reader.replayAll(path, b.state, LocalExecutor::yieldIfNeeded)
                    : ReplayResult.EMPTY;
            if (Files.exists(rewritePath)) {
                LOG.log(Level.INFO, "discarding " + rewritePath + ", left by a rewrite that did not finish");
            }
            DmaFile file = DmaFile.create(rewritePath);
            writer = newWriter(file, b);
            SnapshotWriter.write(b.state, writer, LocalExecutor::yieldIfNeeded);
            writer.sync();
            file.rename(path); // through the file, so that its later errors name the log, not the temporary name
            directory.sync();
            AppendOnlyLog log = new AppendOnlyLog(b, directory, path, rewritePath, reader, replayed, writer, file);
            log.syncs = 1;
            log.start();
            return log;
        } catch (IOException | RuntimeException e) {
            Cleanup.close(writer, e);
            Cleanup.removeIfPresent(rewritePath, e);
            Cleanup.close(directory, e);
            throw e;
        }
    }

    static DmaStreamWriter newWriter(DmaFile file, AppendOnlyLogBuilder b) {
        // The log syncs explicitly where its policy needs it; a writer closed after a rewrite replaced
        // its file needs no sync.
        return new DmaStreamWriterBuilder(file).withBufferSize(b.bufferSize).withSyncOnClose(false).build();
    }

    private void start() {
        Callable<Void> loop = () -> {
            runWriter();
            return null;
        };
        writerTask = config.writerQueue == null ? Task.local(loop) : Task.localInto(loop, config.writerQueue);
        if (policy == FsyncPolicy.EVERYSEC) {
            Callable<Void> timer = () -> {
                syncTimer = TimerActionRepeat.repeat(this::syncTick);
                return null;
            };
            // The timer's task goes to the queue of the task that creates it.
            (config.writerQueue == null ? Task.local(timer) : Task.localInto(timer, config.writerQueue)).join();
        }
    }

    // ---------------------------------------------------------------- appending and waiting

    /**
     * Appends {@code command} (encoded as a RESP multibulk) and returns its token for
     * {@link #awaitDurable}. Only copies into memory and wakes the writer: never parks.
     *
     * @throws IOException          when the log has failed or is closed
     * @throws WrongThreadException outside the owner executor's tasks
     */
    public long append(Command command) throws IOException {
        return append(RespWriter.encodeCommand(command));
    }

    /**
     * Appends one encoded record ({@link RespWriter#encodeCommand}) and returns its token: the log
     * position just after it, increasing with every append. The array is copied; the caller keeps it.
     * Never parks.
     *
     * @throws IOException          when the log has failed (the cause is the failure) or is closed
     * @throws WrongThreadException outside the owner executor's tasks
     */
    public long append(byte[] encodedRecord) throws IOException {
        checkOwner("append");
        checkWritable();
        pending.append(encodedRecord, 0, encodedRecord.length);
        appendedSeq += encodedRecord.length;
        records++;
        wakeWriter();
        return appendedSeq;
    }

    /**
     * Parks the calling task until the record with {@code token}, and every one before it, is as durable
     * as the policy promises: written and synced ({@link FsyncPolicy#ALWAYS}), written
     * ({@link FsyncPolicy#EVERYSEC}), or nothing ({@link FsyncPolicy#NO}, which returns at once unless the
     * unwritten backlog exceeds {@link AppendOnlyLogBuilder#withMaxUnwrittenBytes}). Reply to a write only
     * after this returns. A token of 0 (no record) returns at once.
     *
     * @throws IOException              when the write or sync of the record failed, or the log failed
     *                                  before it (the cause is the failure): reply with an error
     * @throws IllegalArgumentException when {@code token} was never returned by {@link #append}
     * @throws java.util.concurrent.CancellationException when the calling task is cancelled meanwhile
     * @throws WrongThreadException     outside the owner executor's tasks
     */
    public void awaitDurable(long token) throws IOException {
        checkOwner("awaitDurable");
        if (token < 0 || token > appendedSeq) {
            throw new IllegalArgumentException("token " + token + " was not returned by append (appended so far: "
                    + appendedSeq + ")");
        }
        if (policy == FsyncPolicy.NO && appendedSeq - writtenSeq <= config.maxUnwrittenBytes) {
            return;
        }
        while (token > ackedSeq) {
            if (failure != null) {
                throw failedException();
            }
            Completion c;
            if (token <= inFlightEnd) {
                // Its batch is being written (ackedSeq would have passed inFlightEnd otherwise). The waiter
                // may have parked elsewhere since its append, so the batch may have been taken without a
                // Completion: the writer completes whatever inFlight holds when the batch is done.
                if (inFlight == null) {
                    inFlight = new Completion();
                }
                c = inFlight;
            } else {
                if (next == null) {
                    next = new Completion();
                }
                c = next;
            }
            c.await();
        }
    }

    /** The statistics of this log. Owner executor. */
    public AofStats stats() {
        checkOwner("stats");
        return new AofStats(policy, records, appendedSeq, writtenSeq, appendedSeq - writtenSeq, writes, syncs,
                writer.currentPosition(), baseSize, compaction.rewrites, compaction.failures, compaction.isRunning(),
                compaction.lastDuration, compaction.lastOk, failure == null ? "" : String.valueOf(failure.getMessage()));
    }

    /** What replaying the log found when it was opened. Any thread. */
    public ReplayResult replayResult() {
        return replayResult;
    }

    /** The log file, {@code <directory>/shard-<n>.aof}. Any thread. */
    public Path path() {
        return path;
    }

    /** The policy this log was opened with. Any thread. */
    public FsyncPolicy policy() {
        return policy;
    }

    // ---------------------------------------------------------------- the writer task

    private void runWriter() {
        try {
            while (true) {
                if (compaction.installation() != null) {
                    install();
                } else if (compaction.cutRequest() != null) {
                    // Every batch so far is written whole (flush), so the file ends at a record boundary.
                    compaction.cut(writer.currentPosition(), failure == null ? null : failedException());
                } else if (pending.size() > 0) {
                    writeBatch();
                    if (failure == null && !closing) {
                        compaction.maybeStartAuto(writer.currentPosition(), baseSize);
                    }
                } else if (stopWriter) {
                    break;
                } else {
                    writerParked = true;
                    wake.acquire(1);
                }
            }
            if (failure == null && syncedSeq < writtenSeq) {
                try {
                    writer.sync();
                    syncs++;
                    syncedSeq = writtenSeq;
                } catch (IOException e) {
                    fail(e);
                }
            }
        } finally {
            fileMutex.acquire(1);
            try {
                writer.close();
            } catch (IOException e) {
                fail(e);
            } finally {
                fileMutex.signal(1);
            }
        }
    }

    /** Makes the writer task run its loop again if it is parked. */
    void wakeWriter() {
        if (writerParked) {
            writerParked = false;
            wake.signal(1);
        }
    }

    /** Writes everything appended so far as one batch and wakes its waiters. */
    private void writeBatch() {
        RecordBuffer batch = pending;
        pending = spare;
        spare = batch;
        long end = appendedSeq;
        inFlight = next;
        next = null;
        inFlightEnd = end;
        try {
            if (failure != null) {
                return; // appends are refused; these records were appended before the failure and are lost with it
            }
            writer.write(batch.array(), 0, batch.size());
            if (policy == FsyncPolicy.ALWAYS) {
                writer.sync(); // writes the tail block too
                syncs++;
                syncedSeq = end;
            } else {
                writer.flush();
            }
            writes++;
            writtenSeq = end;
            ackedSeq = policy == FsyncPolicy.ALWAYS ? syncedSeq : writtenSeq;
            compaction.written(batch);
            if (inFlight != null) {
                inFlight.complete(null);
            }
        } catch (IOException e) {
            fail(e);
        } finally {
            inFlight = null;
            batch.clear();
        }
    }

    /** Everysec: syncs what has been written, outside the writer task so that batches go on meanwhile. */
    private Optional<Duration> syncTick() {
        if (stopWriter) {
            return Optional.empty();
        }
        long target = writtenSeq;
        if (failure == null && target > syncedSeq) {
            fileMutex.acquire(1);
            try {
                // A rewrite installed meanwhile synced the new file whole: still correct, and cheap.
                if (!stopWriter) {
                    file.fdatasync();
                    syncs++;
                    syncedSeq = Math.max(syncedSeq, target);
                }
            } catch (IOException e) {
                fail(e);
            } finally {
                fileMutex.signal(1);
            }
        }
        return Optional.of(EVERYSEC);
    }

    private void fail(IOException e) {
        if (failure == null) {
            failure = e;
            LOG.log(Level.ERROR, "append-only log " + path + " failed; it refuses writes from now on: " + e.getMessage(), e);
        }
        if (inFlight != null) {
            inFlight.complete(failure);
        }
        if (next != null) {
            next.complete(failure);
            next = null;
        }
    }

    private IOException failedException() {
        return new IOException("append-only log " + path + " refuses writes after a failed write or sync: "
                + failure.getMessage(), failure);
    }

    private void checkWritable() throws IOException {
        if (failure != null) {
            throw failedException();
        }
        if (closing) {
            throw new IOException("append-only log " + path + " is closed");
        }
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
     * @throws IOException          when the log has failed or is closed
     * @throws WrongThreadException outside the owner executor's tasks
     */
    public Task<RewriteResult> startRewrite() throws IOException {
        checkOwner("startRewrite");
        checkWritable();
        return compaction.start();
    }

    /** Writer task: appends the rest of the rewrite buffer to the new file and puts it in place of the log. */
    private void install() {
        Compaction.Installation inst = compaction.installation();
        RecordBuffer rest = compaction.takeInstallation();
        boolean renamed = false;
        try {
            if (failure != null) {
                throw failedException();
            }
            inst.writer().write(rest.array(), 0, rest.size());
            inst.writer().sync();
            syncs++;
            inst.file().rename(path);
            renamed = true;
            directory.sync();
        } catch (IOException e) {
            if (!renamed) {
                Cleanup.close(inst.writer(), e);
                Cleanup.removeIfPresent(inst.file().path(), e);
                inst.done().complete(e);
                return;
            }
            // The new file is in place but its name may not survive a crash, while the old file's data
            // would: records written to the new one could be lost. Stop accepting writes.
            fail(e);
        }
        DmaStreamWriter old = writer;
        writer = inst.writer();
        file = inst.file();
        baseSize = writer.currentPosition();
        syncedSeq = writtenSeq;
        fileMutex.acquire(1);
        try {
            old.close();
        } catch (IOException e) {
            // Its records are all in the new, synced file: nothing is lost.
            LOG.log(Level.WARNING, "closing the replaced append-only log file failed: " + e.getMessage(), e);
        } finally {
            fileMutex.signal(1);
        }
        inst.done().complete(failure == null ? null : failedException());
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
        if (closing) {
            return;
        }
        closing = true;
        compaction.abortAndJoin();
        stopWriter = true;
        if (syncTimer != null) {
            syncTimer.cancel();
            syncTimer.join(); // no tick may touch the file after the writer closes it
        }
        wakeWriter();
        writerTask.join();
        IOException error = failure == null ? null : failedException();
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
        return "AppendOnlyLog[" + path + ", " + policy.configName() + ", appended=" + appendedSeq + ", written="
                + writtenSeq + ", synced=" + syncedSeq + (failure == null ? "" : ", FAILED") + "]";
    }
}
