package io.github.jglommio;

import java.time.Duration;

/**
 * Computes a task queue's shares at run time (Glommio's {@code SharesManager}); used with
 * {@link Shares#dynamic}. Called on the executor thread, at most once per
 * {@link #adjustmentPeriod()}, when the queue is about to run; it must be quick and must not block.
 */
@FunctionalInterface
public interface SharesManager {

    /** The default adjustment period: 250 ms, as in Glommio. */
    Duration ADJUSTMENT_PERIOD_DEFAULT = Duration.ofMillis(250);

    /** The shares to use now; clamped to 1..1000. */
    int shares();

    /** How often {@link #shares()} is re-read. */
    default Duration adjustmentPeriod() {
        return ADJUSTMENT_PERIOD_DEFAULT;
    }
}
