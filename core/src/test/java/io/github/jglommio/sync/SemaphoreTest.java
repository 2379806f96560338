package io.github.jglommio.sync;

import io.github.jglommio.LocalExecutor;
import io.github.jglommio.LocalExecutorBuilder;
import io.github.jglommio.Task;
import io.github.jglommio.timer.Timer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SemaphoreTest {

    /** Lets every runnable task of the executor run until it parks or ends. */
    static void settle() {
        for (int i = 0; i < 10; i++) {
            LocalExecutor.yieldNow();
        }
    }

    /** Joins {@code t}, failing instead of hanging when it never ends. */
    static <T> T joinWithin(Task<T> t) throws Exception {
        return Timer.timeout(Duration.ofSeconds(5), t::join);
    }

    @Test
    void shouldRejectNegativePermitsWithAClearMessage() {
        LocalExecutor.create().run(() -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Semaphore(-1));
            assertEquals("permits must not be negative, got -1", e.getMessage());
            Semaphore sem = new Semaphore(1);
            assertThrows(IllegalArgumentException.class, () -> sem.acquire(-2));
            assertThrows(IllegalArgumentException.class, () -> sem.tryAcquire(-2));
            assertThrows(IllegalArgumentException.class, () -> sem.acquirePermit(-2));
            assertThrows(IllegalArgumentException.class, () -> sem.signal(-2));
            assertThrows(IllegalArgumentException.class, () -> sem.signal(Long.MAX_VALUE));
            assertEquals(1, sem.available());
        });
    }

    @Test
    void shouldRequireAJglommioTask() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Semaphore(1));
        assertTrue(e.getMessage().contains("must be called from a jglommio task"), e.getMessage());
    }

    @Test
    void shouldParkUntilSignalled() {
        LocalExecutor.create().run(() -> {
            Semaphore sem = new Semaphore(0);
            Task<Void> waiter = Task.local(() -> sem.acquire(2));
            settle();
            assertFalse(waiter.isDone(), "no permit: the waiter parks");
            assertEquals(1, sem.waiters());
            sem.signal(1);
            settle();
            assertFalse(waiter.isDone(), "one permit is not enough for a request of two");
            sem.signal(1);
            joinWithin(waiter);
            assertEquals(0, sem.available());
            assertEquals(0, sem.waiters());
            return null;
        });
    }

    @Test
    void shouldLetALargeRequestAtTheHeadHoldBackSmallerOnes() {
        List<String> order = LocalExecutor.create().run(() -> {
            List<String> log = new ArrayList<>();
            Semaphore sem = new Semaphore(0);
            Task<Void> big = Task.local(() -> {
                sem.acquire(3);
                log.add("big");
            });
            settle();
            Task<Void> small = Task.local(() -> {
                sem.acquire(1);
                log.add("small");
            });
            settle();
            sem.signal(2);
            settle();
            assertEquals(List.of(), log, "two permits fit the small request, but the big one came first");
            assertEquals(2, sem.available());
            assertFalse(sem.tryAcquire(1), "tryAcquire does not overtake waiters either");
            sem.signal(1);
            joinWithin(big);
            settle();
            assertFalse(small.isDone());
            sem.signal(1);
            joinWithin(small);
            return log;
        });
        assertEquals(List.of("big", "small"), order);
    }

    @Test
    void shouldServeEqualWaitersInArrivalOrder() {
        List<Integer> order = LocalExecutor.create().run(() -> {
            List<Integer> log = new ArrayList<>();
            Semaphore sem = new Semaphore(0);
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int id = i;
                tasks.add(Task.local(() -> {
                    sem.acquire(1);
                    log.add(id);
                }));
                settle(); // queue them in a known order
            }
            sem.signal(5);
            for (Task<Void> t : tasks) {
                joinWithin(t);
            }
            return log;
        });
        assertEquals(List.of(0, 1, 2, 3, 4), order);
    }

    @Test
    void shouldLetSmallerWaitersThroughWhenTheLargeHeadIsCancelled() {
        LocalExecutor.create().run(() -> {
            Semaphore sem = new Semaphore(1);
            Task<Void> big = Task.local(() -> sem.acquire(3));
            settle();
            Task<Void> small = Task.local(() -> sem.acquire(1));
            settle();
            assertFalse(small.isDone());
            big.cancel();
            assertThrows(CancellationException.class, big::join);
            joinWithin(small);
            assertEquals(0, sem.available());
            assertEquals(0, sem.waiters());
            return null;
        });
    }

    @Test
    void shouldGiveBackPermitsHandedToAWaiterCancelledBeforeItRan() {
        LocalExecutor.create().run(() -> {
            Semaphore sem = new Semaphore(0);
            Task<Void> first = Task.local(() -> sem.acquire(1));
            settle();
            Task<Void> second = Task.local(() -> sem.acquire(1));
            settle();
            sem.signal(1);   // handed to `first`, which has not run yet
            first.cancel();
            assertThrows(CancellationException.class, first::join);
            joinWithin(second); // the permit was passed on, not lost
            assertEquals(0, sem.available());
            return null;
        });
    }

    @Test
    void shouldReturnPermitsWhenThePermitIsClosedOnce() {
        LocalExecutor.create().run(() -> {
            Semaphore sem = new Semaphore(3);
            Semaphore.Permit p = sem.acquirePermit(2);
            assertEquals(2, p.permits());
            assertEquals(1, sem.available());
            try (Semaphore.Permit none = sem.tryAcquirePermit(2)) {
                assertNull(none, "only one permit left");
            }
            try (Semaphore.Permit one = sem.tryAcquirePermit(1)) {
                assertEquals(0, sem.available());
                assertEquals(1, one.permits());
            }
            assertEquals(1, sem.available());
            p.close();
            assertEquals(3, sem.available());
            p.close();
            assertEquals(3, sem.available(), "a second close returns nothing");
        });
    }

    @Test
    void shouldWakeAWaiterWhenAPermitIsClosed() {
        LocalExecutor.create().run(() -> {
            Semaphore sem = new Semaphore(1);
            Semaphore.Permit held = sem.acquirePermit(1);
            Task<Integer> waiter = Task.local(() -> {
                try (Semaphore.Permit p = sem.acquirePermit(1)) {
                    return 42;
                }
            });
            settle();
            assertFalse(waiter.isDone());
            held.close();
            assertEquals(42, joinWithin(waiter));
            assertEquals(1, sem.available());
            return null;
        });
    }

    @Test
    void shouldFailCurrentAndLaterWaitersOnClose() {
        LocalExecutor.create().run(() -> {
            Semaphore sem = new Semaphore(0);
            Task<Void> a = Task.local(() -> sem.acquire(1));
            Task<Void> b = Task.local(() -> sem.acquirePermit(1).close());
            settle();
            assertEquals(2, sem.waiters());
            sem.close();
            assertTrue(sem.isClosed());
            ClosedException e = assertThrows(ClosedException.class, () -> joinWithin(a));
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
            assertThrows(ClosedException.class, () -> joinWithin(b));
            assertEquals(0, sem.waiters());
            assertThrows(ClosedException.class, () -> sem.acquire(0), "even a zero request fails once closed");
            assertThrows(ClosedException.class, () -> sem.tryAcquire(0));
            sem.signal(1); // permits may still come back after close
            assertEquals(1, sem.available());
            sem.close(); // idempotent
            return null;
        });
    }

    @Test
    void shouldFailAWaiterHandedPermitsWhenClosedBeforeItRan() {
        LocalExecutor.create().run(() -> {
            Semaphore sem = new Semaphore(0);
            Task<Void> waiter = Task.local(() -> sem.acquire(2));
            settle();
            sem.signal(2);   // handed over, not run yet
            sem.close();
            assertThrows(ClosedException.class, () -> joinWithin(waiter));
            assertEquals(2, sem.available(), "the failed waiter gave its permits back");
            return null;
        });
    }

    @Test
    void shouldLeaveTheInterruptFlagSetWhenCancelled() {
        LocalExecutor.create().run(() -> {
            Semaphore sem = new Semaphore(0);
            boolean[] flag = new boolean[1];
            Task<Void> t = Task.local(() -> {
                try {
                    sem.acquire(1);
                } finally {
                    flag[0] = Thread.currentThread().isInterrupted();
                }
            });
            settle();
            t.cancel();
            assertThrows(CancellationException.class, t::join);
            assertTrue(flag[0]);
            assertEquals(0, sem.waiters());
            sem.signal(1);
            assertEquals(1, sem.available(), "nobody is left to take the permit");
            return null;
        });
    }

    @Test
    void shouldRefuseUseFromAnotherExecutorOrThread() {
        Semaphore sem = LocalExecutor.create().run(() -> {
            Semaphore s = new Semaphore(1);
            Throwable fromOther = LocalExecutorBuilder.create().name("other").spawn(() -> {
                try {
                    s.tryAcquire(1);
                    return null;
                } catch (RuntimeException e) {
                    return e;
                }
            }).join();
            WrongThreadException e = assertInstanceOf(WrongThreadException.class, fromOther);
            assertTrue(e.getMessage().contains("Semaphore.tryAcquire must be called from a task of"), e.getMessage());
            assertTrue(e.getMessage().contains("other"), e.getMessage());
            assertEquals(1, s.available(), "the foreign call changed nothing");
            return s;
        });
        WrongThreadException e = assertThrows(WrongThreadException.class, () -> sem.signal(1));
        assertTrue(e.getMessage().contains("not a jglommio task"), e.getMessage());
    }
}
