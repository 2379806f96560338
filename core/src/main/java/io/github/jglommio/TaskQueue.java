package io.github.jglommio;

import io.github.jglommio.loom.Loom;

import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/**
 * A queue of runnable task continuations with a share of the executor's CPU time and a latency
 * class. It is also the scheduler of its tasks' virtual threads: the JDK calls {@link #execute}
 * whenever one of them becomes runnable (started, unparked, yielded).
 *
 * <p>Owner-thread state, except {@link #execute}, which any thread may call.
 */
final class TaskQueue implements Executor {

    private static final System.Logger LOG = System.getLogger(TaskQueue.class.getName());

    final LocalExecutor executor;
    final int index;
    final String name;
    final ThreadFactory threads;
    final TaskQueueHandle handle;
    final Shares sharesSpec;
    final Latency latency;
    /** The latency requirement in ns, or {@code Long.MAX_VALUE} when latency is not important. */
    final long latencyNs;
    private final ArrayDeque<Runnable> runnables = new ArrayDeque<>();
    private final SharesManager manager;
    private final long adjustmentPeriodNs;
    private long nextAdjustmentNs;

    /** Weighted runtime: grows by elapsedNs * 1024 / shares each time the queue runs. */
    long vruntime;
    int shares;
    /** Sequence number of this queue's last turn; ties on vruntime go to the queue that waited longest. */
    long lastTurn;
    /** In the scheduler's active set, or being run right now. */
    boolean active;
    boolean removed;
    int liveTasks;

    // Cumulative statistics (owner thread writes; monitoring threads may read them racily).
    long turns;
    long continuationsRun;
    long runtimeNs;
    long tasksSpawned;
    long preemptions;

    TaskQueue(LocalExecutor executor, int index, String name, Shares shares, Latency latency) {
        this.executor = executor;
        this.index = index;
        this.name = name;
        this.handle = new TaskQueueHandle(executor.id(), index);
        this.sharesSpec = shares;
        this.latency = latency;
        this.latencyNs = latency instanceof Latency.Matters m ? m.duration().toNanos() : Long.MAX_VALUE;
        if (shares instanceof Shares.Dynamic d) {
            this.manager = d.manager();
            this.adjustmentPeriodNs = Math.max(1, d.manager().adjustmentPeriod().toNanos());
            this.shares = Shares.MAX;
            this.nextAdjustmentNs = System.nanoTime();
        } else {
            this.manager = null;
            this.adjustmentPeriodNs = 0;
            this.shares = ((Shares.Static) shares).shares();
        }
        this.threads = Loom.virtualThreadBuilder(this).inheritInheritableThreadLocals(false).factory();
    }

    @Override
    public void execute(Runnable continuation) {
        if (Loom.currentCarrierThread() == executor.thread) {
            enqueue(continuation);
        } else {
            executor.submitForeign(() -> enqueue(continuation));
        }
    }

    /** Owner thread only. */
    void enqueue(Runnable continuation) {
        Task<?> starting = executor.starting;
        if (starting != null) {
            // The first continuation of a task being started: remember which thread it resumes.
            executor.stallDetector.track(continuation, starting.thread);
            starting.continuation = continuation;
        }
        runnables.addLast(continuation);
        executor.scheduler.runnable++;
        if (!active) {
            executor.scheduler.activate(this);
        }
    }

    Runnable poll() {
        Runnable r = runnables.pollFirst();
        if (r != null) {
            executor.scheduler.runnable--;
        }
        return r;
    }

    int size() {
        return runnables.size();
    }

    boolean isEmpty() {
        return runnables.isEmpty();
    }

    /** Re-reads dynamic shares when the adjustment period has passed. */
    void adjustShares(long nowNs) {
        if (manager == null || nowNs - nextAdjustmentNs < 0) {
            return;
        }
        nextAdjustmentNs = nowNs + adjustmentPeriodNs;
        try {
            shares = Shares.clamp(manager.shares());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "SharesManager of task queue '" + name + "' failed; keeping " + shares
                    + " shares", e);
        }
    }

    void charge(long elapsedNs) {
        runtimeNs += elapsedNs;
        vruntime += elapsedNs * 1024 / shares;
    }

    @Override
    public String toString() {
        return "TaskQueue[" + name + ", index=" + index + ", shares=" + shares + "]";
    }
}
