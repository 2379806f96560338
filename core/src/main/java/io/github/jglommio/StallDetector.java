package io.github.jglommio;

import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Watches one executor from a daemon thread: a task-queue turn that runs past its budget (time slice
 * plus threshold) is reported once, with the running task's stack trace, to a {@link StallHandler}.
 *
 * <p>The executor publishes each turn's start, budget and running task with release stores; the
 * watchdog reads them with acquire loads every {@code threshold / 2}. To know which virtual thread
 * runs a continuation, the executor keeps a continuation-to-thread map while detection is on (its
 * only cost; off by default).
 */
final class StallDetector implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(StallDetector.class.getName());
    private static final VarHandle TURN_START;
    private static final VarHandle RUNNING_TASK;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            TURN_START = l.findVarHandle(StallDetector.class, "turnStartNs", long.class);
            RUNNING_TASK = l.findVarHandle(StallDetector.class, "runningTask", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final LocalExecutor executor;
    private final StallHandler handler;
    private final long thresholdNs;
    private final IdentityHashMap<Runnable, Thread> threadsByContinuation = new IdentityHashMap<>();
    private final Thread watchdog;
    private volatile boolean closed;

    @SuppressWarnings("unused") // TURN_START
    private volatile long turnStartNs;
    private volatile long turnBudgetNs;
    private volatile long turnSeq;
    private volatile String turnQueue;
    @SuppressWarnings("unused") // RUNNING_TASK
    private volatile Thread runningTask;
    private long reportedSeq = -1;

    StallDetector(LocalExecutor executor, StallHandler handler, Duration threshold) {
        this.executor = executor;
        this.handler = handler;
        this.thresholdNs = threshold.toNanos();
        this.watchdog = Thread.ofPlatform().daemon(true).name(executor.name() + "-stall-detector")
                .unstarted(this::watch);
    }

    void start() {
        watchdog.start();
    }

    // ---- executor side (owner thread)

    /** A new task's first continuation: remember which thread it resumes. */
    void track(Runnable continuation, Thread thread) {
        threadsByContinuation.put(continuation, thread);
    }

    void untrack(Thread thread, Runnable continuation) {
        if (continuation != null) {
            threadsByContinuation.remove(continuation);
        }
    }

    void turnStarted(String queue, long startNs, long sliceNs) {
        turnQueue = queue;
        turnBudgetNs = sliceNs + thresholdNs;
        turnSeq = turnSeq + 1;
        TURN_START.setRelease(this, startNs);
    }

    void running(Runnable continuation) {
        RUNNING_TASK.setRelease(this, threadsByContinuation.get(continuation));
    }

    void turnEnded() {
        TURN_START.setRelease(this, 0L);
        RUNNING_TASK.setRelease(this, (Thread) null);
    }

    // ---- watchdog side

    private void watch() {
        long interval = Math.max(500_000L, thresholdNs / 2);
        while (!closed) {
            LockSupport.parkNanos(interval);
            long start = (long) TURN_START.getAcquire(this);
            if (start == 0) {
                continue;
            }
            long seq = turnSeq;
            long ran = System.nanoTime() - start;
            long budget = turnBudgetNs;
            if (ran <= budget || seq == reportedSeq) {
                continue;
            }
            Thread task = (Thread) RUNNING_TASK.getAcquire(this);
            StackTraceElement[] taskStack = task != null ? task.getStackTrace() : new StackTraceElement[0];
            StackTraceElement[] executorStack = executor.thread.getStackTrace();
            if ((long) TURN_START.getAcquire(this) != start) {
                continue; // the turn ended while we sampled: not a stall any more
            }
            reportedSeq = seq;
            executor.stallsDetected++;
            StallReport report = new StallReport(executor.id(), executor.name(), turnQueue, Duration.ofNanos(ran),
                    Duration.ofNanos(budget), task, taskStack, executorStack);
            Monitoring.stall(report);
            try {
                handler.onStall(report);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "stall handler of executor '" + executor.name() + "' failed", e);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(watchdog);
    }
}
