package io.github.jglommio.reactor;

import java.lang.foreign.MemorySegment;

/**
 * One pooled I/O buffer with a reference count, manipulated on the owner thread only. User-facing
 * holders ({@code DmaBuffer}, {@code ReadResult}) each own one reference through
 * {@link BufferPool#track}: closing the holder, or the holder becoming unreachable, hands the
 * reference back through the pool's queue; the last one returns the memory to the pool.
 */
public final class IoBuffer {

    final BufferPool pool;
    final MemorySegment memory;
    final int sizeClass;
    /** Index of the registered buffer this memory lies in, or -1 when not registered. */
    final int registeredIndex;
    private int refs = 1;

    IoBuffer(BufferPool pool, MemorySegment memory, int sizeClass, int registeredIndex) {
        this.pool = pool;
        this.memory = memory;
        this.sizeClass = sizeClass;
        this.registeredIndex = registeredIndex;
    }

    /** The whole buffer. Valid until the last {@link #release()}. */
    public MemorySegment memory() {
        return memory;
    }

    /** The registered-buffer index for {@code READ_FIXED}/{@code WRITE_FIXED}, or -1. */
    public int registeredIndex() {
        return registeredIndex;
    }

    public boolean isReleased() {
        return refs <= 0;
    }

    /** Adds a reference (a slice sharing this buffer). */
    public IoBuffer retain() {
        if (refs <= 0) {
            throw new IllegalStateException("buffer already released");
        }
        refs++;
        return this;
    }

    /** Drops a reference; the last one returns the memory to the pool. Owner thread only. */
    public void release() {
        if (refs > 0 && --refs == 0) {
            pool.recycle(this);
        }
    }
}
