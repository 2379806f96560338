package io.github.jglommio;

/**
 * The JMX view of one executor, registered as
 * {@code io.github.jglommio:type=Executor,name=<name>,id=<id>} while it runs. Values are cumulative
 * counters (or gauges where noted), read from a monitoring thread without stopping the executor, so
 * they may be a few microseconds stale relative to each other.
 */
public interface ExecutorMXBean {

    String getName();

    long getId();

    long getTasksSpawned();

    long getTasksExecuted();

    long getTaskRuns();

    long getSchedulerRuns();

    long getPreemptions();

    long getBusyTimeNanos();

    long getSleepTimeNanos();

    /** Gauge: tasks alive now. */
    long getLiveTasks();

    /** Gauge: task continuations runnable now. */
    long getTaskQueueDepth();

    long getIoSubmissions();

    long getIoCompletions();

    /** Gauge: io_uring operations in flight now. */
    long getIoInflight();

    long getStallsDetected();

    /** One line per task queue: name, shares, runtime, turns, depth. */
    String[] getTaskQueues();
}
