package io.github.jglommio;

import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The platform threads behind {@link LocalExecutor#spawnBlocking}: a fixed-size pool per executor.
 * Work is handed over from the executor thread; completion unparks the waiting task from the pool
 * thread, which reaches the executor through its inbox.
 */
final class BlockingPool implements AutoCloseable {

    private final ThreadPoolExecutor pool;

    BlockingPool(String executorName, int size, Placement placement) {
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(size, size, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> Thread.ofPlatform().daemon(true).name(executorName + "-blocking-" + n.getAndIncrement())
                        .unstarted(() -> {
                            ThreadBinding.bind(placement, executorName + "-blocking");
                            r.run();
                        }));
        pool.allowCoreThreadTimeOut(true);
    }

    /** Runs {@code work} on the pool and parks the calling task until it is done. */
    <T> T call(Callable<T> work) {
        java.util.Objects.requireNonNull(work, "work");
        Thread waiter = Thread.currentThread();
        FutureTask<T> task = new FutureTask<>(work) {
            @Override
            protected void done() {
                LockSupport.unpark(waiter);
            }
        };
        pool.execute(task);
        while (!task.isDone()) {
            LockSupport.park(this);
            if (!task.isDone() && waiter.isInterrupted()) {
                task.cancel(true);
                throw new CancellationException("task was cancelled while waiting for blocking work");
            }
        }
        try {
            return task.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new CompletionException(cause);
        } catch (InterruptedException e) {
            // Unreachable: get() on a done task does not wait.
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
