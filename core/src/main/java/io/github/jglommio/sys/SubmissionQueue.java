package io.github.jglommio.sys;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The submission side of one ring: the mapped SQ ring header and the SQE array.
 *
 * <p>Single-threaded: only the ring's owner thread fills and publishes entries. The SQ index array
 * is filled once with the identity mapping (entry {@code i} at array slot {@code i}), so filling the
 * SQE at {@code tail & mask} is all a submission needs.
 */
public final class SubmissionQueue {

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final MemorySegment ring;
    private final MemorySegment sqes;
    private final long headOffset;
    private final long tailOffset;
    private final long flagsOffset;
    private final long droppedOffset;
    private final int mask;
    private final int entries;
    /** Our tail: entries filled but not yet published to the kernel are {@code localTail - publishedTail}. */
    private int localTail;
    private int publishedTail;

    SubmissionQueue(MemorySegment ring, MemorySegment sqes, MemorySegment params) {
        this.ring = ring;
        this.sqes = sqes;
        this.headOffset = IoUringParams.sqOffset(params, "head");
        this.tailOffset = IoUringParams.sqOffset(params, "tail");
        this.flagsOffset = IoUringParams.sqOffset(params, "flags");
        this.droppedOffset = IoUringParams.sqOffset(params, "dropped");
        this.mask = ring.get(JAVA_INT, IoUringParams.sqOffset(params, "ring_mask"));
        this.entries = ring.get(JAVA_INT, IoUringParams.sqOffset(params, "ring_entries"));
        long arrayOffset = IoUringParams.sqOffset(params, "array");
        for (int i = 0; i < entries; i++) {
            ring.set(JAVA_INT, arrayOffset + 4L * i, i);
        }
        this.localTail = ring.get(JAVA_INT, tailOffset);
        this.publishedTail = localTail;
    }

    /** The SQE array; entries are written at the offsets {@link #next()} returns. */
    public MemorySegment sqes() {
        return sqes;
    }

    /**
     * Reserves the next SQE and returns its byte offset in {@link #sqes()}, or {@code -1} when the
     * queue is full (the caller then submits and retries).
     */
    public long next() {
        // Acquire: the kernel's head store (io_uring.c, io_commit_sqring) must be seen before we reuse the entry.
        int head = (int) INT.getAcquire(ring, headOffset);
        if (localTail - head >= entries) {
            return -1;
        }
        long offset = (long) (localTail & mask) * Sqe.SIZE;
        localTail++;
        return offset;
    }

    /** Entries filled and not yet handed to the kernel. */
    public int pending() {
        return localTail - publishedTail;
    }

    /** Free entries left before the queue is full. */
    public int free() {
        return entries - (localTail - (int) INT.getAcquire(ring, headOffset));
    }

    /** Publishes filled entries; returns how many were added. */
    public int publish() {
        int n = localTail - publishedTail;
        if (n != 0) {
            // Release: SQE contents must be visible before the kernel reads the new tail (liburing io_uring_smp_store_release).
            INT.setRelease(ring, tailOffset, localTail);
            publishedTail = localTail;
        }
        return n;
    }

    /** The SQ ring flags word ({@code IORING_SQ_*}), written by the kernel. */
    public int flags() {
        return (int) INT.getAcquire(ring, flagsOffset);
    }

    /** Entries the kernel dropped as invalid ({@code sq_off.dropped}). */
    public int dropped() {
        return (int) INT.getAcquire(ring, droppedOffset);
    }

    public int entries() {
        return entries;
    }
}
