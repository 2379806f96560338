package io.github.jglommio;

import io.github.jglommio.reactor.Reactor;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;

/**
 * One executor's event loop: runs task-queue turns, reaps completions, fires timers, drains the
 * foreign inbox, and when nothing is runnable spins briefly and then sleeps in
 * {@code io_uring_enter} until the next timer, a completion or a foreign wake-up.
 *
 * <p>Threading: owner thread only, except that other threads may read the counters racily (monitoring).
 */
final class ExecutorLoop {

    private final Scheduler scheduler;
    /** The executor's foreign inbox; filled by {@link LocalExecutor#submitForeign} from any thread. */
    private final ConcurrentLinkedQueue<Runnable> inbox;
    private final StopRequests stops;
    private final long spinBeforeParkNs;

    // Counters: owner thread writes, stats readers on the owner thread.
    long sleeps;
    long sleepNs;

    ExecutorLoop(Scheduler scheduler, ConcurrentLinkedQueue<Runnable> inbox, StopRequests stops,
                 long spinBeforeParkNs) {
        this.scheduler = scheduler;
        this.inbox = inbox;
        this.stops = stops;
        this.spinBeforeParkNs = spinBeforeParkNs;
    }

    /** Runs loop turns on {@code r} until {@code until} holds or {@code deadlineNs} (Long.MAX_VALUE: none) passes. */
    void run(Reactor r, BooleanSupplier until, long deadlineNs) {
        while (!until.getAsBoolean()) {
            if (deadlineNs != Long.MAX_VALUE && System.nanoTime() - deadlineNs >= 0) {
                return;
            }
            boolean ranTasks = scheduler.runTurn(r);
            if (stops.deadlineNs != 0 && System.nanoTime() - stops.deadlineNs >= 0) {
                stops.deadlinePassed();
            }
            int events = r.poll();
            if (r.timers().count() > 0) {
                events += r.timers().fire(System.nanoTime());
            }
            events += drainInbox();
            if (!ranTasks && events == 0 && !scheduler.hasRunnable()) {
                park(r, deadlineNs);
            }
        }
    }

    private void park(Reactor r, long deadlineNs) {
        if (spinBeforeParkNs > 0) {
            long spinEnd = System.nanoTime() + spinBeforeParkNs;
            do {
                if (!inbox.isEmpty() || r.poll() > 0 || scheduler.hasRunnable()) {
                    return;
                }
                Thread.onSpinWait();
            } while (System.nanoTime() - spinEnd < 0 && r.timers().nextDeadline() - System.nanoTime() > 0);
        }
        long wakeAt = Math.min(r.timers().nextDeadline(), deadlineNs);
        if (stops.deadlineNs != 0) {
            wakeAt = Math.min(wakeAt, stops.deadlineNs);
        }
        long timeout = wakeAt == Long.MAX_VALUE ? Long.MAX_VALUE : wakeAt - System.nanoTime();
        if (timeout <= 0) {
            return;
        }
        r.prepareToSleep();
        try {
            if (!inbox.isEmpty()) {
                return;
            }
            sleeps++;
            long start = System.nanoTime();
            r.sleep(timeout);
            sleepNs += System.nanoTime() - start;
        } finally {
            r.endSleep();
        }
    }

    /** True when I/O is in flight, a timer is due, or foreign work waits: a turn should not hog the loop. */
    boolean hasPendingWork(Reactor r) {
        return r.operationsInUse() > 0 || !inbox.isEmpty()
                || (r.timers().count() > 0 && r.timers().nextDeadline() - System.nanoTime() <= 0);
    }

    private int drainInbox() {
        int n = 0;
        Runnable item;
        while (n < 4096 && (item = inbox.poll()) != null) {
            item.run();
            n++;
        }
        return n;
    }
}
