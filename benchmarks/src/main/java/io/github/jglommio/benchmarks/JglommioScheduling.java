package io.github.jglommio.benchmarks;

import io.github.jglommio.Latency;
import io.github.jglommio.LocalExecutor;
import io.github.jglommio.LocalExecutorBuilder;
import io.github.jglommio.Shares;
import io.github.jglommio.Task;
import io.github.jglommio.TaskQueueHandle;
import io.github.jglommio.TaskQueueStats;
import io.github.jglommio.timer.Timer;

import java.time.Duration;

/**
 * The jglommio side of the scheduling suite: each method runs one measurement on a fresh executor
 * on the calling (platform) thread and returns when the executor has stopped.
 */
final class JglommioScheduling {

    /** Shares of the two CPU-bound queues in {@link #sharesSplit}: 2:1. */
    static final int SHARES_A = 1000;
    static final int SHARES_B = 500;
    /** The executor's time slice in {@link #sharesSplit}. */
    static final Duration SHARES_PREEMPT_TIMER = Duration.ofMillis(2);
    /** The sleeper's period and its queue's latency requirement in {@link #wakeLatency}. */
    static final Duration PERIOD = Duration.ofMillis(1);

    private JglommioScheduling() {
    }

    /**
     * How two CPU-bound task queues with {@link #SHARES_A}:{@link #SHARES_B} shares split the CPU.
     *
     * @param runtimeA CPU time queue A's task got during the window (from {@code taskQueueStats})
     * @param turnsA   turns queue A was given during the window
     * @param wallNs   the window's wall time
     */
    record Split(Duration runtimeA, Duration runtimeB, long turnsA, long turnsB, long wallNs) {

        double ratio() {
            return runtimeA.toNanos() / (double) runtimeB.toNanos();
        }

        /** Fraction of the wall time the two queues ran. */
        double busyShare() {
            return (runtimeA.toNanos() + runtimeB.toNanos()) / (double) wallNs;
        }
    }

    /**
     * Runs two queues' hogs side by side (each burns 20 µs then calls
     * {@link LocalExecutor#yieldIfNeeded()}), lets them settle for {@code warmup}, then measures
     * each queue's runtime over {@code window}.
     */
    static Split sharesSplit(Duration warmup, Duration window) {
        return LocalExecutorBuilder.create().name("sched-shares").preemptTimer(SHARES_PREEMPT_TIMER).make().run(() -> {
            LocalExecutor ex = LocalExecutor.current();
            TaskQueueHandle a = ex.createTaskQueue(Shares.of(SHARES_A), Latency.notImportant(), "hog-" + SHARES_A);
            TaskQueueHandle b = ex.createTaskQueue(Shares.of(SHARES_B), Latency.notImportant(), "hog-" + SHARES_B);
            CpuHog hogA = new CpuHog();
            CpuHog hogB = new CpuHog();
            Task<Void> taskA = Task.localInto(() -> hogA.run(LocalExecutor::yieldIfNeeded, 1), a);
            Task<Void> taskB = Task.localInto(() -> hogB.run(LocalExecutor::yieldIfNeeded, 1), b);
            try {
                // The main task sleeps in the default queue: it only wakes to take the snapshots.
                Timer.sleep(warmup);
                TaskQueueStats a0 = ex.taskQueueStats(a);
                TaskQueueStats b0 = ex.taskQueueStats(b);
                long startNs = System.nanoTime();
                Timer.sleep(window);
                TaskQueueStats da = ex.taskQueueStats(a).delta(a0);
                TaskQueueStats db = ex.taskQueueStats(b).delta(b0);
                long wallNs = System.nanoTime() - startNs;
                return new Split(da.runtime(), db.runtime(), da.schedulerRuns(), db.schedulerRuns(), wallNs);
            } finally {
                hogA.stop();
                hogB.stop();
                taskA.join();
                taskB.join();
            }
        });
    }

    /**
     * The wake-up delay of a periodic {@code Timer.sleep(1 ms)} in a {@code Latency.matters(1 ms)}
     * queue, with a CPU-bound queue (burns 20 µs, then {@code yieldIfNeeded()}) beside it when
     * {@code withHog}. Both queues have 1000 shares; the executor keeps its default time slice, so
     * what cuts the hog's turn short is the timer's deadline (the preempt timer is armed for the
     * earlier of the slice end and the next timer).
     */
    static WakeSampler.Summary wakeLatency(boolean withHog, int warmup, int count) {
        return LocalExecutorBuilder.create().name("sched-wake").make().run(() -> {
            LocalExecutor ex = LocalExecutor.current();
            TaskQueueHandle timerQueue = ex.createTaskQueue(Shares.of(1000), Latency.matters(PERIOD), "sleeper");
            TaskQueueHandle hogQueue = ex.createTaskQueue(Shares.of(1000), Latency.notImportant(), "hog");
            CpuHog hog = withHog ? new CpuHog() : null;
            Task<Void> hogTask = hog == null ? null : Task.localInto(() -> hog.run(LocalExecutor::yieldIfNeeded, 1), hogQueue);
            try {
                WakeSampler sampler = new WakeSampler(PERIOD, warmup, count);
                return Task.localInto(() -> sampler.sample(Timer::sleep, hog), timerQueue).join();
            } finally {
                if (hog != null) {
                    hog.stop();
                    hogTask.join();
                }
            }
        });
    }
}
