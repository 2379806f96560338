package io.github.jglommio.kv.server;

import io.github.jglommio.kv.resp.Command;

/**
 * A shard's view of its append-only log: append a write, wait until it is durable, close. Keeps the
 * server independent of how the log is kept. One shard's executor only. A failed log throws
 * {@link java.io.UncheckedIOException} from {@link #append} and {@link #awaitDurable}: the write
 * is then not acknowledged.
 */
interface ShardLog extends AutoCloseable {

    /** Appends {@code logged} (the deterministic form of a write); returns a token for {@link #awaitDurable}. */
    long append(Command logged);

    /** True when a reply must wait for {@link #awaitDurable} before it goes out ({@code appendfsync always}). */
    boolean needsDurabilityWait();

    /** Parks until the record of {@code token} (and every earlier one) is durable under the log's policy. */
    void awaitDurable(long token);

    /** Starts a compaction of the log in the background (BGREWRITEAOF); no-op without a log. */
    void rewrite();

    /** One line for INFO persistence. */
    String describe();

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
            public boolean needsDurabilityWait() {
                return false;
            }

            @Override
            public void awaitDurable(long token) {
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
