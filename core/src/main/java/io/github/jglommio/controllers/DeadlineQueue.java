package io.github.jglommio.controllers;

import io.github.jglommio.Latency;
import io.github.jglommio.LocalExecutor;
import io.github.jglommio.Shares;
import io.github.jglommio.Task;
import io.github.jglommio.TaskQueueHandle;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs work in a task queue whose shares a feedback controller keeps just high enough for the work
 * to finish by its deadline: Glommio's {@code DeadlineQueue}.
 *
 * {@snippet :
 * LocalExecutor.create().run(() -> {
 *     try (var flushes = new DeadlineQueue<Long>("flush", Duration.ofMillis(250))) {
 *         long written = flushes.pushWork(new Flush(64 << 20));   // parks this task until done
 *         System.out.println("flushed " + written + " bytes; shares now " + flushes.currentShares());
 *     }
 *     return null;
 * });
 * }
 *
 * <p>Background work such as flushing a file should neither rob the rest of the application of CPU
 * by running flat out nor crawl so slowly it never ends, and the right amount of shares in between
 * changes with the load. Like a cruise control, the queue measures how far its work is behind or
 * ahead of a steady pace to its deadline ({@link DeadlineSource#processedUnits()} against the
 * units that should be done by now) once per adjustment period, and raises or lowers its shares
 * (1..1000) to match. The pace covers all queued work: three items of 10,000 units due in 1, 2 and
 * 3 minutes ask for 10,000 units a minute, because the first two must be done before the third can
 * start.
 *
 * <p>Work runs one item at a time, in push order, each {@link DeadlineSource#action()} in a task of
 * the queue's own task queue ({@link #taskQueue()}); {@link #pushWork} parks the pushing task until
 * its item is done. As the queue is FIFO, an item's deadline may not be earlier than that of any
 * item still queued before it.
 *
 * <p>Control loops need time to settle and react with a delay (the scheduler may not run a queue with
 * few shares for a while), so this suits long work: deadlines many adjustment periods away, sources
 * that report progress often and smoothly (direct I/O rather than buffered writes whose real cost
 * shows up later in one lump), and adjustment periods that are not too short, since every adjustment
 * costs a little.
 *
 * <p>Threading: created by a task of an executor and used only from that executor's tasks; other
 * threads get {@link WrongThreadException}. Not for sharing across executors.
 *
 * @param <T> what the actions of the queued sources return
 */
public final class DeadlineQueue<T> implements AutoCloseable {

    /* Implementation overview
     *
     * controller.queue holds every admitted item in push order; the head is the one running. Each
     * action runs in a fresh task spawned into the task queue when its item reaches the head (on push
     * into an empty queue, or when the previous action's task finishes). That task, not the pushing
     * task, pops the item and starts the next one, so at most one action runs even when pushers give
     * up: a pusher cancelled before its item started just removes it; one cancelled while it runs
     * interrupts the action and the queue moves on when the action returns.
     *
     * Everything runs on the executor thread (tasks switch only where they park), so plain fields
     * suffice. The controller reads the sources from the scheduler, between tasks.
     */

    private static final System.Logger LOG = System.getLogger(DeadlineQueue.class.getName());

    /** Adjustment periods below this also make the queue latency-sensitive, as in Glommio. */
    static final Duration LATENCY_MATTERS_BELOW = Duration.ofMillis(100);

    private final LocalExecutor executor;
    private final String name;
    private final TaskQueueHandle taskQueue;
    final DeadlineController controller;
    private boolean closed;
    private boolean removed;
    /** Tasks parked in {@link #close()} until the queue drains. */
    private List<Thread> drainWaiters;

    /**
     * Creates a deadline queue and its task queue, named {@code name}, with dynamic shares that the
     * controller re-computes every {@code adjustmentPeriod} (Glommio uses 250 ms in its examples; see
     * {@link io.github.jglommio.SharesManager#ADJUSTMENT_PERIOD_DEFAULT}). A period under 100 ms also
     * gives the task queue {@link Latency#matters(Duration) Latency.matters(adjustmentPeriod)}, so the
     * controller's decisions are not delayed by long time slices; otherwise latency is not important.
     *
     * @param name             the name of the task queue, as shown in its statistics
     * @param adjustmentPeriod how often the shares are re-computed; positive
     * @throws IllegalArgumentException when {@code adjustmentPeriod} is zero or negative
     * @throws IllegalStateException    outside a jglommio task
     */
    public DeadlineQueue(String name, Duration adjustmentPeriod) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(adjustmentPeriod, "adjustmentPeriod");
        if (adjustmentPeriod.isNegative() || adjustmentPeriod.isZero()) {
            throw new IllegalArgumentException("the adjustment period of deadline queue '" + name
                    + "' must be positive, got " + adjustmentPeriod);
        }
        this.executor = LocalExecutor.current();
        this.name = name;
        this.controller = new DeadlineController(adjustmentPeriod);
        Latency latency = adjustmentPeriod.compareTo(LATENCY_MATTERS_BELOW) < 0
                ? Latency.matters(adjustmentPeriod) : Latency.notImportant();
        this.taskQueue = executor.createTaskQueue(Shares.dynamic(controller), latency, name);
    }

    /**
     * Queues {@code source} and parks the calling task until its action has run, then returns the
     * action's result. Glommio's {@code push_work}. The source's deadline is now plus its
     * {@link DeadlineSource#expectedDuration()}; its action runs after every item pushed before it,
     * so its deadline must not be earlier than those of the items still queued.
     *
     * @param source the work; its units are read by the controller until its action returns
     * @return what the source's {@link DeadlineSource#action()} returned
     * @throws IllegalArgumentException when the expected duration is negative or longer than about
     *                                  70 years, when total or processed units are negative, or when
     *                                  the deadline is earlier than that of an item still queued
     *                                  (deadlines must not decrease in push order)
     * @throws IllegalStateException    after {@link #close()}, or when called from an action of this
     *                                  queue (it would wait for itself)
     * @throws CancellationException    when the calling task is cancelled: before its item started,
     *                                  the item is dropped; while it runs, the action is interrupted
     * @throws CompletionException      wrapping a checked exception of the action; unchecked
     *                                  exceptions and errors are rethrown as they are
     * @throws WrongThreadException     outside this queue's executor
     */
    public T pushWork(DeadlineSource<? extends T> source) {
        checkOwner("DeadlineQueue.pushWork()");
        Objects.requireNonNull(source, "source");
        checkOpen("pushWork()");
        checkNotInAction("pushWork()");
        long expectedNs = expectedNanos(source);
        if (source.totalUnits() < 0 || source.processedUnits() < 0) {
            throw new IllegalArgumentException("units of a deadline source must not be negative, got total "
                    + source.totalUnits() + " and processed " + source.processedUnits());
        }
        Thread me = Thread.currentThread();
        if (me.isInterrupted()) {
            throw new CancellationException("task was cancelled before pushing work to deadline queue '" + name + "'");
        }
        Work<T> w = controller.admit(source, expectedNs, System.nanoTime());
        w.waiter = me;
        if (controller.queue.size() == 1) {
            start(w);
        }
        return await(w);
    }

    private static long expectedNanos(DeadlineSource<?> source) {
        Duration d = Objects.requireNonNull(source.expectedDuration(), "source.expectedDuration()");
        if (d.isNegative()) {
            throw new IllegalArgumentException("the expected duration of a deadline source must not be negative, got "
                    + d);
        }
        if (d.compareTo(Duration.ofNanos(DeadlineController.MAX_EXPECTED_NS)) > 0) {
            throw new IllegalArgumentException("the expected duration of a deadline source must be at most "
                    + Duration.ofNanos(DeadlineController.MAX_EXPECTED_NS) + ", got " + d);
        }
        return d.toNanos();
    }

    private T await(Work<T> w) {
        Thread me = Thread.currentThread();
        while (!w.done) {
            if (me.isInterrupted()) {
                abandon(w);
                throw new CancellationException("task was cancelled while its work waited in deadline queue '"
                        + name + "'");
            }
            LockSupport.park(this);
        }
        w.waiter = null;
        Throwable f = w.failure;
        if (f == null) {
            return w.value;
        }
        if (f instanceof CancellationException c) {
            // A fresh exception, so the stack trace shows this caller too.
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

    /** The pushing task gave up on {@code w}. */
    private void abandon(Work<T> w) {
        w.waiter = null;
        if (!w.started) {
            // Not the head (the head is always started), so the running action is unaffected.
            controller.queue.remove(w);
            w.done = true;
            return;
        }
        w.abandoned = true;
        if (w.runner != null) {
            w.runner.interrupt();
        }
    }

    /** {@code w} reached the head of the queue: run its action in a task of the task queue. */
    private void start(Work<?> w) {
        w.started = true;
        Task.localInto(() -> runAction(w), taskQueue).detach();
    }

    private <R> Void runAction(Work<R> w) {
        w.runner = Thread.currentThread();
        try {
            if (w.abandoned) {
                throw new CancellationException("the task that pushed this work was cancelled");
            }
            w.value = w.source.action();
        } catch (Throwable t) {
            w.failure = t; // handed to the pushing task, which rethrows it
        } finally {
            w.runner = null;
            finished(w);
        }
        return null;
    }

    private void finished(Work<?> w) {
        Work<?> head = controller.queue.pollFirst();
        assert head == w : "the running work must be the head of the queue";
        w.done = true;
        if (w.waiter != null) {
            LockSupport.unpark(w.waiter);
        } else if (w.failure != null && !(w.failure instanceof CancellationException)) {
            LOG.log(Level.WARNING, "deadline queue '" + name + "': work abandoned by its task failed", w.failure);
        }
        Work<?> next = controller.queue.peekFirst();
        if (next != null) {
            start(next);
        } else if (drainWaiters != null) {
            drainWaiters.forEach(LockSupport::unpark);
            drainWaiters = null;
        }
    }

    /** The task queue the actions run in, with the controller's shares. Glommio's {@code task_queue}. Any thread. */
    public TaskQueueHandle taskQueue() {
        return taskQueue;
    }

    /** The name given at creation. Any thread. */
    public String name() {
        return name;
    }

    /**
     * The shares the scheduler currently gives {@link #taskQueue()}: the controller's output (or the
     * fixed shares while {@linkplain #disable disabled}) as of the last adjustment. The scheduler asks
     * the controller at most once per adjustment period, when the queue is about to run; until its
     * first adjustment a new queue has 1000 shares.
     *
     * @throws IllegalStateException after {@link #close()} removed the task queue
     * @throws WrongThreadException  outside this queue's executor
     */
    public int currentShares() {
        checkOwner("DeadlineQueue.currentShares()");
        if (removed) {
            throw new IllegalStateException("deadline queue '" + name + "' is closed and its task queue removed");
        }
        return executor.taskQueueStats(taskQueue).shares();
    }

    /**
     * Keeps the shares at 250 or more until the returned bump is closed. Glommio's {@code bump_priority}.
     *
     * @throws WrongThreadException outside this queue's executor
     */
    public PriorityBump bumpPriority() {
        checkOwner("DeadlineQueue.bumpPriority()");
        controller.bump();
        return new PriorityBump(this);
    }

    /**
     * Turns the controller off: from the next adjustment the task queue has {@code shares} fixed
     * shares, clamped to 1..1000. Calling it again changes the fixed shares. Glommio's {@code disable}.
     *
     * @param shares the fixed shares (clamped to 1..1000)
     * @throws WrongThreadException outside this queue's executor
     */
    public void disable(int shares) {
        checkOwner("DeadlineQueue.disable()");
        controller.status(new ControllerStatus.Disabled(Shares.clamp(shares)));
    }

    /**
     * Turns the controller back on, resuming from its last output; a no-op when it is on. Glommio's
     * {@code enable}.
     *
     * @throws WrongThreadException outside this queue's executor
     */
    public void enable() {
        checkOwner("DeadlineQueue.enable()");
        controller.status(ControllerStatus.ENABLED);
    }

    /**
     * Whether the controller is on. Glommio's {@code status}.
     *
     * @throws WrongThreadException outside this queue's executor
     */
    public ControllerStatus status() {
        checkOwner("DeadlineQueue.status()");
        return controller.status();
    }

    /** True once {@link #close()} was called. Any thread; from other threads the answer may be stale. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Refuses new work, parks until the work already pushed has finished, then removes the task queue.
     * To abandon the work instead, cancel the tasks that pushed it. If other tasks still live in
     * {@link #taskQueue()} (tasks an action spawned, say), the task queue is left in place. Idempotent.
     *
     * @throws IllegalStateException when called from an action of this queue (it would wait for itself)
     * @throws CancellationException when the calling task is cancelled while waiting; the queue stays
     *                               closed and its work keeps running
     * @throws WrongThreadException  outside this queue's executor
     */
    @Override
    public void close() {
        checkOwner("DeadlineQueue.close()");
        checkNotInAction("close()");
        closed = true;
        Thread me = Thread.currentThread();
        while (!controller.queue.isEmpty()) {
            if (me.isInterrupted()) {
                if (drainWaiters != null) {
                    drainWaiters.remove(me);
                }
                throw new CancellationException("task was cancelled while closing deadline queue '" + name + "'");
            }
            if (drainWaiters == null) {
                drainWaiters = new ArrayList<>(1);
            }
            if (!drainWaiters.contains(me)) {
                drainWaiters.add(me);
            }
            LockSupport.park(this);
        }
        // The last action's task unparked us and then ended without parking, so it no longer counts.
        if (!removed && executor.taskQueueStats(taskQueue).liveTasks() == 0) {
            executor.removeTaskQueue(taskQueue);
            removed = true;
        }
    }

    /** Throws {@link WrongThreadException} unless the caller is a task of this queue's executor. */
    void checkOwner(String what) {
        if (!LocalExecutor.isOnExecutor() || LocalExecutor.current() != executor) {
            throw new WrongThreadException(what + " must be called from a task of executor '" + executor.name()
                    + "' (id " + executor.id() + "), which created deadline queue '" + name + "'; it was called from "
                    + Thread.currentThread());
        }
    }

    private void checkOpen(String what) {
        if (closed) {
            throw new IllegalStateException(what + " on deadline queue '" + name + "', which is closed");
        }
    }

    private void checkNotInAction(String what) {
        Work<?> head = controller.queue.peekFirst();
        if (head != null && head.runner == Thread.currentThread()) {
            throw new IllegalStateException(what + " called from the running action of deadline queue '" + name
                    + "' would wait for that action itself; push from another task");
        }
    }

    @Override
    public String toString() {
        return "DeadlineQueue[" + name + ", queued=" + controller.queue.size() + ", status=" + controller.status()
                + (closed ? ", closed" : "") + "]";
    }
}
