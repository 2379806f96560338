package io.github.jglommio;

import io.github.jglommio.loom.Loom;
import io.github.jglommio.reactor.Reactor;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * An executor: one platform thread, one io_uring, its own task queues and timers. Glommio's
 * {@code LocalExecutor}.
 *
 * {@snippet :
 * int result = LocalExecutor.create().run(() -> {
 *     Task<Integer> task = Task.local(() -> 42);
 *     return task.join();
 * });
 * }
 *
 * <p>Every task is a virtual thread scheduled by this executor: while one task waits (a timer, I/O,
 * {@link Task#join}), the executor thread runs the others, reaps completions and fires timers. When
 * nothing is runnable it sleeps in {@code io_uring_enter} and uses no CPU.
 *
 * <p>Threading: {@link #run} binds the executor to the calling platform thread. Inside tasks,
 * {@link #current()} returns the executor; methods other than {@link #id()}, {@link #name()} and
 * {@link #handle()} must be called from its tasks. Other threads hand it work through
 * {@link #handle()}.
 */
public final class LocalExecutor {

    /* Implementation overview
     *
     * One loop turn (DESIGN.md §3): run the runnable task queue with the smallest vruntime for at
     * most one time slice; submit SQEs and reap CQEs without waiting (completions unpark tasks, which
     * re-enter their queue through TaskQueue.execute); fire expired timers; drain the foreign inbox;
     * if nothing is runnable, spin (spinBeforePark) and then sleep in io_uring_enter until the next
     * timer. Foreign threads reach the executor only through the inbox + Reactor.wakeIfSleeping.
     *
     * When the main task (run's callable) ends, every remaining task is cancelled and the loop keeps
     * running until they finish (bounded by the shutdown grace), then the reactor cancels whatever
     * is still in the kernel and closes the ring.
     */

    private static final System.Logger LOG = System.getLogger(LocalExecutor.class.getName());
    private static final AtomicLong NEXT_ID = new AtomicLong();

    private static final int NEW = 0;
    private static final int RUNNING = 1;
    private static final int CLOSED = 2;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(LocalExecutor.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long id;
    private final String name;
    private final int ringDepth;
    private final long preemptTimerNs;
    private final long spinBeforeParkNs;
    private final long shutdownGraceNs;
    private final ExecutorHandle handle;

    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state;
    volatile Thread thread;
    volatile Reactor reactor;

    private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<TaskQueue> activeQueues = new PriorityQueue<>(
            (a, b) -> a.vruntime != b.vruntime ? Long.compare(a.vruntime, b.vruntime) : Integer.compare(a.index, b.index));
    private TaskQueue defaultQueue;
    private TaskQueue runningQueue;
    private boolean stopping;

    private Task<?> liveHead;
    private int liveCount;

    // Counters: owner thread writes, stats readers on the owner thread.
    private long tasksSpawned;
    private long tasksFinished;
    private long continuationsRun;
    private long schedulerRuns;
    private long sleeps;
    private long foreignItems;

    LocalExecutor(LocalExecutorBuilder config) {
        this.id = NEXT_ID.getAndIncrement();
        this.name = config.name != null ? config.name : "executor-" + id;
        this.ringDepth = config.ringDepth;
        this.preemptTimerNs = config.preemptTimer.toNanos();
        this.spinBeforeParkNs = config.spinBeforePark.toNanos();
        this.shutdownGraceNs = config.shutdownGrace.toNanos();
        this.handle = new ExecutorHandle(this);
    }

    /** An executor with default settings, to {@link #run} on the calling thread. Glommio's {@code LocalExecutor::default()}. */
    public static LocalExecutor create() {
        return new LocalExecutorBuilder().make();
    }

    /**
     * The executor running the calling task. Glommio's {@code executor()}.
     *
     * @throws IllegalStateException when called outside a jglommio task
     */
    public static LocalExecutor current() {
        Reactor r = Reactor.current();
        if (r == null) {
            throw new IllegalStateException("not running on a jglommio executor: " + Thread.currentThread()
                    + " is not a jglommio task. Call this from code started by LocalExecutor.run(...), "
                    + "LocalExecutorBuilder.spawn(...) or Task.local(...)");
        }
        return (LocalExecutor) r.owner();
    }

    /** True when the caller is a task of some executor. */
    public static boolean isOnExecutor() {
        return Reactor.current() != null;
    }

    /**
     * Runs {@code main} as this executor's first task on the calling thread and returns its result
     * when it ends; the remaining tasks are then cancelled and the executor's resources released.
     * Single use.
     *
     * @throws IllegalStateException when called from a jglommio task (a nested run would block that
     *                               executor), from a virtual thread, a second time, or when the
     *                               executor cannot start (the message gives the cause and the fix)
     * @throws java.util.concurrent.CompletionException wrapping a checked exception thrown by {@code main};
     *                               unchecked exceptions and errors are rethrown as they are
     */
    public <T> T run(Callable<T> main) {
        Objects.requireNonNull(main, "main");
        Reactor outer = Reactor.current();
        if (outer != null) {
            throw new IllegalStateException("LocalExecutor.run() called from a task of executor '"
                    + ((LocalExecutor) outer.owner()).name + "': a nested run() would block that executor's thread. "
                    + "Spawn a Task with Task.local(...), or start another executor with LocalExecutorBuilder.spawn(...)");
        }
        Thread me = Thread.currentThread();
        if (me.isVirtual()) {
            throw new IllegalStateException("LocalExecutor.run() must be called on a platform thread, not on "
                    + "virtual thread " + me);
        }
        if (!STATE.compareAndSet(this, NEW, RUNNING)) {
            throw new IllegalStateException("executor '" + name + "' has already run; an executor runs once");
        }
        try {
            Loom.checkAvailable();
            this.thread = me;
            this.reactor = new Reactor(this, ringDepth);
        } catch (IOException | RuntimeException e) {
            STATE.setVolatile(this, CLOSED);
            rejectInbox();
            throw new IllegalStateException("cannot start executor '" + name + "': " + e.getMessage(), e);
        }
        Task<T> mainTask;
        try {
            defaultQueue = new TaskQueue(this, 0, "default");
            mainTask = spawn(main, defaultQueue);
            loop(mainTask::isDone, Long.MAX_VALUE);
        } finally {
            shutdown();
        }
        return mainTask.result();
    }

    /** Runs a {@link Runnable} as the main task; see {@link #run(Callable)}. */
    public void run(Runnable main) {
        run(Task.asCallable(main));
    }

    // ---------------------------------------------------------------- the loop

    private void loop(BooleanSupplier until, long deadlineNs) {
        Reactor r = reactor;
        while (!until.getAsBoolean()) {
            if (deadlineNs != Long.MAX_VALUE && System.nanoTime() - deadlineNs >= 0) {
                return;
            }
            boolean ranTasks = runOneQueue();
            int events = r.poll();
            if (r.timerCount() > 0) {
                events += r.fireTimers(System.nanoTime());
            }
            events += drainInbox();
            if (!ranTasks && events == 0 && activeQueues.isEmpty()) {
                park(deadlineNs);
            }
        }
    }

    private boolean runOneQueue() {
        TaskQueue q = activeQueues.poll();
        if (q == null) {
            return false;
        }
        runningQueue = q;
        long start = System.nanoTime();
        long sliceEnd = start + preemptTimerNs;
        // Run what was runnable when the turn began; work that becomes runnable meanwhile (a yield,
        // a wake-up) waits for the next turn, after I/O has been polled.
        int budget = q.size();
        long now = start;
        Runnable continuation;
        while (budget-- > 0 && (continuation = q.poll()) != null) {
            continuation.run();
            continuationsRun++;
            now = System.nanoTime();
            if (now - sliceEnd >= 0) {
                break;
            }
        }
        q.charge(now - start);
        q.tasksRun++;
        runningQueue = null;
        schedulerRuns++;
        if (q.isEmpty()) {
            q.active = false;
        } else {
            activeQueues.add(q);
        }
        return true;
    }

    private void park(long deadlineNs) {
        Reactor r = reactor;
        if (spinBeforeParkNs > 0) {
            long spinEnd = System.nanoTime() + spinBeforeParkNs;
            do {
                if (!inbox.isEmpty() || r.poll() > 0 || !activeQueues.isEmpty()) {
                    return;
                }
                Thread.onSpinWait();
            } while (System.nanoTime() - spinEnd < 0 && r.nextTimerDeadline() - System.nanoTime() > 0);
        }
        long wakeAt = Math.min(r.nextTimerDeadline(), deadlineNs);
        long timeout = wakeAt == Long.MAX_VALUE ? Long.MAX_VALUE : wakeAt - System.nanoTime();
        if (timeout <= 0) {
            return;
        }
        r.prepareToSleep();
        try {
            if (!inbox.isEmpty()) {
                return;
            }
            sleeps++;
            r.sleep(timeout);
        } finally {
            r.endSleep();
        }
    }

    private int drainInbox() {
        int n = 0;
        Runnable item;
        while (n < 4096 && (item = inbox.poll()) != null) {
            item.run();
            n++;
        }
        foreignItems += n;
        return n;
    }

    /** Owner thread: {@code q} has runnable continuations and is not in the active set. */
    void activate(TaskQueue q) {
        if (!activeQueues.isEmpty()) {
            // Glommio's rule: a queue waking from idle starts just after the least-served active
            // queue, so it can neither bank credit while idle nor be starved by an old debt.
            q.vruntime = activeQueues.peek().vruntime + 1;
        } else if (runningQueue != null && runningQueue != q) {
            q.vruntime = runningQueue.vruntime + 1;
        }
        q.active = true;
        activeQueues.add(q);
    }

    // ---------------------------------------------------------------- tasks

    <T> Task<T> spawn(Callable<T> body, TaskQueue q) {
        Objects.requireNonNull(body, "callable");
        Task<T> t = new Task<>(this, q, body);
        Thread vt = q.threads.newThread(t::runBody);
        t.thread = vt;
        linkLive(t);
        tasksSpawned++;
        if (stopping) {
            t.cancelInternal();
        }
        vt.start();
        return t;
    }

    TaskQueue currentQueue() {
        return runningQueue != null ? runningQueue : defaultQueue;
    }

    TaskQueue defaultQueue() {
        return defaultQueue;
    }

    private void linkLive(Task<?> t) {
        t.nextLive = liveHead;
        if (liveHead != null) {
            liveHead.prevLive = t;
        }
        liveHead = t;
        liveCount++;
    }

    void taskFinished(Task<?> t) {
        if (t.prevLive != null) {
            t.prevLive.nextLive = t.nextLive;
        } else if (liveHead == t) {
            liveHead = t.nextLive;
        }
        if (t.nextLive != null) {
            t.nextLive.prevLive = t.prevLive;
        }
        t.prevLive = null;
        t.nextLive = null;
        liveCount--;
        tasksFinished++;
    }

    // ---------------------------------------------------------------- foreign threads

    /**
     * Queues {@code item} to run on the executor thread and wakes it if it sleeps. Any thread.
     * Returns false (and drops the item) when the executor has stopped.
     */
    boolean submitForeign(Runnable item) {
        if ((int) STATE.getVolatile(this) == CLOSED) {
            return false;
        }
        inbox.offer(item);
        Reactor r = reactor;
        if (r != null) {
            r.wakeIfSleeping();
        }
        // Re-check: if the executor closed meanwhile, whoever removes the item decides its fate.
        if ((int) STATE.getVolatile(this) == CLOSED && inbox.remove(item)) {
            return false;
        }
        return true;
    }

    private void rejectInbox() {
        Runnable item;
        while ((item = inbox.poll()) != null) {
            if (item instanceof ExecutorHandle.SpawnRequest<?> s) {
                s.reject(name);
            }
        }
    }

    // ---------------------------------------------------------------- shutdown

    private void shutdown() {
        stopping = true;
        try {
            for (Task<?> t = liveHead; t != null; t = t.nextLive) {
                t.cancelInternal();
            }
            if (liveCount > 0) {
                loop(() -> liveCount == 0, System.nanoTime() + shutdownGraceNs);
            }
            if (liveCount > 0) {
                LOG.log(Level.WARNING, "executor '" + name + "': " + liveCount + " task(s) still running "
                        + Duration.ofNanos(shutdownGraceNs) + " after cancellation; abandoning them");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "executor '" + name + "': error while cancelling tasks at shutdown", e);
        } finally {
            STATE.setVolatile(this, CLOSED);
            rejectInbox();
            int leaked = reactor.close(shutdownGraceNs);
            if (leaked > 0) {
                LOG.log(Level.WARNING, "executor '" + name + "': " + leaked + " io_uring operation(s) did not "
                        + "complete after cancellation; their buffers are left allocated");
            }
        }
    }

    // ---------------------------------------------------------------- checks

    /** Throws {@link WrongThreadException} unless the caller is a task of this executor. */
    void checkOwner(String what) {
        Reactor r = reactor;
        if (r == null || Reactor.current() != r) {
            throw new WrongThreadException(what + " must be called from a task of executor '" + name + "' (id "
                    + id + "); it was called from " + Thread.currentThread());
        }
    }

    // ---------------------------------------------------------------- public accessors

    /** This executor's id: unique in the process, assigned in creation order from 0. Any thread. */
    public long id() {
        return id;
    }

    /** This executor's name ({@code executor-<id>} unless set with {@link LocalExecutorBuilder#name}). Any thread. */
    public String name() {
        return name;
    }

    /** A handle other threads use to submit work to this executor. Any thread. */
    public ExecutorHandle handle() {
        return handle;
    }

    /** Yields the calling task: it goes to the back of its task queue. Glommio's {@code yield_now}. */
    public static void yieldNow() {
        current();
        Thread.yield();
    }

    /** Tasks alive on this executor (spawned and not finished). Owner thread. */
    public int liveTasks() {
        checkOwner("LocalExecutor.liveTasks()");
        return liveCount;
    }

    /** The reactor, for the library's I/O packages. */
    Reactor reactor() {
        return reactor;
    }

    long tasksSpawned() {
        return tasksSpawned;
    }

    long tasksFinished() {
        return tasksFinished;
    }

    long continuationsRun() {
        return continuationsRun;
    }

    long schedulerRuns() {
        return schedulerRuns;
    }

    long sleeps() {
        return sleeps;
    }

    long foreignItems() {
        return foreignItems;
    }

    @Override
    public String toString() {
        return "LocalExecutor[" + name + ", id=" + id + "]";
    }
}
