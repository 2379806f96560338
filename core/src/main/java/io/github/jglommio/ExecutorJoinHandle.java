package io.github.jglommio;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The handle of an executor started with {@link LocalExecutorBuilder#spawn}: joins its thread and
 * returns the main task's result. Any thread (a jglommio task that joins parks only itself).
 *
 * @param <T> the main task's result type
 */
public final class ExecutorJoinHandle<T> {

    private final LocalExecutor executor;
    private final Thread thread;
    private final CompletableFuture<T> result;

    ExecutorJoinHandle(LocalExecutor executor, Thread thread, CompletableFuture<T> result) {
        this.executor = executor;
        this.thread = thread;
        this.result = result;
    }

    /**
     * Waits for the executor to stop and returns its main task's result.
     *
     * @throws IllegalStateException when the executor could not start
     * @throws CompletionException   wrapping a checked exception of the main task; unchecked
     *                               exceptions and errors are rethrown as they are
     */
    public T join() {
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException("interrupted while joining executor '" + executor.name() + "'", e);
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        }
    }

    /**
     * Waits at most {@code timeout} for the executor to stop.
     *
     * @throws TimeoutException when it is still running after {@code timeout}
     */
    public T join(Duration timeout) throws TimeoutException {
        try {
            return result.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException("interrupted while joining executor '" + executor.name() + "'", e);
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        }
    }

    private static RuntimeException rethrow(Throwable cause) {
        if (cause instanceof RuntimeException r) {
            throw r;
        }
        if (cause instanceof Error e) {
            throw e;
        }
        throw new CompletionException(cause);
    }

    /** True once the executor has stopped. */
    public boolean isDone() {
        return result.isDone();
    }

    /** The handle for submitting work to this executor from other threads. */
    public ExecutorHandle handle() {
        return executor.handle();
    }

    /** The executor's id. */
    public long executorId() {
        return executor.id();
    }

    /** The executor's platform thread. */
    public Thread thread() {
        return thread;
    }
}
