package io.github.jglommio;

import io.github.jglommio.timer.Timer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShutdownTest {

    @Test
    void shouldCancelTasksStillParkedWhenTheMainTaskEnds() {
        AtomicInteger cancelledSleepers = new AtomicInteger();
        AtomicInteger cancelledJoiners = new AtomicInteger();
        AtomicInteger cancelledIo = new AtomicInteger();
        List<Task<?>> leftovers = new ArrayList<>();
        String r = LocalExecutor.create().run(() -> {
            for (int i = 0; i < 10; i++) {
                leftovers.add(Task.local(() -> {
                    try {
                        Timer.sleep(Duration.ofHours(1));
                    } catch (CancellationException e) {
                        cancelledSleepers.incrementAndGet();
                        throw e;
                    }
                }).detach());
            }
            Task<Void> forever = Task.local(() -> Timer.sleep(Duration.ofDays(1)));
            leftovers.add(Task.local(() -> {
                try {
                    forever.join();
                } catch (CancellationException e) {
                    cancelledJoiners.incrementAndGet();
                }
            }));
            leftovers.add(Task.local(() -> {
                // An eventfd read nobody writes: parked on an io_uring operation.
                try {
                    ReactorAccess.blockOnIdleEventfd();
                } catch (CancellationException e) {
                    cancelledIo.incrementAndGet();
                }
            }));
            Timer.sleep(Duration.ofMillis(10));
            return "main done";
        });
        assertEquals("main done", r);
        assertEquals(10, cancelledSleepers.get());
        assertEquals(1, cancelledJoiners.get());
        assertEquals(1, cancelledIo.get());
        assertTrue(leftovers.stream().allMatch(Task::isDone));
    }

    @Test
    void shouldAbandonTasksThatIgnoreCancellationAfterTheGrace() {
        AtomicInteger swallowed = new AtomicInteger();
        new LocalExecutorBuilder().shutdownGrace(Duration.ofMillis(200)).make().run(() -> {
            Task.local(() -> {
                // Swallows cancellations and parks again: the executor gives up after the grace.
                for (int i = 0; i < 1000; i++) {
                    try {
                        java.util.concurrent.locks.LockSupport.park();
                    } finally {
                        if (Thread.interrupted()) {
                            swallowed.incrementAndGet();
                        }
                    }
                }
            }).detach();
            Timer.sleep(Duration.ofMillis(5)); // let it start and park
            return null;
        });
        assertEquals(1, swallowed.get(), "the cancel interrupt reached the task once");
    }

    @Test
    void shouldNotLeakFileDescriptors() throws Exception {
        // Warm up: class loading and the availability probe may open files once.
        LocalExecutor.create().run(() -> null);
        long before = openFds();
        for (int i = 0; i < 50; i++) {
            LocalExecutor.create().run(() -> {
                Task.local(() -> Timer.sleep(Duration.ofHours(1))).detach();
                Task.local(ReactorAccess::blockOnIdleEventfd).detach();
                Timer.sleep(Duration.ofMillis(1));
                return null;
            });
            LocalExecutorBuilder.create().spawn(() -> Timer.sleep(Duration.ofMillis(1))).join();
        }
        long after = openFds();
        assertTrue(after <= before + 2, "fds before=" + before + " after=" + after);
    }

    private static long openFds() throws Exception {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }
}
