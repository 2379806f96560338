package io.github.jglommio;

/**
 * Names a task queue of one executor: returned by {@link LocalExecutor#createTaskQueue} and accepted
 * by {@link Task#localInto}. Glommio's {@code TaskQueueHandle}. Immutable; any thread may hold it,
 * but only tasks of its executor can use it.
 *
 * @param executorId the executor the queue belongs to
 * @param index      the queue's index in that executor (0 is the default queue)
 */
public record TaskQueueHandle(long executorId, int index) {
}
