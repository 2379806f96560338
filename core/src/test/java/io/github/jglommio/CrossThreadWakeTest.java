package io.github.jglommio;

import io.github.jglommio.timer.Timer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Wakes from other threads: none may be lost, whether the executor sleeps or runs. */
@Tag("stress")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CrossThreadWakeTest {

    @Test
    void shouldLoseNoSubmissionFromManyThreadsIntoASleepingExecutor() throws Exception {
        CompletableFuture<Void> stop = new CompletableFuture<>();
        AtomicLong executed = new AtomicLong();
        ExecutorJoinHandle<Void> h = LocalExecutorBuilder.create().name("sleepy").spawn(() -> {
            // The main task waits for a foreign completion: the executor is idle (asleep) in between.
            while (!stop.isDone()) {
                Timer.sleep(Duration.ofMillis(200));
            }
        });
        int threads = 4;
        int perThread = 5_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> submitters = new ArrayList<>();
        List<CompletableFuture<Integer>> futures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            submitters.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                for (int i = 0; i < perThread; i++) {
                    int n = i;
                    futures.add(h.handle().submit(() -> {
                        executed.incrementAndGet();
                        return n;
                    }));
                    if (i % 500 == 0) {
                        // Let the executor fall asleep now and then, so wakes race with sleeping.
                        LockSupport.parkNanos(2_000_000);
                    }
                }
            }));
        }
        start.countDown();
        for (Thread t : submitters) {
            t.join();
        }
        long sum = 0;
        for (CompletableFuture<Integer> f : futures) {
            sum += f.get(30, TimeUnit.SECONDS);
        }
        stop.complete(null);
        h.join();
        assertEquals((long) threads * perThread, executed.get());
        assertEquals((long) threads * perThread * (perThread - 1) / 2, sum);
    }

    @Test
    void shouldWakeATaskUnparkedFromAPlatformThread() throws Exception {
        // The executor sleeps with no timer armed; only the foreign unpark can wake it.
        CompletableFuture<Thread> parked = new CompletableFuture<>();
        int rounds = 2_000;
        ExecutorJoinHandle<Integer> h = LocalExecutorBuilder.create().spawn(() -> {
            int[] wakes = new int[1];
            Task<Void> waiter = Task.local(() -> {
                parked.complete(Thread.currentThread());
                for (int i = 0; i < rounds; i++) {
                    LockSupport.park();
                    wakes[0]++;
                }
            });
            waiter.join();
            return wakes[0];
        });
        Thread task = parked.get(10, TimeUnit.SECONDS);
        for (int i = 0; i < rounds * 50 && !h.isDone(); i++) {
            LockSupport.unpark(task);
            if (i % 64 == 0) {
                Thread.sleep(0, 200_000);
            }
        }
        // Spurious extra unparks are harmless; every park must eventually return.
        while (!h.isDone()) {
            LockSupport.unpark(task);
            Thread.sleep(1);
        }
        assertEquals(rounds, h.join());
    }

    @Test
    void shouldPingPongBetweenTwoExecutors() throws Exception {
        int rounds = 20_000;
        AtomicLong counter = new AtomicLong();
        CompletableFuture<Thread> aThread = new CompletableFuture<>();
        CompletableFuture<Thread> bThread = new CompletableFuture<>();
        ExecutorJoinHandle<Void> a = LocalExecutorBuilder.create().name("ping").spawn(() -> {
            aThread.complete(Thread.currentThread());
            Thread peer = bThread.get();
            for (int i = 0; i < rounds; i++) {
                while (counter.get() % 2 != 0) {
                    LockSupport.park();
                }
                counter.incrementAndGet();
                LockSupport.unpark(peer);
            }
            return null;
        });
        ExecutorJoinHandle<Void> b = LocalExecutorBuilder.create().name("pong").spawn(() -> {
            bThread.complete(Thread.currentThread());
            Thread peer = aThread.get();
            for (int i = 0; i < rounds; i++) {
                while (counter.get() % 2 != 1) {
                    LockSupport.park();
                }
                counter.incrementAndGet();
                LockSupport.unpark(peer);
            }
            return null;
        });
        a.join();
        b.join();
        assertEquals(2L * rounds, counter.get());
        assertTrue(counter.get() > 0);
    }
}
