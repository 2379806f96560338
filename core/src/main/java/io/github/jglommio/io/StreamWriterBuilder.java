package io.github.jglommio.io;

import java.util.Objects;

/**
 * Builds a {@link StreamWriter} over a {@link BufferedFile}: Glommio's {@code StreamWriterBuilder}.
 *
 * {@snippet :
 * StreamWriter writer = new StreamWriterBuilder(BufferedFile.create(path))
 *         .withBufferSize(256 << 10)
 *         .withSyncOnClose(false)        // a scratch file: no fdatasync on close
 *         .build();
 * }
 *
 * <p>Not thread-safe. Every setter validates its argument at once and throws
 * {@link IllegalArgumentException} saying what is allowed.
 */
public final class StreamWriterBuilder {

    /** Default bytes buffered before a write to the file: 128 KiB (Glommio's default). */
    public static final int BUFFER_SIZE_DEFAULT = 128 << 10;

    private final BufferedFile file;
    private int bufferSize = BUFFER_SIZE_DEFAULT;
    private boolean syncOnClose = true;

    /** A builder for a writer of {@code file}, starting at position 0; the writer takes the file over and closes it. */
    public StreamWriterBuilder(BufferedFile file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    /** Bytes buffered before a write to the file. Default {@value #BUFFER_SIZE_DEFAULT}. */
    public StreamWriterBuilder withBufferSize(int bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("buffer size must be positive, got " + bytes);
        }
        this.bufferSize = bytes;
        return this;
    }

    /**
     * Whether {@link StreamWriter#close()} ends with {@code fdatasync}. Default true; turning it off
     * risks losing the data on power failure.
     */
    public StreamWriterBuilder withSyncOnClose(boolean sync) {
        this.syncOnClose = sync;
        return this;
    }

    /** The writer. It allocates its buffer on the first write. */
    public StreamWriter build() {
        return new StreamWriter(file, bufferSize, syncOnClose);
    }
}
