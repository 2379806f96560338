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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What the preemption check costs: {@link LocalExecutor#needPreempt()} and
 * {@link LocalExecutor#yieldIfNeeded()} called in a loop inside a task, beside baselines run the
 * same way: a plain field read, a volatile field read, {@link System#nanoTime()} (the clock read a
 * hand-written "has my slice ended?" check would need) and {@link LocalExecutor#isOnExecutor()}
 * (the {@code ScopedValue} lookup of the calling task's reactor, the first half of the check).
 *
 * <p>Score: nanoseconds per call, lower is better. Every benchmark runs N calls in one task per
 * invocation and hands each result to a {@link Blackhole}. The JIT hoists the plain field's load out
 * of the loop, so {@link #plainField} is the floor of loop plus Blackhole; a volatile load cannot be
 * hoisted (on x86 it is a plain {@code mov}), so {@link #volatileField} is the cost of one load from
 * cache. The API promises "a few nanoseconds" (Glommio: 1–2 ns): {@code needPreempt()} is the
 * {@code ScopedValue} lookup and two loads of the latency ring's CQ head and tail through a
 * {@code MemorySegment}. The executor's time slice (100 ms) outlasts an invocation (a few
 * milliseconds), so the check answers false throughout and {@code yieldIfNeeded()} never yields.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsPrepend = {ForkArgs.ADD_OPENS, ForkArgs.NATIVE_ACCESS, ForkArgs.ALLOW_UNSAFE})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@State(Scope.Benchmark)
public class NeedPreemptBenchmark {

    /**
     * Calls per invocation: enough that the invocation's cross-thread hand-off (tens of
     * microseconds) adds well under 0.1 ns per call, few enough that a call stays far below the
     * executor's 100 ms time slice.
     */
    static final int N = 1 << 20;

    /** Read by {@link #plainField}: not final, but the JIT may load it once per loop. */
    boolean flag;
    /** Read by {@link #volatileField}: loaded on every iteration. */
    volatile boolean volatileFlag;

    /** jglommio: N calls of {@code LocalExecutor.needPreempt()} in one task. */
    @Benchmark
    @OperationsPerInvocation(N)
    public void needPreempt(ExecutorState executor, Blackhole bh) throws Exception {
        executor.run(() -> {
            for (int i = 0; i < N; i++) {
                bh.consume(LocalExecutor.needPreempt());
            }
            return null;
        });
    }

    /** jglommio: N calls of {@code LocalExecutor.yieldIfNeeded()} in one task, none of which yields. */
    @Benchmark
    @OperationsPerInvocation(N)
    public void yieldIfNeeded(ExecutorState executor, Blackhole bh) throws Exception {
        executor.run(() -> {
            for (int i = 0; i < N; i++) {
                LocalExecutor.yieldIfNeeded();
                bh.consume(i);
            }
            return null;
        });
    }

    /** Baseline: N reads of a plain field in one task; the JIT hoists the load: the loop and Blackhole floor. */
    @Benchmark
    @OperationsPerInvocation(N)
    public void plainField(ExecutorState executor, Blackhole bh) throws Exception {
        executor.run(() -> {
            for (int i = 0; i < N; i++) {
                bh.consume(flag);
            }
            return null;
        });
    }

    /** Baseline: N reads of a volatile field in one task: one load each. */
    @Benchmark
    @OperationsPerInvocation(N)
    public void volatileField(ExecutorState executor, Blackhole bh) throws Exception {
        executor.run(() -> {
            for (int i = 0; i < N; i++) {
                bh.consume(volatileFlag);
            }
            return null;
        });
    }

    /** The lookup alone: N calls of {@code LocalExecutor.isOnExecutor()} in one task. */
    @Benchmark
    @OperationsPerInvocation(N)
    public void isOnExecutor(ExecutorState executor, Blackhole bh) throws Exception {
        executor.run(() -> {
            for (int i = 0; i < N; i++) {
                bh.consume(LocalExecutor.isOnExecutor());
            }
            return null;
        });
    }

    /** Baseline: N calls of {@code System.nanoTime()} in one task (a vDSO clock read). */
    @Benchmark
    @OperationsPerInvocation(N)
    public void nanoTime(ExecutorState executor, Blackhole bh) throws Exception {
        executor.run(() -> {
            for (int i = 0; i < N; i++) {
                bh.consume(System.nanoTime());
            }
            return null;
        });
    }
}
