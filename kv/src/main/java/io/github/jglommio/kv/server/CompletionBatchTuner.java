package io.github.jglommio.kv.server;

import io.github.jglommio.LocalExecutor;
import io.github.jglommio.timer.Timer;

import java.time.Duration;

/**
 * {@code --completion-batch auto}: batches a shard's wake-ups only while many of its connections
 * are active ({@link LocalExecutor#setCompletionBatching}).
 *
 * <p>Why: with many clients sending at once, a shard that waits for a batch of completions before
 * it wakes serves them with fewer sleeps and wake-ups (measured in the README); with few, every
 * request would wait up to the delay for completions that do not come, so a lone client's
 * requests would take several times longer. The tuner counts the connections that read something
 * in each {@link #WINDOW}, then sets the batch for the next window: half the active connections
 * (closed-loop clients wait for their replies, so about half of them have a request in flight at
 * any time), at most {@link #MAX_BATCH}, and no batching below {@link #MIN_ACTIVE}. When load drops,
 * requests pay the delay for at most one window.
 *
 * <p>Threading: the shard's executor; {@link #active} is called by its connections' tasks, {@link #run}
 * is a task of the shard's background queue.
 */
final class CompletionBatchTuner {

    static final Duration WINDOW = Duration.ofMillis(50);
    /** Fewer active connections than this: no batching. */
    static final int MIN_ACTIVE = 8;
    static final int MAX_BATCH = 16;

    private final Duration maxDelay;
    private int window;
    private int activeInWindow;
    /** The batch in force; read by INFO. */
    int batch = 1;

    CompletionBatchTuner(Duration maxDelay) {
        this.maxDelay = maxDelay;
    }

    /** The batch for a window after one in which {@code active} connections read requests. */
    static int batchFor(int active) {
        return active < MIN_ACTIVE ? 1 : Math.min(MAX_BATCH, active / 2);
    }

    /** Records that {@code c} read requests; counts each connection once per window. */
    void active(Connection c) {
        if (c.activeWindow != window) {
            c.activeWindow = window;
            activeInWindow++;
        }
    }

    /** Re-tunes at the end of every window, until the task is cancelled. */
    void run() {
        LocalExecutor ex = LocalExecutor.current();
        while (true) {
            Timer.sleep(WINDOW);
            int next = batchFor(activeInWindow);
            activeInWindow = 0;
            window++;
            if (next != batch && ex.setCompletionBatching(next, maxDelay)) {
                batch = next;
            }
        }
    }
}
