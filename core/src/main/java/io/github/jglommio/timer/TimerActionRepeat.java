package io.github.jglommio.timer;

import io.github.jglommio.Task;
import io.github.jglommio.reactor.Reactor;
import io.github.jglommio.reactor.TimerEntry;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;

/**
 * An action that runs at once and then again after each delay it returns, until it returns
 * {@link Optional#empty()} or is cancelled: Glommio's {@code TimerActionRepeat}.
 *
 * {@snippet :
 * int[] ticks = {0};
 * TimerActionRepeat r = TimerActionRepeat.repeat(() ->
 *     ++ticks[0] < 10 ? Optional.of(Duration.ofMillis(5)) : Optional.empty());
 * r.join();                                 // after the 10th run
 * }
 *
 * <p>Threading: created and used by tasks of one executor ({@link WrongThreadException} elsewhere).
 */
public final class TimerActionRepeat {

    private final Reactor reactor;
    private final TimerEntry entry = new TimerEntry();
    private final Task<Void> task;
    private boolean cancelled;

    private TimerActionRepeat(Callable<Optional<Duration>> action) {
        Objects.requireNonNull(action, "action");
        this.reactor = Reactor.currentOrThrow("TimerActionRepeat");
        this.task = Task.local((Callable<Void>) () -> {
            while (!cancelled) {
                Optional<Duration> next = action.call();
                if (next == null || next.isEmpty() || cancelled) {
                    return null;
                }
                reactor.timers().arm(entry, Timers.deadlineIn(next.get(), "returned delay"));
                reactor.timers().awaitTimer(entry);
            }
            return null;
        });
    }

    /** Starts repeating {@code action}; it runs for the first time as soon as its task is scheduled. */
    public static TimerActionRepeat repeat(Callable<Optional<Duration>> action) {
        return new TimerActionRepeat(action);
    }

    /**
     * Stops repeating: a pending run never happens; a running one is cancelled like a task.
     *
     * @return false when the repetition had already ended
     */
    public boolean cancel() {
        Timers.checkOwner(reactor, "TimerActionRepeat.cancel");
        if (task.isDone()) {
            return false;
        }
        cancelled = true;
        reactor.timers().disarm(entry);
        return true;
    }

    /**
     * Parks until the repetition ends (the action returned empty, or it was cancelled).
     *
     * @throws RuntimeException what the action threw, as by {@link Task#join()}
     */
    public void join() {
        Timers.checkOwner(reactor, "TimerActionRepeat.join");
        try {
            task.join();
        } catch (CancellationException e) {
            if (!cancelled) {
                throw e;
            }
        }
    }

    /** True once the repetition has ended. */
    public boolean isDone() {
        return task.isDone();
    }
}
