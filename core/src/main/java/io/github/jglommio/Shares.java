package io.github.jglommio;

import java.util.Objects;

/**
 * A task queue's share of its executor's CPU time: Glommio's {@code Shares}. Under contention, queues
 * get CPU time in proportion to their shares (a queue with 1000 shares gets twice the time of one with
 * 500). Shares are clamped to 1..1000.
 *
 * {@snippet :
 * Shares fixed = Shares.of(100);
 * Shares adaptive = Shares.dynamic(() -> backlog() > 1000 ? 1000 : 50);
 * }
 */
public sealed interface Shares permits Shares.Static, Shares.Dynamic {

    /** The smallest share value. */
    int MIN = 1;
    /** The largest share value, and the default. */
    int MAX = 1000;

    /** Fixed shares, clamped to 1..1000 (Glommio's {@code Shares::Static}). */
    static Shares of(int shares) {
        return new Static(clamp(shares));
    }

    /** The default: 1000 shares. */
    static Shares defaults() {
        return new Static(MAX);
    }

    /**
     * Shares computed by {@code manager}, re-read every {@link SharesManager#adjustmentPeriod()}
     * (Glommio's {@code Shares::Dynamic}).
     */
    static Shares dynamic(SharesManager manager) {
        return new Dynamic(Objects.requireNonNull(manager, "manager"));
    }

    /** Clamps {@code shares} to 1..1000. */
    static int clamp(int shares) {
        return Math.max(MIN, Math.min(MAX, shares));
    }

    /** Fixed shares. */
    record Static(int shares) implements Shares {
        public Static {
            shares = clamp(shares);
        }
    }

    /** Shares computed by a {@link SharesManager}. */
    record Dynamic(SharesManager manager) implements Shares {
        public Dynamic {
            Objects.requireNonNull(manager, "manager");
        }
    }
}
