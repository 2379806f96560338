package io.github.jglommio;

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
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TaskTest {

    @Test
    void shouldJoinValuesAndRunnables() {
        List<String> log = LocalExecutor.create().run(() -> {
            List<String> l = new ArrayList<>();
            Task<Void> r = Task.local(() -> {
                l.add("runnable");
            });
            assertNull(r.join());
            l.add(Task.local(() -> "callable").join());
            return l;
        });
        assertEquals(List.of("runnable", "callable"), log);
    }

    @Test
    void shouldRethrowTaskFailuresAtJoin() {
        LocalExecutor.create().run(() -> {
            Task<Object> unchecked = Task.local(() -> {
                throw new IllegalStateException("bad state");
            });
            assertEquals("bad state", assertThrows(IllegalStateException.class, unchecked::join).getMessage());
            Task<Object> checked = Task.local(() -> {
                throw new IOException("io");
            });
            assertInstanceOf(IOException.class, assertThrows(CompletionException.class, checked::join).getCause());
            Task<Object> error = Task.local(() -> {
                throw new AssertionError("err");
            });
            assertThrows(AssertionError.class, error::join);
            return null;
        });
    }

    @Test
    void shouldInterleaveTasksThatYield() {
        List<String> order = LocalExecutor.create().run(() -> {
            List<String> l = new ArrayList<>();
            Task<Void> a = Task.local(() -> {
                for (int i = 0; i < 3; i++) {
                    l.add("a" + i);
                    LocalExecutor.yieldNow();
                }
            });
            Task<Void> b = Task.local(() -> {
                for (int i = 0; i < 3; i++) {
                    l.add("b" + i);
                    LocalExecutor.yieldNow();
                }
            });
            a.join();
            b.join();
            return l;
        });
        assertEquals(List.of("a0", "b0", "a1", "b1", "a2", "b2"), order);
    }

    @Test
    void shouldNeverRunATaskCancelledBeforeItStarts() {
        boolean[] ran = new boolean[1];
        LocalExecutor.create().run(() -> {
            Task<Void> t = Task.local(() -> {
                ran[0] = true;
            });
            assertTrue(t.cancel());
            assertTrue(t.isCancelled());
            assertThrows(CancellationException.class, t::join);
            assertTrue(t.isDone());
            assertFalse(t.cancel(), "a finished task cannot be cancelled again");
            return null;
        });
        assertFalse(ran[0]);
    }

    @Test
    void shouldCancelASleepingTask() {
        AtomicReference<Throwable> seenByTask = new AtomicReference<>();
        LocalExecutor.create().run(() -> {
            Task<Void> t = Task.local(() -> {
                try {
                    Timer.sleep(Duration.ofHours(1));
                } catch (CancellationException e) {
                    seenByTask.set(e);
                    throw e;
                }
            });
            Timer.sleep(Duration.ofMillis(5));
            assertTrue(t.cancel());
            assertThrows(CancellationException.class, t::join);
            return null;
        });
        assertInstanceOf(CancellationException.class, seenByTask.get());
    }

    @Test
    void shouldKeepTheResultOfATaskThatSurvivesCancellation() {
        int v = LocalExecutor.create().run(() -> {
            Task<Integer> t = Task.local(() -> {
                try {
                    Timer.sleep(Duration.ofHours(1));
                    return 1;
                } catch (CancellationException e) {
                    return 2;
                }
            });
            Timer.sleep(Duration.ofMillis(5));
            t.cancel();
            return t.join();
        });
        assertEquals(2, v);
    }

    @Test
    void shouldParkOnlyTheCallingTask() {
        // Two tasks ping-pong with LockSupport: both live on one executor thread.
        int rounds = LocalExecutor.create().run(() -> {
            int[] count = new int[1];
            Thread[] threads = new Thread[2];
            Task<Void> pong = Task.local(() -> {
                threads[1] = Thread.currentThread();
                for (int i = 0; i < 1000; i++) {
                    while (count[0] % 2 == 0) {
                        LockSupport.park();
                    }
                    count[0]++;
                    LockSupport.unpark(threads[0]);
                }
            });
            threads[0] = Thread.currentThread();
            LocalExecutor.yieldNow();
            for (int i = 0; i < 1000; i++) {
                count[0]++;
                LockSupport.unpark(threads[1]);
                while (count[0] % 2 == 1) {
                    LockSupport.park();
                }
            }
            pong.join();
            return count[0];
        });
        assertEquals(2000, rounds);
    }

    @Test
    void shouldRefuseUseFromAnotherExecutor() {
        Task<?>[] foreign = new Task<?>[1];
        LocalExecutor.create().run(() -> {
            foreign[0] = Task.local(() -> 1);
            return foreign[0].join();
        });
        WrongThreadException e = LocalExecutor.create().run(() ->
                assertThrows(WrongThreadException.class, foreign[0]::join));
        assertTrue(e.getMessage().contains("must be called from a task of executor"), e.getMessage());
        assertThrows(WrongThreadException.class, foreign[0]::cancel);
        assertTrue(foreign[0].isDone(), "isDone may be read from any thread");
    }

    @Test
    void shouldRefuseSelfJoin() {
        LocalExecutor.create().run(() -> {
            Task<?>[] self = new Task<?>[1];
            Task<Object> t = Task.local(() -> assertThrows(IllegalStateException.class, self[0]::join));
            self[0] = t;
            t.join();
            return null;
        });
    }

    @Test
    void shouldRunManyTasks() {
        long sum = LocalExecutor.create().run(() -> {
            List<Task<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                int n = i;
                tasks.add(Task.local(() -> {
                    LocalExecutor.yieldNow();
                    return n;
                }));
            }
            long s = 0;
            for (Task<Integer> t : tasks) {
                s += t.join();
            }
            return s;
        });
        assertEquals(10_000L * 9_999 / 2, sum);
    }
}
