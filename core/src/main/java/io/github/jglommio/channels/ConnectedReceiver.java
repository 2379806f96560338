package io.github.jglommio.channels;

/**
 * The receiving end of a {@link SharedChannel}, bound to the executor that
 * {@linkplain SharedReceiver#connect() connected} it. Glommio's {@code ConnectedReceiver}.
 *
 * {@snippet :
 * ConnectedReceiver<Request> rx = unboundReceiver.connect();
 * Request r;
 * while ((r = rx.recv()) != null) {   // parks while empty; null once the sender closed and all is read
 *     serve(r);
 * }
 * }
 *
 * <p>Threading: every method must be called from a task of the owning executor (several of its
 * tasks may share the receiver); other callers get {@link WrongThreadException}.
 *
 * @param <T> the message type
 */
public final class ConnectedReceiver<T> implements AutoCloseable {

    private final SpscQueue<T> queue;
    private final OwnerExecutor owner;
    private boolean closed;
    /** Times a task parked in recv(), for tests. Owner thread only. */
    long parks;

    ConnectedReceiver(SpscQueue<T> queue, OwnerExecutor owner) {
        this.queue = queue;
        this.owner = owner;
    }

    /**
     * Returns the next message, parking the calling task while the channel is empty. The sender is
     * woken if, and only if, it is parked waiting for room.
     *
     * @return the next message in send order, or {@code null} once the sender has closed and every
     *         message has been received (or after this receiver was closed)
     * @throws java.util.concurrent.CancellationException when the calling task is cancelled while it
     *                                                   waits; no message was taken
     * @throws WrongThreadException                      outside the owning executor
     */
    public T recv() {
        owner.check("ConnectedReceiver.recv()");
        for (;;) {
            T message = take();
            if (message != null || isFinished()) {
                return message;
            }
            WaitSlot.checkCancelled("ConnectedReceiver.recv()");
            parks++;
            WaitSlot.await(queue.consumerWaiters, this::readyToRecv);
        }
    }

    /**
     * Returns the next message if one is available; never parks.
     *
     * @return the next message, or {@code null} when none is available now (or the channel is closed)
     * @throws WrongThreadException outside the owning executor
     */
    public T tryRecv() {
        owner.check("ConnectedReceiver.tryRecv()");
        return take();
    }

    /**
     * Closes this end: the sender's next {@code send} fails, a sender parked on a full channel is
     * woken to fail, and messages not yet received are dropped. Idempotent.
     *
     * @throws WrongThreadException outside the owning executor
     */
    @Override
    public void close() {
        owner.check("ConnectedReceiver.close()");
        if (!closed) {
            closed = true;
            queue.closeConsumer();
        }
    }

    /** The most messages the channel holds at once. Any thread. */
    public int capacity() {
        return queue.capacity();
    }

    /** Takes one message and wakes a sender parked on a full channel. Owner thread. */
    T take() {
        if (closed) {
            return null;
        }
        T message = queue.poll();
        if (message != null) {
            queue.producerWaiters.wake();
        }
        return message;
    }

    /** True when no message will ever come: this end is closed, or the sender closed and all was read. */
    boolean isFinished() {
        // The closed flag first: every element released before it is then visible to the emptiness check.
        return closed || (queue.producerClosed() && !queue.consumerHasItems());
    }

    /** The re-check before parking: a message or the end of the stream is there. */
    boolean readyToRecv() {
        return closed || queue.producerClosed() || queue.consumerHasItems();
    }

    /** Where tasks wait for this receiver. */
    WaitSlot waitSlot() {
        return queue.consumerWaiters;
    }

    OwnerExecutor owner() {
        return owner;
    }

    @Override
    public String toString() {
        return "ConnectedReceiver[executor=" + owner.name() + ", capacity=" + queue.capacity() + "]";
    }
}
