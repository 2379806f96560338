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
import java.util.concurrent.TimeoutException;

import static io.github.jglommio.sync.SemaphoreTest.joinWithin;
import static io.github.jglommio.sync.SemaphoreTest.settle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GateTest {

    @Test
    void shouldCloseAtOnceWhenEmptyAndRefuseNewWork() {
        LocalExecutor.create().run(() -> {
            Gate gate = new Gate();
            assertTrue(gate.isOpen());
            assertFalse(gate.isClosed());
            gate.close();
            assertFalse(gate.isOpen());
            assertTrue(gate.isClosed());
            ClosedException e = assertThrows(ClosedException.class, gate::enter);
            assertEquals("Gate.enter: the gate is closed", e.getMessage());
            assertThrows(ClosedException.class, () -> gate.spawn(() -> 1));
            gate.close(); // a closed gate closes again as a no-op
        });
    }

    @Test
    void shouldWaitForSpawnedTasksBeforeClosing() {
        List<String> log = LocalExecutor.create().run(() -> {
            List<String> l = new ArrayList<>();
            Gate gate = new Gate();
            Semaphore release = new Semaphore(0);
            List<Task<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int id = i;
                tasks.add(gate.spawn(() -> {
                    release.acquire(1);
                    l.add("task " + id);
                    return id;
                }));
            }
            settle();
            Task<Void> closer = Task.local(() -> {
                gate.close();
                l.add("closed");
            });
            settle();
            assertFalse(closer.isDone(), "close() waits for the spawned tasks");
            assertFalse(gate.isOpen());
            assertFalse(gate.isClosed(), "closing, not closed");
            assertThrows(ClosedException.class, () -> gate.spawn(() -> 0), "no new work while closing");
            assertThrows(ClosedException.class, gate::enter);
            release.signal(5);
            joinWithin(closer);
            assertTrue(gate.isClosed());
            for (int i = 0; i < 5; i++) {
                assertEquals(i, tasks.get(i).join(), "the spawned task's result is the caller's");
            }
            return l;
        });
        assertEquals(List.of("task 0", "task 1", "task 2", "task 3", "task 4", "closed"), log);
    }

    @Test
    void shouldWaitForPassesBeforeClosing() {
        LocalExecutor.create().run(() -> {
            Gate gate = new Gate();
            Gate.Pass a = gate.enter();
            Gate.Pass b = gate.enter();
            Task<Void> closer = Task.local(gate::close);
            settle();
            assertFalse(closer.isDone());
            a.close();
            a.close(); // idempotent: must not count as b's release
            settle();
            assertFalse(closer.isDone(), "one pass is still out");
            assertFalse(gate.isClosed());
            b.close();
            joinWithin(closer);
            assertTrue(gate.isClosed());
            return null;
        });
    }

    @Test
    void shouldCountFailedAndCancelledTasksAsEnded() {
        LocalExecutor.create().run(() -> {
            Gate gate = new Gate();
            Task<Object> failing = gate.spawn(() -> {
                throw new IllegalStateException("boom");
            });
            boolean[] ran = new boolean[1];
            Task<Void> neverStarted = gate.spawn(() -> {
                ran[0] = true;
            });
            neverStarted.cancel(); // before it ran: its body never executes
            Task<Void> sleeper = gate.spawn(() -> Timer.sleep(Duration.ofHours(1)));
            settle();
            sleeper.cancel();
            Timer.timeout(Duration.ofSeconds(5), () -> {
                gate.close();
                return null;
            });
            assertTrue(gate.isClosed());
            assertFalse(ran[0]);
            assertThrows(IllegalStateException.class, failing::join, "the failure is still the task's own");
            assertThrows(CancellationException.class, neverStarted::join);
            return null;
        });
    }

    @Test
    void shouldCloseWhenTheLastPassLeavesAfterTheCloserWasCancelled() {
        LocalExecutor.create().run(() -> {
            Gate gate = new Gate();
            Gate.Pass pass = gate.enter();
            Task<Void> closer = Task.local(gate::close);
            settle();
            assertFalse(gate.isOpen());
            closer.cancel(); // the gate stays closing
            assertThrows(CancellationException.class, closer::join);
            assertFalse(gate.isClosed());
            pass.close();
            assertTrue(gate.isClosed(), "the last pass of a closing gate closes it, even with no closer waiting");
            return null;
        });
    }

    @Test
    void shouldLetASecondCloseWaitAfterACancelledOne() {
        LocalExecutor.create().run(() -> {
            Gate gate = new Gate();
            Semaphore finish = new Semaphore(0);
            gate.spawn(() -> finish.acquire(1)).detach();
            settle();
            assertThrows(TimeoutException.class, () -> Timer.timeout(Duration.ofMillis(5), () -> {
                gate.close();
                return null;
            }));
            assertFalse(gate.isOpen());
            assertFalse(gate.isClosed(), "still waiting for the task");
            finish.signal(1);
            Timer.timeout(Duration.ofSeconds(5), () -> {
                gate.close();
                return null;
            });
            assertTrue(gate.isClosed());
            return null;
        });
    }

    @Test
    void shouldReleaseEveryConcurrentCloser() {
        LocalExecutor.create().run(() -> {
            Gate gate = new Gate();
            Gate.Pass pass = gate.enter();
            List<Task<Void>> closers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                closers.add(Task.local(gate::close));
            }
            settle();
            for (Task<Void> c : closers) {
                assertFalse(c.isDone());
            }
            pass.close();
            for (Task<Void> c : closers) {
                joinWithin(c);
            }
            return null;
        });
    }

    @Test
    void shouldRefuseACloseFromASpawnedTask() {
        LocalExecutor.create().run(() -> {
            Gate gate = new Gate();
            Task<Void> inner = gate.spawn(gate::close);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> joinWithin(inner));
            assertTrue(e.getMessage().contains("wait for itself"), e.getMessage());
            assertTrue(gate.isOpen(), "the refused close changed nothing");
            gate.close();
            assertTrue(gate.isClosed());
            return null;
        });
    }

    @Test
    void shouldRefuseUseFromAnotherExecutorOrThread() {
        Gate gate = LocalExecutor.create().run(() -> {
            Gate g = new Gate();
            Gate.Pass pass = g.enter();
            Throwable fromOther = LocalExecutorBuilder.create().spawn(() -> {
                try {
                    pass.close();
                    return null;
                } catch (RuntimeException e) {
                    return e;
                }
            }).join();
            assertInstanceOf(WrongThreadException.class, fromOther);
            pass.close();
            g.close(); // returns at once: the foreign close did not count
            return g;
        });
        assertThrows(WrongThreadException.class, gate::isOpen);
        assertThrows(IllegalStateException.class, Gate::new);
    }
}
