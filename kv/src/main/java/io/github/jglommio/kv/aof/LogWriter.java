package io.github.jglommio.kv.aof;

import io.github.jglommio.LocalExecutor;
import io.github.jglommio.Task;
import io.github.jglommio.io.BufferedFile;
import io.github.jglommio.io.Directory;
import io.github.jglommio.io.DmaStreamWriter;
import io.github.jglommio.io.OpenOptions;
import io.github.jglommio.sync.Semaphore;
import io.github.jglommio.timer.TimerActionOnce;
import io.github.jglommio.timer.TimerActionRepeat;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The writing side of an {@link AppendOnlyLog}: the in-memory batch, the writer task that writes it
 * (group commit), the waiters of {@link AppendOnlyLog#awaitDurable}, the everysec sync timer, the
 * installation of a finished rewrite, the failure state with its retries and the write counters. See
 * the class comment of {@link AppendOnlyLog} for the algorithm. Owner executor only (plain fields);
 * the log checks the calling thread before it delegates here.
 */
final class LogWriter {

    /*
     * Positions ("seq") are logical: bytes appended since open, across rewrites; a token is the seq
     * just after its record. appendedSeq >= writtenSeq >= syncedSeq; ackedSeq is the one waiters wait
     * for (syncedSeq under ALWAYS, writtenSeq otherwise), moved only when a whole batch succeeded.
     *
     * The log file is a BufferedFile written with writeAtInline (pwrite on this thread): a batch is in
     * the page cache when the call returns, without parking, so no append can slip in between taking
     * the batch and writing it, and one buffer (`pending`) suffices. Only ALWAYS parks, in the
     * fdatasync after the write; appends meanwhile form the next batch. The everysec timer calls
     * fdatasync under `fileMutex`, which the writer takes before it closes a file.
     *
     * Waiters park on Completions: `inFlight` covers the batch being synced (up to inFlightEnd),
     * `next` the records appended since; when the writer takes a batch, `next` becomes `inFlight`.
     *
     * A failed write keeps in `pending` what did not reach the file (a short write got a prefix in:
     * that prefix counts as written), fails the waiters and sets `failure`; appends go on into
     * `pending` (the server refuses writes meanwhile, but expirations are still logged). A timer
     * makes the writer retry every RETRY seconds; the first retry that writes (and, but under NO,
     * syncs) everything clears the failure.
     */

    // The log's logger: these messages are the log's, whichever class holds the code.
    private static final System.Logger LOG = System.getLogger(AppendOnlyLog.class.getName());
    private static final Duration EVERYSEC = Duration.ofSeconds(1);
    private static final Duration RETRY = Duration.ofSeconds(AppendOnlyLog.RETRY_DELAY_SECONDS);

    private final AppendOnlyLogBuilder config;
    /** Changed only by {@link #setPolicy}, on the owner executor, like every read of it. */
    private FsyncPolicy policy;
    private final Path path;
    private final Directory directory;
    private final Compaction compaction;
    private final LogHealthListener health;
    private final Semaphore wake;
    private final Semaphore fileMutex;

    private BufferedFile file;
    /** Bytes in the current file: where the next write goes. */
    private long filePosition;
    private final RecordBuffer pending = new RecordBuffer();
    private long appendedSeq;
    private long writtenSeq;
    private long syncedSeq;
    private long ackedSeq;
    private long inFlightEnd;
    private Completion inFlight;
    private Completion next;
    private boolean writerParked;
    /** Signalled by wakeWriter but not yet running: idle, like writerParked. */
    private boolean writerWoken;
    private long inlineWrites;
    /** Callbacks of whenDurable, in registration order, with their tokens. */
    private final ArrayDeque<Pending> callbacks = new ArrayDeque<>();
    private boolean firing;
    private boolean stopWriter;
    private boolean closing;
    private IOException failure;
    private boolean retryDue;
    private TimerActionOnce<Void> retryTimer;
    private Task<Void> writerTask;
    private TimerActionRepeat syncTimer;

    /** The file's length after the last rewrite (or open). */
    private long baseSize;

    // Counters.
    private long records;
    private long writes;
    private long syncs;
    private long writeFailures;

    /** Takes over {@code file}, a fresh log of {@code size} bytes that open has written and synced. */
    LogWriter(AppendOnlyLogBuilder config, Path path, Directory directory, Compaction compaction, BufferedFile file,
              long size) {
        this.config = config;
        this.policy = config.fsyncPolicy;
        this.path = path;
        this.directory = directory;
        this.compaction = compaction;
        this.health = config.healthListener;
        this.file = file;
        this.filePosition = size;
        this.baseSize = size;
        this.syncs = 1; // open synced the fresh log
        this.wake = new Semaphore(0);
        this.fileMutex = new Semaphore(1);
    }

    /** Opens the log file {@code path} (complete and synced) for appending through the page cache. */
    static BufferedFile openForAppend(Path path) throws IOException {
        return BufferedFile.open(path, new OpenOptions().write(true));
    }

    /** Starts the writer task and, under {@link FsyncPolicy#EVERYSEC}, the sync timer. */
    void start() {
        Callable<Void> loop = () -> {
            runWriter();
            return null;
        };
        writerTask = config.writerQueue == null ? Task.local(loop) : Task.localInto(loop, config.writerQueue);
        if (policy == FsyncPolicy.EVERYSEC) {
            startSyncTimer();
        }
    }

    private void startSyncTimer() {
        Callable<Void> timer = () -> {
            syncTimer = TimerActionRepeat.repeat(this::syncTick);
            return null;
        };
        // The timer's task goes to the queue of the task that creates it.
        (config.writerQueue == null ? Task.local(timer) : Task.localInto(timer, config.writerQueue)).join();
    }

    /**
     * See {@link AppendOnlyLog#setFsyncPolicy}: the next batch follows {@code p}; the everysec timer
     * starts the first time it is needed and, once started, syncs only while the policy is everysec.
     */
    void setPolicy(FsyncPolicy p) {
        policy = p;
        if (p == FsyncPolicy.EVERYSEC && syncTimer == null && !stopWriter) {
            startSyncTimer();
        }
    }

    // ---------------------------------------------------------------- appending and waiting

    /** See {@link AppendOnlyLog#append(byte[])}. */
    long append(byte[] encodedRecord) throws IOException {
        if (closing) {
            throw new IOException("append-only log " + path + " is closed");
        }
        pending.append(encodedRecord, 0, encodedRecord.length);
        appendedSeq += encodedRecord.length;
        records++;
        wakeWriter();
        return appendedSeq;
    }

    /** See {@link AppendOnlyLog#awaitDurable}. */
    void awaitDurable(long token) throws IOException {
        writeInlineIfAlone(token);
        while (token > ackedSeq) {
            if (failure != null) {
                throw failedException();
            }
            Completion c;
            if (token <= inFlightEnd) {
                // Its batch is being synced (ackedSeq would have passed inFlightEnd otherwise). The waiter
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

    /**
     * Checks {@code token}; then, if its record is not acknowledged yet and nothing else can run
     * before the caller parks (no other record could join the batch), writes the batch here, as the
     * writer would, without two task switches.
     */
    private void writeInlineIfAlone(long token) {
        if (token < 0 || token > appendedSeq) {
            throw new IllegalArgumentException("token " + token + " was not returned by append (appended so far: "
                    + appendedSeq + ")");
        }
        if (token > ackedSeq && canWriteInline()) {
            inlineWrites++;
            writeBatch();
        }
    }

    /** A callback of {@link #whenDurable} and the token it waits for. */
    private record Pending(long token, DurabilityCallback callback) {
    }

    /** See {@link AppendOnlyLog#whenDurable}. */
    boolean whenDurable(long token, DurabilityCallback callback) {
        writeInlineIfAlone(token);
        if (token <= ackedSeq || failure != null || stopWriter) {
            return false; // the caller answers now: acknowledged, or refused by awaitDurable
        }
        callbacks.addLast(new Pending(token, callback));
        return true;
    }

    /**
     * Calls the callbacks whose records are durable (with {@code true}), or with {@code false} every
     * callback when {@code failed}. Callbacks registered while they run wait for a later batch.
     */
    private void fireCallbacks(boolean failed) {
        if (firing) {
            return; // a callback's own write made a batch durable: the loop below sees it
        }
        firing = true;
        try {
            int n = callbacks.size();
            for (int i = 0; i < n; i++) {
                Pending p = callbacks.pollFirst();
                boolean durable = p.token() <= ackedSeq;
                if (!durable && !failed) {
                    callbacks.addLast(p); // a later batch's
                    continue;
                }
                try {
                    p.callback().done(durable);
                } catch (RuntimeException e) {
                    LOG.log(Level.ERROR, "a durability callback of append-only log " + path + " failed: " + e, e);
                }
            }
        } finally {
            firing = false;
        }
    }

    /**
     * Whether a waiter may write the batch itself: a policy whose write does not park (not ALWAYS, whose
     * sync must be shared), a working log, an idle writer (parked, or woken but not yet running: not in
     * the middle of a rewrite's installation), and no other task ready to run but that writer.
     */
    private boolean canWriteInline() {
        return policy != FsyncPolicy.ALWAYS && failure == null && !stopWriter && (writerParked || writerWoken)
                && compaction.installation() == null && compaction.cutRequest() == null
                && LocalExecutor.runnableTasks() <= (writerWoken ? 1 : 0);
    }

    /** Batches written by a waiter itself (see {@link #canWriteInline}), for tests. */
    long inlineWrites() {
        return inlineWrites;
    }

    AofStats stats() {
        return new AofStats(policy, records, appendedSeq, writtenSeq, appendedSeq - writtenSeq, writes, syncs,
                filePosition, baseSize, compaction.rewrites, compaction.failures, compaction.isRunning(),
                compaction.lastDuration, compaction.lastOk, failure == null ? "" : String.valueOf(failure.getMessage()),
                writeFailures);
    }

    /** The failure that makes the log refuse to acknowledge writes, or null while it works. */
    IOException failure() {
        return failure;
    }

    // ---------------------------------------------------------------- the writer task

    private void runWriter() {
        try {
            while (true) {
                if (compaction.installation() != null) {
                    install();
                } else if (compaction.cutRequest() != null) {
                    // Every batch so far is written whole, so the file ends at a record boundary.
                    compaction.cut(filePosition, failure == null ? null : failedException());
                } else if (failure != null && !retryDue && !stopWriter) {
                    park(); // until the retry timer or close
                } else if (pending.size() > 0 || failure != null) {
                    retryDue = false;
                    writeBatch();
                    if (failure != null && stopWriter) {
                        break; // close made its one last attempt
                    }
                } else if (stopWriter) {
                    break;
                } else {
                    park();
                }
            }
            if (failure == null && syncedSeq < writtenSeq) {
                try {
                    file.fdatasync();
                    syncs++;
                    syncedSeq = writtenSeq;
                } catch (IOException e) {
                    fail(e);
                }
            }
        } finally {
            fileMutex.acquire(1);
            try {
                file.close();
            } catch (IOException e) {
                fail(e);
            } finally {
                fileMutex.signal(1);
            }
        }
    }

    private void park() {
        writerParked = true;
        wake.acquire(1);
        writerWoken = false;
    }

    /** Makes the writer task run its loop again if it is parked. */
    void wakeWriter() {
        if (writerParked) {
            writerParked = false;
            writerWoken = true;
            wake.signal(1);
        }
    }

    /**
     * Writes everything appended so far as one batch (under {@link FsyncPolicy#ALWAYS}, and when retrying
     * after a failure but under {@link FsyncPolicy#NO}, syncs it too) and wakes its waiters; clears the
     * failure when this was a successful retry; then starts an automatic rewrite if the file has grown
     * enough (not while closing). Called by the writer task, or by a lone waiter (see canWriteInline).
     */
    private void writeBatch() {
        long end = appendedSeq;
        inFlight = next;
        next = null;
        inFlightEnd = end;
        boolean retrying = failure != null;
        try {
            while (pending.size() > 0) {
                int n;
                try {
                    n = file.writeAtInline(pending.array(), 0, pending.size(), filePosition);
                } finally {
                    writes++;
                }
                filePosition += n;
                writtenSeq += n;
                compaction.written(pending.array(), 0, n);
                if (n == pending.size()) {
                    pending.clear();
                } else {
                    pending.discardFront(n); // the next call reports the error, or writes the rest
                }
            }
            if (policy == FsyncPolicy.ALWAYS || (retrying && policy == FsyncPolicy.EVERYSEC)) {
                file.fdatasync(); // parks this task only: appends meanwhile form the next batch
                syncs++;
                syncedSeq = end;
            }
            ackedSeq = end;
            if (retrying) {
                failure = null;
                LOG.log(Level.WARNING, "append-only log " + path + " can be written again: writes are accepted");
                health.recovered();
            }
            if (inFlight != null) {
                inFlight.complete(null);
            }
            fireCallbacks(false);
            if (!closing) {
                compaction.maybeStartAuto(filePosition, baseSize);
            }
        } catch (IOException e) {
            fail(e);
        } finally {
            inFlight = null;
        }
    }

    /** Everysec: syncs what has been written, outside the writer task so that batches go on meanwhile. */
    private Optional<Duration> syncTick() {
        if (stopWriter) {
            return Optional.empty();
        }
        long target = writtenSeq;
        if (policy == FsyncPolicy.EVERYSEC && failure == null && target > syncedSeq) {
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

    /** Writer task: appends the rest of the rewrite buffer to the new file and puts it in place of the log. */
    private void install() {
        Compaction.Installation inst = compaction.installation();
        RecordBuffer rest = compaction.takeInstallation();
        DmaStreamWriter newWriter = inst.writer();
        BufferedFile newFile = null;
        boolean renamed = false;
        long size;
        try {
            if (failure != null) {
                throw failedException();
            }
            newWriter.write(rest.array(), 0, rest.size());
            newWriter.sync();
            syncs++;
            size = newWriter.currentPosition();
            newFile = openForAppend(inst.file().path());
            newFile.rename(path);
            renamed = true;
            directory.sync();
        } catch (IOException e) {
            if (!renamed) {
                Cleanup.close(newWriter, e);
                Cleanup.close(newFile, e);
                Cleanup.removeIfPresent(inst.file().path(), e);
                inst.done().complete(e);
                return;
            }
            // The new file is in place but its name may not survive a crash, while the old file's data
            // would: records written to the new one could be lost. Fail until a retry syncs it.
            size = newWriter.currentPosition();
            fail(e);
        }
        try {
            newWriter.close(); // its data is synced; the log goes on through newFile
        } catch (IOException e) {
            LOG.log(Level.WARNING, "closing the rewrite's direct writer of " + path + " failed: " + e.getMessage(), e);
        }
        BufferedFile old = file;
        file = newFile;
        filePosition = size;
        baseSize = size;
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

    // ---------------------------------------------------------------- failure and closing

    private void fail(IOException e) {
        writeFailures++;
        if (failure == null) {
            failure = e;
            LOG.log(Level.ERROR, "append-only log " + path + " failed; writes are refused until a retry succeeds (every "
                    + RETRY.toSeconds() + " s): " + e.getMessage(), e);
            health.failed(e);
        } else {
            failure = e; // the latest reason, for INFO and the refusals
        }
        if (inFlight != null) {
            inFlight.complete(failure);
        }
        if (next != null) {
            next.complete(failure);
            next = null;
        }
        fireCallbacks(true);
        if (!stopWriter && (retryTimer == null || retryTimer.isDone())) {
            retryTimer = TimerActionOnce.doIn(RETRY, () -> {
                retryDue = true;
                wakeWriter();
            });
        }
    }

    private IOException failedException() {
        return new IOException("append-only log " + path + " cannot be written: " + failure.getMessage(), failure);
    }

    boolean isClosing() {
        return closing;
    }

    /**
     * Refuses further appends, stops a running rewrite, makes the writer task write and sync the rest
     * (one attempt, at once, when the log has failed) and close the file, and waits for it. Returns the
     * log's failure, if any, for {@link AppendOnlyLog#close} to throw. Call once.
     */
    IOException close() {
        closing = true;
        compaction.abortAndJoin();
        stopWriter = true;
        if (retryTimer != null) {
            retryTimer.cancel();
        }
        if (syncTimer != null) {
            syncTimer.cancel();
            syncTimer.join(); // no tick may touch the file after the writer closes it
        }
        wakeWriter();
        writerTask.join();
        fireCallbacks(true); // nothing is written any more: what is left is not durable
        return failure == null ? null : failedException();
    }

    @Override
    public String toString() {
        return "appended=" + appendedSeq + ", written=" + writtenSeq + ", synced=" + syncedSeq
                + (failure == null ? "" : ", FAILED");
    }
}
