package io.github.jglommio.kv.server;

import io.github.jglommio.TaskQueueHandle;
import io.github.jglommio.kv.aof.AofStats;
import io.github.jglommio.kv.aof.AppendOnlyLog;
import io.github.jglommio.kv.aof.AppendOnlyLogBuilder;
import io.github.jglommio.kv.aof.FsyncPolicy;
import io.github.jglommio.kv.aof.KeyspaceStateMachine;
import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** Opens a shard's log as the configuration asks, replaying it into the shard's keyspace. */
final class ShardLogs {

    private ShardLogs() {
    }

    /**
     * The shard's log: none with {@code appendonly no}, else its append-only file
     * ({@code <dir>/shard-<n>.aof}), replayed into {@code state} before this returns. The log's
     * writer runs in the request queue (a reply waits for it under {@code always}), its rewrite in
     * {@code background}. Shard's executor.
     */
    static ShardLog open(KvConfig config, int shard, KeyspaceStateMachine state, TaskQueueHandle requestQueue,
                         TaskQueueHandle background) throws IOException {
        if (!config.appendOnly()) {
            return ShardLog.none();
        }
        Files.createDirectories(config.dir());
        AppendOnlyLog log = new AppendOnlyLogBuilder(config.dir(), shard, state)
                .withFsyncPolicy(FsyncPolicy.parse(config.appendFsync()))
                .withWriterQueue(requestQueue)
                .withRewriteQueue(background)
                .withReplayLimits((int) Math.min(Integer.MAX_VALUE, config.protoMaxBulkLen()),
                        RespParser.DEFAULT_MAX_MULTIBULK_LENGTH)
                .open();
        // Every key the keyspace expires from now on is logged as a DEL, so a replay is exact.
        state.logExpirations(log);
        return new Aof(log, config.appendFsync().equals("always"));
    }

    /** {@link ShardLog} over an {@link AppendOnlyLog}. */
    private static final class Aof implements ShardLog {

        private final AppendOnlyLog log;
        private final boolean always;

        Aof(AppendOnlyLog log, boolean always) {
            this.log = log;
            this.always = always;
        }

        @Override
        public long append(Command logged) {
            try {
                return log.append(logged);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public boolean needsDurabilityWait() {
            return always;
        }

        @Override
        public void awaitDurable(long token) {
            try {
                log.awaitDurable(token);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
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
                throw new UncheckedIOException(e);
            }
        }
    }
}
