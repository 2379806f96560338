package io.github.jglommio;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.LockSupport;

/**
 * A unit of work running as a virtual thread scheduled by one {@link LocalExecutor}: Glommio's
 * {@code Task}. The task's code is plain blocking Java; every jglommio operation it calls
 * ({@link io.github.jglommio.timer.Timer#sleep}, file and socket I/O, {@link #join}) parks only this task.
 *
 * {@snippet :
 * int answer = LocalExecutor.create().run(() -> {
 *     Task<Integer> task = Task.local(() -> {
 *         Timer.sleep(Duration.ofMillis(100));
 *         return 42;
 *     });
 *     return task.join();
 * });
 * }
 *
 * <p>Threading: a task and its handle belong to the executor that spawned it. {@link #join},
 * {@link #cancel} and {@link #detach} must be called from a task of that executor and throw
 * {@link WrongThreadException} otherwise; {@link #isDone} may be called from anywhere.
 *
 * <p>Cancellation: {@link #cancel} interrupts the task's thread. jglommio operations in an interrupted
 * task are cancelled in the kernel ({@code IORING_OP_ASYNC_CANCEL}) and throw
 * {@link CancellationException}; a task that has not started yet never runs.
 *
 * @param <T> the task's result type
 */
public final class Task<T> {

    private static final System.Logger LOG = System.getLogger(Task.class.getName());

    final LocalExecutor executor;
    final TaskQueue queue;
    private final Callable<T> body;
    Thread thread;
    /** The virtual thread's continuation, known only while stall detection is on. */
    Runnable continuation;
    private volatile boolean done;
    private boolean cancelled;
    private boolean detached;
    private T value;
    private Throwable failure;
    private ArrayList<Thread> joiners;
    private CompletableFuture<T> future;
    // Intrusive list of the executor's live tasks (owner thread only).
    Task<?> prevLive;
    Task<?> nextLive;

    Task(LocalExecutor executor, TaskQueue queue, Callable<T> body) {
        this.executor = executor;
        this.queue = queue;
        this.body = body;
    }

    /**
     * Spawns {@code callable} as a new task in the current task queue of the calling task's executor.
     *
     * @throws IllegalStateException when the caller is not running on a jglommio executor
     */
    public static <T> Task<T> local(Callable<T> callable) {
        LocalExecutor ex = LocalExecutor.current();
        return ex.spawn(callable, ex.currentQueue());
    }

    /** Spawns {@code runnable} as a new task; its {@link #join} returns {@code null}. */
    public static Task<Void> local(Runnable runnable) {
        return local(asCallable(runnable));
    }

    /**
     * Spawns {@code callable} as a new task in the task queue {@code queue} of the calling task's
     * executor. Glommio's {@code local_into}.
     *
     * @throws IllegalArgumentException when {@code queue} belongs to another executor or was removed
     * @throws IllegalStateException    when the caller is not running on a jglommio executor
     */
    public static <T> Task<T> localInto(Callable<T> callable, TaskQueueHandle queue) {
        LocalExecutor ex = LocalExecutor.current();
        return ex.spawn(callable, ex.queue(queue));
    }

    /** Spawns {@code runnable} into {@code queue}; see {@link #localInto(Callable, TaskQueueHandle)}. */
    public static Task<Void> localInto(Runnable runnable, TaskQueueHandle queue) {
        return localInto(asCallable(runnable), queue);
    }

    static Callable<Void> asCallable(Runnable runnable) {
        java.util.Objects.requireNonNull(runnable, "runnable");
        return () -> {
            runnable.run();
            return null;
        };
    }

    /** Runs on the task's virtual thread. */
    void runBody() {
        T v = null;
        Throwable f = null;
        if (cancelled) {
            f = new CancellationException("task was cancelled before it started");
        } else {
            try {
                v = ScopedValue.where(io.github.jglommio.reactor.Reactor.key(), executor.reactor).call(body::call);
            } catch (Throwable t) {
                f = t;
            }
        }
        finish(v, f);
    }

    private void finish(T v, Throwable f) {
        // A body that caught its cancellation and returned normally keeps its result.
        value = v;
        failure = f;
        done = true;
        executor.taskFinished(this);
        if (joiners != null) {
            for (Thread j : joiners) {
                LockSupport.unpark(j);
            }
            joiners = null;
        }
        if (future != null) {
            complete(future);
        }
        if (detached && failure != null && !(failure instanceof CancellationException)) {
            LOG.log(Level.WARNING, "detached task on executor '" + executor.name() + "' failed", failure);
        }
    }

    private void complete(CompletableFuture<T> f) {
        if (failure == null) {
            f.complete(value);
        } else {
            f.completeExceptionally(failure);
        }
    }

    /** Completes {@code f} (on the executor thread) when the task ends. Owner thread only. */
    void completeInto(CompletableFuture<T> f) {
        if (done) {
            complete(f);
        } else {
            future = f;
        }
    }

    /**
     * Parks the calling task until this task ends and returns its result.
     *
     * @throws CancellationException when this task was cancelled, or the caller is cancelled while waiting
     * @throws CompletionException   wrapping a checked exception the task threw; unchecked exceptions
     *                               and errors are rethrown as they are
     * @throws WrongThreadException  when called from outside this task's executor
     */
    public T join() {
        executor.checkOwner("Task.join()");
        if (thread == Thread.currentThread()) {
            throw new IllegalStateException("a task cannot join itself");
        }
        if (!done) {
            if (joiners == null) {
                joiners = new ArrayList<>(2);
            }
            Thread me = Thread.currentThread();
            joiners.add(me);
            while (!done) {
                LockSupport.park(this);
                if (!done && me.isInterrupted()) {
                    if (joiners != null) {
                        joiners.remove(me);
                    }
                    throw new CancellationException("task was cancelled while joining another task");
                }
            }
        }
        return result();
    }

    T result() {
        Throwable f = failure;
        if (f == null) {
            return value;
        }
        if (f instanceof CancellationException c) {
            CancellationException copy = new CancellationException(c.getMessage());
            copy.initCause(c);
            throw copy;
        }
        if (f instanceof RuntimeException r) {
            throw r;
        }
        if (f instanceof Error e) {
            throw e;
        }
        throw new CompletionException(f);
    }

    /**
     * Lets the task run to completion without anyone joining it; its failure, if any, is logged.
     * Returns this task.
     */
    public Task<T> detach() {
        executor.checkOwner("Task.detach()");
        return detachInternal();
    }

    /** {@link #detach()} for the executor's own use (on its thread, outside any task). */
    Task<T> detachInternal() {
        detached = true;
        if (done && failure != null && !(failure instanceof CancellationException)) {
            LOG.log(Level.WARNING, "detached task on executor '" + executor.name() + "' failed", failure);
        }
        return this;
    }

    /**
     * Requests cancellation: a task that has not started never runs; a running task is interrupted,
     * so its current and later jglommio operations throw {@link CancellationException}. Returns
     * without waiting; {@link #join} then throws {@link CancellationException} unless the task
     * finished anyway.
     *
     * @return false when the task had already finished
     */
    public boolean cancel() {
        executor.checkOwner("Task.cancel()");
        return cancelInternal();
    }

    boolean cancelInternal() {
        if (done) {
            return false;
        }
        cancelled = true;
        if (thread != null) {
            thread.interrupt();
        }
        return true;
    }

    /** True once the task has finished (normally, exceptionally or by cancellation). Any thread. */
    public boolean isDone() {
        return done;
    }

    /** True when {@link #cancel} was called before the task finished. Owner thread. */
    public boolean isCancelled() {
        return cancelled;
    }
}
