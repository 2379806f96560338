package io.github.jglommio.io;

import io.github.jglommio.Task;
import io.github.jglommio.reactor.Reactor;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletionException;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * The writing stage of an {@link ImmutableFile}: appends bytes sequentially, then
 * {@linkplain #seal() seals} the file. Glommio's {@code ImmutableFilePreSealSink}. Built by
 * {@link ImmutableFileBuilder#buildSink()}; it has no read methods.
 *
 * {@snippet :
 * ImmutableFilePreSealSink sink = new ImmutableFileBuilder(path).buildSink();
 * sink.write(header, 0, header.length);
 * sink.write(body, 0, body.length);
 * ImmutableFile file = sink.seal();
 * }
 *
 * <p>Writes are copied into aligned buffers of the builder's buffer size; each full buffer is written
 * with direct I/O by a task of its own while the writer fills the next one, with at most the builder's
 * sequential concurrency in flight (write-behind). {@link #seal()} writes the last partial buffer
 * (padded to the alignment), trims the padding off, syncs (unless disabled), closes the file and
 * reopens it read-only.
 *
 * <p>Threading: the executor of the task that built it; use it from one task at a time. Errors: a
 * failed write is reported by the call that notices it (a later {@code write}, {@link #flushAligned},
 * {@link #sync} or {@link #seal}) as an {@link IOException} naming the path and errno; the sink is then
 * unusable except for {@link #close()}. Use after seal or close is a {@link ClosedChannelException}.
 */
public final class ImmutableFilePreSealSink implements AutoCloseable {

    /** A full buffer being written by its own task; {@code end} is the file position it reaches. */
    private record Pending(Task<Integer> write, long end) {
    }

    private final DmaFile file;
    private final Reactor owner;
    private final int bufferSize;
    private final int writeBehind;
    private final boolean syncOnClose;
    private final int streamBufferSize;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();

    private DmaBuffer current;      // the buffer being filled, or null
    private int fill;               // bytes in current
    private long bufferPos;         // file position of current's first byte
    private long flushedPos;        // every byte before it is written
    private long writtenEnd;        // the file's size on disk, padding included
    private IOException failure;    // the first write error; the sink is broken after it
    private boolean finished;

    ImmutableFilePreSealSink(DmaFile file, int bufferSize, int writeBehind, boolean syncOnClose) {
        this.file = file;
        this.owner = file.owner;
        int a = file.alignment();
        this.bufferSize = (int) Math.min((bufferSize + (long) a - 1) / a * a, Integer.MAX_VALUE / a * a);
        this.writeBehind = writeBehind;
        this.syncOnClose = syncOnClose;
        this.streamBufferSize = bufferSize;
    }

    private void check(String what) throws IOException {
        if (Reactor.current() != owner) {
            throw new WrongThreadException("ImmutableFilePreSealSink." + what + " must be called from a task of the "
                    + "executor that built it for " + file.path() + "; it was called from " + Thread.currentThread());
        }
        if (finished) {
            throw new ClosedChannelException();
        }
        if (failure != null) {
            throw new IOException("an earlier write of " + file.path() + " failed; the sink is unusable", failure);
        }
    }

    /** The file being written. Any thread. */
    public Path path() {
        return file.path();
    }

    /** Bytes accepted so far: the position the next write goes to. */
    public long currentPosition() {
        return bufferPos + fill;
    }

    /**
     * Bytes known to be written to the file (a multiple of the buffer size until {@link #seal}).
     * Reading them back within this process is guaranteed to see them; surviving a crash needs
     * {@link #sync()}. Collects finished writes without waiting.
     */
    public long currentFlushedPosition() throws IOException {
        check("currentFlushedPosition");
        while (!pending.isEmpty() && pending.peekFirst().write().isDone()) {
            awaitOldest();
        }
        return flushedPos;
    }

    /**
     * Appends {@code length} bytes of {@code src} from {@code offset}, parking the calling task only when
     * the write-behind window is full.
     *
     * @throws IndexOutOfBoundsException when the range lies outside {@code src}
     */
    public void write(byte[] src, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, src.length);
        write(MemorySegment.ofArray(src), offset, length);
    }

    /** Appends all of {@code src}. */
    public void write(byte[] src) throws IOException {
        write(src, 0, src.length);
    }

    /** Appends the remaining bytes of {@code src}, advancing its position. */
    public void write(ByteBuffer src) throws IOException {
        int n = src.remaining();
        write(MemorySegment.ofBuffer(src), 0, n);
        src.position(src.position() + n);
    }

    private void write(MemorySegment src, long offset, int length) throws IOException {
        check("write");
        while (length > 0) {
            if (current == null) {
                current = DmaBuffer.allocate(owner, bufferSize);
            }
            int n = Math.min(length, bufferSize - fill);
            MemorySegment.copy(src, offset, current.segment(), fill, n);
            fill += n;
            offset += n;
            length -= n;
            if (fill == bufferSize) {
                writeBehind();
            }
        }
    }

    /** Hands the full current buffer to a write task, first waiting for room in the window. */
    private void writeBehind() throws IOException {
        while (pending.size() >= writeBehind) {
            awaitOldest();
        }
        DmaBuffer buf = current;
        long pos = bufferPos;
        int n = fill;
        current = null;
        fill = 0;
        bufferPos += n;
        writtenEnd = Math.max(writtenEnd, pos + n);
        Task<Integer> t = Task.local(() -> {
            try {
                return writeFully(buf, n, pos);
            } finally {
                buf.close();
            }
        });
        pending.addLast(new Pending(t, pos + n));
    }

    private int writeFully(DmaBuffer buf, int length, long position) throws IOException {
        int done = file.writeAt(buf, 0, length, position);
        if (done != length) {
            // DmaFile.writeAt reports a short write only when the device filled up part-way.
            throw new IOException("write(" + file.path() + ") at " + position + " wrote " + done + " of " + length
                    + " bytes (device full?)");
        }
        return done;
    }

    private void awaitOldest() throws IOException {
        Pending p = pending.peekFirst();
        try {
            p.write().join();
        } catch (CompletionException e) {
            pending.pollFirst();
            failure = e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            throw failure;
        } catch (RuntimeException e) {
            if (!p.write().isDone()) {
                throw e; // the caller was cancelled while waiting; the write goes on and stays pending
            }
            pending.pollFirst();
            failure = new IOException("write of " + file.path() + " ending at " + p.end() + " failed", e);
            throw e;
        }
        pending.pollFirst();
        flushedPos = Math.max(flushedPos, p.end());
    }

    /**
     * Waits until every full buffer handed to the kernel is written. The partial buffer being filled
     * is not written. Returns {@link #currentFlushedPosition()}.
     */
    public long flushAligned() throws IOException {
        check("flushAligned");
        while (!pending.isEmpty()) {
            awaitOldest();
        }
        return flushedPos;
    }

    /**
     * Writes everything accepted so far, the partial buffer padded with zeros to the alignment (later
     * writes overwrite the padding, {@link #seal} trims it), and makes it durable with
     * {@code fdatasync}. Returns the position covered.
     */
    public long sync() throws IOException {
        check("sync");
        long covered = currentPosition();
        flushAligned();
        writeTailPadded();
        file.fdatasync();
        return covered;
    }

    /** Writes the partial buffer, padded to the alignment, keeping it as the buffer being filled. */
    private void writeTailPadded() throws IOException {
        if (fill == 0) {
            return;
        }
        int a = file.alignment();
        int padded = (int) Math.min(((long) fill + a - 1) / a * a, bufferSize);
        current.segment().asSlice(fill, padded - fill).fill((byte) 0);
        try {
            writeFully(current, padded, bufferPos);
        } catch (IOException | RuntimeException e) {
            failure = e instanceof IOException io ? io : new IOException(e);
            throw e;
        }
        writtenEnd = Math.max(writtenEnd, bufferPos + padded);
        flushedPos = Math.max(flushedPos, bufferPos + fill);
    }

    /**
     * Seals the file: writes what is left, trims the alignment padding, syncs (unless the builder
     * disabled it), closes the sink and reopens the file read-only. The sink cannot be used afterwards.
     *
     * @return the sealed file, owned by the caller
     * @throws IOException when a write, the sync or the reopen fails (the sink is closed anyway)
     */
    public ImmutableFile seal() throws IOException {
        check("seal");
        finish();
        return ImmutableFile.open(file.path(), streamBufferSize, writeBehind);
    }

    /** Writes the rest, trims, syncs and closes; the file is closed even when a step fails. */
    private void finish() throws IOException {
        finished = true;
        try {
            while (!pending.isEmpty()) {
                awaitOldest();
            }
            writeTailPadded();
            long size = bufferPos + fill;
            if (writtenEnd != size) {
                file.truncate(size);
            }
            if (syncOnClose) {
                file.fdatasync();
            }
        } finally {
            abandon();
        }
    }

    /** Releases everything without writing more: waits out writes in flight, frees the buffer, closes the file. */
    private void abandon() throws IOException {
        while (!pending.isEmpty()) {
            try {
                pending.pollFirst().write().join();
            } catch (RuntimeException e) {
                // Already reported, or the sink is being abandoned after a failure: only release here.
            }
        }
        if (current != null) {
            current.close();
            current = null;
        }
        file.close();
    }

    /**
     * Finishes the file as {@link #seal()} does but does not reopen it; after a write failure, only
     * releases the file. Idempotent; a no-op after {@link #seal()}.
     */
    @Override
    public void close() throws IOException {
        if (finished) {
            return;
        }
        if (Reactor.current() != owner) {
            throw new WrongThreadException("ImmutableFilePreSealSink.close must be called from a task of the executor "
                    + "that built it for " + file.path());
        }
        if (failure != null) {
            finished = true;
            abandon();
        } else {
            finish();
        }
    }

    /**
     * An {@link OutputStream} view, so JDK and library writers can fill the sink. {@code flush()} is
     * {@link #flushAligned()} (the partial buffer stays in memory: padding it out on every flush would
     * rewrite the same block over and over); {@code close()} flushes the same way but neither seals nor
     * closes the sink; call {@link #seal()} afterwards.
     */
    public OutputStream outputStream() {
        return new OutputStream() {
            private final byte[] one = new byte[1];

            @Override
            public void write(int b) throws IOException {
                one[0] = (byte) b;
                ImmutableFilePreSealSink.this.write(one, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ImmutableFilePreSealSink.this.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                flushAligned();
            }

            @Override
            public void close() throws IOException {
                if (!finished) {
                    flushAligned();
                }
            }
        };
    }

    @Override
    public String toString() {
        return "ImmutableFilePreSealSink[" + file.path() + ", position=" + currentPosition() + "]";
    }
}
