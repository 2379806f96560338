package io.github.jglommio.timer;

import io.github.jglommio.Task;
import io.github.jglommio.reactor.Reactor;
import io.github.jglommio.reactor.TimerEntry;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

/**
 * A timer on the executor's timer heap: Glommio's {@code Timer} and {@code sleep}/{@code timeout}.
 *
 * {@snippet :
 * Timer.sleep(Duration.ofMillis(100));               // parks this task only
 * String s = Timer.timeout(Duration.ofSeconds(1), () -> slowLookup());
 *
 * Timer t = new Timer(Duration.ofMillis(50));        // armed now
 * t.reset(Duration.ofMillis(80));                    // re-armed: 80 ms from now
 * t.join();                                          // parks until it fires
 * }
 *
 * <p>Threading: created and used by tasks of one executor ({@link WrongThreadException} elsewhere).
 * A timer fires on the executor thread, within the executor's loop latency of its deadline; the
 * executor sleeps in {@code io_uring_enter} with the nearest deadline as its timeout.
 */
public final class Timer {

    private final Reactor reactor;
    private final TimerEntry entry = new TimerEntry();

    /**
     * Arms a timer that fires {@code duration} from now.
     *
     * @throws IllegalStateException    outside a jglommio task
     * @throws IllegalArgumentException when {@code duration} is negative
     */
    public Timer(Duration duration) {
        this.reactor = Reactor.currentOrThrow("new Timer(...)");
        reactor.timers().arm(entry, Timers.deadlineIn(duration, "duration"));
    }

    /**
     * Parks the calling task for {@code duration}. Zero returns at once.
     *
     * @throws CancellationException    when the task is cancelled while sleeping
     * @throws IllegalStateException    outside a jglommio task
     * @throws IllegalArgumentException when {@code duration} is negative
     */
    public static void sleep(Duration duration) {
        Reactor r = Reactor.currentOrThrow("Timer.sleep");
        long deadline = Timers.deadlineIn(duration, "duration");
        if (duration.isZero()) {
            if (Thread.currentThread().isInterrupted()) {
                throw new CancellationException("task was cancelled");
            }
            return;
        }
        r.timers().sleepUntil(deadline);
    }

    /**
     * Runs {@code work} as a child task and returns its result, or cancels it and throws
     * {@link TimeoutException} when it has not finished after {@code limit}. Glommio's
     * {@code timeout}. The child runs in the caller's task queue; its exceptions are rethrown as by
     * {@link Task#join()}.
     *
     * @throws TimeoutException      when {@code limit} elapsed first (the work was cancelled)
     * @throws CancellationException when the calling task is cancelled (the work is cancelled too)
     */
    public static <T> T timeout(Duration limit, Callable<T> work) throws TimeoutException {
        Reactor r = Reactor.currentOrThrow("Timer.timeout");
        long deadline = Timers.deadlineIn(limit, "limit");
        Task<T> child = Task.local(work);
        boolean[] expired = new boolean[1];
        Task<Void> watchdog = Task.local(() -> {
            r.timers().sleepUntil(deadline);
            expired[0] = child.cancel();
        });
        try {
            T value = child.join();
            if (expired[0]) {
                throw timedOut(limit);
            }
            return value;
        } catch (CancellationException e) {
            if (expired[0]) {
                throw timedOut(limit);
            }
            child.cancel();
            throw e;
        } finally {
            watchdog.cancel();
        }
    }

    private static TimeoutException timedOut(Duration limit) {
        return new TimeoutException("operation timed out after " + limit);
    }

    /**
     * Re-arms the timer to fire {@code duration} from now, whether or not it already fired. A task
     * parked in {@link #join} keeps waiting for the new deadline.
     */
    public void reset(Duration duration) {
        Timers.checkOwner(reactor, "Timer.reset");
        reactor.timers().arm(entry, Timers.deadlineIn(duration, "duration"));
    }

    /** Parks the calling task until the timer fires; returns at once if it already has or was cancelled. */
    public void join() {
        Timers.checkOwner(reactor, "Timer.join");
        reactor.timers().awaitTimer(entry);
    }

    /** Disarms the timer; a task parked in {@link #join} returns. Returns whether it was armed. */
    public boolean cancel() {
        Timers.checkOwner(reactor, "Timer.cancel");
        return reactor.timers().disarm(entry);
    }

    /** True once the deadline has passed and the timer fired. */
    public boolean isExpired() {
        return entry.fired();
    }
}
