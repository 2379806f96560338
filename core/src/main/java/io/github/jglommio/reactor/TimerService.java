package io.github.jglommio.reactor;

import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.LockSupport;

/**
 * The executor's timers: a deadline heap whose entries wake the task waiting on them. Tasks arm and
 * await; the executor loop fires what is due and sleeps until {@link #nextDeadline()}. Owner thread
 * only (tasks of the executor run on its thread).
 */
public final class TimerService {

    private final TimerQueue queue = new TimerQueue();


    /**
     * Arms (or re-arms) {@code timer} for {@code deadlineNs}. The task waiting in
     * {@link #awaitTimer} (if any) keeps waiting for the new deadline.
     */
    public void arm(TimerEntry timer, long deadlineNs) {
        TimerQueue.Entry e = timer.node;
        queue.remove(e);
        e.deadlineNs = deadlineNs;
        e.fired = false;
        queue.add(e);
    }

    /** Disarms {@code timer} and wakes its waiter, if any; returns whether it was armed. */
    public boolean disarm(TimerEntry timer) {
        boolean removed = queue.remove(timer.node);
        Thread w = timer.node.waiter;
        if (removed && w != null) {
            LockSupport.unpark(w);
        }
        return removed;
    }

    /**
     * Parks the calling task until {@code timer} fires. The timer's waiter becomes the caller.
     *
     * @throws CancellationException when the task is interrupted (cancelled); the timer is disarmed
     */
    public void awaitTimer(TimerEntry timer) {
        TimerQueue.Entry e = timer.node;
        Thread me = Thread.currentThread();
        e.waiter = me;
        try {
            while (!e.fired) {
                if (e.index < 0) {
                    return; // disarmed by someone else: nothing left to wait for
                }
                if (me.isInterrupted()) {
                    queue.remove(e);
                    throw new CancellationException("task was cancelled");
                }
                LockSupport.park(this);
            }
        } finally {
            e.waiter = null;
        }
    }

    /** Parks the calling task until {@code deadlineNs} ({@link System#nanoTime()} units). */
    public void sleepUntil(long deadlineNs) {
        if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException("task was cancelled");
        }
        TimerEntry t = new TimerEntry();
        arm(t, deadlineNs);
        awaitTimer(t);
    }

    /** The earliest armed deadline, or {@link Long#MAX_VALUE}. */
    public long nextDeadline() {
        return queue.nextDeadline();
    }

    /** Fires every timer whose deadline is {@code <= nowNs}; returns how many fired. */
    public int fire(long nowNs) {
        int n = 0;
        TimerQueue.Entry e;
        while ((e = queue.peek()) != null && e.deadlineNs <= nowNs) {
            queue.poll();
            e.fired = true;
            Thread w = e.waiter;
            if (w != null) {
                LockSupport.unpark(w);
            }
            n++;
        }
        return n;
    }

    /** Armed queue. */
    public int count() {
        return queue.size();
    }
}
