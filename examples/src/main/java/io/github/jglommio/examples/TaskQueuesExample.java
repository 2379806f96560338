package io.github.jglommio.examples;

import io.github.jglommio.Latency;
import io.github.jglommio.LocalExecutor;
import io.github.jglommio.LocalExecutorBuilder;
import io.github.jglommio.Shares;
import io.github.jglommio.Task;
import io.github.jglommio.TaskQueueHandle;
import io.github.jglommio.TaskQueueStats;
import io.github.jglommio.timer.Timer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The guide's §5: task queues with shares and latency classes (§5.1), priority scheduling (§5.2),
 * and picking the right class for latency-sensitive vs throughput work (§5.3).
 */
public final class TaskQueuesExample {

    private TaskQueuesExample() {
    }

    /** Burns CPU for {@code ms}, yielding whenever the scheduler asks. */
    static long crunch(long ms) {
        long end = System.nanoTime() + ms * 1_000_000;
        long iterations = 0;
        while (System.nanoTime() < end) {
            iterations++;
            LocalExecutor.yieldIfNeeded();
        }
        return iterations;
    }

    /** §5.1: create a high- and a low-priority queue. */
    static void section51() {
        LocalExecutor.create().run(() -> {
            var ex = LocalExecutor.current();
            TaskQueueHandle high = ex.createTaskQueue(Shares.of(1000), Latency.matters(Duration.ofMillis(1)),
                    "high-priority");
            TaskQueueHandle low = ex.createTaskQueue(Shares.of(100), Latency.notImportant(), "low-priority");
            System.out.println("  created " + ex.taskQueueStats(high).name() + " (1000 shares, latency matters: 1 ms) and "
                    + ex.taskQueueStats(low).name() + " (100 shares, latency not important)");
            return null;
        });
    }

    /** §5.2: a critical task and a background task; the CPU splits by shares. */
    static double section52() {
        return new LocalExecutorBuilder().preemptTimer(Duration.ofMillis(10)).make().run(() -> {
            var ex = LocalExecutor.current();
            TaskQueueHandle highTq = ex.createTaskQueue(Shares.of(1000), Latency.matters(Duration.ofMillis(10)), "high");
            TaskQueueHandle lowTq = ex.createTaskQueue(Shares.of(100), Latency.notImportant(), "low");
            Task<String> highTask = Task.localInto(() -> {
                crunch(200);                      // "process_critical_request"
                return "critical done";
            }, highTq);
            Task<String> lowTask = Task.localInto(() -> {
                crunch(200);                      // "cleanup_old_data"
                return "cleanup done";
            }, lowTq);
            String high = highTask.join();        // futures::join!(high_task, low_task)
            TaskQueueStats lowAtHighEnd = ex.taskQueueStats(lowTq);
            String low = lowTask.join();
            TaskQueueStats h = ex.taskQueueStats(highTq);
            double ratio = (double) h.runtime().toNanos() / Math.max(1, lowAtHighEnd.runtime().toNanos());
            System.out.printf("  %s, %s; while both ran, high got %.1f× the CPU of low%n    (shares 1000:100 ask for"
                    + " 10×, and 8-10× is on target: the split is kept in 10 ms slices over a 200 ms run, and CPU"
                    + " time other processes take counts against the queue that was running)%n", high, low, ratio);
            return ratio;
        });
    }

    /** §5.3: a latency-sensitive queue keeps its timer schedule while a throughput queue crunches. */
    static long section53() {
        return LocalExecutor.create().run(() -> {
            var ex = LocalExecutor.current();
            TaskQueueHandle latencySensitive = ex.createTaskQueue(Shares.of(1000),
                    Latency.matters(Duration.ofMillis(1)), "latency-sensitive");
            TaskQueueHandle throughputOriented = ex.createTaskQueue(Shares.of(500), Latency.notImportant(),
                    "throughput-oriented");
            boolean[] stop = {false};
            Task<Void> crunching = Task.localInto(() -> {
                while (!stop[0]) {
                    crunch(1);
                }
            }, throughputOriented);
            List<Long> lateness = new ArrayList<>();
            Task.localInto(() -> {
                for (int i = 0; i < 100; i++) {
                    long due = System.nanoTime() + 2_000_000;
                    Timer.sleep(Duration.ofMillis(2));
                    lateness.add(System.nanoTime() - due);
                }
            }, latencySensitive).join();
            stop[0] = true;
            crunching.join();
            Collections.sort(lateness);
            long p50 = lateness.get(49) / 1000;
            long p99 = lateness.get(98) / 1000;
            System.out.printf("  100 timer wake-ups of the latency-sensitive queue beside a CPU-bound queue: "
                    + "lateness p50 %d µs, p99 %d µs%n    (how long after its deadline each 2 ms sleep woke; the"
                    + " 1 ms latency class keeps it under 1 ms, tens of µs on an idle machine; more means other"
                    + " processes took the CPU)%n", p50, p99);
            return p99;
        });
    }

    public static void main(String[] args) {
        System.out.println("== guide §5.1: task queues ==");
        section51();
        System.out.println("== guide §5.2: priority scheduling ==");
        section52();
        System.out.println("== guide §5.3: fairness and latency ==");
        section53();
    }
}
