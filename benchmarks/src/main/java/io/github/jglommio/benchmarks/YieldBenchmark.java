package io.github.jglommio.benchmarks;

import io.github.jglommio.LocalExecutor;

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
 * Yielding with nothing else to run: {@link LocalExecutor#yieldNow()} in a task against
 * {@link Thread#yield()} in a JDK virtual thread.
 *
 * <p>Score: yields per second, higher is better. Each yield unmounts the virtual thread, hands its
 * continuation back to the scheduler and remounts it; in jglommio the continuation waits for the
 * next executor loop turn, which also polls the ring, fires timers and drains the inbox.
 * {@link #jdkOneCarrier} runs in a fork with {@code -Djdk.virtualThreadScheduler.parallelism=1}, one
 * carrier thread as in jglommio.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsPrepend = {ForkArgs.ADD_OPENS, ForkArgs.NATIVE_ACCESS, ForkArgs.ALLOW_UNSAFE})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 2)
public class YieldBenchmark {

    /** Yields per invocation. */
    static final int N = 1000;

    /** jglommio: one task yields N times. */
    @Benchmark
    @OperationsPerInvocation(N)
    public void jglommio(ExecutorState executor) throws Exception {
        executor.run(() -> {
            for (int i = 0; i < N; i++) {
                LocalExecutor.yieldNow();
            }
            return null;
        });
    }

    /** JDK, one carrier: one virtual thread yields N times. */
    @Benchmark
    @OperationsPerInvocation(N)
    @Fork(jvmArgsAppend = ForkArgs.ONE_CARRIER)
    public void jdkOneCarrier() throws InterruptedException {
        VirtualThreads.run(() -> {
            for (int i = 0; i < N; i++) {
                Thread.yield();
            }
        });
    }
}
