package io.github.jglommio;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * Lets any thread hand work to an executor. The work runs as a task in the executor's default
 * task queue; the future completes on the executor thread.
 *
 * {@snippet :
 * ExecutorJoinHandle<Void> h = LocalExecutorBuilder.create().spawn(() -> Timer.sleep(Duration.ofSeconds(1)));
 * CompletableFuture<String> f = h.handle().submit(() -> LocalExecutor.current().name());
 * }
 *
 * <p>Threading: every method may be called from any thread. A submission wakes the executor only
 * when it sleeps.
 */
public final class ExecutorHandle {

    private final LocalExecutor executor;

    ExecutorHandle(LocalExecutor executor) {
        this.executor = executor;
    }

    /**
     * Runs {@code callable} as a task on the executor. Work submitted before the executor starts
     * runs once it starts.
     *
     * @return a future with the task's result or failure; it fails with
     *         {@link RejectedExecutionException} when the executor has stopped
     */
    public <T> CompletableFuture<T> submit(Callable<T> callable) {
        Objects.requireNonNull(callable, "callable");
        CompletableFuture<T> future = new CompletableFuture<>();
        SpawnRequest<T> request = new SpawnRequest<>(executor, callable, future);
        if (!executor.submitForeign(request)) {
            request.reject(executor.name());
        }
        return future;
    }

    /** Runs {@code runnable} as a task on the executor; see {@link #submit(Callable)}. */
    public CompletableFuture<Void> submit(Runnable runnable) {
        return submit(Task.asCallable(runnable));
    }

    /**
     * A snapshot of the executor's counters, read from the calling thread without stopping the
     * executor (values may be microseconds stale relative to each other). Any thread.
     */
    public ExecutorStats stats() {
        return executor.statsSnapshot();
    }

    /**
     * Asks the executor to stop: its {@link LocalExecutor#onStopRequest stop hooks} run, tasks in
     * {@link LocalExecutor#awaitStopRequest()} wake, and whatever is still running after
     * {@code grace} is cancelled, so the executor ends within about {@code grace} plus the time
     * cancelled tasks take to unwind. Returns at once; join the executor to wait. Any thread; a no-op
     * for a stopped executor.
     */
    public void requestStop(java.time.Duration grace) {
        java.util.Objects.requireNonNull(grace, "grace");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative, got " + grace);
        }
        long ns = grace.toNanos();
        executor.submitForeign(() -> executor.beginStop(ns));
    }

    /** The executor's id. */
    public long id() {
        return executor.id();
    }

    /** The executor's name. */
    public String name() {
        return executor.name();
    }

    @Override
    public String toString() {
        return "ExecutorHandle[" + executor.name() + ", id=" + executor.id() + "]";
    }

    /** A task to start on the executor thread, carried through its inbox. */
    static final class SpawnRequest<T> implements Runnable {
        private final LocalExecutor executor;
        private final Callable<T> callable;
        private final CompletableFuture<T> future;

        SpawnRequest(LocalExecutor executor, Callable<T> callable, CompletableFuture<T> future) {
            this.executor = executor;
            this.callable = callable;
            this.future = future;
        }

        @Override
        public void run() {
            executor.spawn(callable, executor.defaultQueue()).completeInto(future);
        }

        void reject(String executorName) {
            future.completeExceptionally(new RejectedExecutionException("executor '" + executorName
                    + "' is not running: it has stopped or failed to start"));
        }
    }
}
