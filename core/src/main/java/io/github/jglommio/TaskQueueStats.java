package io.github.jglommio;

import java.time.Duration;

/**
 * A snapshot of one task queue's counters: cumulative and monotonic, with {@link #delta}.
 *
 * @param handle         the queue
 * @param name           its name
 * @param shares         its current shares (for dynamic shares, the last value read)
 * @param latency        its latency class
 * @param runtime        CPU time its tasks used
 * @param schedulerRuns  turns it was given
 * @param taskRuns       times one of its tasks was resumed
 * @param tasksSpawned   tasks spawned into it
 * @param preemptions    turns cut short by the time slice or a due timer
 * @param queueDepth     task continuations runnable now (gauge)
 * @param liveTasks      tasks alive in it now (gauge)
 */
public record TaskQueueStats(TaskQueueHandle handle, String name, int shares, Latency latency, Duration runtime,
                             long schedulerRuns, long taskRuns, long tasksSpawned, long preemptions,
                             long queueDepth, long liveTasks) {

    /** The activity since {@code previous}: counters subtracted, gauges kept as they are now. */
    public TaskQueueStats delta(TaskQueueStats previous) {
        if (!previous.handle.equals(handle)) {
            throw new IllegalArgumentException("cannot subtract stats of " + previous.handle + " from " + handle);
        }
        return new TaskQueueStats(handle, name, shares, latency, runtime.minus(previous.runtime),
                schedulerRuns - previous.schedulerRuns, taskRuns - previous.taskRuns,
                tasksSpawned - previous.tasksSpawned, preemptions - previous.preemptions, queueDepth, liveTasks);
    }
}
