package io.github.jglommio.channels;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The receiving end of a {@link SharedChannel} before it is bound to an executor: hand it to the
 * consuming executor and {@link #connect()} it there. Glommio's {@code SharedReceiver}.
 *
 * {@snippet :
 * SharedChannel<String> ch = SharedChannel.newBounded(64);
 * SharedReceiver<String> unbound = ch.receiver();
 * LocalExecutorBuilder.create().spawn(() -> {
 *     ConnectedReceiver<String> rx = unbound.connect();
 *     String msg;
 *     while ((msg = rx.recv()) != null) {
 *         System.out.println(msg);
 *     }
 * });
 * }
 *
 * <p>Threading: any thread may hold it; {@link #connect()} must be called from a jglommio task,
 * once.
 *
 * @param <T> the message type
 */
public final class SharedReceiver<T> {

    private final SpscQueue<T> queue;
    /** CAS-guarded: two executors may race to connect the same end. */
    private final AtomicBoolean connected = new AtomicBoolean();

    SharedReceiver(SpscQueue<T> queue) {
        this.queue = queue;
    }

    /**
     * Binds this end to the calling task's executor and returns the usable receiver. Returns at
     * once; it does not wait for the sender to connect.
     *
     * @throws IllegalStateException when called outside a jglommio task, or when this end was
     *                               already connected
     */
    public ConnectedReceiver<T> connect() {
        OwnerExecutor owner = OwnerExecutor.current("SharedReceiver.connect()");
        // CAS: exactly one connect wins, so the queue keeps a single consumer.
        if (!connected.compareAndSet(false, true)) {
            throw new IllegalStateException("this SharedReceiver is already connected; a channel has one receiving "
                    + "end, connected once, on one executor");
        }
        return new ConnectedReceiver<>(queue, owner);
    }

    @Override
    public String toString() {
        // volatile read: a diagnostic snapshot.
        return "SharedReceiver[capacity=" + queue.capacity() + (connected.get() ? ", connected]" : "]");
    }
}
