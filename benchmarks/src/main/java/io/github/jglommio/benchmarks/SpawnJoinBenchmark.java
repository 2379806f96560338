package io.github.jglommio.benchmarks;

import io.github.jglommio.Task;

import java.util.concurrent.Callable;
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
 * Spawning an empty task and joining it: {@code Task.local(() -> null).join()} inside an executor
 * against {@code Thread.ofVirtual().start(r).join()} inside a JDK virtual thread.
 *
 * <p>Score: spawn+join pairs per second, higher is better. Each operation creates a virtual thread,
 * schedules it, runs it to completion and wakes the joiner. {@link #jdkOneCarrier} runs in a fork
 * with {@code -Djdk.virtualThreadScheduler.parallelism=1}, so both sides have one carrier thread;
 * {@link #jdkDefaultCarriers} uses the JDK's default (one carrier per core), where the child may
 * start on the other core.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsPrepend = {ForkArgs.ADD_OPENS, ForkArgs.NATIVE_ACCESS, ForkArgs.ALLOW_UNSAFE})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 2)
public class SpawnJoinBenchmark {

    /** Spawn+join pairs per invocation. */
    static final int N = 1000;

    private static final Callable<Void> EMPTY = () -> null;
    private static final Runnable EMPTY_RUNNABLE = () -> { };

    /** jglommio: N empty tasks spawned and joined one after another by a task. */
    @Benchmark
    @OperationsPerInvocation(N)
    public void jglommio(ExecutorState executor) throws Exception {
        executor.run(() -> {
            for (int i = 0; i < N; i++) {
                Task.local(EMPTY).join();
            }
            return null;
        });
    }

    /** JDK, one carrier: N empty virtual threads started and joined by a virtual thread. */
    @Benchmark
    @OperationsPerInvocation(N)
    @Fork(jvmArgsAppend = ForkArgs.ONE_CARRIER)
    public void jdkOneCarrier() throws InterruptedException {
        VirtualThreads.run(SpawnJoinBenchmark::spawnJoinVirtualThreads);
    }

    /** JDK, default carriers (one per core): as {@link #jdkOneCarrier}. */
    @Benchmark
    @OperationsPerInvocation(N)
    public void jdkDefaultCarriers() throws InterruptedException {
        VirtualThreads.run(SpawnJoinBenchmark::spawnJoinVirtualThreads);
    }

    private static void spawnJoinVirtualThreads() {
        try {
            for (int i = 0; i < N; i++) {
                Thread t = VirtualThreads.FACTORY.newThread(EMPTY_RUNNABLE);
                t.start();
                t.join();
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException("benchmark thread interrupted", e);
        }
    }
}
