package io.github.jglommio.channels;

/**
 * The part an executor plays in a partial channel mesh ({@link MeshBuilder#partial}): Glommio's
 * {@code channel_mesh::Role}. A full mesh is joined with {@link #BOTH} by every peer.
 *
 * {@snippet :
 * MeshConnection<Job> m = mesh.join(Role.PRODUCER);   // senders to every consumer, no receivers
 * }
 */
public enum Role {
    /** Sends to every consumer; receives nothing. */
    PRODUCER,
    /** Receives from every producer; sends nothing. */
    CONSUMER,
    /** Sends to every other consumer and receives from every other producer. */
    BOTH;

    /** True for {@link #PRODUCER} and {@link #BOTH}. */
    public boolean produces() {
        return this != CONSUMER;
    }

    /** True for {@link #CONSUMER} and {@link #BOTH}. */
    public boolean consumes() {
        return this != PRODUCER;
    }
}
