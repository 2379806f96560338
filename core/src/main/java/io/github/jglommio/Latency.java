package io.github.jglommio;

import java.time.Duration;
import java.util.Objects;

/**
 * A task queue's latency class: Glommio's {@code Latency}. While a queue whose latency
 * {@link #matters(Duration) matters} has work, the executor's time slice shrinks to that duration,
 * so tasks that call {@link LocalExecutor#yieldIfNeeded()} give way to it within about that long.
 */
public sealed interface Latency permits Latency.Matters, Latency.NotImportant {

    /** Work in the queue should not wait more than about {@code d} for the CPU. Positive. */
    static Latency matters(Duration d) {
        return new Matters(d);
    }

    /** Latency is not important: throughput work. */
    static Latency notImportant() {
        return NotImportant.INSTANCE;
    }

    /** A latency requirement. */
    record Matters(Duration duration) implements Latency {
        public Matters {
            Objects.requireNonNull(duration, "duration");
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("Latency.matters needs a positive duration, got " + duration);
            }
        }
    }

    /** No latency requirement. */
    enum NotImportant implements Latency {
        INSTANCE
    }
}
