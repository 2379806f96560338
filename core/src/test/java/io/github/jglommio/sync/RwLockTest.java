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

import static io.github.jglommio.sync.SemaphoreTest.joinWithin;
import static io.github.jglommio.sync.SemaphoreTest.settle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RwLockTest {

    @Test
    void shouldLetReadersShareTheLock() {
        int maxConcurrent = LocalExecutor.create().run(() -> {
            RwLock<String> lock = new RwLock<>("v");
            int[] inside = new int[2]; // current, max
            List<Task<String>> readers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                readers.add(Task.local(() -> {
                    try (RwLock.ReadGuard<String> r = lock.read()) {
                        inside[1] = Math.max(inside[1], ++inside[0]);
                        Timer.sleep(Duration.ofMillis(5)); // park while holding the read lock
                        inside[0]--;
                        return r.get();
                    }
                }));
            }
            for (Task<String> t : readers) {
                assertEquals("v", joinWithin(t));
            }
            return inside[1];
        });
        assertEquals(4, maxConcurrent);
    }

    @Test
    void shouldKeepWritersExclusive() {
        int total = LocalExecutor.create().run(() -> {
            RwLock<Integer> lock = new RwLock<>(0);
            boolean[] busy = new boolean[1];
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                boolean writer = i % 3 != 0;
                tasks.add(Task.local(() -> {
                    for (int k = 0; k < 20; k++) {
                        if (writer) {
                            try (RwLock.WriteGuard<Integer> w = lock.write()) {
                                assertFalse(busy[0], "two writers, or a writer and a reader, inside at once");
                                busy[0] = true;
                                int v = w.get();
                                LocalExecutor.yieldNow(); // a lost update would show if another writer got in
                                w.set(v + 1);
                                busy[0] = false;
                            }
                        } else {
                            try (RwLock.ReadGuard<Integer> r = lock.read()) {
                                assertFalse(busy[0], "a reader inside with a writer");
                                r.get();
                                LocalExecutor.yieldNow();
                            }
                        }
                    }
                }));
            }
            for (Task<Void> t : tasks) {
                joinWithin(t);
            }
            try (RwLock.ReadGuard<Integer> r = lock.read()) {
                return r.get();
            }
        });
        assertEquals(6 * 20, total);
    }

    @Test
    void shouldMakeLaterReadersWaitBehindAWaitingWriter() {
        List<String> order = LocalExecutor.create().run(() -> {
            List<String> log = new ArrayList<>();
            RwLock<Integer> lock = new RwLock<>(1);
            RwLock.ReadGuard<Integer> first = lock.read();
            Task<Void> writer = Task.local(() -> {
                try (RwLock.WriteGuard<Integer> w = lock.write()) {
                    log.add("writer");
                    w.set(2);
                }
            });
            settle();
            Task<Void> lateReader = Task.local(() -> {
                try (RwLock.ReadGuard<Integer> r = lock.read()) {
                    log.add("reader saw " + r.get());
                }
            });
            settle();
            assertEquals(List.of(), log, "the late reader must not overtake the waiting writer");
            assertNull(lock.tryRead(), "nor may tryRead");
            assertNull(lock.tryWrite());
            first.close();
            joinWithin(writer);
            joinWithin(lateReader);
            return log;
        });
        assertEquals(List.of("writer", "reader saw 2"), order);
    }

    @Test
    void shouldKeepAWaitingWriterOutUntilTheLastReaderLeaves() {
        LocalExecutor.create().run(() -> {
            RwLock<Integer> lock = new RwLock<>(0);
            RwLock.ReadGuard<Integer> r1 = lock.read();
            RwLock.ReadGuard<Integer> r2 = lock.read();
            Task<Void> writer = Task.local(() -> lock.write().close());
            settle();
            r1.close();
            settle();
            assertFalse(writer.isDone(), "one reader is still inside");
            r2.close();
            joinWithin(writer);
            return null;
        });
    }

    @Test
    void shouldAdmitTheReadersQueuedBehindAWriterTogether() {
        int maxConcurrent = LocalExecutor.create().run(() -> {
            RwLock<Integer> lock = new RwLock<>(0);
            RwLock.WriteGuard<Integer> w = lock.write();
            int[] inside = new int[2];
            List<Task<Void>> readers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                readers.add(Task.local(() -> {
                    try (RwLock.ReadGuard<Integer> r = lock.read()) {
                        inside[1] = Math.max(inside[1], ++inside[0]);
                        Timer.sleep(Duration.ofMillis(5));
                        inside[0]--;
                    }
                }));
            }
            settle();
            w.close();
            for (Task<Void> t : readers) {
                joinWithin(t);
            }
            return inside[1];
        });
        assertEquals(3, maxConcurrent);
    }

    @Test
    void shouldTryWithoutParking() {
        LocalExecutor.create().run(() -> {
            RwLock<String> lock = new RwLock<>("a");
            try (RwLock.ReadGuard<String> r1 = lock.tryRead(); RwLock.ReadGuard<String> r2 = lock.tryRead()) {
                assertNotNull(r1);
                assertNotNull(r2);
                assertNull(lock.tryWrite(), "readers hold the lock");
            }
            try (RwLock.WriteGuard<String> w = lock.tryWrite()) {
                assertNotNull(w);
                assertNull(lock.tryRead(), "a writer holds the lock");
                assertNull(lock.tryWrite());
                w.set("b");
            }
            try (RwLock.ReadGuard<String> r = lock.tryRead()) {
                assertEquals("b", r.get());
            }
        });
    }

    @Test
    void shouldRejectGuardUseAfterCloseAndCloseOnce() {
        LocalExecutor.create().run(() -> {
            RwLock<String> lock = new RwLock<>("a");
            RwLock.WriteGuard<String> w = lock.write();
            w.close();
            w.close(); // idempotent: must not release the lock twice
            RwLock.ReadGuard<String> r = lock.read();
            assertThrows(IllegalStateException.class, w::get);
            assertThrows(IllegalStateException.class, () -> w.set("x"));
            assertNull(lock.tryWrite(), "the reader still holds the lock");
            r.close();
            r.close();
            assertThrows(IllegalStateException.class, r::get);
            try (RwLock.WriteGuard<String> w2 = lock.tryWrite()) {
                assertNotNull(w2, "released exactly once each: the lock is free");
            }
        });
    }

    @Test
    void shouldPassTheLockOnWhenAWaiterIsCancelled() {
        LocalExecutor.create().run(() -> {
            RwLock<Integer> lock = new RwLock<>(0);
            RwLock.ReadGuard<Integer> r = lock.read();
            Task<Void> writer = Task.local(() -> lock.write().close());
            settle();
            Task<Integer> reader = Task.local(() -> {
                try (RwLock.ReadGuard<Integer> g = lock.read()) {
                    return g.get();
                }
            });
            settle();
            assertFalse(reader.isDone(), "queued behind the writer");
            writer.cancel();
            assertThrows(CancellationException.class, writer::join);
            assertEquals(0, joinWithin(reader), "with the writer gone, the reader joins the current one");
            r.close();
            try (RwLock.WriteGuard<Integer> w = lock.tryWrite()) {
                assertNotNull(w, "nothing is left holding the lock");
            }
            return null;
        });
    }

    @Test
    void shouldReleaseALockHandedToAWaiterCancelledBeforeItRan() {
        LocalExecutor.create().run(() -> {
            RwLock<Integer> lock = new RwLock<>(0);
            RwLock.WriteGuard<Integer> w = lock.write();
            Task<Void> first = Task.local(() -> lock.write().close());
            settle();
            Task<Void> second = Task.local(() -> lock.write().close());
            settle();
            w.close();       // handed to `first`, which has not run yet
            first.cancel();
            assertThrows(CancellationException.class, first::join);
            joinWithin(second);
            try (RwLock.WriteGuard<Integer> again = lock.tryWrite()) {
                assertNotNull(again, "the lock was passed on and released, not leaked");
            }
            return null;
        });
    }

    @Test
    void shouldFailWaitersOnCloseButKeepHeldGuardsValid() {
        LocalExecutor.create().run(() -> {
            RwLock<String> lock = new RwLock<>("a");
            RwLock.WriteGuard<String> w = lock.write();
            Task<Void> reader = Task.local(() -> lock.read().close());
            Task<Void> writer = Task.local(() -> lock.write().close());
            settle();
            lock.close();
            assertTrue(lock.isClosed());
            assertThrows(ClosedException.class, () -> joinWithin(reader));
            assertThrows(ClosedException.class, () -> joinWithin(writer));
            assertThrows(ClosedException.class, lock::read);
            assertThrows(ClosedException.class, lock::tryWrite);
            assertThrows(ClosedException.class, lock::intoInner);
            w.set("b");
            assertEquals("b", w.get(), "the holder keeps its access until it lets go");
            w.close();
            lock.close(); // idempotent
            return null;
        });
    }

    @Test
    void shouldReturnTheValueFromIntoInnerOnlyWhenFree() {
        LocalExecutor.create().run(() -> {
            RwLock<StringBuilder> lock = new RwLock<>(new StringBuilder());
            try (RwLock.WriteGuard<StringBuilder> w = lock.write()) {
                w.get().append("modified");
                IllegalStateException e = assertThrows(IllegalStateException.class, lock::intoInner);
                assertTrue(e.getMessage().contains("still held"), e.getMessage());
            }
            assertEquals("modified", lock.intoInner().toString());
            assertTrue(lock.isClosed());
            assertThrows(ClosedException.class, lock::write);
        });
    }

    @Test
    void shouldRefuseUseFromAnotherExecutorOrThread() {
        RwLock<Integer> lock = LocalExecutor.create().run(() -> {
            RwLock<Integer> l = new RwLock<>(7);
            RwLock.ReadGuard<Integer> guard = l.read();
            Throwable fromOther = LocalExecutorBuilder.create().spawn(() -> {
                try {
                    guard.get();
                    return null;
                } catch (RuntimeException e) {
                    return e;
                }
            }).join();
            assertInstanceOf(WrongThreadException.class, fromOther);
            guard.close();
            return l;
        });
        assertThrows(WrongThreadException.class, lock::read);
        assertThrows(WrongThreadException.class, lock::close);
        assertThrows(IllegalStateException.class, () -> new RwLock<>(1));
    }
}
