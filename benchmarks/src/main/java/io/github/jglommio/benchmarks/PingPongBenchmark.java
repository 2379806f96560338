package io.github.jglommio.benchmarks;

import io.github.jglommio.Task;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A park/unpark ping-pong between two threads ({@link PingPong}): two tasks of one executor against
 * two JDK virtual threads.
 *
 * <p>Score: round trips per second, higher is better; a round trip is two hand-offs, each an
 * {@code unpark} of the peer and a {@code park} of the caller, i.e. two context switches between
 * virtual threads. {@link #jdkOneCarrier} runs in a fork with
 * {@code -Djdk.virtualThreadScheduler.parallelism=1}, so both sides switch on one carrier thread as
 * jglommio does; {@link #jdkDefaultCarriers} lets the JDK spread the two threads over both cores,
 * where each hand-off may be a cross-core wake-up.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsPrepend = {ForkArgs.ADD_OPENS, ForkArgs.NATIVE_ACCESS, ForkArgs.ALLOW_UNSAFE})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 2)
public class PingPongBenchmark {

    /** Round trips per invocation. */
    static final int N = 1000;

    /** jglommio: the submitted task pings, a second task of the same executor pongs. */
    @Benchmark
    @OperationsPerInvocation(N)
    public void jglommio(ExecutorState executor) throws Exception {
        executor.run(() -> {
            PingPong game = new PingPong(N);
            Task<Void> pong = Task.local(game::pong);
            game.ping();
            pong.join();
            return null;
        });
    }

    /** JDK, one carrier: one virtual thread pings, a second one pongs. */
    @Benchmark
    @OperationsPerInvocation(N)
    @Fork(jvmArgsAppend = ForkArgs.ONE_CARRIER)
    public void jdkOneCarrier() throws InterruptedException {
        VirtualThreads.run(PingPongBenchmark::pingPongVirtualThreads);
    }

    /** JDK, default carriers (one per core): as {@link #jdkOneCarrier}. */
    @Benchmark
    @OperationsPerInvocation(N)
    public void jdkDefaultCarriers() throws InterruptedException {
        VirtualThreads.run(PingPongBenchmark::pingPongVirtualThreads);
    }

    private static void pingPongVirtualThreads() {
        PingPong game = new PingPong(N);
        Thread pong = VirtualThreads.FACTORY.newThread(game::pong);
        pong.start();
        game.ping();
        try {
            pong.join();
        } catch (InterruptedException e) {
            throw new IllegalStateException("benchmark thread interrupted", e);
        }
    }
}
