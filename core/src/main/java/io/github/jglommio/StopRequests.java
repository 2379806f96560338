package io.github.jglommio;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.LockSupport;

/**
 * One executor's graceful-stop state: whether a stop was requested (see
 * {@link ExecutorHandle#requestStop}), the hooks to run and the tasks to wake when it is, and the
 * deadline after which every task is cancelled. The public API is on {@link LocalExecutor}.
 *
 * <p>Threading: owner thread only; foreign threads reach {@link #begin} through the executor's inbox.
 */
final class StopRequests {

    private final LocalExecutor executor;
    private boolean requested;
    /**
     * When a requested stop cancels every task (System.nanoTime units); 0: none pending. Read by
     * {@link ExecutorLoop} on every turn, hence a plain field.
     */
    long deadlineNs;
    private final List<Runnable> hooks = new ArrayList<>();
    private final List<Thread> waiters = new ArrayList<>();

    StopRequests(LocalExecutor executor) {
        this.executor = executor;
    }

    /**
     * A stop was requested. Runs the stop hooks as tasks, wakes tasks in {@link #await()}, and
     * cancels every task once {@code graceNs} has passed unless the executor ended by itself.
     */
    void begin(long graceNs) {
        long deadline = System.nanoTime() + Math.max(0, graceNs);
        if (requested) {
            if (deadlineNs != 0 && deadline - deadlineNs < 0) {
                deadlineNs = deadline; // a later, shorter request wins
            }
            return;
        }
        requested = true;
        deadlineNs = deadline == 0 ? 1 : deadline;
        for (Runnable hook : hooks) {
            executor.spawn(Task.asCallable(hook), executor.defaultQueue()).detachInternal();
        }
        hooks.clear();
        for (Thread w : waiters) {
            LockSupport.unpark(w);
        }
        waiters.clear();
    }

    /** The loop saw {@link #deadlineNs} pass: the grace is over, cancel every task (once). */
    void deadlinePassed() {
        deadlineNs = 0;
        executor.cancelAllTasks();
    }

    boolean requested() {
        return requested;
    }

    /** Runs {@code hook} as a task when a stop is requested, at once if it already was. */
    void onRequest(Runnable hook) {
        if (requested) {
            executor.spawn(Task.asCallable(hook), executor.defaultQueue()).detach();
        } else {
            hooks.add(hook);
        }
    }

    /** Parks the calling task until a stop is requested; the park blocker is the executor. */
    void await() {
        Thread me = Thread.currentThread();
        while (!requested) {
            waiters.add(me);
            LockSupport.park(executor);
            waiters.remove(me);
            if (!requested && me.isInterrupted()) {
                throw new CancellationException("task was cancelled while awaiting a stop request");
            }
        }
    }
}
