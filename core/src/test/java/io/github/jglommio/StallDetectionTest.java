package io.github.jglommio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StallDetectionTest {

    static void spinWithoutYielding(long ns) {
        TaskQueueTest.burn(ns);
    }

    @Test
    void shouldReportAStalledQueueWithTheTasksStack() {
        List<StallReport> reports = new CopyOnWriteArrayList<>();
        new LocalExecutorBuilder()
                .name("stalling")
                .preemptTimer(Duration.ofMillis(5))
                .detectStalls(reports::add)
                .stallThreshold(Duration.ofMillis(10))
                .make()
                .run(() -> {
                    Task.local(() -> spinWithoutYielding(200_000_000L)).join();
                    return null;
                });
        assertEquals(1, reports.size(), "one report per stalled turn");
        StallReport r = reports.get(0);
        assertEquals("stalling", r.executorName());
        assertEquals("default", r.taskQueue());
        assertEquals(Duration.ofMillis(15), r.budget());
        assertTrue(r.ranFor().compareTo(r.budget()) > 0);
        assertTrue(Arrays.stream(r.taskStack()).anyMatch(e -> e.getMethodName().equals("spinWithoutYielding")),
                Arrays.toString(r.taskStack()));
        assertTrue(r.describe().contains("spinWithoutYielding"), r.describe());
        assertTrue(r.describe().contains("without yielding"));
    }

    @Test
    void shouldStayQuietForTasksThatYield() {
        List<StallReport> reports = new CopyOnWriteArrayList<>();
        new LocalExecutorBuilder()
                .preemptTimer(Duration.ofMillis(5))
                .detectStalls(reports::add)
                .stallThreshold(Duration.ofMillis(50))
                .make()
                .run(() -> {
                    long end = System.nanoTime() + 200_000_000L;
                    while (System.nanoTime() < end) {
                        TaskQueueTest.burn(100_000);
                        LocalExecutor.yieldIfNeeded();
                    }
                    return null;
                });
        assertEquals(List.of(), reports);
    }
}
