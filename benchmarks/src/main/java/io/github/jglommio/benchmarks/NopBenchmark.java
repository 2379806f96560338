package io.github.jglommio.benchmarks;

import io.github.jglommio.IoUring;
import io.github.jglommio.Task;

import java.util.ArrayList;
import java.util.List;
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
 * A round trip through the executor's io_uring: {@link IoUring#nop()} submits an
 * {@code IORING_OP_NOP}, parks the task and resumes it when the completion is reaped. There is no
 * JDK peer: the JDK's virtual-thread scheduler has no ring of its own.
 *
 * <p>Score: NOPs per second, higher is better. {@link #jglommio} has one task in flight, so each NOP
 * costs at least one {@code io_uring_enter}; {@link #jglommio32Tasks} keeps 32 tasks in flight, so
 * the executor can submit and reap many NOPs per loop turn. For scale, BENCHMARKING.md measured a
 * bare FFM NOP loop at 1.5 M/s at batch 1 and 8.5–9.7 M/s at batch 32.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsPrepend = {ForkArgs.ADD_OPENS, ForkArgs.NATIVE_ACCESS, ForkArgs.ALLOW_UNSAFE})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 2)
public class NopBenchmark {

    /** NOPs per invocation. */
    static final int N = 1024;
    /** Tasks in flight in {@link #jglommio32Tasks}. */
    static final int TASKS = 32;

    /** jglommio: one task issues N NOPs, one at a time. */
    @Benchmark
    @OperationsPerInvocation(N)
    public void jglommio(ExecutorState executor) throws Exception {
        executor.run(() -> {
            for (int i = 0; i < N; i++) {
                IoUring.nop();
            }
            return null;
        });
    }

    /** jglommio: 32 tasks issue N/32 NOPs each, concurrently. */
    @Benchmark
    @OperationsPerInvocation(N)
    public void jglommio32Tasks(ExecutorState executor) throws Exception {
        executor.run(() -> {
            List<Task<Void>> tasks = new ArrayList<>(TASKS);
            for (int t = 0; t < TASKS; t++) {
                tasks.add(Task.local(() -> {
                    for (int i = 0; i < N / TASKS; i++) {
                        IoUring.nop();
                    }
                }));
            }
            for (Task<Void> task : tasks) {
                task.join();
            }
            return null;
        });
    }
}
