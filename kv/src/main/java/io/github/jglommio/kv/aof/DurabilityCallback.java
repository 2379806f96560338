package io.github.jglommio.kv.aof;

/**
 * What to do once records are durable, instead of parking in {@link AppendOnlyLog#awaitDurable}: a
 * server sends the held reply from here (see {@link AppendOnlyLog#whenDurable}).
 *
 * <p>Threading: called once, on the log's owner executor, by the task that made the records durable
 * (the log's writer, or a waiter writing inline) or found that they cannot be: it must not park for
 * long, since later callbacks and the next batch wait behind it. An exception it throws is logged and
 * does not stop the log.
 */
@FunctionalInterface
public interface DurabilityCallback {
    /**
     * Called once the records of the token given to {@link AppendOnlyLog#whenDurable} are durable
     * under the log's policy, or once the log failed or closed before they were.
     *
     * @param durable {@code true} if they are durable and may be acknowledged; {@code false} if the log
     *     failed or closed first: do not acknowledge them
     */
    void done(boolean durable);
}
