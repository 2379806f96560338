package io.github.jglommio;

import java.time.Duration;

/**
 * A task queue ran past its time budget without yielding: what the stall detector saw.
 *
 * @param executorId      the executor
 * @param executorName    its name
 * @param taskQueue       the queue whose turn stalled
 * @param ranFor          how long the turn had been running when it was sampled
 * @param budget          the time slice plus the configured threshold
 * @param task            the task running at the time, or {@code null} if unknown
 * @param taskStack       that task's stack trace (empty if unknown): where it is spinning
 * @param executorStack   the executor thread's stack trace
 */
public record StallReport(long executorId, String executorName, String taskQueue, Duration ranFor, Duration budget,
                          Thread task, StackTraceElement[] taskStack, StackTraceElement[] executorStack) {

    /** A multi-line description with the task's stack trace, for logs. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append("executor '").append(executorName).append("' (id ").append(executorId).append("): task queue '")
                .append(taskQueue).append("' has run for ").append(ranFor.toMillis()).append(" ms without yielding (budget ")
                .append(budget.toMillis()).append(" ms). Call LocalExecutor.yieldIfNeeded() in long loops, or move "
                        + "blocking work to LocalExecutor.spawnBlocking().");
        StackTraceElement[] stack = taskStack.length > 0 ? taskStack : executorStack;
        sb.append(taskStack.length > 0 ? "\n  task " + task + " at:" : "\n  executor thread at:");
        for (StackTraceElement e : stack) {
            sb.append("\n    at ").append(e);
        }
        return sb.toString();
    }
}
