package io.github.jglommio;

/**
 * An executor's I/O counters: cumulative since the executor started (monotonic), read as one
 * snapshot. {@link #delta} gives the activity between two snapshots.
 *
 * @param submissions SQEs the kernel consumed from the executor's ring
 * @param completions CQEs reaped
 * @param wakeups     cross-thread wake-ups (eventfd writes) that woke the sleeping executor
 * @param inflight    operations in the kernel right now (a gauge, not a counter)
 */
public record IoStats(long submissions, long completions, long wakeups, long inflight) {

    /** The activity since {@code previous}: counters subtracted, gauges kept as they are now. */
    public IoStats delta(IoStats previous) {
        return new IoStats(submissions - previous.submissions, completions - previous.completions,
                wakeups - previous.wakeups, inflight);
    }
}
