package io.github.jglommio.io;

import io.github.jglommio.reactor.Reactor;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Sequential, buffered writes to a {@link BufferedFile}: Glommio's {@code StreamWriter}. Bytes collect
 * in a pooled buffer of the builder's size, which is written to the file when full, on
 * {@link #flush()} and on {@link #close()}. Built by {@link StreamWriterBuilder}; the writer owns the
 * file and closes it.
 *
 * {@snippet :
 * try (StreamWriter writer = new StreamWriterBuilder(BufferedFile.create(path)).build();
 *      var out = new PrintWriter(new OutputStreamWriter(writer.outputStream(), UTF_8))) {
 *     out.println("hello");
 * }   // flushed, fdatasync'ed, closed
 * }
 *
 * <p>Threading: the executor that opened the file, one task at a time; each write to the file parks
 * only the calling task. Errors: {@link IOException} naming the path and errno; {@link
 * java.nio.channels.ClosedChannelException} after {@link #close()}.
 */
public final class StreamWriter implements AutoCloseable {

    private final BufferedFile file;
    private final int bufferSize;
    private final boolean syncOnClose;
    private DmaBuffer buffer;    // allocated on the first write
    private int fill;            // bytes in buffer
    private long filePos;        // file position of buffer's first byte
    private boolean closed;

    StreamWriter(BufferedFile file, int bufferSize, boolean syncOnClose) {
        this.file = file;
        this.bufferSize = bufferSize;
        this.syncOnClose = syncOnClose;
    }

    /**
     * Appends {@code length} bytes of {@code src} from {@code offset}; parks the calling task only when
     * the buffer fills and is written.
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
        file.check("write");
        while (length > 0) {
            if (buffer == null) {
                buffer = DmaBuffer.allocate(file.owner, bufferSize);
            }
            int n = Math.min(length, bufferSize - fill);
            MemorySegment.copy(src, offset, buffer.segment(), fill, n);
            fill += n;
            offset += n;
            length -= n;
            if (fill == bufferSize) {
                writeBuffer();
            }
        }
    }

    /** Writes the buffered bytes (all of them: a short write is continued) and empties the buffer. */
    private void writeBuffer() throws IOException {
        int done = 0;
        while (done < fill) {
            int n = file.writeFrom(buffer, done, fill - done, filePos + done);
            if (n == 0) {
                throw new IOException("write(" + file.path() + ") at " + (filePos + done) + " wrote nothing");
            }
            done += n;
        }
        filePos += fill;
        fill = 0;
    }

    /** Writes the buffered bytes to the file (into the page cache; {@link #sync()} makes them durable). */
    public void flush() throws IOException {
        file.check("flush");
        if (fill > 0) {
            writeBuffer();
        }
    }

    /** {@link #flush()}, then {@code fdatasync}: everything written so far survives a crash. */
    public void sync() throws IOException {
        flush();
        file.fdatasync();
    }

    /** The position the next byte goes to. */
    public long position() {
        return filePos + fill;
    }

    /**
     * Flushes, then moves to {@code position}: later writes go there (past the end leaves a hole that
     * reads as zeros).
     *
     * @throws IllegalArgumentException when {@code position} is negative
     */
    public void seek(long position) throws IOException {
        if (position < 0) {
            throw new IllegalArgumentException("seek position must not be negative, got " + position);
        }
        flush();
        filePos = position;
    }

    /**
     * An {@link OutputStream} view for JDK and library writers: its writes and {@code flush()} are this
     * writer's; closing it closes the writer.
     */
    public OutputStream outputStream() {
        return new OutputStream() {
            private final byte[] one = new byte[1];

            @Override
            public void write(int b) throws IOException {
                one[0] = (byte) b;
                StreamWriter.this.write(one, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                StreamWriter.this.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                StreamWriter.this.flush();
            }

            @Override
            public void close() throws IOException {
                StreamWriter.this.close();
            }
        };
    }

    /**
     * Flushes, syncs (unless the builder disabled it) and closes the file. Idempotent. The file is
     * closed and the buffer released even when the flush or sync fails; that failure is thrown.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        if (Reactor.current() != file.owner) {
            throw new WrongThreadException("StreamWriter.close must be called from a task of the executor that opened "
                    + file.path());
        }
        try {
            flush();
            if (syncOnClose) {
                file.fdatasync();
            }
        } finally {
            closed = true;
            if (buffer != null) {
                buffer.close();
                buffer = null;
            }
            file.close();
        }
    }

    @Override
    public String toString() {
        return "StreamWriter[" + file.path() + ", position=" + position() + "]";
    }
}
