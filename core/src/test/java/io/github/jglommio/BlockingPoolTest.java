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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BlockingPoolTest {

    @Test
    void shouldReturnResultsFromPlatformThreads() {
        List<Object> r = LocalExecutor.create().run(() -> {
            LocalExecutor ex = LocalExecutor.current();
            List<Object> l = new ArrayList<>();
            l.add(ex.spawnBlocking(() -> Thread.currentThread().isVirtual()));
            l.add(ex.spawnBlocking(() -> Thread.currentThread().getName()));
            l.add(ex.spawnBlocking(() -> {
                Thread.sleep(20); // really blocks: a platform thread
                return "slept";
            }));
            return l;
        });
        assertEquals(false, r.get(0));
        assertTrue(((String) r.get(1)).contains("-blocking-"), (String) r.get(1));
        assertEquals("slept", r.get(2));
    }

    @Test
    void shouldRethrowFailures() {
        LocalExecutor.create().run(() -> {
            LocalExecutor ex = LocalExecutor.current();
            assertEquals("bad", assertThrows(IllegalArgumentException.class, () -> ex.spawnBlocking(() -> {
                throw new IllegalArgumentException("bad");
            })).getMessage());
            assertInstanceOf(IOException.class, assertThrows(CompletionException.class, () -> ex.spawnBlocking(() -> {
                throw new IOException("io");
            })).getCause());
            return null;
        });
    }

    @Test
    void shouldKeepOtherTasksRunningWhileWorkBlocks() {
        int ticks = new LocalExecutorBuilder().blockingPoolSize(2).make().run(() -> {
            LocalExecutor ex = LocalExecutor.current();
            CountDownLatch release = new CountDownLatch(1);
            int[] n = {0};
            Task<Void> ticker = Task.local(() -> {
                for (int i = 0; i < 5; i++) {
                    Timer.sleep(Duration.ofMillis(2));
                    n[0]++;
                }
                release.countDown();
            });
            // Blocks a pool thread until the ticker (on the executor) has ticked 5 times.
            ex.spawnBlocking(() -> {
                release.await();
                return null;
            });
            ticker.join();
            return n[0];
        });
        assertEquals(5, ticks);
    }

    @Test
    void shouldInterruptBlockingWorkWhenTheTaskIsCancelled() {
        AtomicBoolean interrupted = new AtomicBoolean();
        LocalExecutor.create().run(() -> {
            LocalExecutor ex = LocalExecutor.current();
            CountDownLatch started = new CountDownLatch(1);
            Task<Object> t = Task.local(() -> ex.spawnBlocking(() -> {
                started.countDown();
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    interrupted.set(true);
                }
                return null;
            }));
            while (started.getCount() > 0) {
                Timer.sleep(Duration.ofMillis(1));
            }
            t.cancel();
            assertThrows(CancellationException.class, t::join);
            while (!interrupted.get()) {
                Timer.sleep(Duration.ofMillis(1));
            }
            return null;
        });
        assertTrue(interrupted.get());
    }

    @Test
    void shouldValidatePoolSize() {
        assertThrows(IllegalArgumentException.class, () -> new LocalExecutorBuilder().blockingPoolSize(0));
        assertFalse(new LocalExecutorBuilder().blockingPoolSize(1) == null);
    }
}
