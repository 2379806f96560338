package io.github.jglommio.kv.aof;

import io.github.jglommio.LocalExecutor;
import io.github.jglommio.Task;
import io.github.jglommio.TaskQueueHandle;
import io.github.jglommio.io.DmaFile;
import io.github.jglommio.io.DmaStreamReader;
import io.github.jglommio.io.DmaStreamReaderBuilder;
import io.github.jglommio.io.DmaStreamWriter;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The rewrite side of an {@link AppendOnlyLog}: the rewrite task's body, the state it shares with the
 * log's writer task (the cut request, the buffer of records written after the cut, the finished file to
 * install) and the rewrite counters. See the class comment of {@link AppendOnlyLog} for the algorithm.
 * Owner executor only (plain fields).
 */
final class Compaction {

    /** A finished rewrite handed to the writer task to install. */
    record Installation(DmaStreamWriter writer, DmaFile file, Completion done) {
    }

    private static final System.Logger LOG = System.getLogger(Compaction.class.getName());
    /** The rewrite copies its buffer in rounds until less than this is left for the writer's final step. */
    private static final int CATCH_UP_THRESHOLD = 256 << 10;

    private final AppendOnlyLog log;
    private final AppendOnlyLogBuilder config;
    private final LogReader reader;
    private final Path path;
    private final Path rewritePath;
    private final TaskQueueHandle queue;

    private Task<RewriteResult> task;
    private boolean abort;
    private Completion cutRequest;
    private long cutPosition;
    /** The transaction horizon at the cut: see {@link AppendOnlyLogBuilder#withTransactions}. */
    private long cutHorizon = Long.MAX_VALUE;
    /** Records written after the running rewrite's cut; null when no rewrite collects them. */
    private RecordBuffer buffer;
    private Installation installation;
    private long nextAutoNs;

    long rewrites;
    long failures;
    Duration lastDuration = Duration.ZERO;
    boolean lastOk = true;

    Compaction(AppendOnlyLog log, AppendOnlyLogBuilder config, LogReader reader, Path path, Path rewritePath,
               TaskQueueHandle queue) {
        this.log = log;
        this.config = config;
        this.reader = reader;
        this.path = path;
        this.rewritePath = rewritePath;
        this.queue = queue;
    }

    boolean isRunning() {
        return task != null && !task.isDone();
    }

    /** Starts a rewrite in the rewrite queue unless one runs; returns the running one. */
    Task<RewriteResult> start() {
        if (!isRunning()) {
            abort = false;
            task = Task.localInto(this::run, queue);
        }
        return task;
    }

    /** Writer task, after a batch: starts a rewrite when the file has grown enough since {@code baseSize}. */
    void maybeStartAuto(long size, long baseSize) {
        if (config.rewritePercentage == 0 || isRunning() || System.nanoTime() - nextAutoNs < 0) {
            return;
        }
        long base = Math.max(baseSize, 1);
        if (size >= config.rewriteMinSize && (size - base) * 100 / base >= config.rewritePercentage) {
            LOG.log(Level.INFO, "append-only log " + path + " grew from " + baseSize + " to " + size
                    + " bytes: starting a rewrite");
            start();
        }
    }

    /** Close: makes a running rewrite stop at its next checkpoint and waits for it. */
    void abortAndJoin() {
        if (!isRunning()) {
            return;
        }
        abort = true;
        try {
            task.join();
        } catch (RewriteAbortedException e) {
            LOG.log(Level.DEBUG, "rewrite of " + path + " stopped by close");
        } catch (RuntimeException e) {
            // A rewrite that failed on its own (CompletionException wrapping its IOException): run() logged
            // it, and the old log it left in place is the one being closed.
            LOG.log(Level.DEBUG, "rewrite of " + path + " had failed: " + e);
        }
    }

    // ---------------------------------------------------------------- the writer task's side

    /** The cut a rewrite waits for, or null. */
    Completion cutRequest() {
        return cutRequest;
    }

    /** Writer task, between batches: the file ends at {@code position}, a record boundary; collect from here. */
    void cut(long position, IOException failure) {
        Completion c = cutRequest;
        cutRequest = null;
        if (failure != null) {
            c.complete(failure);
            return;
        }
        cutPosition = position;
        // Read with the cut, on the writer task: every transaction at or below it already has its part in the file.
        cutHorizon = config.txHorizon == null ? Long.MAX_VALUE : config.txHorizon.getAsLong();
        buffer = new RecordBuffer();
        c.complete(null);
    }

    /** Writer task: these bytes were written to the log (after the cut, when a rewrite collects them). */
    void written(byte[] src, int offset, int length) {
        if (buffer != null) {
            buffer.append(src, offset, length);
        }
    }

    Installation installation() {
        return installation;
    }

    /** Writer task: takes the finished rewrite and the records it still lacks. */
    RecordBuffer takeInstallation() {
        installation = null;
        RecordBuffer rest = buffer;
        buffer = null;
        return rest;
    }

    // ---------------------------------------------------------------- the rewrite task

    /** Throws when the log is closing, so the rewrite stops; yields the CPU when another queue waits. */
    private void checkpoint() {
        if (abort) {
            throw new RewriteAbortedException(path);
        }
        LocalExecutor.yieldIfNeeded();
    }

    /** Copies the old log's bytes {@code from} to {@code to} (records the snapshot does not hold) to {@code out}. */
    private void copyRange(long from, long to, DmaStreamWriter out) throws IOException {
        if (from >= to) {
            return;
        }
        try (DmaFile old = DmaFile.openReadOnly(path);
             DmaStreamReader in = new DmaStreamReaderBuilder(old).withStartPosition(from).withEndPosition(to)
                     .withCloseFile(false).build()) {
            byte[] buf = new byte[64 << 10];
            long copied = 0;
            int n;
            while ((n = in.read(buf, 0, buf.length)) > 0) {
                out.write(buf, 0, n);
                copied += n;
                checkpoint();
            }
            if (copied != to - from) {
                throw new IOException("append-only log " + path + " ended before its cut at " + to);
            }
        }
    }

    private RewriteResult run() throws IOException {
        long started = System.nanoTime();
        DmaStreamWriter newWriter = null;
        boolean handedOver = false;
        try {
            Completion cut = new Completion();
            cutRequest = cut;
            log.wakeWriter();
            cut.await();
            long oldSize = cutPosition;
            long horizon = cutHorizon;
            LogStateMachine copy = config.state.newEmpty();
            // Stops at the first part of a transaction not known complete: from there on the old records are copied as they are.
            long compacted = reader.replayPrefix(path, oldSize, horizon, copy, this::checkpoint).bytes();
            DmaFile newFile = DmaFile.create(rewritePath);
            newWriter = AppendOnlyLog.newWriter(newFile, config);
            AppendOnlyLog.writeHorizon(newWriter, config, horizon);
            long snapshotBytes = SnapshotWriter.write(copy, newWriter, this::checkpoint);
            copy = null; // the copy can go before the slow sync
            copyRange(compacted, oldSize, newWriter);
            newWriter.sync();
            long buffered = 0;
            // Copy what arrived meanwhile in rounds, so that the writer's final step, which delays batches, is short.
            while (buffer.size() > CATCH_UP_THRESHOLD) {
                RecordBuffer chunk = buffer;
                buffer = new RecordBuffer();
                newWriter.write(chunk.array(), 0, chunk.size());
                buffered += chunk.size();
                checkpoint();
            }
            checkpoint();
            buffered += buffer.size();
            Completion installed = new Completion();
            installation = new Installation(newWriter, newFile, installed);
            handedOver = true; // from here on the writer task owns newWriter and the file
            log.wakeWriter();
            installed.await();
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            rewrites++;
            lastOk = true;
            lastDuration = took;
            long newSize = log.stats().baseSize();
            LOG.log(Level.INFO, "rewrote append-only log " + path + ": " + oldSize + " -> " + newSize + " bytes in "
                    + took.toMillis() + " ms");
            return new RewriteResult(oldSize, snapshotBytes, buffered, newSize, took);
        } catch (IOException | RuntimeException e) {
            failures++;
            lastOk = false;
            nextAutoNs = System.nanoTime() + Duration.ofSeconds(AppendOnlyLog.REWRITE_RETRY_DELAY_SECONDS).toNanos();
            if (!(e instanceof RewriteAbortedException)) {
                LOG.log(Level.WARNING, "rewrite of append-only log " + path + " failed; the old log stays in use: " + e, e);
            }
            if (!handedOver) {
                cutRequest = null;
                buffer = null;
                Cleanup.close(newWriter, e);
                Cleanup.removeIfPresent(rewritePath, e);
            }
            throw e;
        }
    }
}
