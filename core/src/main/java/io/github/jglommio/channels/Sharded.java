package io.github.jglommio.channels;

import io.github.jglommio.Task;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

/**
 * Routes messages to the executor (shard) that owns them, over a full channel mesh: Glommio's
 * {@code channels::sharding::Sharded}. A user function picks each message's shard; a user
 * handler processes it on that shard.
 *
 * {@snippet :
 * int nrShards = 4;
 * MeshBuilder<String> mesh = MeshBuilder.full(nrShards, 1024);
 * new LocalExecutorPoolBuilder(PoolPlacement.unbound(nrShards)).onAllShards(() -> {
 *     Map<String, Integer> counts = new HashMap<>();   // this shard's keys only: no locking
 *     Sharded<String> sharded = Sharded.join(mesh, String::hashCode, key -> counts.merge(key, 1, Integer::sum));
 *     for (String key : keysArrivingHere()) {
 *         sharded.handle(key);                          // handled here, or sent to the owning shard
 *     }
 *     sharded.close();                                 // returns once every shard has closed
 * }).joinAll();
 * }
 *
 * <p>The shard of a message is {@code Math.floorMod(shardFunction(message), nrShards())}, so the
 * function may return a hash or an index in 0..{@code nrShards()}-1. A message for this shard is
 * handled at once in the calling task (a handler exception propagates to it); a message for another
 * shard is sent through the mesh, and one background task per incoming channel runs the handler
 * for what the other shards send here (a handler exception there is logged and the message skipped).
 * Messages from one shard to another are handled in the order they were sent.
 *
 * <p>Threading: {@link #join} from a task of each shard's executor; every other method from tasks
 * of that executor.
 *
 * @param <T> the message type
 */
public final class Sharded<T> implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Sharded.class.getName());

    private final MeshConnection<T> mesh;
    private final ToIntFunction<? super T> shardFunction;
    private final Consumer<? super T> handler;
    private final List<Task<Void>> forwarders = new ArrayList<>();
    private boolean closed;

    private Sharded(MeshConnection<T> mesh, ToIntFunction<? super T> shardFunction, Consumer<? super T> handler) {
        this.mesh = mesh;
        this.shardFunction = shardFunction;
        this.handler = handler;
    }

    /**
     * Joins the full {@code mesh} as one shard (parking until every shard has joined) and starts
     * the background tasks that handle messages sent here by the other shards.
     *
     * @param mesh          a full mesh with one peer per shard
     * @param shardFunction maps a message to its shard (the result is taken modulo the shard count)
     * @param handler       runs on the owning shard for each message
     * @throws IllegalArgumentException when {@code mesh} is a partial mesh
     * @throws IllegalStateException    outside a jglommio task, or as {@link MeshBuilder#join()} does
     * @throws java.util.concurrent.CancellationException when the task is cancelled while joining
     */
    public static <T> Sharded<T> join(MeshBuilder<T> mesh, ToIntFunction<? super T> shardFunction,
                                      Consumer<? super T> handler) {
        Objects.requireNonNull(shardFunction, "shardFunction");
        Objects.requireNonNull(handler, "handler");
        if (!mesh.isFull()) {
            throw new IllegalArgumentException("Sharded needs a full mesh (MeshBuilder.full): every shard sends to "
                    + "every other");
        }
        Sharded<T> sharded = new Sharded<>(mesh.join(), shardFunction, handler);
        sharded.startForwarders();
        return sharded;
    }

    private void startForwarders() {
        MeshReceivers<T> in = mesh.receivers();
        for (int source = 0; source < in.nrProducers(); source++) {
            if (source == mesh.peerId()) {
                continue;
            }
            int from = source;
            forwarders.add(Task.local(() -> {
                T message;
                while ((message = in.recvFrom(from)) != null) {
                    try {
                        handler.accept(message);
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "shard " + mesh.peerId() + ": handler failed on a message from shard "
                                + from + "; message skipped", e);
                    }
                }
            }));
        }
    }

    /** This shard's id, 0..{@link #nrShards()}-1 (its peer id in the mesh). Any thread. */
    public int shardId() {
        return mesh.peerId();
    }

    /** The number of shards. Any thread. */
    public int nrShards() {
        return mesh.nrPeers();
    }

    /** The shard that owns {@code message}: {@code floorMod(shardFunction(message), nrShards())}. Any thread. */
    public int shardOf(T message) {
        return Math.floorMod(shardFunction.applyAsInt(message), nrShards());
    }

    /**
     * Handles {@code message} on the shard the shard function picks: here and now when it is this
     * shard, otherwise by sending it there (parking while that channel is full).
     *
     * @throws ChannelClosedException when this {@code Sharded} is closed, or the target shard closed
     *                                its receivers
     * @throws java.util.concurrent.CancellationException when the task is cancelled while waiting
     */
    public void handle(T message) {
        sendTo(shardOf(message), message);
    }

    /**
     * Handles {@code message} on shard {@code shard}, ignoring the shard function.
     *
     * @throws IndexOutOfBoundsException when {@code shard} is not in 0..{@link #nrShards()}-1
     * @throws ChannelClosedException   when this {@code Sharded} is closed
     * @throws java.util.concurrent.CancellationException when the task is cancelled while waiting
     */
    public void sendTo(int shard, T message) {
        Objects.requireNonNull(message, "message");
        Objects.checkIndex(shard, nrShards());
        if (closed) {
            throw new ChannelClosedException("Sharded.sendTo: this Sharded is closed");
        }
        if (shard == mesh.peerId()) {
            handler.accept(message);
        } else {
            mesh.senders().sendTo(shard, message);
        }
    }

    /**
     * Stops sending (the other shards will handle everything already sent) and waits until this
     * shard has handled every message sent to it, which is when every other shard has closed too.
     * Idempotent.
     *
     * @throws java.util.concurrent.CancellationException when the task is cancelled while waiting
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        mesh.senders().close();
        for (Task<Void> f : forwarders) {
            f.join();
        }
        mesh.receivers().close();
    }

    @Override
    public String toString() {
        return "Sharded[shard " + shardId() + " of " + nrShards() + "]";
    }
}
