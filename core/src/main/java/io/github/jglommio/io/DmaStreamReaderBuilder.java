package io.github.jglommio.io;

import io.github.jglommio.reactor.Reactor;

import java.util.Objects;

/**
 * Configures a {@link DmaStreamReader}, the sequential reader of a {@link DmaFile}: Glommio's
 * {@code DmaStreamReaderBuilder}.
 *
 * {@snippet :
 * DmaFile file = DmaFile.openReadOnly(Path.of("/data/log.dat"));
 * try (DmaStreamReader reader = new DmaStreamReaderBuilder(file)
 *         .withBufferSize(64 << 10)      // rounded up to file.alignment()
 *         .withReadAhead(8)              // up to 8 buffers read in the background
 *         .build()) {
 *     byte[] chunk = new byte[1000];
 *     int n;
 *     while ((n = reader.read(chunk, 0, chunk.length)) != -1) {
 *         consume(chunk, n);
 *     }
 * }                                       // also closes the file
 * }
 *
 * <p>A builder is a plain value holder: any thread may configure it; {@link #build()} must run on a task
 * of the executor that opened the file, because the reader starts its read-ahead there. A builder may
 * build several readers.
 */
public final class DmaStreamReaderBuilder {

    /** Default size of each read buffer: 128 KiB, as Glommio. */
    public static final int BUFFER_SIZE_DEFAULT = 128 << 10;
    /** Default number of buffers read ahead in the background: 4, as Glommio. */
    public static final int READ_AHEAD_DEFAULT = 4;

    private final DmaFile file;
    private int bufferSize;
    private int readAhead = READ_AHEAD_DEFAULT;
    private long startPosition;
    private long endPosition = Long.MAX_VALUE;
    private boolean closeFile = true;

    /**
     * A builder for a reader of {@code file} with the defaults: {@value #BUFFER_SIZE_DEFAULT}-byte
     * buffers (rounded up to the file's alignment), {@value #READ_AHEAD_DEFAULT} buffers of read-ahead,
     * from position 0 to the end of the file, closing the file when the reader closes.
     */
    public DmaStreamReaderBuilder(DmaFile file) {
        this.file = Objects.requireNonNull(file, "file");
        this.bufferSize = roundToAlignment(file, BUFFER_SIZE_DEFAULT);
    }

    /**
     * Sets how many buffers beyond the one being consumed are read in the background. 0 disables
     * read-ahead: each buffer is read when the consumer reaches it. More read-ahead means more reads
     * in parallel and more memory ({@code (buffers + 1) * bufferSize} at most).
     *
     * @throws IllegalArgumentException when {@code buffers} is negative
     */
    public DmaStreamReaderBuilder withReadAhead(int buffers) {
        if (buffers < 0) {
            throw new IllegalArgumentException("read-ahead must be zero or more buffers, got " + buffers);
        }
        this.readAhead = buffers;
        return this;
    }

    /**
     * Sets the size of each read, rounded up to a multiple of the file's {@link DmaFile#alignment()}.
     * It is also the largest slice {@link DmaStreamReader#getBufferAligned} can return.
     *
     * @throws IllegalArgumentException when {@code bytes} is not positive, or too large to round up
     */
    public DmaStreamReaderBuilder withBufferSize(int bytes) {
        this.bufferSize = roundToAlignment(file, bytes);
        return this;
    }

    /**
     * Sets the position of the first byte read (default 0). It need not be aligned: the reader reads
     * the enclosing aligned buffer and starts inside it.
     *
     * @throws IllegalArgumentException when {@code position} is negative
     */
    public DmaStreamReaderBuilder withStartPosition(long position) {
        if (position < 0) {
            throw new IllegalArgumentException("start position must not be negative, got " + position);
        }
        this.startPosition = position;
        return this;
    }

    /**
     * Sets the position where reading stops, exclusive, even if the file is longer (default: the end
     * of the file).
     *
     * @throws IllegalArgumentException when {@code position} is negative
     */
    public DmaStreamReaderBuilder withEndPosition(long position) {
        if (position < 0) {
            throw new IllegalArgumentException("end position must not be negative, got " + position);
        }
        this.endPosition = position;
        return this;
    }

    /**
     * Whether {@link DmaStreamReader#close()} also closes the file (default true, as Glommio's builder
     * that takes the file). Pass false to keep using the file, for random reads, after the stream.
     */
    public DmaStreamReaderBuilder withCloseFile(boolean closeFile) {
        this.closeFile = closeFile;
        return this;
    }

    /** The buffer size the reader will use: the requested size rounded up to the file's alignment. */
    public int bufferSize() {
        return bufferSize;
    }

    /**
     * Builds the reader and starts its read-ahead.
     *
     * @throws IllegalArgumentException when the end position lies before the start position
     * @throws WrongThreadException     when not called from a task of the executor that opened the file
     */
    public DmaStreamReader build() {
        if (endPosition < startPosition) {
            throw new IllegalArgumentException("end position " + endPosition + " lies before start position "
                    + startPosition);
        }
        if (Reactor.current() != file.owner) {
            throw new WrongThreadException("DmaStreamReaderBuilder.build must be called from a task of the executor "
                    + "that opened " + file.path() + "; it was called from " + Thread.currentThread());
        }
        return new DmaStreamReader(file, bufferSize, readAhead, startPosition, endPosition, closeFile);
    }

    /** {@code bytes} rounded up to {@code file}'s alignment; shared with {@link DmaStreamWriterBuilder}. */
    static int roundToAlignment(DmaFile file, int bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("buffer size must be positive, got " + bytes);
        }
        long a = file.alignment();
        long rounded = (bytes + a - 1) / a * a;
        if (rounded > Integer.MAX_VALUE - 4096) {
            throw new IllegalArgumentException("buffer size " + bytes + " is too large");
        }
        return (int) rounded;
    }
}
