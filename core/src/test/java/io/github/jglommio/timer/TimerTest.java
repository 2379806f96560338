package io.github.jglommio.timer;

import io.github.jglommio.LocalExecutor;
import io.github.jglommio.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TimerTest {

    @Test
    void shouldWakeSleepersInDeadlineOrder() {
        List<Integer> order = LocalExecutor.create().run(() -> {
            List<Integer> l = new ArrayList<>();
            List<Task<Void>> tasks = new ArrayList<>();
            for (int ms : new int[] {40, 10, 30, 0, 20}) {
                tasks.add(Task.local(() -> {
                    Timer.sleep(Duration.ofMillis(ms));
                    l.add(ms);
                }));
            }
            for (Task<Void> t : tasks) {
                t.join();
            }
            return l;
        });
        assertEquals(List.of(0, 10, 20, 30, 40), order);
    }

    @Test
    void shouldSleepAtLeastTheRequestedTime() {
        long elapsed = LocalExecutor.create().run(() -> {
            long t0 = System.nanoTime();
            Timer.sleep(Duration.ofMillis(20));
            return System.nanoTime() - t0;
        });
        assertTrue(elapsed >= 20_000_000L, "a sleep never ends early: " + elapsed + " ns");
    }

    @Test
    void shouldRejectNegativeDurations() {
        LocalExecutor.create().run(() -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Timer.sleep(Duration.ofMillis(-1)));
            assertTrue(e.getMessage().contains("must not be negative"), e.getMessage());
            assertThrows(NullPointerException.class, () -> Timer.sleep(null));
            return null;
        });
    }

    @Test
    void shouldReturnTheValueWhenWorkFinishesInTime() throws Exception {
        String v = LocalExecutor.create().run(() -> Timer.timeout(Duration.ofSeconds(10), () -> {
            Timer.sleep(Duration.ofMillis(1));
            return "in time";
        }));
        assertEquals("in time", v);
    }

    @Test
    void shouldThrowTimeoutAndCancelTheWork() {
        boolean[] workCancelled = new boolean[1];
        Throwable t = LocalExecutor.create().run(() -> {
            Throwable thrown = assertThrows(TimeoutException.class, () -> Timer.timeout(Duration.ofMillis(20), () -> {
                try {
                    Timer.sleep(Duration.ofHours(1));
                } catch (CancellationException e) {
                    workCancelled[0] = true;
                    throw e;
                }
                return "late";
            }));
            // The executor keeps working afterwards.
            Timer.sleep(Duration.ofMillis(1));
            return thrown;
        });
        assertTrue(t.getMessage().contains("timed out after PT0.02S"), t.getMessage());
        assertTrue(workCancelled[0], "the timed-out work saw its cancellation");
    }

    @Test
    void shouldPropagateFailuresOfTimedWork() {
        LocalExecutor.create().run(() -> {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Timer.timeout(Duration.ofSeconds(5), () -> {
                        throw new IllegalStateException("work failed");
                    }));
            assertEquals("work failed", e.getMessage());
            return null;
        });
    }

    @Test
    void shouldFireAResetTimerAtItsNewDeadline() {
        List<String> order = LocalExecutor.create().run(() -> {
            List<String> l = new ArrayList<>();
            Timer timer = new Timer(Duration.ofMillis(5));
            timer.reset(Duration.ofMillis(60));
            Task<Void> marker = Task.local(() -> {
                Timer.sleep(Duration.ofMillis(30));
                l.add("marker@30ms");
            });
            timer.join();
            l.add("timer");
            assertTrue(timer.isExpired());
            marker.join();
            return l;
        });
        assertEquals(List.of("marker@30ms", "timer"), order);
    }

    @Test
    void shouldReturnFromJoinOfACancelledTimer() {
        boolean expired = LocalExecutor.create().run(() -> {
            Timer timer = new Timer(Duration.ofHours(1));
            Task.local(() -> {
                Timer.sleep(Duration.ofMillis(5));
                assertTrue(timer.cancel());
            }).detach();
            timer.join();
            return timer.isExpired();
        });
        assertFalse(expired);
    }

    @Test
    void shouldRefuseTimersFromAnotherExecutor() {
        Timer[] timer = new Timer[1];
        LocalExecutor.create().run(() -> {
            timer[0] = new Timer(Duration.ofMillis(1));
            return null;
        });
        WrongThreadException e = LocalExecutor.create().run(() ->
                assertThrows(WrongThreadException.class, () -> timer[0].reset(Duration.ofMillis(1))));
        assertInstanceOf(WrongThreadException.class, e);
    }
}
