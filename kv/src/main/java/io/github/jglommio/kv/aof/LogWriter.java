package io.github.jglommio.kv.aof;

import io.github.jglommio.Task;
import io.github.jglommio.io.Directory;
import io.github.jglommio.io.DmaFile;
import io.github.jglommio.io.DmaStreamWriter;
import io.github.jglommio.sync.Semaphore;
import io.github.jglommio.timer.TimerActionRepeat;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The writing side of an {@link AppendOnlyLog}: the in-memory batch, the writer task that writes it
 * (group commit), the waiters of {@link AppendOnlyLog#awaitDurable}, the everysec sync timer, the
 * installation of a finished rewrite, the failure state and the write counters. See the class comment
 * of {@link AppendOnlyLog} for the algorithm. Owner executor only (plain fields); the log checks the
 * calling thread before it delegates here.
 */
final class LogWriter {

    /*
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
     */

    // The log's logger: these messages are the log's, whichever class holds the code.
    private static final System.Logger LOG = System.getLogger(AppendOnlyLog.class.getName());
    private static final Duration EVERYSEC = Duration.ofSeconds(1);

    private final AppendOnlyLogBuilder config;
    private final FsyncPolicy policy;
    private final Path path;
    private final Directory directory;
    private final Compaction compaction;
    private final Semaphore wake;
    private final Semaphore fileMutex;

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

    /** Takes over {@code writer} on {@code file}, a fresh log that open has written and synced. */
    LogWriter(AppendOnlyLogBuilder config, Path path, Directory directory, Compaction compaction,
              DmaStreamWriter writer, DmaFile file) {
        this.config = config;
        this.policy = config.fsyncPolicy;
        this.path = path;
        this.directory = directory;
        this.compaction = compaction;
        this.writer = writer;
        this.file = file;
        this.baseSize = writer.currentPosition();
        this.syncs = 1; // open synced the fresh log
        this.wake = new Semaphore(0);
        this.fileMutex = new Semaphore(1);
    }

    /** Starts the writer task and, under {@link FsyncPolicy#EVERYSEC}, the sync timer. */
    void start() {
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

    /** See {@link AppendOnlyLog#append(byte[])}. */
    long append(byte[] encodedRecord) throws IOException {
        checkWritable();
        pending.append(encodedRecord, 0, encodedRecord.length);
        appendedSeq += encodedRecord.length;
        records++;
        wakeWriter();
        return appendedSeq;
    }

    /** See {@link AppendOnlyLog#awaitDurable}. */
    void awaitDurable(long token) throws IOException {
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

    AofStats stats() {
        return new AofStats(policy, records, appendedSeq, writtenSeq, appendedSeq - writtenSeq, writes, syncs,
                writer.currentPosition(), baseSize, compaction.rewrites, compaction.failures, compaction.isRunning(),
                compaction.lastDuration, compaction.lastOk, failure == null ? "" : String.valueOf(failure.getMessage()));
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

    // ---------------------------------------------------------------- failure and closing

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

    /** Throws when the log has failed (the cause is the failure) or is closing. */
    void checkWritable() throws IOException {
        if (failure != null) {
            throw failedException();
        }
        if (closing) {
            throw new IOException("append-only log " + path + " is closed");
        }
    }

    boolean isClosing() {
        return closing;
    }

    /**
     * Refuses further appends, stops a running rewrite, makes the writer task write and sync the rest and
     * close the file, and waits for it. Returns the log's failure, if any, for {@link AppendOnlyLog#close}
     * to throw. Call once.
     */
    IOException close() {
        closing = true;
        compaction.abortAndJoin();
        stopWriter = true;
        if (syncTimer != null) {
            syncTimer.cancel();
            syncTimer.join(); // no tick may touch the file after the writer closes it
        }
        wakeWriter();
        writerTask.join();
        return failure == null ? null : failedException();
    }

    @Override
    public String toString() {
        return "appended=" + appendedSeq + ", written=" + writtenSeq + ", synced=" + syncedSeq
                + (failure == null ? "" : ", FAILED");
    }
}
