package io.github.jglommio.io;

import io.github.jglommio.Task;
import io.github.jglommio.reactor.Reactor;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.Objects;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Writes a {@link DmaFile} sequentially from position 0 with write-behind: Glommio's
 * {@code DmaStreamWriter}. Built by {@link DmaStreamWriterBuilder}.
 *
 * {@snippet :
 * try (DmaStreamWriter writer = new DmaStreamWriterBuilder(DmaFile.create(path))
 *         .withWriteBehind(4)
 *         .build()) {
 *     DataOutputStream out = new DataOutputStream(writer.outputStream());
 *     out.writeLong(count);                       // ordinary java.io code
 *     writer.write(payload, 0, payload.length);
 *     long durable = writer.sync();               // everything so far is on stable storage
 * }                                               // exact length, fdatasync, file closed
 * }
 *
 * <p>Data is copied into aligned buffers of {@link #bufferSize()} bytes. A full buffer is written by a
 * background task of the same executor while the caller goes on filling the next one; up to
 * {@code writeBehind} such writes run at once, and a writer that needs a new buffer while that many are in
 * flight parks until one finishes. The partial last buffer is written only by {@link #flush()},
 * {@link #sync()} or {@link #close()}: direct I/O writes whole aligned blocks, so the block is padded with
 * zeros and the file then truncated to the exact length written.
 *
 * <p>Threading: the executor that opened the file, from one task at a time: {@link WrongThreadException}
 * from another thread, {@link IllegalStateException} when a second task calls in while the first is parked
 * inside a call. Each call parks only the calling task.
 *
 * <p>Errors: a failed background write is reported by the next {@code write}, {@code flush*},
 * {@code sync*} or {@code close} as the {@link IOException} of the write (errno and path); the writer then
 * stays failed: every later call throws an {@link IOException} whose cause is that failure, so data lost
 * by a failed write is never acknowledged by a later successful flush or close. A failed
 * {@code fdatasync} fails the writer the same way. After {@link #close()} calls throw
 * {@link ClosedChannelException}.
 */
public final class DmaStreamWriter implements AutoCloseable {

    /*
     * Implementation overview.
     *
     * `current` is the buffer being filled; it starts at file position `alignedPos` and holds `bufferPos`
     * bytes. When it is full it is handed to a Task that writes it (DmaFile.writeAt) and closes it; the
     * write is recorded as a PendingWrite in `writes`, in file order. A write's task marks it done when it
     * ends and advances `flushedPos` over the prefix of writes that succeeded, so flushedPos is always a
     * position below which everything is on the device. A failure is kept in `failure` (the first one)
     * and surfaces at the next call; `failureReported` makes later calls throw a wrapper instead.
     *
     * Tail (flushTail): after every background write has ended, the partial buffer's unflushed blocks
     * are zero-padded to the alignment and written inline by the caller, and the file truncated to the
     * logical length when the padding extended it. The buffer stays current, so later bytes go on
     * filling it; the next tail flush rewrites from the block holding the old flushed position.
     *
     * All state is touched only by tasks of the owning executor, which run one at a time on its thread;
     * the guard rejects a second task entering while the first is parked in a call.
     */

    private final DmaFile file;
    private final Reactor owner;
    private final StreamGuard guard;
    private final int bufferSize;
    private final int writeBehind;
    private final boolean syncOnClose;
    private final boolean closeFile;
    private final int alignment;
    private final ArrayDeque<PendingWrite> writes;
    private DmaBuffer current;
    private MemorySegment currentBytes;
    private int bufferPos;
    private long alignedPos;
    private long flushedPos;
    private long syncedPos;
    private int inFlight;
    private IOException failure;
    private boolean failureReported;
    private OutputStream outputStream;
    private boolean closed;

    /** One background write of a full buffer. */
    private static final class PendingWrite {
        /** The file position after the buffer: flushedPos moves here when this write and all before it succeeded. */
        final long endPos;
        Task<Void> task;
        boolean done;
        boolean ok;

        PendingWrite(long endPos) {
            this.endPos = endPos;
        }
    }

    DmaStreamWriter(DmaFile file, int bufferSize, int writeBehind, boolean syncOnClose, boolean closeFile) {
        this.file = file;
        this.owner = file.owner;
        this.guard = new StreamGuard(owner, "DmaStreamWriter", file.path(), "producer");
        this.bufferSize = bufferSize;
        this.writeBehind = writeBehind;
        this.syncOnClose = syncOnClose;
        this.closeFile = closeFile;
        this.alignment = file.alignment();
        this.writes = new ArrayDeque<>(writeBehind * 2);
    }

    /** The size of each buffer written: the builder's size rounded up to the file's alignment. */
    public int bufferSize() {
        return bufferSize;
    }

    /** The logical length written so far: the position the next byte goes to. Owner executor. */
    public long currentPosition() {
        return alignedPos + bufferPos;
    }

    /**
     * The position below which every byte has been written to the device (not necessarily synced:
     * see {@link #sync()}). Readers in this process reading below it see the data. Owner executor.
     */
    public long currentFlushedPosition() {
        return flushedPos;
    }

    /**
     * Appends {@code length} bytes of {@code src} from {@code offset}. Usually only copies; a buffer that
     * fills is written in the background, and the call parks when a new buffer is needed while
     * {@code writeBehind} writes are in flight.
     *
     * @throws IOException               when an earlier background write failed (see the class comment)
     * @throws ClosedChannelException    after {@link #close()}
     * @throws IndexOutOfBoundsException when the range lies outside {@code src}
     */
    public void write(byte[] src, int offset, int length) throws IOException {
        guard.enter("write", closed);
        try {
            Objects.checkFromIndexSize(offset, length, src.length);
            throwIfFailed();
            while (length > 0) {
                ensureBuffer();
                int n = Math.min(length, bufferSize - bufferPos);
                MemorySegment.copy(src, offset, currentBytes, JAVA_BYTE, bufferPos, n);
                bufferPos += n;
                offset += n;
                length -= n;
                if (bufferPos == bufferSize) {
                    submitFull();
                }
            }
        } finally {
            guard.exit();
        }
    }

    /** Appends one byte: the {@link OutputStream#write(int)} of the view. */
    void writeByte(int b) throws IOException {
        guard.enter("write", closed);
        try {
            throwIfFailed();
            ensureBuffer();
            currentBytes.set(JAVA_BYTE, bufferPos++, (byte) b);
            if (bufferPos == bufferSize) {
                submitFull();
            }
        } finally {
            guard.exit();
        }
    }

    /**
     * Waits for every full buffer's write to finish, leaving the partial last buffer in memory, and
     * returns the flushed position (a multiple of the buffer size). Glommio's {@code flush_aligned}.
     *
     * @throws IOException            when a background write failed
     * @throws ClosedChannelException after {@link #close()}
     */
    public long flushAligned() throws IOException {
        guard.enter("flushAligned", closed);
        try {
            awaitAll();
            throwIfFailed();
            return flushedPos;
        } finally {
            guard.exit();
        }
    }

    /**
     * {@link #flushAligned()}, then {@code fdatasync} when anything was flushed since the last sync:
     * everything up to the returned position is on stable storage. Glommio's {@code sync_aligned}.
     *
     * @throws IOException            when a background write or the sync failed
     * @throws ClosedChannelException after {@link #close()}
     */
    public long syncAligned() throws IOException {
        guard.enter("syncAligned", closed);
        try {
            awaitAll();
            throwIfFailed();
            syncFlushed();
            return flushedPos;
        } finally {
            guard.exit();
        }
    }

    /**
     * Writes everything, including the partial last buffer, and returns the flushed position, which
     * then equals {@link #currentPosition()}. On a direct file an unaligned tail is written as a
     * zero-padded block and the file truncated to the exact length, so the file's size is the length
     * written; the buffer stays in memory and later writes go on filling it. Each call with new tail
     * bytes costs a write (and, for an unaligned tail, an {@code ftruncate}): flush at record
     * boundaries, not after every small write.
     *
     * @throws IOException            when a write or the truncation failed
     * @throws ClosedChannelException after {@link #close()}
     */
    public long flush() throws IOException {
        guard.enter("flush", closed);
        try {
            flushTail();
            return flushedPos;
        } finally {
            guard.exit();
        }
    }

    /**
     * {@link #flush()}, then {@code fdatasync}: everything written so far, and the file's length, are on
     * stable storage. Returns the synced position. Glommio's {@code sync}.
     *
     * @throws IOException            when a write, the truncation or the sync failed
     * @throws ClosedChannelException after {@link #close()}
     */
    public long sync() throws IOException {
        guard.enter("sync", closed);
        try {
            flushTail();
            syncFlushed();
            return flushedPos;
        } finally {
            guard.exit();
        }
    }

    /**
     * An {@link OutputStream} view of this writer, for {@code java.io} code running in tasks of the
     * writer's executor: {@code write} as {@link #write(byte[], int, int)}, {@code flush} as
     * {@link #flush()} (a padded write of the tail: see its cost), {@code close} as {@link #close()}. Same
     * threading and errors as the writer; every call returns the same view.
     */
    public OutputStream outputStream() {
        if (outputStream == null) {
            outputStream = new View();
        }
        return outputStream;
    }

    /** Background writes not yet finished: for tests. */
    int writesInFlight() {
        return inFlight;
    }

    /**
     * Writes everything (the tail as in {@link #flush()}, leaving the file exactly
     * {@link #currentPosition()} bytes long), {@code fdatasync}s unless disabled in the builder, releases
     * the buffers and, by default, closes the file. Idempotent. Resources are released even when a
     * write fails; the failure is then thrown.
     *
     * @throws IOException           when a write, the truncation, the sync or closing the file failed,
     *                               now or earlier
     * @throws WrongThreadException  when called from another thread than the owning executor's
     * @throws IllegalStateException when another task is parked inside a call of this writer
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        guard.checkIdle("close");
        closed = true;
        IOException error = null;
        try {
            flushTail();
            if (syncOnClose) {
                syncFlushed();
            }
        } catch (IOException e) {
            error = e;
        } finally {
            try {
                awaitAll(); // each write's task closes its own buffer
            } finally {
                if (current != null) {
                    current.close();
                    current = null;
                    currentBytes = null;
                }
            }
            if (closeFile) {
                try {
                    file.close();
                } catch (IOException e) {
                    if (error == null) {
                        error = e;
                    } else {
                        error.addSuppressed(e);
                    }
                }
            }
        }
        if (error != null) {
            throw error;
        }
    }

    // ---------------------------------------------------------------- buffers and writes

    /** Makes sure a buffer is being filled, parking while {@code writeBehind} writes are in flight. */
    private void ensureBuffer() throws IOException {
        if (current != null) {
            return;
        }
        while (inFlight >= writeBehind) {
            awaitOldest();
        }
        throwIfFailed();
        current = file.allocDmaBuffer(bufferSize);
        currentBytes = current.segment();
    }

    /** Hands the full current buffer to a background write. */
    private void submitFull() {
        DmaBuffer buf = current;
        long pos = alignedPos;
        current = null;
        currentBytes = null;
        alignedPos += bufferSize;
        bufferPos = 0;
        PendingWrite w = new PendingWrite(alignedPos);
        writes.addLast(w);
        inFlight++;
        w.task = Task.local(() -> {
            try {
                writeFully(buf, 0, bufferSize, pos);
                w.ok = true;
            } catch (IOException | RuntimeException e) {
                recordFailure(e);
            } finally {
                buf.close();
                w.done = true;
                inFlight--;
                advanceFlushed();
            }
            return null;
        });
    }

    /** Writes {@code length} bytes of {@code buf} from {@code from} at {@code pos}, retrying short writes. */
    private void writeFully(DmaBuffer buf, int from, int length, long pos) throws IOException {
        int done = 0;
        while (done < length) {
            int res = file.writeAt(buf, from + done, length - done, pos + done);
            if (res <= 0 || (file.isDirect() && res % alignment != 0 && done + res < length)) {
                throw new IOException("write(" + file.path() + ") at position " + (pos + done) + " wrote " + res
                        + " of " + (length - done) + " bytes (device full?)");
            }
            done += res;
        }
    }

    /** Moves flushedPos over the writes at the head of the queue that finished successfully. */
    private void advanceFlushed() {
        PendingWrite w;
        while ((w = writes.peekFirst()) != null && w.done && w.ok) {
            writes.pollFirst();
            flushedPos = Math.max(flushedPos, w.endPos);
        }
    }

    private void awaitOldest() {
        for (PendingWrite w : writes) {
            if (!w.done) {
                w.task.join(); // its body catches everything, so join returns normally
                return;
            }
        }
    }

    /** Waits until no background write is in flight. */
    private void awaitAll() {
        while (inFlight > 0) {
            awaitOldest();
        }
    }

    /**
     * Writes the partial buffer's unflushed blocks (zero-padded) after every full buffer, and truncates
     * the file to the logical length when the padding extended it.
     */
    private void flushTail() throws IOException {
        awaitAll();
        throwIfFailed();
        long logical = currentPosition();
        if (bufferPos == 0 || flushedPos >= logical) {
            return;
        }
        // Every full buffer is written, so alignedPos <= flushedPos < logical, inside the current buffer.
        int from = (int) ((flushedPos - alignedPos) / alignment * alignment);
        int to = (int) ((bufferPos + (long) alignment - 1) / alignment * alignment);
        if (to > bufferPos) {
            currentBytes.asSlice(bufferPos, to - bufferPos).fill((byte) 0);
        }
        try {
            writeFully(current, from, to - from, alignedPos + from);
            if (alignedPos + to > logical) {
                file.truncate(logical);
            }
        } catch (IOException e) {
            recordFailure(e);
            failureReported = true;
            throw e;
        }
        flushedPos = logical;
    }

    /** {@code fdatasync} when data was flushed since the last one. */
    private void syncFlushed() throws IOException {
        if (syncedPos >= flushedPos) {
            return;
        }
        long pos = flushedPos;
        try {
            file.fdatasync();
        } catch (IOException e) {
            // After a failed fdatasync the kernel may have dropped the dirty data: never report success later.
            recordFailure(e);
            failureReported = true;
            throw e;
        }
        syncedPos = pos;
    }

    private void recordFailure(Exception e) {
        if (failure == null) {
            failure = e instanceof IOException io ? io
                    : new IOException("background write to " + file.path() + " failed: " + e, e);
        }
    }

    private void throwIfFailed() throws IOException {
        if (failure == null) {
            return;
        }
        if (!failureReported) {
            failureReported = true;
            throw failure;
        }
        throw new IOException("an earlier write to " + file.path() + " failed, so the data written to this "
                + "stream is incomplete: " + failure.getMessage(), failure);
    }

    // ---------------------------------------------------------------- checks

    @Override
    public String toString() {
        return "DmaStreamWriter[" + file.path() + ", position=" + currentPosition() + ", flushed=" + flushedPos
                + ", bufferSize=" + bufferSize + ", writeBehind=" + writeBehind + "]";
    }

    /** The {@link OutputStream} view. */
    private final class View extends OutputStream {

        @Override
        public void write(int b) throws IOException {
            writeByte(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            DmaStreamWriter.this.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            DmaStreamWriter.this.flush();
        }

        @Override
        public void close() throws IOException {
            DmaStreamWriter.this.close();
        }
    }
}
