package io.github.jglommio.controllers;

/**
 * One pushed {@link DeadlineSource} and its progress through a {@link DeadlineQueue}. Owner thread
 * only.
 */
final class Work<T> {

    final DeadlineSource<? extends T> source;
    /** {@link DeadlineSource#expectedDuration()} at push time. */
    final long expectedNs;
    /** Push time plus {@link #expectedNs}, on the {@link System#nanoTime()} clock. */
    final long deadlineNs;

    /** The task parked in {@link DeadlineQueue#pushWork}, until it gets the result or gives up. */
    Thread waiter;
    /** The task running the action, while it runs. */
    Thread runner;
    /** A task was spawned to run the action; the work is (or was) at the head of the queue. */
    boolean started;
    /** The pushing task was cancelled: skip the action, or interrupt it if it runs. */
    boolean abandoned;
    boolean done;
    T value;
    Throwable failure;

    Work(DeadlineSource<? extends T> source, long expectedNs, long deadlineNs) {
        this.source = source;
        this.expectedNs = expectedNs;
        this.deadlineNs = deadlineNs;
    }
}
