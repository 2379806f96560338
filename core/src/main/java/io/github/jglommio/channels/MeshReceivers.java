package io.github.jglommio.channels;

import java.util.Objects;

/**
 * The receiving side of a {@link MeshConnection}: one {@link ConnectedReceiver} per producer of
 * the mesh, indexed by producer id (by peer id in a full mesh). Glommio's
 * {@code channel_mesh::Receivers}, plus a fair {@link #recv()} from any producer.
 *
 * {@snippet :
 * MeshReceivers<String> in = m.receivers();
 * String first = in.recvFrom(0);           // from producer 0 only; null once it closed and is drained
 * String msg;
 * while ((msg = in.recv()) != null) {      // from whichever producer has a message, round robin
 *     handle(msg);
 * }
 * }
 *
 * <p>Threading: tasks of the executor that joined the mesh only ({@link WrongThreadException}
 * otherwise), except {@link #nrProducers()}.
 *
 * @param <T> the message type
 */
public final class MeshReceivers<T> {

    private final ConnectedReceiver<T>[] receivers;
    private final String kind;
    private final OwnerExecutor owner;
    /** Where the next fair recv() starts looking. Owner thread only. */
    private int next;
    /** Times a task parked in recv(), for tests. Owner thread only. */
    long parks;

    MeshReceivers(ConnectedReceiver<T>[] receivers, String kind, OwnerExecutor owner) {
        this.receivers = receivers;
        this.kind = kind;
        this.owner = owner;
    }

    /** The number of producers this executor receives from (its own slot included in a full mesh). Any thread. */
    public int nrProducers() {
        return receivers.length;
    }

    /**
     * The next message from producer {@code producer}, parking while its channel is empty. See
     * {@link ConnectedReceiver#recv}.
     *
     * @return the message, or {@code null} once that producer closed and its messages are all received
     * @throws IndexOutOfBoundsException when {@code producer} is not in 0..{@link #nrProducers()}-1
     * @throws IllegalArgumentException  when {@code producer} is this executor (no channel to itself)
     * @throws java.util.concurrent.CancellationException when the task is cancelled while waiting
     */
    public T recvFrom(int producer) {
        Objects.checkIndex(producer, receivers.length);
        ConnectedReceiver<T> r = receivers[producer];
        if (r == null) {
            throw new IllegalArgumentException("MeshReceivers.recvFrom(): " + kind + " " + producer + " is this "
                    + "executor; a mesh has no channel from a peer to itself");
        }
        return r.recv();
    }

    /**
     * The next message from any producer, parking while all channels are empty. Fair: the channels
     * are visited round robin, starting after the one that delivered last, so a busy producer
     * cannot starve the others. Messages of one producer keep their order.
     *
     * @return a message, or {@code null} once every producer closed and all messages are received
     * @throws java.util.concurrent.CancellationException when the task is cancelled while waiting;
     *         no message was taken
     */
    public T recv() {
        owner.check("MeshReceivers.recv()");
        for (;;) {
            T message = takeAny();
            if (message != null) {
                return message;
            }
            // A channel is finished only once closed and drained, so one that got a message since
            // takeAny still counts as open, and awaitAny's re-check returns at once.
            int open = unfinished();
            if (open == 0) {
                return null;
            }
            WaitSlot.checkCancelled("MeshReceivers.recv()");
            parks++;
            awaitAny(open);
        }
    }

    /**
     * The next message from any producer if one is waiting, without parking: {@code null} when every
     * channel is empty (or finished). Same order and fairness as {@link #recv()}; use it to drain what
     * arrived before acting on all of it at once, then {@link #recv()} to wait for more.
     */
    public T tryRecv() {
        owner.check("MeshReceivers.tryRecv()");
        return takeAny();
    }

    /** One pass round robin from after the channel that delivered last: the first message found, or null. */
    private T takeAny() {
        int n = receivers.length;
        for (int k = 0; k < n; k++) {
            int i = (next + k) % n;
            ConnectedReceiver<T> r = receivers[i];
            if (r == null) {
                continue;
            }
            T message = r.take();
            if (message != null) {
                next = (i + 1) % n;
                return message;
            }
        }
        return null;
    }

    /** The channels not yet closed and drained. */
    private int unfinished() {
        int open = 0;
        for (ConnectedReceiver<T> r : receivers) {
            if (r != null && !r.isFinished()) {
                open++;
            }
        }
        return open;
    }

    /** Parks on every unfinished channel at once; a message or close on any of them wakes us. */
    private void awaitAny(int open) {
        @SuppressWarnings("unchecked")
        ConnectedReceiver<T>[] waiting = (ConnectedReceiver<T>[]) new ConnectedReceiver<?>[open];
        WaitSlot[] slots = new WaitSlot[open];
        int count = 0;
        for (ConnectedReceiver<T> r : receivers) {
            if (r != null && !r.isFinished() && count < open) {
                waiting[count] = r;
                slots[count++] = r.waitSlot();
            }
        }
        int registered = count;
        if (registered == 0) {
            return; // every channel finished meanwhile: the caller's loop returns null
        }
        WaitSlot.awaitAny(slots, registered, () -> {
            for (int i = 0; i < registered; i++) {
                if (waiting[i].readyToRecv()) {
                    return true;
                }
            }
            return false;
        });
    }

    /**
     * Closes every receiver: undelivered messages are dropped and the producers' further sends to
     * this executor fail. Idempotent.
     */
    public void close() {
        owner.check("MeshReceivers.close()");
        for (ConnectedReceiver<T> r : receivers) {
            if (r != null) {
                r.close();
            }
        }
    }

    @Override
    public String toString() {
        return "MeshReceivers[executor=" + owner.name() + ", nrProducers=" + receivers.length + "]";
    }
}
