package io.github.jglommio.benchmarks;

import io.github.jglommio.timer.Timer;

import java.time.Duration;
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
 * How long a 1 ms sleep really takes: {@code Timer.sleep(Duration.ofMillis(1))} in a task against
 * {@code Thread.sleep(1)} in a JDK virtual thread.
 *
 * <p>Score: the mean actual duration of one sleep in microseconds; 1000 is perfect and the excess is
 * the overshoot (kernel timer slack, wake-up and scheduling latency), so lower is better. Sleeps run
 * back to back, 100 per invocation; the invocation's hand-off to the executor or to a new virtual
 * thread (under 100 µs) adds under 1 µs per sleep. {@link #jdkOneCarrier} runs in a fork with
 * {@code -Djdk.virtualThreadScheduler.parallelism=1}, one carrier thread as in jglommio.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 2, jvmArgsPrepend = {ForkArgs.ADD_OPENS, ForkArgs.NATIVE_ACCESS, ForkArgs.ALLOW_UNSAFE})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 10, time = 2)
public class SleepBenchmark {

    /** Sleeps per invocation. */
    static final int N = 100;

    private static final Duration ONE_MS = Duration.ofMillis(1);

    /** jglommio: one task sleeps 1 ms, N times. */
    @Benchmark
    @OperationsPerInvocation(N)
    public void jglommio(ExecutorState executor) throws Exception {
        executor.run(() -> {
            for (int i = 0; i < N; i++) {
                Timer.sleep(ONE_MS);
            }
            return null;
        });
    }

    /** JDK, one carrier: one virtual thread sleeps 1 ms, N times. */
    @Benchmark
    @OperationsPerInvocation(N)
    @Fork(jvmArgsAppend = ForkArgs.ONE_CARRIER)
    public void jdkOneCarrier() throws InterruptedException {
        VirtualThreads.run(() -> {
            try {
                for (int i = 0; i < N; i++) {
                    Thread.sleep(1);
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException("benchmark thread interrupted", e);
            }
        });
    }
}
