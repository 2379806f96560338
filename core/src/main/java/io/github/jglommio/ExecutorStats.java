package io.github.jglommio;

import java.time.Duration;

/**
 * A snapshot of an executor's counters: Glommio's {@code ExecutorStats}, with cumulative, monotonic
 * counters (the Java/Micrometer/JMX convention) instead of reset-on-read. Take two snapshots and
 * {@link #delta} them for the activity in between.
 *
 * {@snippet :
 * ExecutorStats before = LocalExecutor.current().stats();
 * doWork();
 * ExecutorStats d = LocalExecutor.current().stats().delta(before);
 * System.out.println(d.tasksExecuted() + " tasks, " + d.io().submissions() + " SQEs");
 * }
 *
 * @param executorId      the executor's id
 * @param executorName    the executor's name
 * @param tasksSpawned    tasks created
 * @param tasksExecuted   tasks that finished (normally, exceptionally or cancelled)
 * @param taskRuns        times a task was resumed (a task that parks and resumes counts each time)
 * @param schedulerRuns   task-queue turns
 * @param preemptions     turns cut short because the time slice ended or a timer was due
 * @param busyTime        time spent running tasks
 * @param sleepTime       time spent asleep in the kernel waiting for work
 * @param sleeps          times the executor went to sleep
 * @param liveTasks       tasks alive now (gauge)
 * @param taskQueueDepth  task continuations runnable now, over all queues (gauge)
 * @param io              the ring's counters
 */
public record ExecutorStats(long executorId, String executorName, long tasksSpawned, long tasksExecuted,
                            long taskRuns, long schedulerRuns, long preemptions, Duration busyTime,
                            Duration sleepTime, long sleeps, long liveTasks, long taskQueueDepth, IoStats io) {

    /** Tasks created so far (Glommio's guide calls it {@code total_tasks}). */
    public long totalTasks() {
        return tasksSpawned;
    }

    /** Same as {@link #io()} (the guide's {@code io_stats()}). */
    public IoStats ioStats() {
        return io;
    }

    /** The activity since {@code previous}: counters subtracted, gauges kept as they are now. */
    public ExecutorStats delta(ExecutorStats previous) {
        if (previous.executorId != executorId) {
            throw new IllegalArgumentException("cannot subtract stats of executor " + previous.executorId
                    + " from stats of executor " + executorId);
        }
        return new ExecutorStats(executorId, executorName, tasksSpawned - previous.tasksSpawned,
                tasksExecuted - previous.tasksExecuted, taskRuns - previous.taskRuns,
                schedulerRuns - previous.schedulerRuns, preemptions - previous.preemptions,
                busyTime.minus(previous.busyTime), sleepTime.minus(previous.sleepTime), sleeps - previous.sleeps,
                liveTasks, taskQueueDepth, io.delta(previous.io));
    }
}
