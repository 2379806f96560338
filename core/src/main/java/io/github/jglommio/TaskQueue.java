package io.github.jglommio;

import io.github.jglommio.loom.Loom;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/**
 * A queue of runnable task continuations with a share of the executor's CPU time. It is also the
 * scheduler of its tasks' virtual threads: the JDK calls {@link #execute} whenever one of them
 * becomes runnable (started, unparked, yielded).
 *
 * <p>Owner-thread state, except {@link #execute}, which any thread may call.
 */
final class TaskQueue implements Executor {

    final LocalExecutor executor;
    final int index;
    final String name;
    final ThreadFactory threads;
    private final ArrayDeque<Runnable> runnables = new ArrayDeque<>();
    /** Weighted runtime: grows by elapsedNs * 1024 / shares each time the queue runs. */
    long vruntime;
    int shares = 1000;
    /** In the executor's active set, or being run right now. */
    boolean active;
    long tasksRun;
    long runtimeNs;

    TaskQueue(LocalExecutor executor, int index, String name) {
        this.executor = executor;
        this.index = index;
        this.name = name;
        this.threads = Loom.virtualThreadBuilder(this).inheritInheritableThreadLocals(false).factory();
    }

    @Override
    public void execute(Runnable continuation) {
        if (Loom.currentCarrierThread() == executor.thread) {
            enqueue(continuation);
        } else {
            executor.submitForeign(() -> enqueue(continuation));
        }
    }

    /** Owner thread only. */
    void enqueue(Runnable continuation) {
        runnables.addLast(continuation);
        if (!active) {
            executor.activate(this);
        }
    }

    Runnable poll() {
        return runnables.pollFirst();
    }

    int size() {
        return runnables.size();
    }

    boolean isEmpty() {
        return runnables.isEmpty();
    }

    void charge(long elapsedNs) {
        runtimeNs += elapsedNs;
        vruntime += elapsedNs * 1024 / shares;
    }
}
