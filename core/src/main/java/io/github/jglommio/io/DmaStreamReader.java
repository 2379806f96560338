package io.github.jglommio.io;

import io.github.jglommio.Task;
import io.github.jglommio.reactor.Reactor;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Reads a {@link DmaFile} from start to end with read-ahead: Glommio's {@code DmaStreamReader}. Built
 * by {@link DmaStreamReaderBuilder}.
 *
 * {@snippet :
 * try (DmaStreamReader reader = new DmaStreamReaderBuilder(DmaFile.openReadOnly(path))
 *         .withReadAhead(4)
 *         .build()) {
 *     try (ReadResult header = reader.getBufferAligned(512)) {   // zero-copy
 *         checkHeader(header.segment());
 *     }
 *     DataInputStream in = new DataInputStream(reader.inputStream());
 *     long count = in.readLong();                                // ordinary java.io code
 * }
 * }
 *
 * <p>The file is read in buffers of {@link #bufferSize()} bytes at aligned positions. While the consumer
 * works on one buffer, up to {@code readAhead} following buffers are read by background tasks of the same
 * executor, so the disk works in parallel with the consumer. {@link #read(byte[], int, int)} copies out of
 * those buffers; {@link #getBufferAligned(int)} hands out a zero-copy slice of one; {@link #inputStream()}
 * adapts the reader for {@code java.io} code.
 *
 * <p>Threading: the executor that opened the file, from one task at a time (a stream has one consumer):
 * {@link WrongThreadException} from another thread, {@link IllegalStateException} when a second task
 * calls in while the first is parked inside a call. Each call parks only the calling task.
 *
 * <p>Errors: a failed read throws an {@link IOException} naming the file and errno when the consumer
 * reaches the buffer that failed (a failure further ahead is not reported early); the next call retries
 * that read. After {@link #close()} every call throws {@link ClosedChannelException}.
 *
 * <p>Resources: {@link #close()} waits for (and cancels when it can) the background reads, releases every
 * buffer the reader holds and, unless {@link DmaStreamReaderBuilder#withCloseFile} said otherwise, closes
 * the file. Slices returned by {@link #getBufferAligned} own their memory and stay valid after that.
 */
public final class DmaStreamReader implements AutoCloseable {

    /*
     * Implementation overview.
     *
     * Buffer i covers the aligned file range [i * bufferSize, (i + 1) * bufferSize). `current` is the
     * buffer holding `position` once it has been read; `ahead` holds the read-ahead buffers, one Slot per
     * buffer index, in increasing index order, each read by its own Task (DmaFile.readAtAligned). The
     * window is refilled (replenish) whenever the consumer moves to a new buffer, so at most readAhead
     * reads run beyond the consumer. A buffer the consumer needs but that is not in the window (no
     * read-ahead, or a skip past the window) is read inline by the consumer's task.
     *
     * Discarding a slot (skip, close) marks it and cancels its task: a task not yet started never runs;
     * a running one either fails with CancellationException (DmaFile releases the buffer) or finishes
     * and, seeing the mark, closes its result itself. Finished-but-unjoined discarded tasks sit in
     * `discarded` so close() can wait for all of them: nothing stays in flight after close.
     *
     * All state is touched only by tasks of the owning executor, which run one at a time on its thread;
     * the guard rejects a second consumer task entering while the first is parked in a call.
     */

    private final DmaFile file;
    private final Reactor owner;
    private final StreamGuard guard;
    private final int bufferSize;
    private final int readAhead;
    private final long endPosition;
    private final boolean closeFile;
    private final ArrayDeque<Slot> ahead;
    private final ArrayList<Slot> discarded = new ArrayList<>();
    private long position;
    /** Index of the next buffer to read ahead. */
    private long nextIndex;
    /** Index of the first buffer known to end the file (a short read), or Long.MAX_VALUE. */
    private long eofIndex = Long.MAX_VALUE;
    private ReadResult current;
    private MemorySegment currentBytes;
    private long currentIndex = -1;
    private InputStream inputStream;
    private boolean closed;

    /** One buffer being read ahead. */
    private static final class Slot {
        final long index;
        Task<ReadResult> task;
        /** Set by the consumer when the buffer is no longer wanted; the task then closes its result. */
        boolean discarded;

        Slot(long index) {
            this.index = index;
        }
    }

    DmaStreamReader(DmaFile file, int bufferSize, int readAhead, long start, long end, boolean closeFile) {
        this.file = file;
        this.owner = file.owner;
        this.guard = new StreamGuard(owner, "DmaStreamReader", file.path(), "consumer");
        this.bufferSize = bufferSize;
        this.readAhead = readAhead;
        this.endPosition = end;
        this.closeFile = closeFile;
        this.ahead = new ArrayDeque<>(Math.max(readAhead, 1));
        this.position = start;
        this.nextIndex = start / bufferSize;
        replenish();
    }

    /** The size of each buffer read: the builder's size rounded up to the file's alignment. */
    public int bufferSize() {
        return bufferSize;
    }

    /** The position of the next byte to be read or skipped. Owner executor. */
    public long currentPosition() {
        return position;
    }

    /**
     * Reads up to {@code length} bytes into {@code dst} from {@code offset}, copying them out of the
     * read buffers, and returns how many were read: {@code length} unless the end of the file (or the
     * builder's end position) comes first; -1 when no byte is left; 0 when {@code length} is 0. Parks
     * while a buffer it needs is being read.
     *
     * @throws IOException               when a read failed (with errno and path); bytes read before the
     *                                   failure are returned first and the failure comes on the next call
     * @throws ClosedChannelException    after {@link #close()}
     * @throws IndexOutOfBoundsException when the range lies outside {@code dst}
     */
    public int read(byte[] dst, int offset, int length) throws IOException {
        guard.enter("read", closed);
        try {
            Objects.checkFromIndexSize(offset, length, dst.length);
            if (length == 0) {
                return 0;
            }
            int done = 0;
            while (done < length && position < endPosition) {
                long index = position / bufferSize;
                if (index != currentIndex && done > 0) {
                    try {
                        load(index);
                    } catch (IOException e) {
                        // Return the bytes already copied; the next call retries the failed read and reports it.
                        break;
                    }
                } else {
                    load(index);
                }
                int inBuffer = (int) (position - index * bufferSize);
                int n = (int) Math.min(Math.min(length - done, current.len() - inBuffer), endPosition - position);
                if (n <= 0) {
                    break; // a short buffer: end of file
                }
                MemorySegment.copy(currentBytes, JAVA_BYTE, inBuffer, dst, offset + done, n);
                done += n;
                position += n;
            }
            return done == 0 ? -1 : done;
        } finally {
            guard.exit();
        }
    }

    /** One byte as 0..255, or -1 at the end: the {@link InputStream#read()} of the view. */
    int readByte() throws IOException {
        guard.enter("read", closed);
        try {
            if (current != null && position < endPosition) {
                long inBuffer = position - currentIndex * bufferSize;
                if (inBuffer >= 0 && inBuffer < current.len()) {
                    position++;
                    return currentBytes.get(JAVA_BYTE, inBuffer) & 0xFF;
                }
            }
        } finally {
            guard.exit();
        }
        byte[] one = new byte[1];
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xFF;
    }

    /**
     * Returns up to {@code length} bytes at the current position without copying them: a slice of the
     * read buffer that holds the position (Glommio's {@code get_buffer_aligned}), and advances the
     * position past them. Fewer bytes come back when the buffer ends first (slices never span two
     * buffers: pick a {@link #bufferSize()} that fits the records you read this way) or the file ends;
     * an empty result at the end of the file. Unlike Glommio, which fails a request that crosses a
     * buffer boundary, the short slice lets the caller continue with the next call.
     *
     * <p>Ownership: the caller owns the result and must close it; it keeps its buffer's memory alive,
     * also after the reader moves on or closes. Prefer {@link #read} for data kept for a long time, so as
     * not to pin whole buffers.
     *
     * @throws IllegalArgumentException when {@code length} is negative
     * @throws IOException              when the read failed
     * @throws ClosedChannelException   after {@link #close()}
     */
    public ReadResult getBufferAligned(int length) throws IOException {
        guard.enter("getBufferAligned", closed);
        try {
            if (length < 0) {
                throw new IllegalArgumentException("length must not be negative, got " + length);
            }
            if (length == 0 || position >= endPosition) {
                return emptyResult();
            }
            long index = position / bufferSize;
            load(index);
            int inBuffer = (int) (position - index * bufferSize);
            int n = (int) Math.min(Math.min(length, current.len() - inBuffer), endPosition - position);
            if (n <= 0) {
                return emptyResult();
            }
            ReadResult slice = current.slice(inBuffer, n);
            position += n;
            return slice;
        } finally {
            guard.exit();
        }
    }

    /**
     * Advances the position by {@code bytes} without reading them, stopping at the builder's end
     * position (but not at the end of the file, whose size the reader does not know: later reads then
     * return -1). Buffers skipped over are dropped and their reads cancelled; read-ahead resumes from the
     * new position. Returns the bytes skipped.
     *
     * @throws IllegalArgumentException when {@code bytes} is negative
     * @throws ClosedChannelException   after {@link #close()}
     */
    public long skip(long bytes) throws ClosedChannelException {
        guard.enter("skip", closed);
        try {
            if (bytes < 0) {
                throw new IllegalArgumentException("cannot skip a negative number of bytes: " + bytes);
            }
            long n = Math.min(bytes, Math.max(0, endPosition - position));
            position += n;
            long index = position / bufferSize;
            if (index != currentIndex) {
                releaseCurrent();
                dropAheadBefore(index);
                nextIndex = Math.max(nextIndex, index);
                replenish();
            }
            return n;
        } finally {
            guard.exit();
        }
    }

    /**
     * An {@link InputStream} view of this reader, for {@code java.io} code running in tasks of the
     * reader's executor: {@code read} methods as {@link #read(byte[], int, int)} (each parks only the
     * calling task), {@code skip} as {@link #skip(long)}, {@code available} counts the bytes of the
     * current buffer not yet consumed (no I/O), and {@code close} closes this reader. Same threading and
     * errors as the reader; every call returns the same view.
     */
    public InputStream inputStream() {
        if (inputStream == null) {
            inputStream = new View();
        }
        return inputStream;
    }

    /** Bytes readable from the current buffer without I/O. */
    int available() throws ClosedChannelException {
        guard.enter("available", closed);
        try {
            if (current == null || position >= endPosition) {
                return 0;
            }
            long inBuffer = position - currentIndex * bufferSize;
            long n = Math.min(current.len() - inBuffer, endPosition - position);
            return (int) Math.max(0, n);
        } finally {
            guard.exit();
        }
    }

    /** Buffers the reader holds or is reading (current, read-ahead and draining): for tests. */
    int buffersHeld() {
        return (current == null ? 0 : 1) + ahead.size() + discarded.size();
    }

    /**
     * Cancels or waits for the background reads, releases the reader's buffers and, by default, closes
     * the file. Idempotent. When the file is closed here, a failure to close it is thrown.
     *
     * @throws WrongThreadException  when called from another thread than the owning executor's
     * @throws IllegalStateException when another task is parked inside a call of this reader
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        guard.checkIdle("close");
        closed = true;
        releaseCurrent();
        dropAheadBefore(Long.MAX_VALUE);
        for (Slot s : discarded) {
            awaitDiscarded(s);
        }
        discarded.clear();
        if (closeFile) {
            file.close();
        }
    }

    // ---------------------------------------------------------------- buffers

    /** Makes buffer {@code index} the current one, reading it (or waiting for its read-ahead) if needed. */
    private void load(long index) throws IOException {
        if (index == currentIndex) {
            return;
        }
        releaseCurrent();
        dropAheadBefore(index);
        Slot slot = !ahead.isEmpty() && ahead.peekFirst().index == index ? ahead.pollFirst() : null;
        nextIndex = Math.max(nextIndex, index + 1);
        replenish(); // keep the window full while this task waits
        ReadResult r = slot != null ? join(slot) : file.readAtAligned(index * bufferSize, bufferSize);
        current = r;
        currentBytes = r.segment();
        currentIndex = index;
        if (r.len() < bufferSize) {
            eofIndex = Math.min(eofIndex, index);
        }
    }

    private void releaseCurrent() {
        if (current != null) {
            current.close();
            current = null;
            currentBytes = null;
            currentIndex = -1;
        }
    }

    /** Starts reads until the window holds {@code readAhead} buffers or reaches the end. */
    private void replenish() {
        while (ahead.size() < readAhead && nextIndex <= eofIndex && nextIndex * bufferSize < endPosition) {
            ahead.addLast(spawnRead(nextIndex++));
        }
    }

    private Slot spawnRead(long index) {
        Slot s = new Slot(index);
        s.task = Task.local(() -> {
            ReadResult r = file.readAtAligned(index * bufferSize, bufferSize);
            if (s.discarded) {
                r.close();
                return null;
            }
            return r;
        });
        return s;
    }

    private static ReadResult join(Slot s) throws IOException {
        try {
            return s.task.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw e;
        }
    }

    /** Drops the read-ahead buffers before {@code index}: cancels their reads and releases their memory. */
    private void dropAheadBefore(long index) {
        discarded.removeIf(s -> s.task.isDone());
        while (!ahead.isEmpty() && ahead.peekFirst().index < index) {
            Slot s = ahead.pollFirst();
            s.discarded = true;
            if (s.task.isDone()) {
                awaitDiscarded(s); // finished before the mark: its result is ours to close
            } else {
                s.task.cancel();
                discarded.add(s);
            }
        }
    }

    /** Waits for a discarded read and closes its result, if it still produced one. */
    private static void awaitDiscarded(Slot s) {
        ReadResult r;
        try {
            r = s.task.join();
        } catch (CancellationException | CompletionException e) {
            return; // the read was cancelled or failed: nothing to release, and nobody wants its data
        }
        if (r != null) {
            r.close();
        }
    }

    private ReadResult emptyResult() {
        return new ReadResult(owner, owner.buffers().allocate(1), 0, 0);
    }

    // ---------------------------------------------------------------- checks

    @Override
    public String toString() {
        return "DmaStreamReader[" + file.path() + ", position=" + position + ", bufferSize=" + bufferSize
                + ", readAhead=" + readAhead + "]";
    }

    /** The {@link InputStream} view. */
    private final class View extends InputStream {

        @Override
        public int read() throws IOException {
            return readByte();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return DmaStreamReader.this.read(b, off, len);
        }

        @Override
        public long skip(long n) throws IOException {
            return n <= 0 ? 0 : DmaStreamReader.this.skip(n);
        }

        @Override
        public int available() throws IOException {
            return DmaStreamReader.this.available();
        }

        @Override
        public void close() throws IOException {
            DmaStreamReader.this.close();
        }
    }
}
