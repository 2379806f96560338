package io.github.jglommio.channels;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The sending end of a {@link SharedChannel} before it is bound to an executor: hand it to the
 * producing executor and {@link #connect()} it there. Glommio's {@code SharedSender}.
 *
 * {@snippet :
 * SharedChannel<String> ch = SharedChannel.newBounded(64);
 * SharedSender<String> unbound = ch.sender();
 * LocalExecutorBuilder.create().spawn(() -> {
 *     ConnectedSender<String> tx = unbound.connect();
 *     tx.send("hello");
 *     tx.close();
 * });
 * }
 *
 * <p>Threading: any thread may hold it; {@link #connect()} must be called from a jglommio task,
 * once.
 *
 * @param <T> the message type
 */
public final class SharedSender<T> {

    private final SpscQueue<T> queue;
    /** CAS-guarded: two executors may race to connect the same end. */
    private final AtomicBoolean connected = new AtomicBoolean();

    SharedSender(SpscQueue<T> queue) {
        this.queue = queue;
    }

    /**
     * Binds this end to the calling task's executor and returns the usable sender. Returns at once;
     * it does not wait for the receiver to connect (messages sent before that wait in the channel).
     *
     * @throws IllegalStateException when called outside a jglommio task, or when this end was
     *                               already connected
     */
    public ConnectedSender<T> connect() {
        OwnerExecutor owner = OwnerExecutor.current("SharedSender.connect()");
        // CAS: exactly one connect wins, so the queue keeps a single producer.
        if (!connected.compareAndSet(false, true)) {
            throw new IllegalStateException("this SharedSender is already connected; a channel has one sending "
                    + "end, connected once, on one executor");
        }
        return new ConnectedSender<>(queue, owner);
    }

    @Override
    public String toString() {
        // volatile read: a diagnostic snapshot.
        return "SharedSender[capacity=" + queue.capacity() + (connected.get() ? ", connected]" : "]");
    }
}
