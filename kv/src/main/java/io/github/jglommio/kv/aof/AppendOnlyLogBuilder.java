package io.github.jglommio.kv.aof;

import io.github.jglommio.TaskQueueHandle;
import io.github.jglommio.io.DmaStreamWriterBuilder;
import io.github.jglommio.kv.resp.RespParser;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Configures and opens one shard's {@link AppendOnlyLog}. The defaults are Redis's:
 * {@code appendfsync everysec}, {@code auto-aof-rewrite-percentage 100},
 * {@code auto-aof-rewrite-min-size 64mb}.
 *
 * {@snippet :
 * AppendOnlyLog log = new AppendOnlyLogBuilder(Path.of("/data/kv"), shard, keyspaceStateMachine)
 *         .withFsyncPolicy(FsyncPolicy.ALWAYS)
 *         .withRewriteQueue(lowPriorityQueue)
 *         .open();                       // replays shard-<n>.aof into the state machine
 * }
 *
 * <p>A builder is a plain value holder: any thread may configure it; {@link #open()} must run in a task
 * of the shard's executor.
 */
public final class AppendOnlyLogBuilder {

    /** Default fsync policy: {@link FsyncPolicy#EVERYSEC}, as Redis. */
    public static final FsyncPolicy FSYNC_POLICY_DEFAULT = FsyncPolicy.EVERYSEC;
    /** Default growth, in percent of the size after the last rewrite, that triggers a rewrite: 100. */
    public static final int REWRITE_PERCENTAGE_DEFAULT = 100;
    /** Default size below which no automatic rewrite happens: 64 MiB. */
    public static final long REWRITE_MIN_SIZE_DEFAULT = 64L << 20;
    /** Default CPU shares of the rewrite's task queue when the log creates it: 100 (of 1..1000). */
    public static final int REWRITE_SHARES_DEFAULT = 100;

    final Path directory;
    final int shard;
    final LogStateMachine state;
    FsyncPolicy fsyncPolicy = FSYNC_POLICY_DEFAULT;
    int rewritePercentage = REWRITE_PERCENTAGE_DEFAULT;
    long rewriteMinSize = REWRITE_MIN_SIZE_DEFAULT;
    int rewriteShares = REWRITE_SHARES_DEFAULT;
    TaskQueueHandle rewriteQueue;
    TaskQueueHandle writerQueue;
    int bufferSize = DmaStreamWriterBuilder.BUFFER_SIZE_DEFAULT;
    LogHealthListener healthListener = LogHealthListener.NONE;
    int maxBulkLength = RespParser.DEFAULT_MAX_BULK_LENGTH;
    int maxMultibulkLength = RespParser.DEFAULT_MAX_MULTIBULK_LENGTH;
    TxDecisions txDecisions = TxDecisions.NONE;
    /** Null: the log keeps no cross-shard transactions' record (no TXHORIZON; rewrites compact every TXPART). */
    LongSupplier txHorizon;

    /**
     * A builder for shard {@code shard}'s log in {@code directory} (file {@code shard-<shard>.aof}),
     * protecting {@code state}.
     *
     * @throws IllegalArgumentException when {@code shard} is negative
     */
    public AppendOnlyLogBuilder(Path directory, int shard, LogStateMachine state) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.state = Objects.requireNonNull(state, "state");
        if (shard < 0) {
            throw new IllegalArgumentException("shard must not be negative, got " + shard);
        }
        this.shard = shard;
    }

    /** Sets the fsync policy (default {@link #FSYNC_POLICY_DEFAULT}). */
    public AppendOnlyLogBuilder withFsyncPolicy(FsyncPolicy policy) {
        this.fsyncPolicy = Objects.requireNonNull(policy, "policy");
        return this;
    }

    /**
     * Sets the automatic rewrite trigger: a rewrite starts when the log file is at least
     * {@code minSize} bytes and has grown by {@code percentage} percent since it was last rewritten or
     * opened. A percentage of 0 disables automatic rewrites ({@link AppendOnlyLog#startRewrite()} still
     * works), as in Redis.
     *
     * @throws IllegalArgumentException when either is negative
     */
    public AppendOnlyLogBuilder withAutoRewrite(int percentage, long minSize) {
        if (percentage < 0 || minSize < 0) {
            throw new IllegalArgumentException("auto-rewrite percentage and minimum size must not be negative, got "
                    + percentage + "% and " + minSize + " bytes");
        }
        this.rewritePercentage = percentage;
        this.rewriteMinSize = minSize;
        return this;
    }

    /**
     * Runs rewrites in {@code queue}, a low-shares queue of the shard's executor, instead of one the log
     * creates with {@link #withRewriteShares shares} and {@link io.github.jglommio.Latency#notImportant()}.
     */
    public AppendOnlyLogBuilder withRewriteQueue(TaskQueueHandle queue) {
        this.rewriteQueue = Objects.requireNonNull(queue, "queue");
        return this;
    }

    /**
     * Sets the shares of the rewrite queue the log creates (default {@value #REWRITE_SHARES_DEFAULT}).
     *
     * @throws IllegalArgumentException when not within 1..1000
     */
    public AppendOnlyLogBuilder withRewriteShares(int shares) {
        if (shares < 1 || shares > 1000) {
            throw new IllegalArgumentException("rewrite shares must be within 1..1000, got " + shares);
        }
        this.rewriteShares = shares;
        return this;
    }

    /**
     * Runs the log's writer task (and the everysec sync timer) in {@code queue}, normally the shard's
     * {@code Latency.matters} request queue. Default: the queue of the task that calls {@link #open()}.
     */
    public AppendOnlyLogBuilder withWriterQueue(TaskQueueHandle queue) {
        this.writerQueue = Objects.requireNonNull(queue, "queue");
        return this;
    }

    /**
     * Sets the buffer size of the direct-I/O writer that writes snapshots, on open and in rewrites
     * (default {@link DmaStreamWriterBuilder#BUFFER_SIZE_DEFAULT}, rounded up to the file's alignment).
     * Batches of records do not use it: they go through the page cache.
     *
     * @throws IllegalArgumentException when not positive
     */
    public AppendOnlyLogBuilder withBufferSize(int bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("buffer size must be positive, got " + bytes);
        }
        this.bufferSize = bytes;
        return this;
    }

    /**
     * Tells {@code listener} when the log's writes start failing and when a retry makes them work
     * again (default: nobody); a server refuses writes in between, as Redis's {@code -MISCONF}.
     */
    public AppendOnlyLogBuilder withHealthListener(LogHealthListener listener) {
        this.healthListener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /**
     * Sets the largest argument and argument count accepted on replay (defaults: RESP's 512 MiB and
     * 1 Mi). Must be at least the server's request limits, or a log of accepted requests cannot be read.
     *
     * @throws IllegalArgumentException when not positive
     */
    public AppendOnlyLogBuilder withReplayLimits(int maxBulkLength, int maxMultibulkLength) {
        if (maxBulkLength <= 0 || maxMultibulkLength <= 0) {
            throw new IllegalArgumentException("replay limits must be positive, got " + maxBulkLength + " and "
                    + maxMultibulkLength);
        }
        this.maxBulkLength = maxBulkLength;
        this.maxMultibulkLength = maxMultibulkLength;
        return this;
    }

    /**
     * Makes the log one of several whose cross-shard transactions must replay all-or-nothing (see
     * the package comment): replay applies a {@code TXPART}'s block only when {@code decisions}
     * (read from every shard's log before any replays) say so, every snapshot starts with a
     * {@code TXHORIZON} record, and a rewrite compacts only the transactions at or below
     * {@code horizon}'s answer at its cut: the highest id below which every transaction that
     * logged a part here is known complete on every shard. {@code horizon} is called on the
     * log's executor, by its writer task. Without this, every {@code TXPART} block applies.
     */
    public AppendOnlyLogBuilder withTransactions(TxDecisions decisions, LongSupplier horizon) {
        this.txDecisions = Objects.requireNonNull(decisions, "decisions");
        this.txHorizon = Objects.requireNonNull(horizon, "horizon");
        return this;
    }

    /**
     * Opens the log: creates the directory if it is missing (its parent must exist), replays
     * {@code shard-<n>.aof} into the state machine, writes the replayed state as a new compacted log,
     * installs it atomically and starts the writer. See {@link AppendOnlyLog#open}.
     *
     * @throws CorruptLogException when a record in the middle of the log is bad
     * @throws IOException         when the directory or the files cannot be read or written
     * @throws IllegalStateException outside a jglommio task
     */
    public AppendOnlyLog open() throws IOException {
        return AppendOnlyLog.open(this);
    }
}
