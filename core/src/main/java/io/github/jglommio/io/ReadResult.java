package io.github.jglommio.io;

import io.github.jglommio.reactor.IoBuffer;
import io.github.jglommio.reactor.Reactor;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * The bytes a read returned: a zero-copy view into the buffer the kernel read into (Glommio's
 * {@code ReadResult}). An unaligned {@link DmaFile#readAt} reads the aligned superset and returns
 * just the requested slice of it.
 *
 * {@snippet :
 * try (ReadResult r = file.readAt(100, 50)) {
 *     byte first = r.get(0);
 *     ByteBuffer bb = r.asByteBuffer();
 * }
 * }
 *
 * <p>Ownership: the memory is the executor's; {@link #close()} (or, later, the cleaner) returns it.
 * Slices share the memory and keep it alive. Threading: the executor that read it; a result may be
 * read from other threads while it is open, but close it on its executor.
 */
public final class ReadResult implements AutoCloseable {

    private final Reactor owner;
    private final IoBuffer buffer;
    private final MemorySegment view;
    private final java.lang.ref.Cleaner.Cleanable release;
    private boolean closed;

    /** Takes over one reference of {@code buffer}. */
    ReadResult(Reactor owner, IoBuffer buffer, long offset, long length) {
        this.owner = owner;
        this.buffer = buffer;
        this.view = buffer.memory().asSlice(offset, length);
        this.release = owner.buffers().track(this, buffer);
    }

    /** Bytes in this result (fewer than requested at end of file). */
    public int len() {
        return (int) view.byteSize();
    }

    /** True when the read returned no bytes (at or past end of file). */
    public boolean isEmpty() {
        return view.byteSize() == 0;
    }

    /** The byte at {@code index}. */
    public byte get(int index) {
        checkOpen();
        return view.get(JAVA_BYTE, index);
    }

    /** The bytes as a read-only segment (valid until {@link #close()}). */
    public MemorySegment segment() {
        checkOpen();
        return view.asReadOnly();
    }

    /** A read-only {@link ByteBuffer} over the bytes (valid until {@link #close()}). */
    public ByteBuffer asByteBuffer() {
        return segment().asByteBuffer();
    }

    /** A heap copy of the bytes. */
    public byte[] toArray() {
        return segment().toArray(JAVA_BYTE);
    }

    /** A result sharing {@code length} bytes from {@code offset}; close both. Owner executor only. */
    public ReadResult slice(int offset, int length) {
        checkOpen();
        if (offset < 0 || length < 0 || (long) offset + length > view.byteSize()) {
            throw new IndexOutOfBoundsException("slice(" + offset + ", " + length + ") of a " + view.byteSize()
                    + "-byte result");
        }
        if (Reactor.current() != owner) {
            throw new WrongThreadException("ReadResult.slice() must be called from a task of its executor");
        }
        long base = view.address() - buffer.memory().address();
        return new ReadResult(owner, buffer.retain(), base + offset, length);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("ReadResult used after close()");
        }
    }

    /** Releases this view of the memory. Idempotent; any thread. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            release.clean();
        }
    }
}
