package io.github.jglommio.channels;

import java.util.Objects;

/**
 * The sending end of a {@link SharedChannel}, bound to the executor that
 * {@linkplain SharedSender#connect() connected} it. Glommio's {@code ConnectedSender}.
 *
 * {@snippet :
 * ConnectedSender<Request> tx = unboundSender.connect();
 * tx.send(request);                 // parks this task while the channel is full
 * if (!tx.trySend(other)) {         // never parks: false means full, shed load or retry later
 *     dropped++;
 * }
 * tx.close();                       // the receiver drains what is left, then recv() returns null
 * }
 *
 * <p>Threading: every method must be called from a task of the owning executor (several of its
 * tasks may share the sender); other callers get {@link WrongThreadException}.
 *
 * <p>Closing: after {@link #close()} this sender refuses messages. When the receiver has closed,
 * {@link #send} and {@link #trySend} throw {@link ChannelClosedException}, and a task parked in
 * {@link #send} is woken to throw it; messages still in the channel at that point are dropped.
 * Close the sender when done (it is {@link AutoCloseable}): a receiver learns that no more messages
 * will come only from {@code close()}, so a sender abandoned without it leaves the receiver waiting.
 *
 * @param <T> the message type
 */
public final class ConnectedSender<T> implements AutoCloseable {

    private final SpscQueue<T> queue;
    private final OwnerExecutor owner;
    private boolean closed;
    /** Times a task parked in send(), for tests. Owner thread only. */
    long parks;

    ConnectedSender(SpscQueue<T> queue, OwnerExecutor owner) {
        this.queue = queue;
        this.owner = owner;
    }

    /**
     * Sends {@code message}, parking the calling task while the channel is full. The receiver is
     * woken if, and only if, it is parked waiting for a message.
     *
     * @throws NullPointerException                      when {@code message} is null
     * @throws ChannelClosedException                    when this sender or the receiver is closed
     *                                                   (also when the receiver closes while this task waits)
     * @throws java.util.concurrent.CancellationException when the calling task is cancelled while it
     *                                                   waits for room; the message was not sent
     * @throws WrongThreadException                      outside the owning executor
     */
    public void send(T message) {
        Objects.requireNonNull(message, "message");
        owner.check("ConnectedSender.send()");
        for (;;) {
            checkOpen("ConnectedSender.send");
            if (queue.offer(message)) {
                queue.consumerWaiters.wake();
                return;
            }
            WaitSlot.checkCancelled("ConnectedSender.send()");
            parks++;
            WaitSlot.await(queue.producerWaiters, this::readyToSend);
        }
    }

    /**
     * Sends {@code message} if the channel has room; never parks.
     *
     * @return {@code false} when the channel is full (the message was not sent)
     * @throws NullPointerException  when {@code message} is null
     * @throws ChannelClosedException when this sender or the receiver is closed
     * @throws WrongThreadException    outside the owning executor
     */
    public boolean trySend(T message) {
        Objects.requireNonNull(message, "message");
        owner.check("ConnectedSender.trySend()");
        checkOpen("ConnectedSender.trySend");
        if (!queue.offer(message)) {
            return false;
        }
        queue.consumerWaiters.wake();
        return true;
    }

    /**
     * Closes this end: the receiver gets every message already sent, then {@code null}. Idempotent.
     *
     * @throws WrongThreadException outside the owning executor
     */
    @Override
    public void close() {
        owner.check("ConnectedSender.close()");
        if (!closed) {
            closed = true;
            queue.closeProducer();
        }
    }

    /** True once this sender was closed or the receiver closed its end. Owner executor. */
    public boolean isClosed() {
        owner.check("ConnectedSender.isClosed()");
        return closed || queue.consumerClosed();
    }

    /** The most messages the channel holds at once. Any thread. */
    public int capacity() {
        return queue.capacity();
    }

    private boolean readyToSend() {
        return queue.consumerClosed() || queue.producerHasRoom();
    }

    private void checkOpen(String operation) {
        if (closed) {
            throw new ChannelClosedException(operation + ": this sender is closed");
        }
        if (queue.consumerClosed()) {
            throw new ChannelClosedException(operation + ": the receiver of this channel is closed; nobody "
                    + "will read the message");
        }
    }

    @Override
    public String toString() {
        return "ConnectedSender[executor=" + owner.name() + ", capacity=" + queue.capacity() + "]";
    }
}
