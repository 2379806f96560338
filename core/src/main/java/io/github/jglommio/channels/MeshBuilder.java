package io.github.jglommio.channels;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.LockSupport;

/**
 * A group of executors connected pairwise by {@link SharedChannel}s: Glommio's
 * {@code channel_mesh::MeshBuilder}. Make one builder, hand it to every executor, and call
 * {@link #join()} from a task of each; {@code join} returns once all {@link #nrPeers()} peers have
 * joined.
 *
 * <p>A <em>full</em> mesh connects every peer to every other peer, both ways. Peers are numbered
 * 0..n-1 in the order of their executors' ids, so the numbering is the same in every executor and
 * in every mesh joined by the same executors. There is no channel from a peer to itself: handle
 * local messages locally ({@link MeshSenders#sendTo} to oneself throws).
 *
 * <p>The guide's §7.1 pattern: every executor greets every other one, then reads until all peers
 * have closed their senders.
 *
 * {@snippet :
 * int numExecutors = 4;
 * MeshBuilder<String> meshBuilder = MeshBuilder.full(numExecutors, 1024);
 * PoolThreadHandles<Void> handles = new LocalExecutorPoolBuilder(PoolPlacement.unbound(numExecutors))
 *         .onAllShards(() -> {
 *             MeshConnection<String> mesh = meshBuilder.join();          // parks until all have joined
 *             int me = mesh.peerId();
 *             for (int peer = 0; peer < mesh.nrPeers(); peer++) {
 *                 if (peer != me) {
 *                     mesh.senders().sendTo(peer, "Hello from " + me);
 *                 }
 *             }
 *             mesh.senders().close();                                  // lets the peers' recv() end
 *             String msg;
 *             while ((msg = mesh.receivers().recv()) != null) {        // fair, from any peer
 *                 System.out.println("Executor " + me + " received: " + msg);
 *             }
 *         });
 * handles.joinAll();
 * }
 *
 * <p>A <em>partial</em> mesh connects producers to consumers: each peer joins with a
 * {@link Role}, and there is a channel from every producer to every consumer (a {@link Role#BOTH}
 * peer has none to itself). Senders are indexed by consumer id and receivers by producer id: the
 * peer's rank among the consumers, respectively producers, again ordered by executor id.
 *
 * {@snippet :
 * MeshBuilder<Job> jobs = MeshBuilder.partial(5, 256);
 * // on each of 2 producer executors:
 * MeshConnection<Job> p = jobs.join(Role.PRODUCER);
 * p.senders().sendTo(job.key() % p.senders().nrConsumers(), job);
 * // on each of 3 consumer executors:
 * MeshConnection<Job> c = jobs.join(Role.CONSUMER);
 * Job job;
 * while ((job = c.receivers().recv()) != null) {
 *     run(job);
 * }
 * }
 *
 * <p>Threading: the builder may be shared by any threads; {@link #join} must be called from a
 * jglommio task, once per executor. A builder makes one mesh.
 *
 * @param <T> the message type
 */
public final class MeshBuilder<T> {

    /* Implementation overview
     *
     * Peers register under the builder's lock, kept sorted by executor id. The last one to arrive
     * creates every channel, publishes them with one volatile write (topology), and unparks the
     * others: their threads were recorded under the same lock, and each re-reads topology before
     * every park, so the unpark cannot be lost (it leaves a permit if it comes first). Each peer
     * then connects its own ends on its own executor.
     */

    private final int nrPeers;
    private final int channelCapacity;
    private final boolean full;
    /** Registered peers sorted by executor id. Guarded by this. */
    private final List<Peer> peers = new ArrayList<>();
    /** Set once, by the last peer to join. */
    private volatile Topology<T> topology;

    private MeshBuilder(int nrPeers, int channelCapacity, boolean full) {
        if (nrPeers < 1) {
            throw new IllegalArgumentException("a mesh needs at least one peer: " + nrPeers);
        }
        if (channelCapacity < 1) {
            throw new IllegalArgumentException("channel capacity must be at least 1: " + channelCapacity);
        }
        this.nrPeers = nrPeers;
        this.channelCapacity = channelCapacity;
        this.full = full;
    }

    /**
     * A full mesh of {@code nrPeers} executors, with a channel of {@code channelCapacity} messages
     * from each peer to each other peer. Any thread.
     *
     * @throws IllegalArgumentException when {@code nrPeers} or {@code channelCapacity} is below 1
     */
    public static <T> MeshBuilder<T> full(int nrPeers, int channelCapacity) {
        return new MeshBuilder<>(nrPeers, channelCapacity, true);
    }

    /**
     * A partial mesh of {@code nrPeers} executors, each joining with a {@link Role}, with a channel
     * of {@code channelCapacity} messages from each producer to each consumer. Any thread.
     *
     * @throws IllegalArgumentException when {@code nrPeers} or {@code channelCapacity} is below 1
     */
    public static <T> MeshBuilder<T> partial(int nrPeers, int channelCapacity) {
        return new MeshBuilder<>(nrPeers, channelCapacity, false);
    }

    /** The number of peers the mesh waits for. Any thread. */
    public int nrPeers() {
        return nrPeers;
    }

    /** The capacity of each channel of the mesh. Any thread. */
    public int channelCapacity() {
        return channelCapacity;
    }

    /** True for a full mesh, false for a partial one. Any thread. */
    public boolean isFull() {
        return full;
    }

    /**
     * Joins a full mesh: parks the calling task until every peer has joined, then returns this
     * executor's connection. Equivalent to {@code join(Role.BOTH)}.
     *
     * @throws IllegalStateException when called on a partial mesh (use {@link #join(Role)}), outside
     *                               a jglommio task, a second time from the same executor, or when
     *                               all peers have already joined
     * @throws CancellationException when the calling task is cancelled while waiting; it then leaves
     *                               the mesh, and another executor may take its place
     */
    public MeshConnection<T> join() {
        if (!full) {
            throw new IllegalStateException("a partial mesh is joined with join(Role): PRODUCER, CONSUMER or BOTH");
        }
        return joinAs(Role.BOTH);
    }

    /**
     * Joins with a {@code role}: parks the calling task until every peer has joined, then returns
     * this executor's connection. A full mesh accepts only {@link Role#BOTH}.
     *
     * @throws IllegalArgumentException when a full mesh is joined with another role than BOTH
     * @throws IllegalStateException    outside a jglommio task, a second time from the same
     *                                  executor, or when all peers have already joined
     * @throws CancellationException    when the calling task is cancelled while waiting; it then
     *                                  leaves the mesh, and another executor may take its place
     */
    public MeshConnection<T> join(Role role) {
        Objects.requireNonNull(role, "role");
        if (full && role != Role.BOTH) {
            throw new IllegalArgumentException("every peer of a full mesh is a producer and a consumer (Role.BOTH); "
                    + "use MeshBuilder.partial for " + role);
        }
        return joinAs(role);
    }

    private MeshConnection<T> joinAs(Role role) {
        OwnerExecutor owner = OwnerExecutor.current("MeshBuilder.join()");
        Thread me = Thread.currentThread();
        Peer mine = new Peer(owner.id(), role, me);
        List<Thread> toWake = List.of();
        synchronized (this) {
            // volatile read under the lock: only the last joiner writes topology, also under the lock.
            if (topology != null || peers.size() == nrPeers) {
                throw new IllegalStateException("this mesh is full: all " + nrPeers + " peers have joined");
            }
            int pos = 0;
            while (pos < peers.size() && peers.get(pos).executorId < mine.executorId) {
                pos++;
            }
            if (pos < peers.size() && peers.get(pos).executorId == mine.executorId) {
                throw new IllegalStateException("executor '" + owner.name() + "' has already joined this mesh; "
                        + "a mesh has one peer per executor");
            }
            peers.add(pos, mine);
            if (peers.size() == nrPeers) {
                toWake = new ArrayList<>(nrPeers - 1);
                for (Peer p : peers) {
                    if (p != mine) {
                        toWake.add(p.joiner);
                    }
                }
                topology = Topology.build(List.copyOf(peers), channelCapacity); // volatile: publishes the channels
            }
        }
        for (Thread t : toWake) {
            LockSupport.unpark(t);
        }
        Topology<T> t;
        // volatile read before every park: pairs with the write above, so an unpark is never missed.
        while ((t = topology) == null) {
            if (me.isInterrupted()) {
                synchronized (this) {
                    if (topology == null) { // volatile, under the lock: the mesh cannot complete meanwhile
                        peers.remove(mine);
                        throw new CancellationException("task was cancelled while waiting in MeshBuilder.join() ("
                                + peers.size() + " of " + nrPeers + " peers had joined)");
                    }
                }
                continue;
            }
            LockSupport.park(this);
        }
        return t.connect(mine, full, owner);
    }

    @Override
    public String toString() {
        return "MeshBuilder[" + (full ? "full" : "partial") + ", nrPeers=" + nrPeers + ", channelCapacity="
                + channelCapacity + "]";
    }

    /** One joined executor. */
    private record Peer(long executorId, Role role, Thread joiner) {
    }

    /**
     * The complete mesh: peers, producers and consumers in executor-id order, and
     * {@code channels[producer][consumer]} ({@code null} from a peer to itself). Immutable once
     * published.
     */
    private record Topology<T>(List<Peer> peers, List<Peer> producers, List<Peer> consumers,
                               SharedChannel<T>[][] channels) {

        static <T> Topology<T> build(List<Peer> peers, int capacity) {
            List<Peer> producers = peers.stream().filter(p -> p.role().produces()).toList();
            List<Peer> consumers = peers.stream().filter(p -> p.role().consumes()).toList();
            @SuppressWarnings("unchecked")
            SharedChannel<T>[][] channels =
                    (SharedChannel<T>[][]) new SharedChannel<?>[producers.size()][consumers.size()];
            for (int p = 0; p < producers.size(); p++) {
                for (int c = 0; c < consumers.size(); c++) {
                    if (producers.get(p) != consumers.get(c)) {
                        channels[p][c] = SharedChannel.newBounded(capacity);
                    }
                }
            }
            return new Topology<>(peers, producers, consumers, channels);
        }

        /** Connects {@code peer}'s ends; runs on that peer's executor. */
        MeshConnection<T> connect(Peer peer, boolean full, OwnerExecutor owner) {
            int producerId = producers.indexOf(peer);
            int consumerId = consumers.indexOf(peer);
            @SuppressWarnings("unchecked")
            ConnectedSender<T>[] senders =
                    (ConnectedSender<T>[]) new ConnectedSender<?>[producerId < 0 ? 0 : consumers.size()];
            for (int c = 0; c < senders.length; c++) {
                SharedChannel<T> ch = channels[producerId][c];
                senders[c] = ch == null ? null : ch.sender().connect();
            }
            @SuppressWarnings("unchecked")
            ConnectedReceiver<T>[] receivers =
                    (ConnectedReceiver<T>[]) new ConnectedReceiver<?>[consumerId < 0 ? 0 : producers.size()];
            for (int p = 0; p < receivers.length; p++) {
                SharedChannel<T> ch = channels[p][consumerId];
                receivers[p] = ch == null ? null : ch.receiver().connect();
            }
            return new MeshConnection<>(peers.indexOf(peer), peers.size(), peer.role(), producerId, consumerId,
                    new MeshSenders<>(senders, full ? "peer" : "consumer", owner),
                    new MeshReceivers<>(receivers, full ? "peer" : "producer", owner));
        }
    }
}
