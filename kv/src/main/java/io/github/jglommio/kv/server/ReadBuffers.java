package io.github.jglommio.kv.server;

import java.util.ArrayDeque;

/**
 * The read buffers of one shard's connections, lent for the time a connection has bytes to parse.
 * An idle connection waits for its next request without a buffer (it peeks one byte), so 10,000
 * idle clients hold none; the connections being served take one each and give it back before they
 * wait again. Up to {@value #KEEP} spare buffers are kept for the next ones.
 *
 * <p>Threading: the shard's executor only.
 */
final class ReadBuffers {

    /** The size of each buffer: a socket read takes at most this much. */
    static final int SIZE = 16 << 10;
    /** Spare buffers kept; more are left to the garbage collector. */
    static final int KEEP = 64;

    private final ArrayDeque<byte[]> spare = new ArrayDeque<>();
    /** Buffers made since the start: one is made only when no spare is left (for tests). */
    long made;
    /** A buffer of {@link #SIZE} bytes, for the caller alone until it {@link #giveBack gives it back}. */
    byte[] take() {
        byte[] b = spare.pollFirst();
        if (b == null) {
            made++;
            b = new byte[SIZE];
        }
        return b;
    }

    /** Returns a buffer from {@link #take}; the caller must no longer touch it. */
    void giveBack(byte[] b) {
        if (spare.size() < KEEP) {
            spare.addFirst(b); // the most recently used first: likely still in cache
        }
    }

    /** The spare buffers kept now. */
    int spares() {
        return spare.size();
    }
}
