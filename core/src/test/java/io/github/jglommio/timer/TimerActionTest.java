package io.github.jglommio.timer;

import io.github.jglommio.LocalExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TimerActionTest {

    @Test
    void shouldRunAnActionOnce() {
        Optional<String> r = LocalExecutor.create().run(() ->
                TimerActionOnce.doIn(Duration.ofMillis(5), () -> "ran").join());
        assertEquals(Optional.of("ran"), r);
    }

    @Test
    void shouldRunAtAnInstant() {
        Optional<Integer> r = LocalExecutor.create().run(() ->
                TimerActionOnce.doAt(Instant.now().plusMillis(5), () -> 5).join());
        assertEquals(Optional.of(5), r);
    }

    @Test
    void shouldNotRunACancelledAction() {
        boolean[] ran = new boolean[1];
        Optional<Void> r = LocalExecutor.create().run(() -> {
            TimerActionOnce<Void> a = TimerActionOnce.doIn(Duration.ofMillis(20), () -> {
                ran[0] = true;
            });
            Timer.sleep(Duration.ofMillis(2));
            assertTrue(a.cancel());
            Optional<Void> joined = a.join();
            assertTrue(a.isDone());
            assertFalse(a.rearmIn(Duration.ofMillis(1)), "a cancelled action cannot be re-armed");
            return joined;
        });
        assertTrue(r.isEmpty());
        assertFalse(ran[0]);
    }

    @Test
    void shouldRunARearmedActionAtItsNewDeadline() {
        List<String> order = LocalExecutor.create().run(() -> {
            List<String> l = new ArrayList<>();
            TimerActionOnce<Void> a = TimerActionOnce.doIn(Duration.ofMillis(5), () -> {
                l.add("action");
            });
            assertTrue(a.rearmIn(Duration.ofMillis(60)));
            TimerActionOnce<Void> marker = TimerActionOnce.doIn(Duration.ofMillis(30), () -> {
                l.add("marker");
            });
            a.join();
            marker.join();
            assertFalse(a.rearmIn(Duration.ofMillis(1)), "a finished action cannot be re-armed");
            return l;
        });
        assertEquals(List.of("marker", "action"), order);
    }

    @Test
    void shouldRepeatUntilTheActionReturnsEmpty() {
        int runs = LocalExecutor.create().run(() -> {
            int[] n = {0};
            TimerActionRepeat r = TimerActionRepeat.repeat(() ->
                    ++n[0] < 5 ? Optional.of(Duration.ofMillis(2)) : Optional.empty());
            r.join();
            assertTrue(r.isDone());
            return n[0];
        });
        assertEquals(5, runs);
    }

    @Test
    void shouldStopRepeatingWhenCancelled() {
        int runs = LocalExecutor.create().run(() -> {
            int[] n = {0};
            TimerActionRepeat r = TimerActionRepeat.repeat(() -> {
                n[0]++;
                return Optional.of(Duration.ofMillis(50));
            });
            Timer.sleep(Duration.ofMillis(10)); // first run happened, second is 40 ms away
            assertTrue(r.cancel());
            r.join();
            int seen = n[0];
            Timer.sleep(Duration.ofMillis(100));
            assertEquals(seen, n[0], "no run after cancel");
            return seen;
        });
        assertEquals(1, runs);
    }

    @Test
    void shouldPropagateTheRepeatedActionsFailure() {
        LocalExecutor.create().run(() -> {
            TimerActionRepeat r = TimerActionRepeat.repeat(() -> {
                throw new IllegalStateException("tick failed");
            });
            assertEquals("tick failed", assertThrows(IllegalStateException.class, r::join).getMessage());
            return null;
        });
    }
}
