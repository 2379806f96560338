package io.github.jglommio.benchmarks;

import io.github.jglommio.ExecutorHandle;
import io.github.jglommio.ExecutorStats;
import io.github.jglommio.LocalExecutorBuilder;
import io.github.jglommio.Task;
import io.github.jglommio.net.TcpListener;
import io.github.jglommio.net.TcpStream;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * The jglommio peer of the {@code net} suite: one executor pinned to the server CPU; an accept loop
 * per port ({@link TcpListener}) that spawns a task per connection. Echo: read up to 4 KiB, write
 * it all back, until end of stream. HTTP: {@link HttpScanner} over the same reads.
 *
 * <p>Threading: {@link #start} is called from the child's main thread; everything else runs on the
 * executor; {@link NetServer.Running#stats} reads the executor's counters from the main thread.
 */
final class JglommioNetServer {

    private static final int BUFFER = 4096;
    /** System property: the executor's spinBeforePark in microseconds (unset: the builder's default). */
    static final String SPIN_US_PROP_NAME = "jglommio.bench.net.spinBeforeParkUs";

    private JglommioNetServer() {
    }

    static NetServer.Running start(int cpu, InetSocketAddress echo, InetSocketAddress http) throws Exception {
        CompletableFuture<Void> listening = new CompletableFuture<>();
        LocalExecutorBuilder builder = LocalExecutorBuilder.create().name("net-server").pinToCpu(cpu);
        Long spinUs = Long.getLong(SPIN_US_PROP_NAME);
        if (spinUs != null) {
            builder.spinBeforePark(Duration.ofNanos(spinUs * 1000));
        }
        var executor = builder.spawn(() -> {
            try (TcpListener echoListener = TcpListener.bind(echo); TcpListener httpListener = TcpListener.bind(http)) {
                listening.complete(null);
                Task.local(() -> acceptLoop(httpListener, true)).detach();
                acceptLoop(echoListener, false);
            } catch (IOException | RuntimeException e) {
                listening.completeExceptionally(e);
            }
        });
        listening.get();
        ExecutorHandle handle = executor.handle();
        return new NetServer.Running() {
            private ExecutorStats last = handle.stats();

            @Override
            public String stats() {
                ExecutorStats now = handle.stats();
                ExecutorStats d = now.delta(last);
                last = now;
                return String.format(Locale.ROOT, "turns=%d sleeps=%d taskRuns=%d sqes=%d cqes=%d wakeups=%d busyNs=%d",
                        d.schedulerRuns(), d.sleeps(), d.taskRuns(), d.io().submissions(), d.io().completions(),
                        d.io().wakeups(), d.busyTime().toNanos());
            }
        };
    }

    private static void acceptLoop(TcpListener listener, boolean http) {
        while (true) {
            TcpStream s;
            try {
                s = listener.accept();
            } catch (IOException e) {
                System.err.println("jglommio accept failed: " + e);
                return;
            }
            Task.local(() -> serve(s, http)).detach();
        }
    }

    private static void serve(TcpStream s, boolean http) {
        byte[] buf = new byte[BUFFER];
        HttpScanner scanner = http ? new HttpScanner() : null;
        try (s) {
            s.setNoDelay(true);
            int n;
            while ((n = s.read(buf)) > 0) {
                if (scanner == null) {
                    s.writeAll(buf, 0, n);
                } else {
                    int requests = scanner.feed(buf, 0, n);
                    if (requests > 0) {
                        s.writeAll(HttpScanner.responses(requests));
                    }
                }
            }
        } catch (IOException e) {
            // A reset by the load generator ending its run: the connection is over either way.
        }
    }
}
