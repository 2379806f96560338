package io.github.jglommio.examples;

import io.github.jglommio.ExecutorStats;
import io.github.jglommio.IoUring;
import io.github.jglommio.LocalExecutor;
import io.github.jglommio.Task;
import io.github.jglommio.TaskQueueStats;
import io.github.jglommio.timer.Timer;

import java.time.Duration;

/**
 * The guide's §10.1: executor statistics. jglommio's counters are cumulative (monotonic), so the
 * activity of an interval is a {@code delta} of two snapshots; they are also JMX MBeans
 * ({@code io.github.jglommio:type=Executor,...}) and JFR events ({@code io.github.jglommio.*}).
 */
public final class StatsExample {

    private StatsExample() {
    }

    public static void main(String[] args) {
        LocalExecutor.create().run(() -> {
            ExecutorStats before = LocalExecutor.current().stats();
            for (int i = 0; i < 1000; i++) {
                Task.local(() -> null).detach();
            }
            for (int i = 0; i < 100; i++) {
                IoUring.nop();
            }
            Timer.sleep(Duration.ofMillis(10));

            // The guide's snippet
            ExecutorStats stats = LocalExecutor.current().stats();
            System.out.println("Task queue depth: " + stats.taskQueueDepth());
            System.out.println("Total tasks: " + stats.totalTasks());
            System.out.println("IO submissions: " + stats.ioStats().submissions());
            System.out.println("IO completions: " + stats.ioStats().completions());

            ExecutorStats d = stats.delta(before);
            System.out.printf("In this interval: %d tasks spawned, %d executed, %d scheduler runs, %d ring "
                            + "submissions, busy %.2f ms, asleep %.2f ms%n", d.tasksSpawned(), d.tasksExecuted(),
                    d.schedulerRuns(), d.io().submissions(), d.busyTime().toNanos() / 1e6, d.sleepTime().toNanos() / 1e6);
            for (TaskQueueStats q : LocalExecutor.current().allTaskQueueStats()) {
                System.out.printf("Task queue '%s': shares %d, runtime %.2f ms, %d runs, depth %d%n", q.name(),
                        q.shares(), q.runtime().toNanos() / 1e6, q.schedulerRuns(), q.queueDepth());
            }
            System.out.println("(1000 detached tasks plus this main one; the ring carried the 100 NOPs plus the"
                    + " executor's own operations; busy = running tasks, asleep = waiting in io_uring_enter, here"
                    + " mostly the 10 ms sleep)");
            System.out.println("JMX: io.github.jglommio:type=Executor,name=\"" + LocalExecutor.current().name()
                    + "\",id=" + LocalExecutor.current().id() + "  (JFR: io.github.jglommio.ExecutorStats, "
                    + "io.github.jglommio.TaskQueueStats, io.github.jglommio.Stall)");
            return null;
        });
    }
}
