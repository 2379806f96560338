package io.github.jglommio.timer;

import io.github.jglommio.reactor.Reactor;

import java.time.Duration;
import java.util.Objects;

/** Shared argument and owner checks, for this package. */
final class Timers {

    private Timers() {
    }

    static void checkOwner(Reactor owner, String what) {
        if (Reactor.current() != owner) {
            throw new WrongThreadException(what + " must be called from a task of the executor that created it; "
                    + "it was called from " + Thread.currentThread());
        }
    }

    /** A deadline {@code d} from now, saturating instead of overflowing. */
    static long deadlineIn(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative, got " + d);
        }
        long now = System.nanoTime();
        long ns;
        try {
            ns = d.toNanos();
        } catch (ArithmeticException e) {
            ns = Long.MAX_VALUE / 2;
        }
        return ns > Long.MAX_VALUE / 2 ? now + Long.MAX_VALUE / 2 : now + ns;
    }
}
