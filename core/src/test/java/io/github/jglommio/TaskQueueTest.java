package io.github.jglommio;

import io.github.jglommio.timer.Timer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TaskQueueTest {

    /** Burns about {@code ns} of CPU without syscalls. */
    static void burn(long ns) {
        long end = System.nanoTime() + ns;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    /** Runs a CPU-bound task per queue until their combined runtime reaches {@code totalNs}; returns runtimes. */
    static long[] cpuSplit(LocalExecutor ex, TaskQueueHandle a, TaskQueueHandle b, long totalNs) {
        boolean[] stop = new boolean[1];
        List<Task<Void>> hogs = new ArrayList<>();
        for (TaskQueueHandle q : List.of(a, b)) {
            hogs.add(Task.localInto(() -> {
                while (!stop[0]) {
                    burn(20_000);
                    LocalExecutor.yieldIfNeeded();
                }
            }, q));
        }
        TaskQueueStats a0 = ex.taskQueueStats(a);
        TaskQueueStats b0 = ex.taskQueueStats(b);
        while (true) {
            Timer.sleep(Duration.ofMillis(20));
            long ra = ex.taskQueueStats(a).delta(a0).runtime().toNanos();
            long rb = ex.taskQueueStats(b).delta(b0).runtime().toNanos();
            if (ra + rb >= totalNs) {
                stop[0] = true;
                hogs.forEach(Task::join);
                return new long[] {ra, rb};
            }
        }
    }

    @Test
    void shouldSplitCpuTimeByShares() {
        long[] rt = new LocalExecutorBuilder().preemptTimer(Duration.ofMillis(2)).make().run(() -> {
            LocalExecutor ex = LocalExecutor.current();
            TaskQueueHandle big = ex.createTaskQueue(Shares.of(1000), Latency.notImportant(), "big");
            TaskQueueHandle small = ex.createTaskQueue(Shares.of(500), Latency.notImportant(), "small");
            return cpuSplit(ex, big, small, 600_000_000L);
        });
        double ratio = (double) rt[0] / rt[1];
        assertTrue(ratio > 1.6 && ratio < 2.5, "shares 1000:500 gave a runtime ratio of " + ratio);
    }

    @Test
    void shouldFollowDynamicShares() {
        double[] ratios = new LocalExecutorBuilder().preemptTimer(Duration.ofMillis(2)).make().run(() -> {
            LocalExecutor ex = LocalExecutor.current();
            int[] dynamicShares = {1000};
            SharesManager manager = new SharesManager() {
                @Override
                public int shares() {
                    return dynamicShares[0];
                }

                @Override
                public Duration adjustmentPeriod() {
                    return Duration.ofMillis(5);
                }
            };
            TaskQueueHandle dyn = ex.createTaskQueue(Shares.dynamic(manager), Latency.notImportant(), "dynamic");
            TaskQueueHandle fixed = ex.createTaskQueue(Shares.of(250), Latency.notImportant(), "fixed");
            long[] phase1 = cpuSplit(ex, dyn, fixed, 300_000_000L);
            dynamicShares[0] = 50; // now 50 vs 250: the dynamic queue should get about a fifth as much
            Timer.sleep(Duration.ofMillis(10));
            long[] phase2 = cpuSplit(ex, dyn, fixed, 300_000_000L);
            assertEquals(50, ex.taskQueueStats(dyn).shares());
            return new double[] {(double) phase1[0] / phase1[1], (double) phase2[0] / phase2[1]};
        });
        assertTrue(ratios[0] > 2.5, "1000 vs 250 shares: ratio " + ratios[0]);
        assertTrue(ratios[1] < 0.4, "50 vs 250 shares: ratio " + ratios[1]);
    }

    @Test
    void shouldClampShares() {
        assertEquals(new Shares.Static(1000), Shares.of(5000));
        assertEquals(new Shares.Static(1), Shares.of(0));
        assertEquals(new Shares.Static(1), Shares.of(-3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Latency.matters(Duration.ZERO));
        assertTrue(e.getMessage().contains("positive"), e.getMessage());
    }

    @Test
    void shouldSpawnIntoTheCurrentQueueByDefault() {
        LocalExecutor.create().run(() -> {
            LocalExecutor ex = LocalExecutor.current();
            TaskQueueHandle q = ex.createTaskQueue(Shares.of(10), Latency.notImportant(), "q");
            assertEquals(0, ex.currentTaskQueue().index());
            TaskQueueHandle[] seen = new TaskQueueHandle[2];
            Task.localInto(() -> {
                seen[0] = LocalExecutor.current().currentTaskQueue();
                seen[1] = Task.local(() -> LocalExecutor.current().currentTaskQueue()).join();
            }, q).join();
            assertEquals(q, seen[0]);
            assertEquals(q, seen[1], "Task.local inherits the spawner's queue");
            return null;
        });
    }

    @Test
    void shouldRemoveOnlyIdleQueues() {
        LocalExecutor.create().run(() -> {
            LocalExecutor ex = LocalExecutor.current();
            TaskQueueHandle q = ex.createTaskQueue(Shares.of(10), Latency.notImportant(), "tmp");
            Task<Void> t = Task.localInto(() -> Timer.sleep(Duration.ofMillis(20)), q);
            IllegalStateException busy = assertThrows(IllegalStateException.class, () -> ex.removeTaskQueue(q));
            assertTrue(busy.getMessage().contains("still has 1 task"), busy.getMessage());
            t.join();
            ex.removeTaskQueue(q);
            IllegalArgumentException gone = assertThrows(IllegalArgumentException.class,
                    () -> Task.localInto(() -> 1, q));
            assertTrue(gone.getMessage().contains("does not exist"), gone.getMessage());
            assertThrows(IllegalArgumentException.class, () -> ex.removeTaskQueue(ex.currentTaskQueue()));
            assertThrows(IllegalArgumentException.class,
                    () -> Task.localInto(() -> 1, new TaskQueueHandle(ex.id() + 1000, 0)));
            return null;
        });
    }

    @Test
    void shouldEndTheQueueTurnOnYieldTaskQueueNow() {
        List<String> order = LocalExecutor.create().run(() -> {
            LocalExecutor ex = LocalExecutor.current();
            TaskQueueHandle a = ex.createTaskQueue(Shares.of(1000), Latency.notImportant(), "a");
            TaskQueueHandle b = ex.createTaskQueue(Shares.of(1000), Latency.notImportant(), "b");
            List<String> l = new ArrayList<>();
            Task<Void> a1 = Task.localInto(() -> {
                l.add("a1");
                LocalExecutor.yieldTaskQueueNow();
                l.add("a1 again");
            }, a);
            Task<Void> a2 = Task.localInto(() -> {
                l.add("a2");
            }, a);
            Task<Void> b1 = Task.localInto(() -> {
                l.add("b1");
            }, b);
            a1.join();
            a2.join();
            b1.join();
            return l;
        });
        // Queue a's turn ends at a1's yieldTaskQueueNow, so b runs before a2.
        assertEquals("a1", order.get(0));
        assertTrue(order.indexOf("b1") < order.indexOf("a2"), order.toString());
    }
}
