package io.github.jglommio;

import io.github.jglommio.net.TcpListener;
import io.github.jglommio.net.TcpStream;
import io.github.jglommio.timer.Timer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link LocalExecutorBuilder#completionBatching}: an executor that waits for a batch of completions
 * still serves completions that come alone, wakes for other threads and fires its timers.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CompletionBatchingTest {

    @Test
    void shouldRejectOutOfRangeValuesWithTheirRange() {
        LocalExecutorBuilder b = LocalExecutorBuilder.create();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> b.completionBatching(0, Duration.ofMillis(1)));
        assertEquals("completionBatching: completions must be 1..4096, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> b.completionBatching(4097, Duration.ofMillis(1)));
        assertEquals("completionBatching: completions must be 1..4096, got 4097", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> b.completionBatching(8, Duration.ZERO));
        assertEquals("completionBatching: maxDelay must be 1 microsecond..1 second, got PT0S", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> b.completionBatching(8, Duration.ofSeconds(2)));
        assertEquals("completionBatching: maxDelay must be 1 microsecond..1 second, got PT2S", e.getMessage());
        assertThrows(NullPointerException.class, () -> b.completionBatching(8, null));
        // Off needs no delay.
        b.completionBatching(1, Duration.ZERO);
        assertThrows(IllegalArgumentException.class,
                () -> new LocalExecutorPoolBuilder(PoolPlacement.unbound(1)).completionBatching(0, Duration.ofMillis(1)));
    }

    @Test
    void shouldServeConnectionsWhoseCompletionsComeOneAtATime() throws Exception {
        assumeTrue(IoUring.supportsCompletionBatching(), "kernel lacks io_uring min_wait_usec (Linux 6.12+)");
        // 64 completions never come together here: every accept, read and write waits alone, and
        // is served once the delay has passed (a kernel that ignored the delay would hang).
        CompletableFuture<InetSocketAddress> bound = new CompletableFuture<>();
        ExecutorJoinHandle<Integer> server = LocalExecutorBuilder.create().name("batched-echo")
                .completionBatching(64, Duration.ofMillis(2))
                .spawn(() -> {
                    try (TcpListener listener = TcpListener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                        bound.complete(listener.localAddr());
                        int echoed = 0;
                        try (TcpStream s = listener.accept()) {
                            byte[] buf = new byte[64];
                            int n;
                            while ((n = s.read(buf, 0, buf.length)) > 0) {
                                s.writeAll(buf, 0, n);
                                echoed += n;
                            }
                        }
                        return echoed;
                    }
                });
        InetSocketAddress addr = bound.get(10, TimeUnit.SECONDS);
        try (Socket client = new Socket(addr.getAddress(), addr.getPort())) {
            OutputStream out = client.getOutputStream();
            InputStream in = client.getInputStream();
            for (int i = 0; i < 20; i++) {
                byte[] msg = ("ping " + i).getBytes(StandardCharsets.US_ASCII);
                out.write(msg);
                out.flush();
                assertEquals("ping " + i, new String(in.readNBytes(msg.length), StandardCharsets.US_ASCII));
            }
        }
        int total = server.join();
        assertEquals(20 * 6 + 10 * 1, total); // "ping 0".."ping 9" are 6 bytes, "ping 10".."ping 19" 7
    }

    @Test
    void shouldRunWorkSubmittedByOtherThreadsWhileWaitingForABatch() throws Exception {
        assumeTrue(IoUring.supportsCompletionBatching(), "kernel lacks io_uring min_wait_usec (Linux 6.12+)");
        CompletableFuture<Void> stop = new CompletableFuture<>();
        ExecutorJoinHandle<Void> h = LocalExecutorBuilder.create().name("batched-inbox")
                .completionBatching(64, Duration.ofMillis(1))
                .spawn(() -> {
                    while (!stop.isDone()) {
                        Timer.sleep(Duration.ofMillis(50));
                    }
                });
        try {
            int sum = 0;
            for (int i = 0; i < 200; i++) {
                int n = i;
                // The executor is asleep between submissions: each one is a lone wake-up.
                sum += h.handle().submit(() -> n).get(10, TimeUnit.SECONDS);
                if (i % 20 == 0) {
                    LockSupport.parkNanos(3_000_000);
                }
            }
            assertEquals(199 * 200 / 2, sum);
        } finally {
            stop.complete(null);
            h.join();
        }
    }

    @Test
    void shouldFireTimersAtTheirDeadlineNotAfterTheBatchDelay() throws Exception {
        assumeTrue(IoUring.supportsCompletionBatching(), "kernel lacks io_uring min_wait_usec (Linux 6.12+)");
        // With nothing else to complete, a 1 s batch delay would hold a 10 ms timer for 1 s if the
        // sleep ignored the timer's deadline; the margin (50x) is for slow CI machines.
        long elapsedNs = LocalExecutorBuilder.create().name("batched-timer")
                .completionBatching(64, Duration.ofSeconds(1))
                .spawn(() -> {
                    long start = System.nanoTime();
                    for (int i = 0; i < 5; i++) {
                        Timer.sleep(Duration.ofMillis(10));
                    }
                    return System.nanoTime() - start;
                }).join();
        assertTrue(elapsedNs < TimeUnit.MILLISECONDS.toNanos(2_500),
                "five 10 ms sleeps took " + elapsedNs / 1_000_000 + " ms: timers waited for the batch delay");
    }

    @Test
    void shouldChangeBatchingOfARunningExecutorOnlyFromItsOwnTasks() throws Exception {
        assumeTrue(IoUring.supportsCompletionBatching(), "kernel lacks io_uring min_wait_usec (Linux 6.12+)");
        CompletableFuture<Void> stop = new CompletableFuture<>();
        CompletableFuture<LocalExecutor> self = new CompletableFuture<>();
        ExecutorJoinHandle<Void> h = LocalExecutorBuilder.create().name("rebatched").spawn(() -> {
            self.complete(LocalExecutor.current());
            while (!stop.isDone()) {
                Timer.sleep(Duration.ofMillis(20));
            }
        });
        try {
            LocalExecutor ex = self.get(10, TimeUnit.SECONDS);
            assertThrows(WrongThreadException.class, () -> ex.setCompletionBatching(8, Duration.ofMillis(1)));
            CompletionException bad = assertThrows(CompletionException.class, () -> h.handle()
                    .submit(() -> LocalExecutor.current().setCompletionBatching(0, Duration.ofMillis(1)))
                    .join());
            assertInstanceOf(IllegalArgumentException.class, bad.getCause());
            assertEquals("completionBatching: completions must be 1..4096, got 0", bad.getCause().getMessage());
            assertTrue(h.handle().submit(() -> LocalExecutor.current().setCompletionBatching(64, Duration.ofMillis(1)))
                    .get(10, TimeUnit.SECONDS));
            // Batched now: lone foreign submissions still run (after the delay).
            int sum = 0;
            for (int i = 0; i < 50; i++) {
                int n = i;
                sum += h.handle().submit(() -> n).get(10, TimeUnit.SECONDS);
            }
            assertEquals(49 * 50 / 2, sum);
            assertTrue(h.handle().submit(() -> LocalExecutor.current().setCompletionBatching(1, Duration.ZERO))
                    .get(10, TimeUnit.SECONDS));
        } finally {
            stop.complete(null);
            h.join();
        }
    }
}
