package io.github.jglommio;

import io.github.jglommio.timer.Timer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PreemptionTest {

    @Test
    void shouldSeeNeedPreemptTurnTrueWhileSpinningWithoutSyscalls() {
        long spins = new LocalExecutorBuilder().preemptTimer(Duration.ofMillis(5)).make().run(() -> {
            long n = 0;
            // No syscall in this loop: only the kernel's timer can advance the latency ring's CQ tail.
            while (!LocalExecutor.needPreempt()) {
                n++;
                Thread.onSpinWait();
            }
            return n;
        });
        assertTrue(spins > 0);
    }

    @Test
    void shouldNotNeedPreemptionOutsideAnExecutor() {
        assertFalse(LocalExecutor.needPreempt());
        LocalExecutor.yieldIfNeeded(); // a no-op outside tasks
    }

    @Test
    void shouldLetALatencyQueueInWhileAHogYieldsIfNeeded() {
        int[] result = LocalExecutor.create().run(() -> {
            LocalExecutor ex = LocalExecutor.current();
            TaskQueueHandle hogQueue = ex.createTaskQueue(Shares.of(1000), Latency.notImportant(), "hog");
            TaskQueueHandle fast = ex.createTaskQueue(Shares.of(1000), Latency.matters(Duration.ofMillis(1)), "fast");
            int[] ticks = {0};
            int[] ticksWhenHogEnded = {-1};
            Task<Void> ticker = Task.localInto(() -> {
                for (int i = 0; i < 20; i++) {
                    Timer.sleep(Duration.ofMillis(2));
                    ticks[0]++;
                }
            }, fast);
            Task<Void> hog = Task.localInto(() -> {
                // 3 s of CPU at most; the ticker needs ~40 ms of wall time if it gets the CPU when due.
                long end = System.nanoTime() + 3_000_000_000L;
                while (System.nanoTime() < end && ticks[0] < 20) {
                    LocalExecutor.yieldIfNeeded();
                }
                ticksWhenHogEnded[0] = ticks[0];
            }, hogQueue);
            ticker.join();
            hog.join();
            return new int[] {ticks[0], ticksWhenHogEnded[0], (int) ex.taskQueueStats(hogQueue).preemptions()};
        });
        assertEquals(20, result[0]);
        assertEquals(20, result[1], "the ticker finished while the hog was still running");
        assertTrue(result[2] >= 10, "the hog was preempted " + result[2] + " times");
    }

    @Test
    void shouldReapIoBetweenPassesOfYieldingTasks() {
        // A task spinning on yieldNow() shares its queue with a task doing I/O: completions are reaped
        // after every pass over the queue, not only when the 100 ms slice ends.
        boolean[] ioFinishedFirst = LocalExecutor.create().run(() -> {
            boolean[] done = {false};
            boolean[] result = {false};
            Task<Void> spinner = Task.local(() -> {
                long end = System.nanoTime() + 2_000_000_000L;
                while (System.nanoTime() < end && !done[0]) {
                    LocalExecutor.yieldNow();
                }
                result[0] = done[0];
            });
            Task<Void> io = Task.local(() -> {
                for (int i = 0; i < 200; i++) {
                    IoUring.nop();
                }
                done[0] = true;
            });
            io.join();
            spinner.join();
            return result;
        });
        assertTrue(ioFinishedFirst[0], "200 NOPs completed while the spinner was still yielding");
    }

    @Test
    void shouldStarveNobodyWhenAHogNeverYields() {
        // Without yieldIfNeeded the hog keeps the thread; a timer can only fire after it returns.
        long[] r = LocalExecutor.create().run(() -> {
            long[] firedAt = {0};
            long start = System.nanoTime();
            Task<Void> sleeper = Task.local(() -> {
                Timer.sleep(Duration.ofMillis(1));
                firedAt[0] = System.nanoTime();
            });
            Task<Void> hog = Task.local(() -> TaskQueueTest.burn(50_000_000L));
            hog.join();
            sleeper.join();
            return new long[] {firedAt[0] - start};
        });
        assertTrue(r[0] >= 50_000_000L, "cooperative: the timer waited for the hog (" + r[0] + " ns)");
    }
}
