package io.github.jglommio.timer;

import io.github.jglommio.Task;
import io.github.jglommio.reactor.Reactor;
import io.github.jglommio.reactor.TimerEntry;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;

/**
 * An action that runs once, at a deadline, as its own task: Glommio's {@code TimerActionOnce}.
 * Until it starts it can be cancelled or re-armed.
 *
 * {@snippet :
 * TimerActionOnce<String> action = TimerActionOnce.doIn(Duration.ofMillis(100), () -> "fired");
 * action.rearmIn(Duration.ofMillis(200));   // later instead
 * Optional<String> r = action.join();       // Optional.of("fired"), or empty if cancelled
 * }
 *
 * <p>Threading: created and used by tasks of one executor ({@link WrongThreadException} elsewhere).
 *
 * @param <T> the action's result type
 */
public final class TimerActionOnce<T> {

    private final Reactor reactor;
    private final TimerEntry entry = new TimerEntry();
    private final Task<T> task;
    private boolean started;
    private boolean cancelled;

    private TimerActionOnce(long deadlineNs, Callable<T> action) {
        Objects.requireNonNull(action, "action");
        this.reactor = Reactor.currentOrThrow("TimerActionOnce");
        reactor.timers().arm(entry, deadlineNs);
        this.task = Task.local(() -> {
            reactor.timers().awaitTimer(entry);
            if (cancelled) {
                throw new CancellationException("timer action cancelled");
            }
            started = true;
            return action.call();
        });
    }

    /** Runs {@code action} once, {@code delay} from now. */
    public static <T> TimerActionOnce<T> doIn(Duration delay, Callable<T> action) {
        return new TimerActionOnce<>(Timers.deadlineIn(delay, "delay"), action);
    }

    /** Runs {@code action} once, {@code delay} from now; its {@link #join} yields an empty result. */
    public static TimerActionOnce<Void> doIn(Duration delay, Runnable action) {
        Objects.requireNonNull(action, "action");
        return doIn(delay, () -> {
            action.run();
            return null;
        });
    }

    /** Runs {@code action} once at wall-clock time {@code when} (at once if it has passed). */
    public static <T> TimerActionOnce<T> doAt(Instant when, Callable<T> action) {
        return doIn(untilInstant(when), action);
    }

    private static Duration untilInstant(Instant when) {
        Objects.requireNonNull(when, "when");
        Duration d = Duration.between(Instant.now(), when);
        return d.isNegative() ? Duration.ZERO : d;
    }

    /**
     * Moves the deadline to {@code delay} from now.
     *
     * @return false when the action already started or was cancelled (nothing changes)
     */
    public boolean rearmIn(Duration delay) {
        Timers.checkOwner(reactor, "TimerActionOnce.rearmIn");
        long deadline = Timers.deadlineIn(delay, "delay");
        if (started || cancelled || task.isDone()) {
            return false;
        }
        reactor.timers().arm(entry, deadline);
        return true;
    }

    /** Moves the deadline to wall-clock time {@code when}; see {@link #rearmIn}. */
    public boolean rearmAt(Instant when) {
        return rearmIn(untilInstant(when));
    }

    /**
     * Cancels the action if it has not started; a running action is cancelled like a task.
     *
     * @return false when it had already finished
     */
    public boolean cancel() {
        Timers.checkOwner(reactor, "TimerActionOnce.cancel");
        if (task.isDone()) {
            return false;
        }
        cancelled = true;
        if (!started) {
            reactor.timers().disarm(entry);
            return true;
        }
        return task.cancel();
    }

    /**
     * Parks until the action ran or was cancelled.
     *
     * @return its result, or empty when it was cancelled before it started
     */
    public Optional<T> join() {
        Timers.checkOwner(reactor, "TimerActionOnce.join");
        try {
            return Optional.ofNullable(task.join());
        } catch (CancellationException e) {
            if (cancelled) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** True once the action ran or was cancelled. */
    public boolean isDone() {
        return task.isDone();
    }
}
