package io.github.jglommio.reactor;

import io.github.jglommio.sys.BufferRing;
import io.github.jglommio.sys.Ring;

/**
 * The reactor's provided-buffer ring for multishot receives: sized before first use, registered on
 * first use, and given up for good when the kernel refuses it. Owner thread only.
 */
final class ReceiveBufferRing {

    /** Group id of the receive buffer ring (0 means "no group" in {@link Reactor#submitMultishot}). */
    private static final int GROUP = 1;

    private final Ring ioRing;
    private int bufferCount = 512;
    private int bufferSize = 4096;
    /** Null before the first {@link #get}, or when the kernel refused it or it is disabled. */
    private BufferRing ring;
    private boolean tried;

    ReceiveBufferRing(Ring ioRing) {
        this.ioRing = ioRing;
    }

    /** Sizes the ring before its first use; 0 buffers turns it off. */
    void configure(int buffers, int bufferSize) {
        this.bufferCount = buffers;
        this.bufferSize = bufferSize;
    }

    /**
     * The ring, registered with the reactor's io_uring on the first call unless {@code closed};
     * null when disabled or refused (before 5.19).
     */
    BufferRing get(boolean closed) {
        if (!tried) {
            tried = true;
            if (bufferCount > 0 && !closed) {
                try {
                    ring = BufferRing.register(ioRing.fd(), GROUP, bufferCount, bufferSize);
                } catch (IllegalStateException e) {
                    System.getLogger(Reactor.class.getName()).log(System.Logger.Level.INFO,
                            "multishot receives off (plain receives instead): " + e.getMessage());
                }
            }
        }
        return ring;
    }

    /** Frees the buffers; call only once the io_uring is gone, so nothing can write into them any more. */
    void close() {
        if (ring != null) {
            ring.close(false);
        }
    }
}
