package io.github.jglommio.io;

import io.github.jglommio.reactor.IoBuffer;
import io.github.jglommio.reactor.Reactor;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * Page-aligned native memory for {@link DmaFile} writes (and reads into caller memory), from the
 * executor's buffer pool: Glommio's {@code DmaBuffer}. When the executor registered {@code ioMemory},
 * the buffer may lie in registered memory and is then written with {@code WRITE_FIXED}.
 *
 * {@snippet :
 * try (DmaBuffer buf = file.allocDmaBuffer(4096)) {
 *     buf.segment().fill((byte) 7);
 *     file.writeAt(buf, 0);
 * }
 * }
 *
 * <p>Ownership: the caller owns the buffer until {@link #close()}, which returns it to the pool; do not
 * use {@link #segment()} afterwards. Threading: the executor that allocated it.
 */
public final class DmaBuffer implements AutoCloseable {

    private final IoBuffer buffer;
    private final Reactor owner;
    private final MemorySegment segment;
    private final java.lang.ref.Cleaner.Cleanable release;
    private boolean closed;

    DmaBuffer(Reactor owner, IoBuffer buffer, long size) {
        this.owner = owner;
        this.buffer = buffer;
        this.segment = buffer.memory().asSlice(0, size);
        this.release = owner.buffers().track(this, buffer);
    }

    /** Allocates {@code size} bytes from the calling task's executor pool. */
    static DmaBuffer allocate(Reactor r, long size) {
        return new DmaBuffer(r, r.buffers().allocate(size), size);
    }

    /** The buffer's memory: {@link #size()} bytes, 4096-aligned. Valid until {@link #close()}. */
    public MemorySegment segment() {
        checkOpen();
        return segment;
    }

    /** The buffer's size in bytes. */
    public int size() {
        return (int) segment.byteSize();
    }

    /** A {@link ByteBuffer} view of the memory (valid until {@link #close()}). */
    public ByteBuffer asByteBuffer() {
        return segment().asByteBuffer();
    }

    IoBuffer ioBuffer() {
        checkOpen();
        return buffer;
    }

    Reactor owner() {
        return owner;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("DmaBuffer used after close()");
        }
    }

    /** Returns the memory to the pool. Idempotent; any thread. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            release.clean();
        }
    }
}
