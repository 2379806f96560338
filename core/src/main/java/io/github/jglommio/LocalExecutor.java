package io.github.jglommio;

import io.github.jglommio.loom.Loom;
import io.github.jglommio.reactor.Reactor;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

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
     * The loop itself is ExecutorLoop; graceful-stop state (hooks, waiters, deadline) is StopRequests.
     *
     * When the main task (run's callable) ends, every remaining task is cancelled and the loop keeps
     * running until they finish (bounded by the shutdown grace), then the reactor cancels whatever
     * is still in the kernel and closes the ring.
     */

    private static final System.Logger LOG = System.getLogger(LocalExecutor.class.getName());
    private static final AtomicLong NEXT_ID = new AtomicLong();
    /** The range of the I/O latency histograms: 60 s in microseconds; longer ones count as the top bucket. */
    private static final long IO_LATENCY_RANGE_US = 60_000_000L;
    /** Test seam: executors whose name matches fail to start after pinning (pool all-or-nothing tests). */
    static volatile java.util.function.Predicate<String> failStartForTest;

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
    private final long shutdownGraceNs;
    private final int blockingPoolSize;
    private final Placement placement;
    private final long ioMemory;
    private final int submitBatch;
    private final int completionBatch;
    private final long completionBatchDelayUs;
    private final int recvBuffers;
    private final int recvBufferSize;
    /** File I/O latencies in microseconds, recorded by the reactor on this thread; null unless recordIoLatencies. */
    private final LatencyHistogram readLatencyUs;
    private final LatencyHistogram writeLatencyUs;
    private final Placement blockingPoolPlacement;
    private BlockingPool blockingPool;
    private final StallHandler stallHandler;
    private final Duration stallThreshold;
    /** Non-null while stall detection runs. */
    StallDetector stallDetector;
    /** The task whose thread is being started, while stall detection is on. */
    Task<?> starting;
    volatile long stallsDetected;
    private final ExecutorHandle handle;

    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state;
    volatile Thread thread;
    volatile Reactor reactor;
    private volatile int osThreadId = -1;

    private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    final Scheduler scheduler;
    private final StopRequests stops;
    final ExecutorLoop loop;
    private TaskQueue defaultQueue;
    private boolean stopping;

    private Task<?> liveHead;
    private int liveCount;

    // Counters: owner thread writes, stats readers on the owner thread.
    private long tasksSpawned;
    private long tasksFinished;

    LocalExecutor(LocalExecutorBuilder config) {
        this.id = NEXT_ID.getAndIncrement();
        this.name = config.name != null ? config.name : "executor-" + id;
        this.ringDepth = config.ringDepth;
        this.preemptTimerNs = config.preemptTimer.toNanos();
        this.shutdownGraceNs = config.shutdownGrace.toNanos();
        this.blockingPoolSize = config.blockingPoolSize;
        this.placement = config.placement;
        this.ioMemory = config.ioMemory;
        this.submitBatch = config.submitBatch;
        this.completionBatch = config.completionBatch;
        this.completionBatchDelayUs = config.completionBatchDelay.toNanos() / 1000;
        this.recvBuffers = config.recvBuffers;
        this.recvBufferSize = config.recvBufferSize;
        this.readLatencyUs = config.recordIoLatencies ? new LatencyHistogram(IO_LATENCY_RANGE_US) : null;
        this.writeLatencyUs = config.recordIoLatencies ? new LatencyHistogram(IO_LATENCY_RANGE_US) : null;
        this.blockingPoolPlacement = config.blockingPoolPlacement;
        this.stallHandler = config.stallHandler;
        this.stallThreshold = config.stallThreshold;
        this.handle = new ExecutorHandle(this);
        this.scheduler = new Scheduler(this, preemptTimerNs);
        this.stops = new StopRequests(this);
        this.loop = new ExecutorLoop(scheduler, inbox, stops, config.spinBeforePark.toNanos());
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
        return run(main, null);
    }

    /**
     * {@link #run(Callable)}, where {@code gate} (for pools) makes the start all-or-nothing: every
     * executor of the pool sets up (pinning, ring) and waits at the gate; user code runs only if all
     * succeeded.
     */
    <T> T run(Callable<T> main, StartGate gate) {
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
        ThreadBinding binding = null;
        try {
            Loom.checkAvailable();
            this.thread = me;
            this.osThreadId = io.github.jglommio.sys.Syscalls.gettid();
            // Pin before the ring and buffers exist, so first-touch places them on this CPU's node.
            binding = ThreadBinding.bind(placement, name);
            java.util.function.Predicate<String> injected = failStartForTest;
            if (injected != null && injected.test(name)) {
                throw new IOException("start failure injected by a test");
            }
            this.reactor = new Reactor(this, ringDepth, ioMemory, readLatencyUs == null ? null : readLatencyUs::record,
                    writeLatencyUs == null ? null : writeLatencyUs::record);
            this.reactor.submitBatch(submitBatch);
            if (!this.reactor.completionBatching(completionBatch, (int) completionBatchDelayUs)) {
                LOG.log(Level.WARNING, "executor '" + name + "': completionBatching(" + completionBatch
                        + ") needs Linux 6.12+ (io_uring min_wait_usec); this kernel lacks it, so the executor "
                        + "wakes for every completion");
            }
            this.reactor.recvBuffers(recvBuffers, recvBufferSize);
        } catch (IOException | RuntimeException e) {
            STATE.setVolatile(this, CLOSED);
            rejectInbox();
            if (binding != null) {
                binding.restore();
            }
            IllegalStateException failure = e instanceof IllegalStateException ise && binding == null ? ise
                    : new IllegalStateException("cannot start executor '" + name + "': " + e.getMessage(), e);
            if (gate != null) {
                gate.arrive(failure);
            }
            throw failure;
        }
        if (gate != null && !gate.arriveAndAwait()) {
            STATE.setVolatile(this, CLOSED);
            rejectInbox();
            reactor.close(shutdownGraceNs);
            binding.restore();
            throw new IllegalStateException("executor '" + name + "' did not start: another executor of its pool "
                    + "failed to start", gate.failure());
        }
        Task<T> mainTask;
        try {
            defaultQueue = scheduler.create(Shares.defaults(), Latency.notImportant(), "default");
            if (stallHandler != null) {
                stallDetector = new StallDetector(this, stallHandler, stallThreshold);
                stallDetector.start();
            }
            Monitoring.register(this);
            mainTask = spawn(main, defaultQueue);
            loop.run(reactor, mainTask::isDone, Long.MAX_VALUE);
        } finally {
            shutdown();
            binding.restore();
        }
        return mainTask.result();
    }

    /** Runs a {@link Runnable} as the main task; see {@link #run(Callable)}. */
    public void run(Runnable main) {
        run(Task.asCallable(main));
    }

    // ---------------------------------------------------------------- tasks

    <T> Task<T> spawn(Callable<T> body, TaskQueue q) {
        Objects.requireNonNull(body, "callable");
        if (q.removed) {
            throw new IllegalArgumentException("task queue '" + q.name + "' was removed");
        }
        Task<T> t = new Task<>(this, q, body);
        Thread vt = q.threads.newThread(t::runBody);
        t.thread = vt;
        linkLive(t);
        tasksSpawned++;
        q.tasksSpawned++;
        q.liveTasks++;
        if (stopping) {
            t.cancelInternal();
        }
        if (stallDetector != null) {
            starting = t;
            try {
                vt.start();
            } finally {
                starting = null;
            }
        } else {
            vt.start();
        }
        return t;
    }

    TaskQueue currentQueue() {
        TaskQueue running = scheduler.running();
        return running != null ? running : defaultQueue;
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
        t.queue.liveTasks--;
        if (stallDetector != null) {
            stallDetector.untrack(t.thread, t.continuation);
        }
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
            cancelAllTasks();
            if (liveCount > 0) {
                loop.run(reactor, () -> liveCount == 0, System.nanoTime() + shutdownGraceNs);
            }
            if (liveCount > 0) {
                LOG.log(Level.WARNING, "executor '" + name + "': " + liveCount + " task(s) still running "
                        + Duration.ofNanos(shutdownGraceNs) + " after cancellation; abandoning them");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "executor '" + name + "': error while cancelling tasks at shutdown", e);
        } finally {
            Monitoring.unregister(this);
            STATE.setVolatile(this, CLOSED);
            rejectInbox();
            if (blockingPool != null) {
                blockingPool.close();
            }
            if (stallDetector != null) {
                stallDetector.close();
            }
            int leaked = reactor.close(shutdownGraceNs);
            if (leaked > 0) {
                LOG.log(Level.WARNING, "executor '" + name + "': " + leaked + " io_uring operation(s) did not "
                        + "complete after cancellation; their buffers are left allocated");
            }
        }
    }

    // ---------------------------------------------------------------- stop requests

    void cancelAllTasks() {
        for (Task<?> t = liveHead; t != null; t = t.nextLive) {
            t.cancelInternal();
        }
    }

    /** Owner thread: a stop was requested (see {@link ExecutorHandle#requestStop}); see {@link StopRequests#begin}. */
    void beginStop(long graceNs) {
        stops.begin(graceNs);
    }

    /** True once a stop was requested for this executor. Owner thread. */
    public boolean isStopRequested() {
        checkOwner("LocalExecutor.isStopRequested()");
        return stops.requested();
    }

    /**
     * Runs {@code hook} as a task when a stop is requested (at once if it already was): close
     * listeners, flush, tell peers. Owner thread.
     */
    public void onStopRequest(Runnable hook) {
        checkOwner("LocalExecutor.onStopRequest()");
        java.util.Objects.requireNonNull(hook, "hook");
        stops.onRequest(hook);
    }

    /**
     * Parks the calling task until a stop is requested.
     *
     * @throws java.util.concurrent.CancellationException when the task is cancelled meanwhile
     */
    public void awaitStopRequest() {
        checkOwner("LocalExecutor.awaitStopRequest()");
        stops.await();
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

    /**
     * The CPU this executor is pinned to, or empty when it is unbound or fenced to several CPUs.
     * Any thread.
     */
    public java.util.OptionalInt cpu() {
        return placement instanceof Placement.Fixed f ? java.util.OptionalInt.of(f.cpu()) : java.util.OptionalInt.empty();
    }

    /** The kernel thread id (tid) of this executor's thread, or -1 before it runs. Any thread. */
    public int osThreadId() {
        return osThreadId;
    }

    /** Where this executor's thread may run. Any thread. */
    public Placement placement() {
        return placement;
    }

    /** A handle other threads use to submit work to this executor. Any thread. */
    public ExecutorHandle handle() {
        return handle;
    }

    // ---------------------------------------------------------------- task queues

    /**
     * Creates a task queue with its own CPU {@code shares} and {@code latency} class. Glommio's
     * {@code create_task_queue}.
     *
     * {@snippet :
     * var ex = LocalExecutor.current();
     * TaskQueueHandle high = ex.createTaskQueue(Shares.of(1000), Latency.matters(Duration.ofMillis(1)), "high");
     * TaskQueueHandle low = ex.createTaskQueue(Shares.of(100), Latency.notImportant(), "low");
     * Task<String> a = Task.localInto(() -> critical(), high);
     * }
     *
     * @throws WrongThreadException outside this executor's tasks
     */
    public TaskQueueHandle createTaskQueue(Shares shares, Latency latency, String name) {
        checkOwner("LocalExecutor.createTaskQueue()");
        return scheduler.create(shares, latency, name).handle;
    }

    /**
     * Changes this executor's {@linkplain LocalExecutorBuilder#completionBatching completion
     * batching} from now on: the next time it sleeps, it waits for {@code completions} completions
     * or, after {@code maxDelay}, at least one. A server can batch while many clients are active
     * and stop when few are (a lone client pays up to {@code maxDelay} per request otherwise).
     *
     * @param completions 1..4096; 1 turns batching off
     * @param maxDelay    1 microsecond..1 second; ignored when {@code completions} is 1
     * @return false, changing nothing, when the kernel cannot batch (before Linux 6.12) and
     *         {@code completions} is above 1
     * @throws IllegalArgumentException when a value is out of range
     * @throws WrongThreadException     outside this executor's tasks
     */
    public boolean setCompletionBatching(int completions, Duration maxDelay) {
        checkOwner("LocalExecutor.setCompletionBatching()");
        LocalExecutorBuilder.checkCompletionBatching(completions, maxDelay);
        return reactor.completionBatching(completions, (int) (maxDelay.toNanos() / 1000));
    }

    /** The task queue of the calling task. */
    public TaskQueueHandle currentTaskQueue() {
        checkOwner("LocalExecutor.currentTaskQueue()");
        return currentQueue().handle;
    }

    /**
     * Removes a task queue that has no tasks left.
     *
     * @throws IllegalStateException    while it still has live tasks
     * @throws IllegalArgumentException for the default queue, or a handle of another executor or of
     *                                  a queue already removed
     */
    public void removeTaskQueue(TaskQueueHandle handle) {
        checkOwner("LocalExecutor.removeTaskQueue()");
        scheduler.remove(scheduler.lookup(handle));
    }

    TaskQueue queue(TaskQueueHandle handle) {
        return scheduler.lookup(handle);
    }

    // ---------------------------------------------------------------- cooperative scheduling

    /** Yields the calling task: it goes to the back of its task queue. Glommio's {@code yield_now}. */
    public static void yieldNow() {
        current();
        Thread.yield();
    }

    /**
     * True when the running task queue should give way: its time slice is over or a timer is due.
     * Costs a few nanoseconds (two loads of ring memory shared with the kernel, no syscall), so hot
     * loops can call it often. False outside a jglommio task.
     */
    public static boolean needPreempt() {
        Reactor r = Reactor.current();
        return r != null && r.needPreempt();
    }

    /**
     * How many tasks of the calling executor are ready to run now, the caller not counted (0 outside a
     * jglommio task). A hint for batching: when it is 0, nothing else can happen on this executor
     * before the caller parks, so work gathered for "the end of the loop turn" (a group commit, say)
     * may as well be done by the caller at once, saving a task switch.
     */
    public static long runnableTasks() {
        Reactor r = Reactor.current();
        return r == null ? 0 : ((LocalExecutor) r.owner()).scheduler.runnable;
    }

    /** {@link #yieldNow()} if {@link #needPreempt()}: the polite way for CPU-bound loops to share the core. */
    public static void yieldIfNeeded() {
        Reactor r = Reactor.current();
        if (r != null && r.needPreempt()) {
            Thread.yield();
        }
    }

    /**
     * Ends the current task queue's turn: the calling task yields and the scheduler picks the next
     * queue, even if this one has more runnable tasks. Glommio's {@code yield_task_queue_now}.
     */
    public static void yieldTaskQueueNow() {
        current().scheduler.yieldQueueRequested = true;
        Thread.yield();
    }

    // ---------------------------------------------------------------- blocking work

    /**
     * Runs {@code work} on this executor's pool of platform threads (for code that must block: legacy
     * libraries, DNS, JNI) and parks the calling task until it is done. Other tasks keep running.
     * The pool has {@link LocalExecutorBuilder#blockingPoolSize} threads, started on first use.
     *
     * @return what {@code work} returned
     * @throws java.util.concurrent.CompletionException wrapping a checked exception of {@code work};
     *         unchecked exceptions and errors are rethrown as they are
     * @throws java.util.concurrent.CancellationException when the calling task is cancelled meanwhile
     *         (the pool thread running {@code work} is interrupted)
     */
    public <T> T spawnBlocking(Callable<T> work) {
        checkOwner("LocalExecutor.spawnBlocking()");
        return blockingPool().call(work);
    }

    private BlockingPool blockingPool() {
        if (blockingPool == null) {
            blockingPool = new BlockingPool(name, blockingPoolSize, blockingPoolPlacement);
        }
        return blockingPool;
    }

    // ---------------------------------------------------------------- statistics

    /** A snapshot of this executor's counters. Owner thread (monitors use {@link ExecutorHandle#stats()}). */
    public ExecutorStats stats() {
        checkOwner("LocalExecutor.stats()");
        return statsSnapshot();
    }

    /** Reads the counters; racy but tear-free when called from a monitoring thread. */
    ExecutorStats statsSnapshot() {
        Reactor r = reactor;
        IoStats io = IoStats.ZERO;
        if (r != null) {
            io.github.jglommio.reactor.IoCounters c = r.counters();
            io = new IoStats(r.submissions(), r.completions(), r.wakeups(), r.inflight(), c.fileReads,
                    c.fileReadBytes, c.fileWrites, c.fileWriteBytes, c.directReads, c.bufferedReads, c.directWrites,
                    c.bufferedWrites, c.dedupedReads, c.dedupedReadBytes, c.fileSyncs);
        }
        return new ExecutorStats(id, name, tasksSpawned, tasksFinished, scheduler.continuationsRun,
                scheduler.turns, scheduler.preemptions, Duration.ofNanos(scheduler.busyNs), Duration.ofNanos(loop.sleepNs),
                loop.sleeps, liveCount, scheduler.runnable, io);
    }

    /** A snapshot of one task queue's counters. Owner thread. */
    public TaskQueueStats taskQueueStats(TaskQueueHandle handle) {
        checkOwner("LocalExecutor.taskQueueStats()");
        return queueStats(scheduler.lookup(handle));
    }

    /** Snapshots of every task queue's counters, in index order. Owner thread. */
    public java.util.List<TaskQueueStats> allTaskQueueStats() {
        checkOwner("LocalExecutor.allTaskQueueStats()");
        return scheduler.queues().stream().map(LocalExecutor::queueStats).toList();
    }

    static TaskQueueStats queueStats(TaskQueue q) {
        return new TaskQueueStats(q.handle, q.name, q.shares, q.latency, Duration.ofNanos(q.runtimeNs), q.turns,
                q.continuationsRun, q.tasksSpawned, q.preemptions, q.size(), q.liveTasks);
    }

    /**
     * Copies of the file read and write latency histograms (microseconds), or empty unless the
     * executor was built with {@link LocalExecutorBuilder#recordIoLatencies(boolean) recordIoLatencies(true)}.
     * Owner thread.
     */
    public java.util.Optional<IoLatencies> ioLatencies() {
        checkOwner("LocalExecutor.ioLatencies()");
        if (readLatencyUs == null) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new IoLatencies(readLatencyUs.copy(), writeLatencyUs.copy()));
    }

    /** A snapshot of this executor's I/O counters. Owner thread. */
    public IoStats ioStats() {
        return stats().io();
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

    long schedulerRuns() {
        return scheduler.turns;
    }

    long sleeps() {
        return loop.sleeps;
    }

    @Override
    public String toString() {
        return "LocalExecutor[" + name + ", id=" + id + "]";
    }
}
