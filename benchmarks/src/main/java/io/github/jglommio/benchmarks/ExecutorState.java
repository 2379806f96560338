package io.github.jglommio.benchmarks;

import io.github.jglommio.ExecutorHandle;
import io.github.jglommio.ExecutorJoinHandle;
import io.github.jglommio.LocalExecutorBuilder;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One jglommio executor per trial, for benchmarks that run their operations inside it.
 *
 * <p>The executor's main task waits on a future that {@link #stop()} completes, so while the trial
 * runs the executor holds nothing but that parked task and sleeps in {@code io_uring_enter} between
 * invocations (no timer ticks, no polling). Each invocation calls {@link #run(Callable)}, which
 * submits one task from the JMH thread and waits for it: a cross-thread wake-up (tens of
 * microseconds on this VM) that the benchmarks amortise over a batch of operations.
 *
 * <p>Threading: {@link #run} is called by the JMH benchmark thread; the work it is given runs as a
 * task of the executor.
 */
@State(Scope.Benchmark)
public class ExecutorState {

    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private ExecutorJoinHandle<Void> executor;
    private ExecutorHandle handle;

    /** Starts the executor on its own platform thread. */
    @Setup
    public void start() {
        executor = LocalExecutorBuilder.create().name("bench-executor").spawn(() -> {
            stopped.join();   // parks only this task: the executor thread stays free
        });
        handle = executor.handle();
    }

    /** Lets the main task end and waits until the executor has released its ring. */
    @TearDown
    public void stop() {
        stopped.complete(null);
        executor.join();
    }

    /**
     * Runs {@code work} as a task of the executor and waits for its result. JMH thread.
     *
     * @throws ExecutionException   wrapping what {@code work} threw
     * @throws InterruptedException when JMH interrupts a stuck iteration (its timeout)
     */
    public <T> T run(Callable<T> work) throws InterruptedException, ExecutionException {
        return handle.submit(work).get();
    }
}
