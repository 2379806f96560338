package io.github.jglommio.sync;

import io.github.jglommio.reactor.WaitList;

import io.github.jglommio.Task;
import io.github.jglommio.TaskQueueHandle;
import io.github.jglommio.reactor.Reactor;

import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * Graceful shutdown for a group of tasks of one executor: Glommio's {@code sync::Gate}. Work enters
 * the gate with a {@link Pass} (or as a task {@link #spawn}ed through it); {@link #close()} stops new
 * entries and parks until every pass is released and every spawned task has ended.
 *
 * {@snippet :
 * Gate gate = new Gate();
 * for (Connection c : connections) {
 *     gate.spawn(() -> serve(c)).detach();                // tracked: close() waits for it
 * }
 * try (Gate.Pass p = gate.enter()) {                      // any other work the gate must wait for
 *     flushCaches();
 * }
 * gate.close();                                           // refuses new work, waits for the rest
 * }
 *
 * <p>States: open, then closing (after the first {@link #close()}: {@link #enter} and
 * {@link #spawn} throw {@link ClosedException}), then closed (nothing left inside). A task cancelled
 * while parked in {@link #close()} gets {@link java.util.concurrent.CancellationException}; the gate
 * stays closing, and a later {@link #close()} waits again (Glommio: retry after a timed-out close).
 * Several tasks may wait in {@link #close()} at once; all return when the gate closes. Unlike
 * Glommio, closing a closed gate is a no-op rather than an error, following the Java convention
 * for {@code close()}.
 *
 * <p>A task that holds a pass, or was spawned through the gate, must not call {@link #close()}: it
 * would wait for itself. A spawned task that does so gets {@link IllegalStateException} (and the gate
 * stays as it was); a task holding a pass parks until it is cancelled.
 *
 * <p>Threading: a gate belongs to the executor of the task that created it; every method of the gate
 * and of its passes throws {@link WrongThreadException} when called from anywhere else.
 */
public final class Gate {

    /* Implementation overview
     *
     * `passes` counts open Pass objects. Spawned tasks are tracked in an intrusive list instead:
     * their body unlinks itself when it ends, but a task cancelled before it started never runs its
     * body, so close() joins every tracked task (Task.join returns for such tasks too) and unlinks
     * what is left. Once nothing is tracked, close() parks in `closers` until the last pass is
     * released; whoever brings the gate to empty while it is closing marks it closed and wakes the
     * closers.
     */

    private static final int OPEN = 0;
    private static final int CLOSING = 1;
    private static final int CLOSED = 2;
    private static final int PRUNE_MIN = 64;

    private final Reactor owner;
    private final WaitList closers = new WaitList();
    private int state = OPEN;
    private int passes;
    private Tracked trackedHead;
    private int tracked;
    private int pruneAt = PRUNE_MIN;

    /** A task spawned through the gate, linked until it ends. */
    private static final class Tracked {
        Task<?> task;
        /** The task's thread once its body runs. */
        Thread thread;
        Tracked prev;
        Tracked next;
        boolean linked;
    }

    /**
     * Creates an open gate bound to the calling task's executor.
     *
     * @throws IllegalStateException outside a jglommio task
     */
    public Gate() {
        this.owner = Owner.bind("new Gate()");
    }

    /**
     * Enters the gate: {@link #close()} waits until the returned pass is closed.
     *
     * {@snippet :
     * try (Gate.Pass p = gate.enter()) {
     *     handle(request);
     * }
     * }
     *
     * @throws ClosedException      when the gate is closing or closed
     * @throws WrongThreadException outside the gate's executor
     */
    public Pass enter() {
        Owner.check(owner, "Gate.enter");
        checkOpen("enter");
        passes++;
        return new Pass(this);
    }

    /**
     * Spawns {@code work} as a task in the current task queue, tracked by the gate:
     * {@link #close()} waits for it to end (normally, by failure, or by cancellation, even before
     * it started). Glommio's {@code Gate::spawn}.
     *
     * {@snippet :
     * Task<Integer> t = gate.spawn(() -> compute());
     * int v = t.join();
     * }
     *
     * @return the task, to join, cancel or detach as usual
     * @throws ClosedException      when the gate is closing or closed (nothing is spawned)
     * @throws WrongThreadException outside the gate's executor
     */
    public <T> Task<T> spawn(Callable<T> work) {
        return track(work, null, "spawn");
    }

    /** {@link #spawn(Callable)} for a {@link Runnable}; the task's {@link Task#join} returns {@code null}. */
    public Task<Void> spawn(Runnable work) {
        return track(callable(work), null, "spawn");
    }

    /**
     * {@link #spawn(Callable)} into the task queue {@code queue}: Glommio's {@code Gate::spawn_into}.
     *
     * {@snippet :
     * TaskQueueHandle background = LocalExecutor.current()
     *         .createTaskQueue(Shares.of(100), Latency.notImportant(), "background");
     * gate.spawnInto(() -> compact(), background).detach();
     * }
     *
     * @throws ClosedException          when the gate is closing or closed (nothing is spawned)
     * @throws IllegalArgumentException when {@code queue} belongs to another executor or was removed
     * @throws WrongThreadException     outside the gate's executor
     */
    public <T> Task<T> spawnInto(Callable<T> work, TaskQueueHandle queue) {
        Objects.requireNonNull(queue, "queue");
        return track(work, queue, "spawnInto");
    }

    /** {@link #spawnInto(Callable, TaskQueueHandle)} for a {@link Runnable}. */
    public Task<Void> spawnInto(Runnable work, TaskQueueHandle queue) {
        Objects.requireNonNull(queue, "queue");
        return track(callable(work), queue, "spawnInto");
    }

    /**
     * Closes the gate and parks until every pass is released and every spawned task has ended.
     * New {@link #enter}/{@link #spawn} calls fail from the moment this is called, even if the
     * caller is cancelled while waiting. Returns at once when the gate is already closed.
     *
     * {@snippet :
     * gate.close();
     * assert gate.isClosed();
     * }
     *
     * @throws java.util.concurrent.CancellationException when the calling task is cancelled while
     *         waiting (the gate stays closing; call {@code close()} again to wait for it)
     * @throws IllegalStateException when called from a task spawned through this gate
     * @throws WrongThreadException  outside the gate's executor
     */
    public void close() {
        Owner.check(owner, "Gate.close");
        Thread me = Thread.currentThread();
        for (Tracked t = trackedHead; t != null; t = t.next) {
            if (t.thread == me) {
                throw new IllegalStateException("Gate.close called from a task spawned through this gate: "
                        + "it would wait for itself to end");
            }
        }
        if (state == OPEN) {
            state = CLOSING;
        }
        finishIfEmpty();
        while (state != CLOSED) {
            if (trackedHead != null) {
                awaitEnd(trackedHead);
                finishIfEmpty();
                continue;
            }
            int result = closers.await(closers.add(0, false), this);
            if (result == WaitList.WAITING) {
                throw Owner.cancelled("Gate.close");
            }
        }
    }

    /**
     * Whether the gate still lets work in (no {@link #close()} yet).
     *
     * @throws WrongThreadException outside the gate's executor
     */
    public boolean isOpen() {
        Owner.check(owner, "Gate.isOpen");
        return state == OPEN;
    }

    /**
     * Whether the gate was closed and nothing is left inside: no open pass, no running spawned task.
     * False while closing.
     *
     * @throws WrongThreadException outside the gate's executor
     */
    public boolean isClosed() {
        Owner.check(owner, "Gate.isClosed");
        if (state == CLOSING) {
            pruneEnded();
            finishIfEmpty();
        }
        return state == CLOSED;
    }

    /** A racy summary, for logs and debuggers; any thread. */
    @Override
    public String toString() {
        String s = state == OPEN ? "open" : state == CLOSING ? "closing" : "closed";
        return "Gate[" + s + ", passes=" + passes + ", tasks=" + tracked + "]";
    }

    // ---------------------------------------------------------------- internals

    private void checkOpen(String op) {
        if (state != OPEN) {
            throw new ClosedException("Gate." + op + ": the gate is " + (state == CLOSING ? "closing" : "closed"));
        }
    }

    private static Callable<Void> callable(Runnable work) {
        Objects.requireNonNull(work, "work");
        return () -> {
            work.run();
            return null;
        };
    }

    private <T> Task<T> track(Callable<T> work, TaskQueueHandle queue, String op) {
        Objects.requireNonNull(work, "work");
        Owner.check(owner, "Gate." + op);
        checkOpen(op);
        Tracked node = new Tracked();
        link(node);
        Callable<T> body = () -> {
            node.thread = Thread.currentThread();
            try {
                return work.call();
            } finally {
                unlink(node);
                finishIfEmpty();
            }
        };
        boolean spawned = false;
        try {
            // The new task cannot run before we return: it needs this executor's thread.
            Task<T> task = queue == null ? Task.local(body) : Task.localInto(body, queue);
            node.task = task;
            spawned = true;
            return task;
        } finally {
            if (!spawned) {
                unlink(node);
            }
            if (tracked >= pruneAt) {
                pruneEnded();
                pruneAt = Math.max(PRUNE_MIN, 2 * tracked);
            }
        }
    }

    /** Parks until the tracked task ends, whatever its outcome, then forgets it. */
    private void awaitEnd(Tracked t) {
        Task<?> task = t.task;
        try {
            task.join();
        } catch (RuntimeException | Error e) {
            if (!task.isDone()) {
                throw e; // the closer itself was cancelled
            }
            // The task failed or was cancelled: its owner sees that at join(); the gate only waits for the end.
        }
        unlink(t); // still linked when the task was cancelled before its body ran
    }

    /** Forgets tracked tasks that ended without running their body (cancelled before they started). */
    private void pruneEnded() {
        Tracked t = trackedHead;
        while (t != null) {
            Tracked next = t.next;
            if (t.task != null && t.task.isDone()) {
                unlink(t);
            }
            t = next;
        }
    }

    private void leave() {
        passes--;
        finishIfEmpty();
    }

    private void finishIfEmpty() {
        if (state == CLOSING && passes == 0 && trackedHead == null) {
            state = CLOSED;
            closers.grantAll();
        }
    }

    private void link(Tracked t) {
        t.next = trackedHead;
        if (trackedHead != null) {
            trackedHead.prev = t;
        }
        trackedHead = t;
        t.linked = true;
        tracked++;
    }

    private void unlink(Tracked t) {
        if (!t.linked) {
            return;
        }
        if (t.prev == null) {
            trackedHead = t.next;
        } else {
            t.prev.next = t.next;
        }
        if (t.next != null) {
            t.next.prev = t.prev;
        }
        t.prev = null;
        t.next = null;
        t.linked = false;
        tracked--;
    }

    /**
     * Admission to a {@link Gate}: the gate's {@link Gate#close()} waits until every pass is closed.
     * Glommio's {@code Pass}. May be handed to another task of the same executor.
     *
     * {@snippet :
     * Gate.Pass p = gate.enter();
     * Task.local(() -> {
     *     try (p) {
     *         work();
     *     }
     * }).detach();
     * }
     */
    public static final class Pass implements AutoCloseable {

        private final Gate gate;
        private boolean released;

        private Pass(Gate gate) {
            this.gate = gate;
        }

        /**
         * Leaves the gate; the last pass of a closing gate closes it and wakes its closers. Idempotent.
         *
         * @throws WrongThreadException outside the gate's executor
         */
        @Override
        public void close() {
            Owner.check(gate.owner, "Gate.Pass.close");
            if (released) {
                return;
            }
            released = true;
            gate.leave();
        }
    }
}
