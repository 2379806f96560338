package io.github.jglommio.controllers;

import io.github.jglommio.Shares;
import io.github.jglommio.SharesManager;

import java.time.Duration;
import java.util.ArrayDeque;

/**
 * The PI controller behind a {@link DeadlineQueue}'s dynamic shares, and the list of work it
 * controls (Glommio's {@code InnerQueue}; the control law is described in {@code package-info}).
 * Owner thread only: the scheduler calls {@link #shares()} on the executor thread.
 */
final class DeadlineController implements SharesManager {

    /** Proportional gain: a full normalized error moves the shares by about this much. */
    static final double KP = 850.0;
    /** Integral gain: the integral term catches up with the proportional one after about six periods. */
    static final double KI = KP / 6.0;
    /** Minimum shares while a {@link PriorityBump} is open. */
    static final int BUMPED_MIN_SHARES = 250;
    /** Work this late is past saving gradually: the controller goes straight to full shares. */
    static final long HOPELESSLY_LATE_NS = Duration.ofSeconds(5).toNanos();
    /** Below this many expected units, too little time has passed to estimate a speed. */
    static final double MIN_EXPECTED_UNITS = 0.01;
    /** Longest accepted expected duration, so deadline arithmetic on nanoTime cannot overflow. */
    static final long MAX_EXPECTED_NS = Long.MAX_VALUE / 4;

    /** Admitted work in push order; the head is running (or about to). */
    final ArrayDeque<Work<?>> queue = new ArrayDeque<>();
    private final Duration adjustmentPeriod;
    private int lastShares = Shares.MIN;
    private double lastError;
    private int bumps;
    private ControllerStatus status = ControllerStatus.ENABLED;

    DeadlineController(Duration adjustmentPeriod) {
        this.adjustmentPeriod = adjustmentPeriod;
    }

    /**
     * Appends work pushed at {@code nowNs}. Its deadline must not be earlier than that of the last
     * work still queued: the queue runs FIFO, so an earlier deadline behind a later one could not be
     * honoured. (Glommio compares with the last work ever admitted, even finished; finished work no
     * longer constrains anything, so it is not counted here.)
     */
    <T> Work<T> admit(DeadlineSource<? extends T> source, long expectedNs, long nowNs) {
        long deadlineNs = nowNs + expectedNs;
        Work<?> last = queue.peekLast();
        if (last != null && deadlineNs - last.deadlineNs < 0) {
            throw new IllegalArgumentException("the deadline of this source (" + Duration.ofNanos(expectedNs)
                    + " from now) is " + Duration.ofNanos(last.deadlineNs - deadlineNs)
                    + " earlier than the deadline of work queued before it; a DeadlineQueue runs its work in "
                    + "push order, so deadlines must not decrease");
        }
        Work<T> w = new Work<>(source, expectedNs, deadlineNs);
        queue.addLast(w);
        return w;
    }

    @Override
    public int shares() {
        return shares(System.nanoTime());
    }

    /** One controller step at {@code nowNs}: the new shares, remembered as the last output. */
    int shares(long nowNs) {
        if (status instanceof ControllerStatus.Disabled(int fixed)) {
            return fixed;
        }
        double expected = 0;
        double processed = 0;
        for (Work<?> w : queue) {
            long remainingNs = Math.max(0, w.deadlineNs - nowNs);
            if (remainingNs == 0 && nowNs - w.deadlineNs > HOPELESSLY_LATE_NS) {
                lastShares = Shares.MAX;
                return lastShares;
            }
            // The fraction of this item's time budget used so far; a zero budget is all used.
            double timeFraction = w.expectedNs == 0 ? 1.0 : 1.0 - (double) remainingNs / w.expectedNs;
            expected += Math.max(0, w.source.totalUnits()) * timeFraction;
            processed += Math.max(0, w.source.processedUnits());
        }
        if (expected < MIN_EXPECTED_UNITS) {
            return lastShares;
        }
        // Working on the error's integral, E = 1 - processed/expected, and outputting a change of
        // shares keeps the step independent of how long the period actually was.
        double error = 1.0 - processed / expected;
        double deltaError = error - lastError;
        lastError = error;
        double next = lastShares + KI * error + KP * deltaError;
        // Rounded, not truncated: truncating would shave half a share per step on average, a steady
        // downward bias that the integral term would have to fight.
        lastShares = (int) Math.max(minShares(), Math.min(Shares.MAX, Math.round(next)));
        return lastShares;
    }

    @Override
    public Duration adjustmentPeriod() {
        return adjustmentPeriod;
    }

    int minShares() {
        return bumps > 0 ? BUMPED_MIN_SHARES : Shares.MIN;
    }

    int lastShares() {
        return lastShares;
    }

    void bump() {
        bumps++;
    }

    void unbump() {
        bumps--;
    }

    ControllerStatus status() {
        return status;
    }

    void status(ControllerStatus status) {
        this.status = status;
    }
}
