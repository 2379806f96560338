package io.github.jglommio.kv.server;

import io.github.jglommio.TaskQueueHandle;
import io.github.jglommio.io.ErrnoException;
import io.github.jglommio.kv.aof.AofStats;
import io.github.jglommio.kv.aof.AppendOnlyLog;
import io.github.jglommio.kv.aof.AppendOnlyLogBuilder;
import io.github.jglommio.kv.aof.DurabilityCallback;
import io.github.jglommio.kv.aof.FsyncPolicy;
import io.github.jglommio.kv.aof.KeyspaceStateMachine;
import io.github.jglommio.kv.aof.LogHealthListener;
import io.github.jglommio.kv.aof.TxDecisions;
import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.util.function.LongSupplier;

/** Opens a shard's log as the configuration asks, replaying it into the shard's keyspace. */
final class ShardLogs {

    private static final System.Logger LOG = System.getLogger(ShardLogs.class.getName());

    private ShardLogs() {
    }

    /**
     * The shard's log: none with {@code appendonly no}, else its append-only file
     * ({@code <dir>/shard-<n>.aof}), replayed into {@code state} before this returns, applying the
     * cross-shard transactions {@code decisions} find complete; {@code txHorizon} is the shard's
     * {@link TxManager#horizon}. The log's
     * writer runs in the request queue (every reply to a write waits for it), its rewrite in
     * {@code background}; its failures and recoveries go to {@code health}. Shard's executor.
     */
    static ShardLog open(KvConfig config, int shard, KeyspaceStateMachine state, TxDecisions decisions,
                         LongSupplier txHorizon, TaskQueueHandle requestQueue, TaskQueueHandle background,
                         LogHealthListener health) throws IOException {
        if (!config.appendOnly()) {
            return ShardLog.none();
        }
        Files.createDirectories(config.dir());
        AppendOnlyLog log = new AppendOnlyLogBuilder(config.dir(), shard, state)
                .withFsyncPolicy(FsyncPolicy.parse(config.appendFsync()))
                .withWriterQueue(requestQueue)
                .withRewriteQueue(background)
                .withHealthListener(health)
                .withReplayLimits(maxBulkLength(config), RespParser.DEFAULT_MAX_MULTIBULK_LENGTH)
                .withTransactions(decisions, txHorizon)
                .open();
        // Every key the keyspace expires from now on is logged as a DEL, so a replay is exact.
        state.logExpirations(log);
        return new Aof(log);
    }

    /** The longest bulk string a replay accepts: proto-max-bulk-len. */
    static int maxBulkLength(KvConfig config) {
        return (int) Math.min(Integer.MAX_VALUE, config.protoMaxBulkLen());
    }

    /**
     * Redis's words for a failed AOF write: {@code MISCONF Errors writing to the AOF file: } and
     * strerror's text ({@code No space left on device}).
     */
    static String misconf(IOException failure) {
        Throwable t = failure;
        while (t != null && !(t instanceof ErrnoException)) {
            t = t.getCause();
        }
        String reason = t instanceof ErrnoException e ? e.reason() : String.valueOf(failure.getMessage());
        return "MISCONF Errors writing to the AOF file: " + reason;
    }

    /** {@link ShardLog} over an {@link AppendOnlyLog}. */
    private static final class Aof implements ShardLog {

        private final AppendOnlyLog log;

        Aof(AppendOnlyLog log) {
            this.log = log;
        }

        @Override
        public long append(Command logged) {
            try {
                return log.append(logged);
            } catch (IOException e) {
                // Only a closed log refuses appends: the server is stopping and answers no more.
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public boolean awaitDurable(long token) {
            try {
                log.awaitDurable(token);
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        public boolean whenDurable(long token, DurabilityCallback callback) {
            return log.whenDurable(token, callback);
        }

        @Override
        public String writeError() {
            IOException failure = log.failure();
            return failure == null ? "MISCONF Errors writing to the AOF file: the write was not confirmed"
                    : misconf(failure);
        }

        @Override
        public void rewrite() {
            try {
                log.startRewrite();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void setFsyncPolicy(String policy) {
            log.setFsyncPolicy(FsyncPolicy.parse(policy));
        }

        @Override
        public String describe() {
            AofStats s = log.stats();
            return "file=" + log.path() + ",size=" + s.currentSize() + ",records=" + s.records() + ",writes="
                    + s.writes() + ",syncs=" + s.syncs() + ",rewrites=" + s.rewrites() + ",rewrite_in_progress="
                    + (s.rewriteInProgress() ? 1 : 0) + ",replayed=" + log.replayResult().commands()
                    + ",status=" + (s.writeError().isEmpty() ? "ok" : "err");
        }

        @Override
        public void close() {
            try {
                log.close();
            } catch (IOException e) {
                LOG.log(Level.ERROR, "closing append-only log " + log.path() + ": records may be missing from it: "
                        + e.getMessage(), e);
            }
        }
    }
}
