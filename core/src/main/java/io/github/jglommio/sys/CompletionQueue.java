package io.github.jglommio.sys;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The completion side of one ring: the mapped CQ ring header and CQE array.
 *
 * <p>Single consumer: only the ring's owner thread reaps. {@link #hasCompletions()} may be read by
 * the owner at any time (it is the cheap check behind preemption on the latency ring).
 */
public final class CompletionQueue {

    /** Receives one completion; implemented by the reactor, so reaping allocates nothing. */
    @FunctionalInterface
    public interface Handler {
        void complete(long userData, int res, int flags);
    }

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final MemorySegment ring;
    private final long headOffset;
    private final long tailOffset;
    private final long overflowOffset;
    private final long cqesOffset;
    private final int mask;
    private final int entries;

    CompletionQueue(MemorySegment ring, MemorySegment params) {
        this.ring = ring;
        this.headOffset = IoUringParams.cqOffset(params, "head");
        this.tailOffset = IoUringParams.cqOffset(params, "tail");
        this.overflowOffset = IoUringParams.cqOffset(params, "overflow");
        this.cqesOffset = IoUringParams.cqOffset(params, "cqes");
        this.mask = ring.get(JAVA_INT, IoUringParams.cqOffset(params, "ring_mask"));
        this.entries = ring.get(JAVA_INT, IoUringParams.cqOffset(params, "ring_entries"));
    }

    /** True when at least one CQE waits to be reaped. Two loads of ring memory, no syscall. */
    public boolean hasCompletions() {
        // Acquire on tail: the kernel (io_commit_cqring) publishes CQE contents before the tail.
        return (int) INT.getAcquire(ring, tailOffset) != (int) INT.getOpaque(ring, headOffset);
    }

    /** The mapped CQ ring memory, for a caller that polls the tail itself ({@link #tailOffset()}). */
    public MemorySegment ringMemory() {
        return ring;
    }

    /** Offset of the kernel-written tail in {@link #ringMemory()}. */
    public long tailOffset() {
        return tailOffset;
    }

    /** The consumer head (only this side writes it). */
    public int head() {
        return (int) INT.getOpaque(ring, headOffset);
    }

    /** Completions waiting to be reaped. */
    public int ready() {
        return (int) INT.getAcquire(ring, tailOffset) - (int) INT.getOpaque(ring, headOffset);
    }

    /**
     * Hands up to {@code max} completions to {@code handler} and releases their slots to the kernel.
     * Returns how many were handled.
     */
    public int reap(Handler handler, int max) {
        int head = (int) INT.getOpaque(ring, headOffset);
        int tail = (int) INT.getAcquire(ring, tailOffset);
        int n = 0;
        while (head != tail && n < max) {
            long base = cqesOffset + (long) (head & mask) * Cqe.SIZE;
            long userData = ring.get(JAVA_LONG, base + Cqe.USER_DATA);
            int res = ring.get(JAVA_INT, base + Cqe.RES);
            int flags = ring.get(JAVA_INT, base + Cqe.FLAGS);
            head++;
            n++;
            // Release before running the handler: the CQE was copied, the kernel may reuse the slot.
            INT.setRelease(ring, headOffset, head);
            handler.complete(userData, res, flags);
        }
        return n;
    }

    /** CQEs the kernel could not post because the ring was full ({@code cq_off.overflow}). */
    public int overflow() {
        return (int) INT.getAcquire(ring, overflowOffset);
    }

    public int entries() {
        return entries;
    }
}
