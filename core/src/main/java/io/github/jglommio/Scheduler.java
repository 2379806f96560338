package io.github.jglommio;

import io.github.jglommio.reactor.Reactor;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * Chooses which task queue runs and for how long: Glommio's task-queue scheduling.
 *
 * <p>The runnable queue with the smallest vruntime runs until it is empty, a task asks the whole
 * queue to yield, or {@link Reactor#needPreempt()} turns true; it is then charged
 * {@code elapsedNs * 1024 / shares}. The time slice is the smallest {@link Latency#matters} among
 * active queues, else the executor's preempt timer. A queue that wakes from idle starts at the
 * smallest active vruntime, so it can neither bank credit while idle nor be starved by an old debt;
 * ties go to the queue that waited longest. Owner thread only.
 */
final class Scheduler {

    private final LocalExecutor executor;
    private final long preemptTimerNs;
    private final List<TaskQueue> queues = new ArrayList<>();
    /** The live queues, for monitoring threads (JMX, JFR): copy-on-write, queues change rarely. */
    final java.util.concurrent.CopyOnWriteArrayList<TaskQueue> monitored = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final PriorityQueue<TaskQueue> active = new PriorityQueue<>((a, b) -> {
        if (a.vruntime != b.vruntime) {
            return Long.compare(a.vruntime, b.vruntime);
        }
        return Long.compare(a.lastTurn, b.lastTurn);
    });
    private TaskQueue running;
    private long turnSeq;
    /** Set by {@link LocalExecutor#yieldTaskQueueNow()}: the running queue ends its turn. */
    boolean yieldQueueRequested;

    // Statistics (owner thread writes, monitors read racily).
    long turns;
    long preemptions;
    long continuationsRun;
    long busyNs;

    Scheduler(LocalExecutor executor, long preemptTimerNs) {
        this.executor = executor;
        this.preemptTimerNs = preemptTimerNs;
    }

    TaskQueue create(Shares shares, Latency latency, String name) {
        Objects.requireNonNull(shares, "shares");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(name, "name");
        int index = queues.size();
        for (int i = 0; i < queues.size(); i++) {
            if (queues.get(i) == null) {
                index = i;
                break;
            }
        }
        TaskQueue q = new TaskQueue(executor, index, name, shares, latency);
        if (index == queues.size()) {
            queues.add(q);
        } else {
            queues.set(index, q);
        }
        monitored.add(q);
        return q;
    }

    /** The live queue named by {@code h}, or an {@link IllegalArgumentException} saying why not. */
    TaskQueue lookup(TaskQueueHandle h) {
        Objects.requireNonNull(h, "task queue handle");
        if (h.executorId() != executor.id()) {
            throw new IllegalArgumentException("task queue " + h.index() + " belongs to executor " + h.executorId()
                    + ", not to executor '" + executor.name() + "' (id " + executor.id() + ")");
        }
        TaskQueue q = h.index() >= 0 && h.index() < queues.size() ? queues.get(h.index()) : null;
        if (q == null) {
            throw new IllegalArgumentException("task queue " + h.index() + " does not exist on executor '"
                    + executor.name() + "' (it was removed or never created)");
        }
        return q;
    }

    void remove(TaskQueue q) {
        if (q.index == 0) {
            throw new IllegalArgumentException("the default task queue cannot be removed");
        }
        if (q.liveTasks > 0 || q.active) {
            throw new IllegalStateException("task queue '" + q.name + "' still has " + q.liveTasks
                    + " task(s); remove it once they have finished");
        }
        q.removed = true;
        queues.set(q.index, null);
        monitored.remove(q);
    }

    List<TaskQueue> queues() {
        List<TaskQueue> l = new ArrayList<>();
        for (TaskQueue q : queues) {
            if (q != null) {
                l.add(q);
            }
        }
        return l;
    }

    TaskQueue running() {
        return running;
    }

    boolean hasRunnable() {
        return !active.isEmpty();
    }

    /** Runnable continuations over all queues (maintained by TaskQueue; monitors read it racily). */
    long runnable;

    /** {@code q} has runnable continuations and is not in the active set. */
    void activate(TaskQueue q) {
        long min = Long.MAX_VALUE;
        TaskQueue head = active.peek();
        if (head != null) {
            min = head.vruntime;
        }
        if (running != null && running != q) {
            min = Math.min(min, running.vruntime);
        }
        if (min != Long.MAX_VALUE) {
            q.vruntime = Math.max(q.vruntime, min);
        }
        q.active = true;
        active.add(q);
    }

    /** The current time slice: the tightest latency requirement among active queues. */
    private long sliceNs(TaskQueue first) {
        long slice = Math.min(preemptTimerNs, first.latencyNs);
        for (TaskQueue q : active) {
            slice = Math.min(slice, q.latencyNs);
        }
        return slice;
    }

    /** Runs one turn of the queue with the smallest vruntime; false when nothing was runnable. */
    boolean runTurn(Reactor reactor) {
        TaskQueue q = active.poll();
        if (q == null) {
            return false;
        }
        long start = System.nanoTime();
        q.adjustShares(start);
        running = q;
        yieldQueueRequested = false;
        long slice = sliceNs(q);
        reactor.startSlice(start + slice);
        StallDetector stalls = executor.stallDetector;
        if (stalls != null) {
            stalls.turnStarted(q.name, start, slice);
        }
        long ran = 0;
        boolean preempted = false;
        // After each full pass over the queue (every task that was runnable ran once, e.g. all of
        // them yield), end the turn early if I/O, timers or foreign work are pending, so yielding
        // tasks cannot hold completions back for a whole time slice.
        int pass = q.size();
        Runnable continuation;
        while ((continuation = q.poll()) != null) {
            if (stalls != null) {
                stalls.running(continuation);
            }
            continuation.run();
            ran++;
            if (yieldQueueRequested) {
                break;
            }
            if (reactor.needPreempt()) {
                preempted = true;
                break;
            }
            if (--pass <= 0) {
                if (executor.loop.hasPendingWork(reactor)) {
                    break;
                }
                pass = q.size();
            }
        }
        reactor.endSlice();
        if (stalls != null) {
            stalls.turnEnded();
        }
        long elapsed = System.nanoTime() - start;
        running = null;
        q.charge(elapsed);
        q.turns++;
        q.continuationsRun += ran;
        q.lastTurn = ++turnSeq;
        turns++;
        continuationsRun += ran;
        busyNs += elapsed;
        if (preempted) {
            q.preemptions++;
            preemptions++;
        }
        if (q.isEmpty()) {
            q.active = false;
        } else {
            active.add(q);
        }
        return true;
    }
}
