package io.github.jglommio.kv.aof;

import io.github.jglommio.sync.Semaphore;

import java.io.IOException;

/**
 * A one-shot event many tasks wait for: a group commit (every waiter whose record is in the batch),
 * a rewrite's cut or its installation. Completed once, with or without a failure. Owner executor only;
 * create it inside a task.
 */
final class Completion {

    /** More permits than there can ever be waiters: completing lets every current and later waiter through. */
    private static final long ALL = Long.MAX_VALUE / 2;

    private final Semaphore event = new Semaphore(0);
    private boolean done;
    private IOException failure;

    /** Wakes every waiter; {@code failure} (null for success) is what they get. Later calls do nothing. */
    void complete(IOException failure) {
        if (done) {
            return;
        }
        done = true;
        this.failure = failure;
        event.signal(ALL);
    }

    boolean isDone() {
        return done;
    }

    /**
     * Parks the calling task until {@link #complete} and throws the failure, if any, wrapped so that the
     * stack trace shows this waiter.
     *
     * @throws java.util.concurrent.CancellationException when the calling task is cancelled meanwhile
     */
    void await() throws IOException {
        if (!done) {
            event.acquire(1);
        }
        if (failure != null) {
            throw new IOException(failure.getMessage(), failure);
        }
    }
}
