package io.github.jglommio.controllers;

import java.time.Duration;

/**
 * Work to run in a {@link DeadlineQueue}: what to do, by when, and how far along it is. Glommio's
 * {@code DeadlineSource}.
 *
 * {@snippet :
 * final class Flush implements DeadlineSource<Long> {
 *     private final long bytes;
 *     private long written;                         // updated as the flush progresses
 *
 *     Flush(long bytes) { this.bytes = bytes; }
 *
 *     public Duration expectedDuration() { return Duration.ofMinutes(10); }
 *     public long totalUnits() { return bytes; }
 *     public long processedUnits() { return written; }
 *
 *     public Long action() throws IOException {
 *         while (written < bytes) {
 *             written += writeNextChunk();          // each chunk is I/O: the controller sees steady progress
 *         }
 *         return written;
 *     }
 * }
 * }
 *
 * <p>Units are whatever suits the work (bytes of a buffer, elements of an array); the controller only
 * compares {@link #processedUnits()} with {@link #totalUnits()}, so they need to agree with each other,
 * not with other sources. The more often {@link #processedUnits()} moves, the smoother the control:
 * a source that reports everything at the end looks to the controller like work that did nothing
 * until then.
 *
 * <p>Threading: {@link #action()} runs in a task of the queue's executor, in the queue's task queue.
 * {@link #totalUnits()} and {@link #processedUnits()} are called on the same executor thread, by the
 * scheduler between tasks (at most once per adjustment period), so they must be quick, must not block
 * and must not call jglommio operations; reading a field is the intended implementation.
 *
 * @param <T> what the action returns
 */
public interface DeadlineSource<T> {

    /**
     * How long after it is pushed this work should be done: its deadline is the moment of
     * {@link DeadlineQueue#pushWork} plus this duration (not the moment the action starts). Read
     * once, when the work is pushed. Must not be negative.
     */
    Duration expectedDuration();

    /**
     * Does the work and returns its result, which {@link DeadlineQueue#pushWork} then returns. Runs as
     * a task in the queue's task queue, after the work pushed before it has finished. Blocking-style
     * jglommio operations (timers, file and socket I/O) park only this task; CPU-heavy loops should
     * call {@link io.github.jglommio.LocalExecutor#yieldIfNeeded()} so the shares can take effect.
     *
     * @throws Exception any failure; {@link DeadlineQueue#pushWork} rethrows it
     */
    T action() throws Exception;

    /**
     * The amount of work, in units of the source's choosing; at least 0. It may grow while the work is
     * queued or running (for instance while the buffer to be flushed is still being filled), which
     * makes the control smoother than adding a large amount at once.
     */
    long totalUnits();

    /** The units processed so far: from 0, in the same units as {@link #totalUnits()}. */
    long processedUnits();
}
