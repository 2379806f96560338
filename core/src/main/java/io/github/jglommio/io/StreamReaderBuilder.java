package io.github.jglommio.io;

import java.util.Objects;

/**
 * Builds a {@link StreamReader} over a {@link BufferedFile}: Glommio's {@code StreamReaderBuilder}.
 *
 * {@snippet :
 * StreamReader reader = new StreamReaderBuilder(BufferedFile.open(path))
 *         .withStartPos(4096)            // skip a header
 *         .withBufferSize(64 << 10)
 *         .build();
 * }
 *
 * <p>Not thread-safe. Every setter validates its argument at once and throws
 * {@link IllegalArgumentException} saying what is allowed.
 */
public final class StreamReaderBuilder {

    /** Default bytes per read from the file: 4 KiB (Glommio's default). */
    public static final int BUFFER_SIZE_DEFAULT = 4 << 10;

    private final BufferedFile file;
    private long start;
    private long end = Long.MAX_VALUE;
    private int bufferSize = BUFFER_SIZE_DEFAULT;

    /** A builder for a reader of {@code file}; the reader takes the file over and closes it. */
    public StreamReaderBuilder(BufferedFile file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    /** The position reading starts at. Default 0. */
    public StreamReaderBuilder withStartPos(long position) {
        if (position < 0) {
            throw new IllegalArgumentException("start position must not be negative, got " + position);
        }
        this.start = position;
        return this;
    }

    /** The position reading stops at, even when the file is longer. Default: the end of the file. */
    public StreamReaderBuilder withEndPos(long position) {
        if (position < 0) {
            throw new IllegalArgumentException("end position must not be negative, got " + position);
        }
        this.end = position;
        return this;
    }

    /** Bytes per read from the file. Default {@value #BUFFER_SIZE_DEFAULT}. */
    public StreamReaderBuilder withBufferSize(int bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("buffer size must be positive, got " + bytes);
        }
        this.bufferSize = bytes;
        return this;
    }

    /**
     * The reader. No I/O happens until its first read.
     *
     * @throws IllegalArgumentException when the end position lies before the start position
     */
    public StreamReader build() {
        if (end < start) {
            throw new IllegalArgumentException("end position " + end + " lies before start position " + start);
        }
        return new StreamReader(file, start, end, bufferSize);
    }
}
