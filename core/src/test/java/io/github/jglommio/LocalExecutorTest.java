package io.github.jglommio;

import io.github.jglommio.timer.Timer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LocalExecutorTest {

    @Test
    void shouldReturnTheMainTaskResult() {
        int result = LocalExecutor.create().run(() -> {
            Task<Integer> task = Task.local(() -> {
                Timer.sleep(Duration.ofMillis(10));
                return 42;
            });
            return task.join();
        });
        assertEquals(42, result);
    }

    @Test
    void shouldRunTasksOnTheCallingThreadAsVirtualThreads() {
        Thread caller = Thread.currentThread();
        List<Object> seen = LocalExecutor.create().run(() -> {
            List<Object> facts = new ArrayList<>();
            facts.add(Thread.currentThread().isVirtual());
            facts.add(io.github.jglommio.loom.Loom.currentCarrierThread());
            facts.add(LocalExecutor.current().name());
            return facts;
        });
        assertEquals(true, seen.get(0));
        assertSame(caller, seen.get(1));
        assertTrue(((String) seen.get(2)).startsWith("executor-"));
    }

    @Test
    void shouldRethrowUncheckedFailuresAsTheyAre() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LocalExecutor.create().run(() -> {
                    throw new IllegalArgumentException("boom");
                }));
        assertEquals("boom", e.getMessage());
    }

    @Test
    void shouldWrapCheckedFailuresInCompletionException() {
        CompletionException e = assertThrows(CompletionException.class,
                () -> LocalExecutor.create().run(() -> {
                    throw new IOException("disk");
                }));
        assertInstanceOf(IOException.class, e.getCause());
    }

    @Test
    void shouldRefuseNestedRun() {
        IllegalStateException e = LocalExecutor.create().run(() ->
                assertThrows(IllegalStateException.class, () -> LocalExecutor.create().run(() -> 1)));
        assertTrue(e.getMessage().contains("nested run()"), e.getMessage());
    }

    @Test
    void shouldRunOnlyOnce() {
        LocalExecutor ex = LocalExecutor.create();
        ex.run(() -> 1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ex.run(() -> 2));
        assertTrue(e.getMessage().contains("already run"), e.getMessage());
    }

    @Test
    void shouldRefuseRunOnAVirtualThread() throws Exception {
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                LocalExecutor.create().run(() -> 1);
                failure.complete(null);
            } catch (Throwable t) {
                failure.complete(t);
            }
        }).join();
        Throwable t = failure.get();
        assertInstanceOf(IllegalStateException.class, t);
        assertTrue(t.getMessage().contains("platform thread"), t.getMessage());
    }

    @Test
    void shouldCountTheTasksReadyToRunBesidesTheCaller() {
        assertEquals(0, LocalExecutor.runnableTasks(), "outside an executor");
        List<Long> seen = LocalExecutor.create().run(() -> {
            List<Long> counts = new ArrayList<>();
            counts.add(LocalExecutor.runnableTasks());
            List<Task<Long>> tasks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                tasks.add(Task.local(LocalExecutor::runnableTasks));
            }
            counts.add(LocalExecutor.runnableTasks());
            for (Task<Long> t : tasks) {
                counts.add(t.join());
            }
            return counts;
        });
        // None, then the three spawned. The first sees the two behind it; its end wakes the caller
        // (parked in join), so the second sees the third and the caller, the third the caller.
        assertEquals(List.of(0L, 3L, 2L, 2L, 1L), seen);
    }

    @Test
    void shouldExplainCallsOutsideAnExecutor() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Task.local(() -> 1));
        assertTrue(e.getMessage().contains("not running on a jglommio executor"), e.getMessage());
        assertThrows(IllegalStateException.class, LocalExecutor::current);
        assertThrows(IllegalStateException.class, LocalExecutor::yieldNow);
        assertThrows(IllegalStateException.class, () -> Timer.sleep(Duration.ofMillis(1)));
        assertFalse(LocalExecutor.isOnExecutor());
    }

    @Test
    void shouldValidateBuilderArguments() {
        LocalExecutorBuilder b = LocalExecutorBuilder.create();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.ringDepth(0));
        assertTrue(e.getMessage().contains("between 1 and 32768"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.ringDepth(40000));
        assertThrows(IllegalArgumentException.class, () -> b.preemptTimer(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> b.spinBeforePark(Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> b.name(" "));
        assertThrows(NullPointerException.class, () -> b.name(null));
    }

    @Test
    void shouldSpawnNamedExecutorsOnTheirOwnThreads() {
        ExecutorJoinHandle<String> h = LocalExecutorBuilder.create()
                .name("worker-x")
                .ringDepth(1024)
                .preemptTimer(Duration.ofMillis(1))
                .spinBeforePark(Duration.ofMillis(1))
                .spawn(() -> LocalExecutor.current().name() + "@" + io.github.jglommio.loom.Loom.currentCarrierThread().getName());
        assertEquals("worker-x@worker-x", h.join());
        assertTrue(h.isDone());
    }

    @Test
    void shouldAssignDistinctIds() {
        long a = LocalExecutor.create().run(() -> LocalExecutor.current().id());
        long b = LocalExecutor.create().run(() -> LocalExecutor.current().id());
        assertNotEquals(a, b);
    }

    @Test
    void shouldAcceptWorkFromOtherThreads() throws Exception {
        CompletableFuture<Void> release = new CompletableFuture<>();
        ExecutorJoinHandle<Integer> h = LocalExecutorBuilder.create().spawn(() -> {
            while (!release.isDone()) {
                Timer.sleep(Duration.ofMillis(5));
            }
            return 7;
        });
        for (int i = 0; i < 10; i++) {
            int n = i;
            assertEquals(n * 2, h.handle().submit(() -> {
                Timer.sleep(Duration.ofMillis(1));
                return n * 2;
            }).get(10, TimeUnit.SECONDS));
        }
        CompletableFuture<Object> failing = h.handle().submit(() -> {
            throw new IllegalStateException("from task");
        });
        CompletionException e = assertThrows(CompletionException.class, failing::join);
        assertInstanceOf(IllegalStateException.class, e.getCause());
        release.complete(null);
        assertEquals(7, h.join());
        CompletableFuture<Integer> late = h.handle().submit(() -> 1);
        CompletionException rejected = assertThrows(CompletionException.class, late::join);
        assertInstanceOf(RejectedExecutionException.class, rejected.getCause());
    }

    @Test
    void shouldRunWorkSubmittedBeforeTheExecutorStarts() throws Exception {
        LocalExecutor ex = LocalExecutor.create();
        CompletableFuture<String> early = ex.handle().submit(() -> LocalExecutor.current().name());
        Thread t = Thread.ofPlatform().start(() -> ex.run(() -> {
            Timer.sleep(Duration.ofMillis(50));
            return null;
        }));
        assertEquals(ex.name(), early.get(10, TimeUnit.SECONDS));
        t.join();
    }

    @Test
    void shouldSleepWhenIdleInsteadOfSpinning() {
        // While the only task sleeps for 300 ms, the loop must block in io_uring_enter: a handful of
        // loop turns, not thousands.
        long[] counts = LocalExecutor.create().run(() -> {
            LocalExecutor ex = LocalExecutor.current();
            long before = ex.schedulerRuns();
            long sleepsBefore = ex.sleeps();
            Timer.sleep(Duration.ofMillis(300));
            return new long[] {ex.schedulerRuns() - before, ex.sleeps() - sleepsBefore};
        });
        assertTrue(counts[0] <= 5, "scheduler ran " + counts[0] + " times while idle");
        assertTrue(counts[1] >= 1 && counts[1] <= 5, "slept " + counts[1] + " times");
    }
}
