package io.github.jglommio.kv.server;

import io.github.jglommio.kv.aof.DurabilityCallback;
import io.github.jglommio.kv.resp.Command;

/**
 * A shard's view of its append-only log: append a write, wait until it is durable, close. Keeps the
 * server independent of how the log is kept. One shard's executor only.
 *
 * <p>A failing log (a full disk) never throws at the server: {@link #append} still takes records (the
 * log retries writing them), {@link #awaitDurable} says {@code false} and the write is answered with
 * {@link #writeError()}; the server meanwhile refuses writes on every shard (see {@link KvServer}).
 */
interface ShardLog extends AutoCloseable {

    /** Appends {@code logged} (the deterministic form of a write); returns a token for {@link #awaitDurable}. */
    long append(Command logged);

    /**
     * Parks until the record of {@code token} (and every earlier one) is durable under the log's
     * policy: in the kernel, or synced under {@code always}. False when the log failed first: do not
     * acknowledge the write, answer {@link #writeError()}.
     */
    boolean awaitDurable(long token);

    /**
     * Runs {@code callback} once the record of {@code token} is durable, or once the log failed or
     * closed first, instead of parking; see {@link io.github.jglommio.kv.aof.AppendOnlyLog#whenDurable}.
     * False, without keeping it, when the caller should answer now (after {@link #awaitDurable},
     * which then does not park).
     */
    boolean whenDurable(long token, DurabilityCallback callback);

    /** The error reply for a write the failed log could not make durable, without the leading '-'. */
    String writeError();

    /** Starts a compaction of the log in the background (BGREWRITEAOF); no-op without a log. */
    void rewrite();

    /** CONFIG SET appendfsync: later writes follow {@code policy} ({@code always}, {@code everysec}, {@code no}). */
    default void setFsyncPolicy(String policy) {
    }

    /** One line for INFO persistence. */
    String describe();

    /** Writes and syncs what is left and closes; a failure is logged, not thrown, so that shutdown goes on. */
    @Override
    void close();

    /** No log ({@code appendonly no}): writes are kept in memory only. */
    static ShardLog none() {
        return new ShardLog() {
            @Override
            public long append(Command logged) {
                return 0;
            }

            @Override
            public boolean awaitDurable(long token) {
                return true;
            }

            @Override
            public boolean whenDurable(long token, DurabilityCallback callback) {
                return false;
            }

            @Override
            public String writeError() {
                return "";
            }

            @Override
            public void rewrite() {
            }

            @Override
            public String describe() {
                return "aof_enabled:0";
            }

            @Override
            public void close() {
            }
        };
    }
}
