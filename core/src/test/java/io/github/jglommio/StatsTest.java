package io.github.jglommio;

import io.github.jglommio.timer.Timer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StatsTest {

    @Test
    void shouldCountTasksTurnsAndRingTraffic() {
        ExecutorStats d = LocalExecutor.create().run(() -> {
            LocalExecutor ex = LocalExecutor.current();
            ExecutorStats before = ex.stats();
            for (int i = 0; i < 100; i++) {
                Task.local(() -> 1).join();
            }
            for (int i = 0; i < 50; i++) {
                IoUring.nop();
            }
            Timer.sleep(Duration.ofMillis(5));
            return ex.stats().delta(before);
        });
        assertEquals(100, d.tasksSpawned());
        assertEquals(100, d.totalTasks());
        assertEquals(100, d.tasksExecuted());
        // A spawn+join runs within one turn; each NOP needs a new turn after its completion is reaped.
        assertTrue(d.schedulerRuns() >= 50, "turns: " + d.schedulerRuns());
        assertTrue(d.taskRuns() >= 200, "task runs: " + d.taskRuns());
        assertTrue(d.io().submissions() >= 50, "submissions: " + d.io().submissions());
        assertTrue(d.io().completions() >= 50, "completions: " + d.io().completions());
        assertTrue(d.sleeps() >= 1, "the 5 ms sleep put the executor to sleep");
        assertTrue(d.sleepTime().toNanos() > 0);
        assertEquals(1, d.liveTasks(), "only the main task is alive");
        assertEquals(d.io(), d.ioStats());
    }

    @Test
    void shouldReportPerQueueCountersAndGauges() {
        LocalExecutor.create().run(() -> {
            LocalExecutor ex = LocalExecutor.current();
            TaskQueueHandle q = ex.createTaskQueue(Shares.of(300), Latency.matters(Duration.ofMillis(3)), "work");
            TaskQueueStats before = ex.taskQueueStats(q);
            assertEquals("work", before.name());
            assertEquals(300, before.shares());
            assertEquals(Latency.matters(Duration.ofMillis(3)), before.latency());
            Task<Void> sleeper = Task.localInto(() -> Timer.sleep(Duration.ofMillis(20)), q);
            for (int i = 0; i < 10; i++) {
                Task.localInto(() -> TaskQueueTest.burn(100_000), q).join();
            }
            TaskQueueStats d = ex.taskQueueStats(q).delta(before);
            assertEquals(11, d.tasksSpawned());
            assertEquals(1, d.liveTasks(), "the sleeper is alive");
            assertTrue(d.runtime().toNanos() >= 1_000_000L, "10 × 100 µs of CPU: " + d.runtime());
            assertTrue(d.taskRuns() >= 11);
            sleeper.join();
            List<TaskQueueStats> all = ex.allTaskQueueStats();
            assertEquals(List.of("default", "work"), all.stream().map(TaskQueueStats::name).toList());
            return null;
        });
    }

    @Test
    void shouldRefuseToSubtractStatsOfDifferentExecutors() {
        ExecutorStats a = LocalExecutor.create().run(() -> LocalExecutor.current().stats());
        ExecutorStats b = LocalExecutor.create().run(() -> LocalExecutor.current().stats());
        assertThrows(IllegalArgumentException.class, () -> a.delta(b));
    }

    @Test
    void shouldBeMonotonic() {
        LocalExecutor.create().run(() -> {
            LocalExecutor ex = LocalExecutor.current();
            ExecutorStats s1 = ex.stats();
            Task.local(() -> 1).join();
            Timer.sleep(Duration.ofMillis(1)); // turn counters are added when a turn ends
            ExecutorStats s2 = ex.stats();
            assertTrue(s2.tasksSpawned() > s1.tasksSpawned());
            assertTrue(s2.schedulerRuns() > s1.schedulerRuns());
            assertTrue(s2.busyTime().compareTo(s1.busyTime()) >= 0);
            return null;
        });
    }
}
