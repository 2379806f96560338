package io.github.jglommio.kv.aof;

import java.io.IOException;

/**
 * Told when an append-only log's writes start failing and when they work again: what a server needs
 * to refuse writes meanwhile, as Redis answers {@code -MISCONF} while its AOF cannot be written.
 * Called on the log's executor, from the task that saw the change; must not park.
 */
public interface LogHealthListener {

    /** A listener that does nothing: the default. */
    LogHealthListener NONE = new LogHealthListener() {
        @Override
        public void failed(IOException cause) {
        }

        @Override
        public void recovered() {
        }
    };

    /** A write or sync failed: the log retries every {@link AppendOnlyLog#RETRY_DELAY_SECONDS} second(s). */
    void failed(IOException cause);

    /** A retry wrote (and synced, where the policy syncs) everything appended: the log works again. */
    void recovered();
}
