package io.github.jglommio.examples;

import io.github.jglommio.Latency;
import io.github.jglommio.LocalExecutor;
import io.github.jglommio.LocalExecutorBuilder;
import io.github.jglommio.Shares;
import io.github.jglommio.Task;
import io.github.jglommio.TaskQueueHandle;
import io.github.jglommio.timer.Timer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Cooperative preemption: the three ways a task gives the core back.
 * <ol>
 *   <li>{@code LocalExecutor.yieldIfNeeded()}: yield only when the time slice is over or a timer is
 *       due; {@code needPreempt()} costs a few ns (two loads of ring memory), so call it in hot loops;</li>
 *   <li>{@code LocalExecutor.yieldNow()}: always go to the back of the task queue;</li>
 *   <li>{@code LocalExecutor.yieldTaskQueueNow()}: end the whole queue's turn so other queues run.</li>
 * </ol>
 * A task that does none of these keeps the core until it parks (cooperative scheduling), which the
 * stall detector reports.
 */
public final class PreemptionExample {

    private PreemptionExample() {
    }

    /** Way 1: a timer beside a CPU loop that calls yieldIfNeeded, and beside one that does not. */
    static long[] yieldIfNeeded() {
        return new LocalExecutorBuilder().preemptTimer(Duration.ofMillis(1)).make().run(() -> {
            long[] delays = new long[2];
            for (int variant = 0; variant < 2; variant++) {
                boolean polite = variant == 0;
                long due = System.nanoTime() + 1_000_000;
                long[] firedAt = {0};
                Task<Void> timer = Task.local(() -> {
                    Timer.sleep(Duration.ofMillis(1));
                    firedAt[0] = System.nanoTime();
                });
                Task<Void> loop = Task.local(() -> {
                    long end = System.nanoTime() + 30_000_000;
                    while (System.nanoTime() < end) {
                        if (polite) {
                            LocalExecutor.yieldIfNeeded();
                        }
                    }
                });
                timer.join();
                loop.join();
                delays[variant] = (firedAt[0] - due) / 1000;
            }
            System.out.printf("  1. yieldIfNeeded: a 1 ms timer woke %d µs after its deadline beside a 30 ms CPU loop"
                    + " that calls yieldIfNeeded()%n"
                    + "     (good: about one 1 ms time slice or less; more when other processes take the CPU),%n"
                    + "     and %d µs after it beside the same loop without the call (the timer waits for the whole"
                    + " 30 ms loop: what yieldIfNeeded() prevents)%n", delays[0], delays[1]);
            return delays;
        });
    }

    /** Way 2: yieldNow interleaves tasks of one queue. */
    static String yieldNow() {
        return LocalExecutor.create().run(() -> {
            StringBuilder order = new StringBuilder();
            List<Task<Void>> tasks = new ArrayList<>();
            for (String name : List.of("x", "y")) {
                tasks.add(Task.local(() -> {
                    for (int i = 0; i < 3; i++) {
                        order.append(name).append(i).append(' ');
                        LocalExecutor.yieldNow();
                    }
                }));
            }
            tasks.forEach(Task::join);
            System.out.println("  2. yieldNow: " + order.toString().strip());
            return order.toString().strip();
        });
    }

    /** Way 3: yieldTaskQueueNow lets another queue run before the rest of this one. */
    static String yieldTaskQueueNow() {
        return LocalExecutor.create().run(() -> {
            var ex = LocalExecutor.current();
            TaskQueueHandle a = ex.createTaskQueue(Shares.of(1000), Latency.notImportant(), "a");
            TaskQueueHandle b = ex.createTaskQueue(Shares.of(1000), Latency.notImportant(), "b");
            StringBuilder order = new StringBuilder();
            Task<Void> a1 = Task.localInto(() -> {
                order.append("a1 ");
                LocalExecutor.yieldTaskQueueNow();
            }, a);
            Task<Void> a2 = Task.localInto(() -> {
                order.append("a2 ");
            }, a);
            Task<Void> b1 = Task.localInto(() -> {
                order.append("b1 ");
            }, b);
            a1.join();
            a2.join();
            b1.join();
            System.out.println("  3. yieldTaskQueueNow: " + order.toString().strip()
                    + " (queue b ran before the rest of queue a)");
            return order.toString().strip();
        });
    }

    public static void main(String[] args) {
        System.out.println("== cooperative preemption: three ways to yield ==");
        yieldIfNeeded();
        yieldNow();
        yieldTaskQueueNow();
    }
}
