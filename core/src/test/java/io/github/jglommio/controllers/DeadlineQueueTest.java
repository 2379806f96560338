package io.github.jglommio.controllers;

import io.github.jglommio.Latency;
import io.github.jglommio.LocalExecutor;
import io.github.jglommio.LocalExecutorBuilder;
import io.github.jglommio.Shares;
import io.github.jglommio.Task;
import io.github.jglommio.TaskQueueHandle;
import io.github.jglommio.TaskQueueStats;
import io.github.jglommio.timer.Timer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntPredicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

// SEPARATE_THREAD: a test stuck inside LocalExecutor.run() does not react to the interrupt of the
// default timeout mode, which would hang the whole build.
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DeadlineQueueTest {

    private static final Duration PERIOD = Duration.ofMillis(5);
    /** How long a test waits for something to happen before failing. */
    private static final long SETTLE_LIMIT_NS = TimeUnit.SECONDS.toNanos(5);

    /** Burns about {@code ns} of CPU without syscalls. */
    private static void burn(long ns) {
        long end = System.nanoTime() + ns;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    /** An action that sleeps in 1 ms steps until {@code release[0]}, so its queue wakes often. */
    private static TestSource waitingSource(Duration expected, long total, boolean[] release, int result) {
        return new TestSource(expected, total).withAction(() -> {
            while (!release[0]) {
                Timer.sleep(Duration.ofMillis(1));
            }
            return result;
        });
    }

    /** Parks until the queue's scheduler shares satisfy {@code done}, or the limit passes; returns them. */
    private static int awaitShares(DeadlineQueue<?> dq, IntPredicate done) {
        long limit = System.nanoTime() + SETTLE_LIMIT_NS;
        int shares = dq.currentShares();
        while (!done.test(shares) && System.nanoTime() - limit < 0) {
            Timer.sleep(PERIOD);
            shares = dq.currentShares();
        }
        return shares;
    }

    /** Parks until {@code n} items are queued (running included); fails after the limit. */
    private static void awaitQueued(DeadlineQueue<?> dq, int n) {
        long limit = System.nanoTime() + SETTLE_LIMIT_NS;
        while (dq.controller.queue.size() != n) {
            if (System.nanoTime() - limit > 0) {
                fail("expected " + n + " queued items, found " + dq.controller.queue.size());
            }
            Timer.sleep(Duration.ofMillis(1));
        }
    }

    @Test
    void shouldReturnWhatTheActionReturns() {
        List<Integer> results = LocalExecutor.create().run(() -> {
            try (DeadlineQueue<Integer> dq = new DeadlineQueue<>("dq", Duration.ofMillis(250))) {
                List<Integer> l = new ArrayList<>();
                l.add(dq.pushWork(new TestSource(Duration.ofSeconds(1), 10).withAction(() -> 42)));
                // Glommio's "behaves well with zero total units", and a zero duration: due at once.
                l.add(dq.pushWork(new TestSource(Duration.ofSeconds(1), 0).withAction(() -> 7)));
                l.add(dq.pushWork(new TestSource(Duration.ZERO, 0).withAction(() -> {
                    Timer.sleep(Duration.ofMillis(2));
                    return 8;
                })));
                assertEquals(0, dq.controller.queue.size(), "finished work leaves the queue");
                return l;
            }
        });
        assertEquals(List.of(42, 7, 8), results);
    }

    @Test
    void shouldRunWorkOneAtATimeInPushOrderInItsOwnTaskQueue() {
        LocalExecutor.create().run(() -> {
            DeadlineQueue<Integer> dq = new DeadlineQueue<>("fifo", PERIOD);
            List<Integer> pushed = new ArrayList<>();
            List<Integer> ran = new ArrayList<>();
            int[] running = new int[2]; // now, maximum
            List<TaskQueueHandle> queues = new ArrayList<>();
            List<Task<Integer>> pushers = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int id = i;
                TestSource s = new TestSource(Duration.ofSeconds(10), 1).withAction(() -> {
                    running[1] = Math.max(running[1], ++running[0]);
                    ran.add(id);
                    queues.add(LocalExecutor.current().currentTaskQueue());
                    Timer.sleep(Duration.ofMillis(2)); // lets the other pushers and actions run if they could
                    running[0]--;
                    return id * 10;
                });
                pushers.add(Task.local(() -> {
                    pushed.add(id); // no switch point before pushWork admits the work
                    return dq.pushWork(s);
                }));
            }
            for (int i = 0; i < pushers.size(); i++) {
                assertEquals(i * 10, pushers.get(i).join());
            }
            assertEquals(pushed, ran, "actions run in push order");
            assertEquals(1, running[1], "at most one action at a time");
            assertEquals(5, queues.size());
            queues.forEach(q -> assertEquals(dq.taskQueue(), q));
            dq.close();
            return null;
        });
    }

    @Test
    void shouldRejectADeadlineEarlierThanQueuedWork() {
        LocalExecutor.create().run(() -> {
            DeadlineQueue<Integer> dq = new DeadlineQueue<>("monotonic", PERIOD);
            boolean[] release = {false};
            Task<Integer> first = Task.local(() -> dq.pushWork(waitingSource(Duration.ofSeconds(2), 1, release, 1)));
            awaitQueued(dq, 1);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> dq.pushWork(new TestSource(Duration.ofSeconds(1), 1)));
            assertTrue(e.getMessage().contains("must not decrease"), e.getMessage());
            assertEquals(1, dq.controller.queue.size(), "the rejected work was not queued");
            Task<Integer> later = Task.local(() -> dq.pushWork(new TestSource(Duration.ofSeconds(3), 1)
                    .withAction(() -> 3)));
            awaitQueued(dq, 2);
            release[0] = true;
            assertEquals(1, first.join());
            assertEquals(3, later.join());
            dq.close();
            return null;
        });
    }

    @Test
    void shouldRejectBadInput() {
        LocalExecutor.create().run(() -> {
            IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                    () -> new DeadlineQueue<Integer>("p", Duration.ZERO));
            assertTrue(zero.getMessage().contains("must be positive"), zero.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new DeadlineQueue<Integer>("p", Duration.ofMillis(-1)));
            assertThrows(NullPointerException.class, () -> new DeadlineQueue<Integer>(null, PERIOD));
            assertThrows(NullPointerException.class, () -> new DeadlineQueue<Integer>("p", null));

            DeadlineQueue<Integer> dq = new DeadlineQueue<>("bad", PERIOD);
            assertThrows(NullPointerException.class, () -> dq.pushWork(null));
            assertThrows(NullPointerException.class, () -> dq.pushWork(new TestSource(null, 1)));
            IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                    () -> dq.pushWork(new TestSource(Duration.ofSeconds(-1), 1)));
            assertTrue(negative.getMessage().contains("must not be negative"), negative.getMessage());
            IllegalArgumentException huge = assertThrows(IllegalArgumentException.class,
                    () -> dq.pushWork(new TestSource(Duration.ofDays(365L * 1000), 1)));
            assertTrue(huge.getMessage().contains("at most"), huge.getMessage());
            IllegalArgumentException units = assertThrows(IllegalArgumentException.class,
                    () -> dq.pushWork(new TestSource(Duration.ofSeconds(1), -5)));
            assertTrue(units.getMessage().contains("-5"), units.getMessage());
            TestSource negativeProgress = new TestSource(Duration.ofSeconds(1), 5);
            negativeProgress.processed = -1;
            assertThrows(IllegalArgumentException.class, () -> dq.pushWork(negativeProgress));
            assertEquals(0, dq.controller.queue.size(), "nothing was admitted");
            assertEquals(5, dq.pushWork(new TestSource(Duration.ofSeconds(1), 1).withAction(() -> 5)),
                    "the queue still works");
            dq.close();
            return null;
        });
        IllegalStateException outside = assertThrows(IllegalStateException.class,
                () -> new DeadlineQueue<Integer>("outside", PERIOD));
        assertTrue(outside.getMessage().contains("not a jglommio task"), outside.getMessage());
    }

    @Test
    void shouldRefuseWorkAndRemoveItsTaskQueueOnceClosed() {
        LocalExecutor.create().run(() -> {
            LocalExecutor ex = LocalExecutor.current();
            DeadlineQueue<Integer> dq = new DeadlineQueue<>("closing", PERIOD);
            TaskQueueHandle tq = dq.taskQueue();
            assertEquals("closing", ex.taskQueueStats(tq).name());
            assertFalse(dq.isClosed());
            dq.close();
            assertTrue(dq.isClosed());
            IllegalStateException push = assertThrows(IllegalStateException.class,
                    () -> dq.pushWork(new TestSource(Duration.ofSeconds(1), 1)));
            assertTrue(push.getMessage().contains("closed"), push.getMessage());
            assertThrows(IllegalStateException.class, dq::currentShares);
            assertThrows(IllegalArgumentException.class, () -> ex.taskQueueStats(tq), "the task queue was removed");
            dq.close(); // idempotent
            return null;
        });
    }

    @Test
    void shouldWaitForPushedWorkWhenClosing() {
        LocalExecutor.create().run(() -> {
            DeadlineQueue<Integer> dq = new DeadlineQueue<>("drain", PERIOD);
            boolean[] finished = new boolean[2];
            Task<Integer> pusher = Task.local(() -> dq.pushWork(new TestSource(Duration.ofSeconds(1), 1)
                    .withAction(() -> {
                        Timer.sleep(Duration.ofMillis(20));
                        finished[0] = true;
                        return 1;
                    })));
            Task<Integer> second = Task.local(() -> dq.pushWork(new TestSource(Duration.ofSeconds(1), 1)
                    .withAction(() -> {
                        finished[1] = true;
                        return 2;
                    })));
            awaitQueued(dq, 2);
            dq.close();
            assertTrue(finished[0] && finished[1], "close() returned before the queued work finished");
            assertEquals(1, pusher.join());
            assertEquals(2, second.join());
            return null;
        });
    }

    @Test
    void shouldOnlyBeUsedFromItsExecutor() {
        TestSource source = new TestSource(Duration.ofSeconds(1), 1);
        DeadlineQueue<Integer> dq = LocalExecutor.create().run(() -> new DeadlineQueue<Integer>("owned", PERIOD));
        WrongThreadException other = LocalExecutor.create().run(
                () -> assertThrows(WrongThreadException.class, () -> dq.pushWork(source)));
        assertTrue(other.getMessage().contains("DeadlineQueue.pushWork()"), other.getMessage());
        assertThrows(WrongThreadException.class, () -> dq.pushWork(source));
        assertThrows(WrongThreadException.class, dq::currentShares);
        assertThrows(WrongThreadException.class, dq::bumpPriority);
        assertThrows(WrongThreadException.class, dq::close);
    }

    @Test
    void shouldRefuseToWaitForItselfFromAnAction() {
        LocalExecutor.create().run(() -> {
            DeadlineQueue<Integer> dq = new DeadlineQueue<>("reentrant", PERIOD);
            IllegalStateException push = assertThrows(IllegalStateException.class, () -> dq.pushWork(
                    new TestSource(Duration.ofSeconds(1), 1).withAction(
                            () -> dq.pushWork(new TestSource(Duration.ofSeconds(2), 1))))); // rethrown as is
            assertTrue(push.getMessage().contains("would wait for that action itself"), push.getMessage());
            assertThrows(IllegalStateException.class, () -> dq.pushWork(
                    new TestSource(Duration.ofSeconds(3), 1).withAction(() -> {
                        dq.close();
                        return 0;
                    })));
            assertFalse(dq.isClosed());
            dq.close();
            return null;
        });
    }

    @Test
    void shouldRethrowFailuresAndCarryOn() {
        LocalExecutor.create().run(() -> {
            DeadlineQueue<Integer> dq = new DeadlineQueue<>("failures", PERIOD);
            IOException io = new IOException("disk on fire");
            CompletionException checked = assertThrows(CompletionException.class, () -> dq.pushWork(
                    new TestSource(Duration.ofSeconds(1), 1).withAction(() -> {
                        throw io;
                    })));
            assertSame(io, checked.getCause());
            IllegalStateException unchecked = new IllegalStateException("bad state");
            assertSame(unchecked, assertThrows(IllegalStateException.class, () -> dq.pushWork(
                    new TestSource(Duration.ofSeconds(1), 1).withAction(() -> {
                        throw unchecked;
                    }))));
            assertEquals(3, dq.pushWork(new TestSource(Duration.ofSeconds(1), 1).withAction(() -> 3)));
            dq.close();
            return null;
        });
    }

    @Test
    void shouldDropQueuedWorkWhosePusherIsCancelled() {
        LocalExecutor.create().run(() -> {
            DeadlineQueue<Integer> dq = new DeadlineQueue<>("drop", PERIOD);
            boolean[] release = {false};
            boolean[] droppedRan = {false};
            Task<Integer> first = Task.local(() -> dq.pushWork(waitingSource(Duration.ofSeconds(1), 1, release, 1)));
            Task<Integer> dropped = Task.local(() -> dq.pushWork(new TestSource(Duration.ofSeconds(2), 1)
                    .withAction(() -> {
                        droppedRan[0] = true;
                        return 2;
                    })));
            awaitQueued(dq, 2);
            assertTrue(dropped.cancel());
            assertThrows(CancellationException.class, dropped::join);
            assertEquals(1, dq.controller.queue.size(), "the cancelled pusher's work left the queue");
            release[0] = true;
            assertEquals(1, first.join());
            assertEquals(3, dq.pushWork(new TestSource(Duration.ofSeconds(3), 1).withAction(() -> 3)));
            assertFalse(droppedRan[0], "work dropped before it started must never run");
            dq.close();
            return null;
        });
    }

    @Test
    void shouldInterruptRunningWorkWhosePusherIsCancelled() {
        LocalExecutor.create().run(() -> {
            DeadlineQueue<Integer> dq = new DeadlineQueue<>("interrupt", PERIOD);
            boolean[] started = {false};
            Throwable[] seen = new Throwable[1];
            Task<Integer> pusher = Task.local(() -> dq.pushWork(new TestSource(Duration.ofSeconds(30), 1)
                    .withAction(() -> {
                        started[0] = true;
                        try {
                            Timer.sleep(Duration.ofSeconds(30));
                        } catch (CancellationException e) {
                            seen[0] = e;
                            throw e;
                        }
                        return 1;
                    })));
            while (!started[0]) {
                Timer.sleep(Duration.ofMillis(1));
            }
            pusher.cancel();
            assertThrows(CancellationException.class, pusher::join);
            // The queue moves on once the interrupted action returns, well before its 30 s sleep.
            assertEquals(2, dq.pushWork(new TestSource(Duration.ofSeconds(31), 1).withAction(() -> 2)));
            assertInstanceOf(CancellationException.class, seen[0]);
            dq.close();
            return null;
        });
    }

    @Test
    void shouldLowerSharesWhenAheadAndRaiseThemWhenBehind() {
        int[] shares = LocalExecutor.create().run(() -> {
            DeadlineQueue<Integer> dq = new DeadlineQueue<>("control", PERIOD);
            boolean[] release = {false};
            TestSource s = waitingSource(Duration.ofSeconds(30), 1000, release, 1);
            s.processed = 1000; // everything done at once: far ahead of a 30 s pace
            Task<Integer> pusher = Task.local(() -> dq.pushWork(s));
            int ahead = awaitShares(dq, sh -> sh == 1);
            s.total = 1_000_000_000L; // the work grew a millionfold: now far behind
            int behind = awaitShares(dq, sh -> sh >= 900);
            assertEquals(behind, LocalExecutor.current().taskQueueStats(dq.taskQueue()).shares());
            release[0] = true;
            assertEquals(1, pusher.join());
            dq.close();
            return new int[] {ahead, behind};
        });
        assertEquals(1, shares[0], "shares of work that is ahead");
        assertTrue(shares[1] >= 900, "shares of work that is behind: " + shares[1]);
    }

    @Test
    void shouldApplyDisabledSharesAndPriorityBumps() {
        LocalExecutor.create().run(() -> {
            DeadlineQueue<Integer> dq = new DeadlineQueue<>("manual", PERIOD);
            assertEquals(ControllerStatus.ENABLED, dq.status());
            boolean[] release = {false};
            TestSource s = waitingSource(Duration.ofSeconds(30), 1000, release, 1);
            s.processed = 1000; // ahead: the controller alone would settle on 1 share
            Task<Integer> pusher = Task.local(() -> dq.pushWork(s));
            assertEquals(1, awaitShares(dq, sh -> sh == 1));
            dq.disable(37);
            assertEquals(new ControllerStatus.Disabled(37), dq.status());
            assertEquals(37, awaitShares(dq, sh -> sh == 37));
            dq.disable(5000);
            assertEquals(new ControllerStatus.Disabled(1000), dq.status(), "clamped to 1..1000");
            dq.enable();
            assertEquals(ControllerStatus.ENABLED, dq.status());
            assertEquals(1, awaitShares(dq, sh -> sh == 1));
            PriorityBump outer = dq.bumpPriority();
            PriorityBump inner = dq.bumpPriority();
            assertEquals(250, awaitShares(dq, sh -> sh == 250));
            inner.close();
            inner.close(); // idempotent: must not release the outer bump too
            Timer.sleep(PERIOD.multipliedBy(4));
            assertEquals(250, dq.currentShares(), "the outer bump is still open");
            outer.close();
            assertEquals(1, awaitShares(dq, sh -> sh == 1));
            release[0] = true;
            assertEquals(1, pusher.join());
            dq.close();
            return null;
        });
    }

    /**
     * Runs a CPU-bound action in a deadline queue against a CPU hog with 1000 shares until they used
     * {@code totalNs} together; returns the deadline queue's runtime divided by the hog's.
     */
    private static double cpuRatio(LocalExecutor ex, TaskQueueHandle hog, Consumer<DeadlineQueue<Integer>> setup,
                                   long totalNs) {
        DeadlineQueue<Integer> dq = new DeadlineQueue<>("behind", Duration.ofMillis(10));
        setup.accept(dq);
        boolean[] stop = {false};
        // A lot of work and no progress reported: always behind its pace.
        TestSource s = new TestSource(Duration.ofSeconds(60), 1_000_000_000L).withAction(() -> {
            while (!stop[0]) {
                burn(20_000);
                LocalExecutor.yieldIfNeeded();
            }
            return 0;
        });
        Task<Integer> pusher = Task.local(() -> dq.pushWork(s));
        Task<Void> hogTask = Task.localInto(() -> {
            while (!stop[0]) {
                burn(20_000);
                LocalExecutor.yieldIfNeeded();
            }
        }, hog);
        awaitQueued(dq, 1);
        TaskQueueStats d0 = ex.taskQueueStats(dq.taskQueue());
        TaskQueueStats h0 = ex.taskQueueStats(hog);
        long rd;
        long rh;
        do {
            Timer.sleep(Duration.ofMillis(20));
            rd = ex.taskQueueStats(dq.taskQueue()).delta(d0).runtime().toNanos();
            rh = ex.taskQueueStats(hog).delta(h0).runtime().toNanos();
        } while (rd + rh < totalNs);
        stop[0] = true;
        pusher.join();
        hogTask.join();
        dq.close();
        return (double) rd / Math.max(1, rh);
    }

    @Test
    void shouldGiveWorkThatIsBehindMoreCpuThanItsMinimumShares() {
        double[] ratios = new LocalExecutorBuilder().preemptTimer(Duration.ofMillis(2)).make().run(() -> {
            LocalExecutor ex = LocalExecutor.current();
            TaskQueueHandle hog = ex.createTaskQueue(Shares.of(1000), Latency.notImportant(), "hog");
            double atMinimum = cpuRatio(ex, hog, dq -> dq.disable(Shares.MIN), 300_000_000L);
            double controlled = cpuRatio(ex, hog, dq -> { }, 300_000_000L);
            return new double[] {atMinimum, controlled};
        });
        // 1 vs 1000 shares gives the deadline queue almost nothing; the controller, seeing the work
        // fall behind, raises it towards 1000 shares, an even split.
        assertTrue(ratios[0] < 0.1, "deadline queue at 1 share vs hog at 1000: runtime ratio " + ratios[0]);
        assertTrue(ratios[1] > 0.3, "controlled deadline queue that is behind vs hog: runtime ratio " + ratios[1]);
    }
}
