package io.github.jglommio.io;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Sequential, buffered reads of a {@link BufferedFile}: Glommio's {@code StreamReader}. Each refill is
 * one read of the builder's buffer size into pooled memory; {@link #read(byte[], int, int)} copies out
 * of it. Built by {@link StreamReaderBuilder}; the reader owns the file and closes it.
 *
 * {@snippet :
 * try (StreamReader reader = new StreamReaderBuilder(BufferedFile.open(path)).build();
 *      var lines = new BufferedReader(new InputStreamReader(reader.inputStream(), UTF_8))) {
 *     lines.lines().forEach(System.out::println);
 * }
 * }
 *
 * <p>Threading: the executor that opened the file, one task at a time; each refill parks only the
 * calling task. Errors: {@link IOException} naming the path and errno; {@link
 * java.nio.channels.ClosedChannelException} after {@link #close()}.
 */
public final class StreamReader implements AutoCloseable {

    private final BufferedFile file;
    private final long end;
    private final int bufferSize;
    private long filePos;        // file position of the byte after chunk
    private ReadResult chunk;    // the bytes read last, or null
    private int chunkPos;        // bytes of chunk already consumed

    StreamReader(BufferedFile file, long start, long end, int bufferSize) {
        this.file = file;
        this.filePos = start;
        this.end = end;
        this.bufferSize = bufferSize;
    }

    /** Bytes buffered and not yet read. */
    private int buffered() {
        return chunk == null ? 0 : chunk.len() - chunkPos;
    }

    /**
     * Makes sure bytes are buffered, reading the next chunk if needed; false at the end (of the file or
     * of the builder's end position).
     */
    private boolean fill() throws IOException {
        file.check("read");
        if (buffered() > 0) {
            return true;
        }
        if (chunk != null) {
            chunk.close();
            chunk = null;
        }
        if (filePos >= end) {
            return false;
        }
        ReadResult r = file.readAt(filePos, (int) Math.min(bufferSize, end - filePos));
        if (r.isEmpty()) {
            r.close();
            return false;
        }
        chunk = r;
        chunkPos = 0;
        filePos += r.len();
        return true;
    }

    /**
     * Reads up to {@code length} bytes into {@code dst} from {@code offset}: at least one (unless
     * {@code length} is 0), or -1 at the end (a file that grows later can be read on).
     *
     * @throws IndexOutOfBoundsException when the range lies outside {@code dst}
     */
    public int read(byte[] dst, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, dst.length);
        if (length == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(length, buffered());
        MemorySegment.copy(chunk.segment(), JAVA_BYTE, chunkPos, dst, offset, n);
        chunkPos += n;
        return n;
    }

    /** {@link #read(byte[], int, int)} into all of {@code dst}. */
    public int read(byte[] dst) throws IOException {
        return read(dst, 0, dst.length);
    }

    /** The next byte (0..255), or -1 at the end. */
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return chunk.get(chunkPos++) & 0xFF;
    }

    /** The position of the next byte {@link #read} returns. */
    public long position() {
        return filePos - buffered();
    }

    /**
     * Moves to {@code position}; later reads start there. Within the buffered chunk this costs nothing;
     * elsewhere the chunk is dropped. Positions past the end simply read as the end.
     *
     * @throws IllegalArgumentException when {@code position} is negative
     */
    public void seek(long position) throws IOException {
        if (position < 0) {
            throw new IllegalArgumentException("seek position must not be negative, got " + position);
        }
        file.check("seek");
        long chunkStart = chunk == null ? filePos : filePos - chunk.len();
        if (chunk != null && position >= chunkStart && position <= filePos) {
            chunkPos = (int) (position - chunkStart);
            return;
        }
        if (chunk != null) {
            chunk.close();
            chunk = null;
        }
        filePos = position;
    }

    /**
     * An {@link InputStream} view for JDK and library readers. Reading it reads this reader;
     * {@code skip} seeks; closing it closes the reader (and the file).
     */
    public InputStream inputStream() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                return StreamReader.this.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return StreamReader.this.read(b, off, len);
            }

            @Override
            public long skip(long n) throws IOException {
                if (n <= 0) {
                    return 0;
                }
                long from = position();
                long to = from + Math.min(n, Math.max(0, end - from)); // may pass the end of the file, as FileInputStream's may
                seek(to);
                return to - from;
            }

            @Override
            public int available() {
                return buffered();
            }

            @Override
            public void close() throws IOException {
                StreamReader.this.close();
            }
        };
    }

    /** Releases the buffer and closes the file. Idempotent. */
    @Override
    public void close() throws IOException {
        if (chunk != null) {
            chunk.close();
            chunk = null;
        }
        file.close();
    }

    @Override
    public String toString() {
        return "StreamReader[" + file.path() + ", position=" + position() + "]";
    }
}
