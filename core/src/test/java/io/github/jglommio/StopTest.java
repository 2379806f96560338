package io.github.jglommio;

import io.github.jglommio.timer.Timer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stopping executors and pools from outside, with a grace period for in-flight work. */
class StopTest {

    @Test
    void shouldLetTheMainTaskFinishWithinTheGrace() {
        List<String> log = new CopyOnWriteArrayList<>();
        ExecutorJoinHandle<String> h = LocalExecutorBuilder.create().spawn(() -> {
            LocalExecutor ex = LocalExecutor.current();
            ex.onStopRequest(() -> log.add("hook ran"));
            ex.awaitStopRequest();
            log.add("main saw the request");
            Timer.sleep(Duration.ofMillis(20)); // in-flight work finishing within the grace
            return "finished cleanly";
        });
        h.handle().requestStop(Duration.ofSeconds(10));
        assertEquals("finished cleanly", h.join());
        assertTrue(log.contains("hook ran"), log.toString());
        assertTrue(log.contains("main saw the request"), log.toString());
    }

    @Test
    void shouldCancelWhatOutlivesTheGrace() {
        AtomicInteger cancelled = new AtomicInteger();
        ExecutorJoinHandle<Void> h = LocalExecutorBuilder.create().spawn(() -> {
            Task.local(() -> {
                try {
                    Timer.sleep(Duration.ofHours(1));
                } catch (CancellationException e) {
                    cancelled.incrementAndGet();
                    throw e;
                }
            }).detach();
            try {
                Timer.sleep(Duration.ofHours(1)); // ignores the request: cancelled at the deadline
            } catch (CancellationException e) {
                cancelled.incrementAndGet();
                throw e;
            }
        });
        h.handle().requestStop(Duration.ofMillis(50));
        assertThrows(CancellationException.class, h::join);
        assertEquals(2, cancelled.get());
    }

    @Test
    void shouldShutDownAPool() {
        AtomicInteger stopped = new AtomicInteger();
        PoolThreadHandles<Void> pool = new LocalExecutorPoolBuilder(PoolPlacement.unbound(3)).onAllShards(() -> {
            LocalExecutor.current().awaitStopRequest();
            stopped.incrementAndGet();
        });
        pool.shutdown(Duration.ofSeconds(5));
        assertEquals(3, stopped.get());
        for (ExecutorJoinHandle<Void> h : pool.joinHandles()) {
            assertTrue(h.isDone());
        }
        pool.shutdown(Duration.ZERO); // idempotent on stopped executors
    }

    @Test
    void shouldRunHooksRegisteredAfterTheRequestAtOnce() {
        int r = LocalExecutor.create().run(() -> {
            LocalExecutor ex = LocalExecutor.current();
            ex.handle().requestStop(Duration.ofSeconds(10));
            Timer.sleep(Duration.ofMillis(1));
            assertTrue(ex.isStopRequested());
            int[] ran = {0};
            ex.onStopRequest(() -> ran[0]++);
            Timer.sleep(Duration.ofMillis(1));
            ex.awaitStopRequest(); // returns at once
            return ran[0];
        });
        assertEquals(1, r);
        assertThrows(IllegalArgumentException.class,
                () -> LocalExecutor.create().handle().requestStop(Duration.ofMillis(-1)));
    }
}
