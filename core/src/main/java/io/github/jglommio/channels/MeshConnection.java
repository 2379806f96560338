package io.github.jglommio.channels;

import java.util.OptionalInt;

/**
 * One executor's view of a joined channel mesh (see {@link MeshBuilder}): its id, its
 * {@linkplain #senders() senders} to the consumers and its {@linkplain #receivers() receivers}
 * from the producers. Glommio returns the same pair from {@code MeshBuilder::join}.
 *
 * {@snippet :
 * MeshConnection<String> m = mesh.join();
 * m.senders().sendTo(peer, "hello from " + m.peerId());
 * String msg = m.receivers().recvFrom(peer);          // null when that peer closed its sender
 * m.close();
 * }
 *
 * <p>Threading: everything but the ids must be used from tasks of the executor that joined.
 *
 * @param <T> the message type
 */
public final class MeshConnection<T> implements AutoCloseable {

    private final int peerId;
    private final int nrPeers;
    private final Role role;
    private final int producerId;
    private final int consumerId;
    private final MeshSenders<T> senders;
    private final MeshReceivers<T> receivers;

    MeshConnection(int peerId, int nrPeers, Role role, int producerId, int consumerId, MeshSenders<T> senders,
                   MeshReceivers<T> receivers) {
        this.peerId = peerId;
        this.nrPeers = nrPeers;
        this.role = role;
        this.producerId = producerId;
        this.consumerId = consumerId;
        this.senders = senders;
        this.receivers = receivers;
    }

    /**
     * This executor's index among all peers, 0..{@link #nrPeers()}-1, in executor-id order: stable
     * across executors and across meshes joined by the same executors. Any thread.
     */
    public int peerId() {
        return peerId;
    }

    /** The number of peers in the mesh. Any thread. */
    public int nrPeers() {
        return nrPeers;
    }

    /** The role this executor joined with ({@link Role#BOTH} in a full mesh). Any thread. */
    public Role role() {
        return role;
    }

    /**
     * This executor's index among the producers (the index its messages arrive under at each
     * consumer), or empty for a consumer. Equals {@link #peerId()} in a full mesh. Any thread.
     */
    public OptionalInt producerId() {
        return producerId < 0 ? OptionalInt.empty() : OptionalInt.of(producerId);
    }

    /**
     * This executor's index among the consumers (the index producers send to), or empty for a
     * producer. Equals {@link #peerId()} in a full mesh. Any thread.
     */
    public OptionalInt consumerId() {
        return consumerId < 0 ? OptionalInt.empty() : OptionalInt.of(consumerId);
    }

    /** The channels to the consumers (none for a {@link Role#CONSUMER}). Any thread; use them on the joining executor. */
    public MeshSenders<T> senders() {
        return senders;
    }

    /** The channels from the producers (none for a {@link Role#PRODUCER}). Any thread; use them on the joining executor. */
    public MeshReceivers<T> receivers() {
        return receivers;
    }

    /**
     * Closes every sender (consumers get what was sent, then {@code null}) and every receiver (what
     * was not yet received is dropped; producers' further sends to this executor fail). To let the
     * peers finish reading, close the {@linkplain MeshSenders#close() senders} first and drain the
     * receivers before calling this. Idempotent.
     *
     * @throws WrongThreadException outside the joining executor
     */
    @Override
    public void close() {
        senders.close();
        receivers.close();
    }

    @Override
    public String toString() {
        return "MeshConnection[peerId=" + peerId + ", nrPeers=" + nrPeers + ", role=" + role + "]";
    }
}
