package io.github.jglommio.channels;

import java.util.Objects;

/**
 * The sending side of a {@link MeshConnection}: one {@link ConnectedSender} per consumer of the
 * mesh, indexed by consumer id (by peer id in a full mesh). Glommio's {@code channel_mesh::Senders}.
 *
 * {@snippet :
 * MeshSenders<String> out = m.senders();
 * for (int peer = 0; peer < out.nrConsumers(); peer++) {
 *     if (peer != m.peerId()) {
 *         out.sendTo(peer, "hi");          // parks while that channel is full
 *     }
 * }
 * out.close();                             // every consumer's recv() can now end
 * }
 *
 * <p>Threading: tasks of the executor that joined the mesh only ({@link WrongThreadException}
 * otherwise), except {@link #nrConsumers()}.
 *
 * @param <T> the message type
 */
public final class MeshSenders<T> {

    private final ConnectedSender<T>[] senders;
    private final String kind;
    private final OwnerExecutor owner;

    MeshSenders(ConnectedSender<T>[] senders, String kind, OwnerExecutor owner) {
        this.senders = senders;
        this.kind = kind;
        this.owner = owner;
    }

    /** The number of consumers this executor can send to (its own slot included in a full mesh). Any thread. */
    public int nrConsumers() {
        return senders.length;
    }

    /**
     * Sends {@code message} to consumer {@code consumer}, parking the calling task while that
     * channel is full. See {@link ConnectedSender#send}.
     *
     * @throws IndexOutOfBoundsException when {@code consumer} is not in 0..{@link #nrConsumers()}-1
     * @throws IllegalArgumentException  when {@code consumer} is this executor: a mesh has no channel
     *                                   from a peer to itself, handle local messages locally
     * @throws ChannelClosedException   when the senders or that consumer's receiver are closed
     * @throws java.util.concurrent.CancellationException when the task is cancelled while waiting
     */
    public void sendTo(int consumer, T message) {
        sender(consumer, "MeshSenders.sendTo()").send(message);
    }

    /**
     * Sends {@code message} to consumer {@code consumer} if its channel has room; never parks.
     *
     * @return {@code false} when that channel is full
     * @throws IndexOutOfBoundsException when {@code consumer} is not in 0..{@link #nrConsumers()}-1
     * @throws IllegalArgumentException  when {@code consumer} is this executor
     * @throws ChannelClosedException   when the senders or that consumer's receiver are closed
     */
    public boolean trySendTo(int consumer, T message) {
        return sender(consumer, "MeshSenders.trySendTo()").trySend(message);
    }

    /** Closes every sender: each consumer receives what was sent, then {@code null}. Idempotent. */
    public void close() {
        owner.check("MeshSenders.close()");
        for (ConnectedSender<T> s : senders) {
            if (s != null) {
                s.close();
            }
        }
    }

    private ConnectedSender<T> sender(int consumer, String operation) {
        Objects.checkIndex(consumer, senders.length);
        ConnectedSender<T> s = senders[consumer];
        if (s == null) {
            throw new IllegalArgumentException(operation + ": " + kind + " " + consumer + " is this executor; a mesh "
                    + "has no channel from a peer to itself, so handle local messages locally");
        }
        return s;
    }

    @Override
    public String toString() {
        return "MeshSenders[executor=" + owner.name() + ", nrConsumers=" + senders.length + "]";
    }
}
