package io.github.jglommio.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Builds an {@link ImmutableFile}: Glommio's {@code ImmutableFileBuilder}. A new file is written in
 * two steps: {@link #buildSink()} gives an {@link ImmutableFilePreSealSink} that only appends, and its
 * {@link ImmutableFilePreSealSink#seal() seal()} turns it into the read-only {@code ImmutableFile}. A
 * file sealed earlier is opened directly with {@link #buildExisting()}.
 *
 * {@snippet :
 * ImmutableFilePreSealSink sink = new ImmutableFileBuilder(Path.of("/data/sst-42"))
 *         .withBufferSize(256 << 10)          // bytes per sequential write
 *         .withSequentialConcurrency(8)       // writes in flight behind the writer
 *         .withPreAllocation(64L << 20)       // reserve the space up front (a hint)
 *         .buildSink();
 * try (OutputStream out = new BufferedOutputStream(sink.outputStream())) {
 *     out.write(records);
 * }
 * ImmutableFile sst = sink.seal();            // flushed, synced, reopened read-only
 * }
 *
 * <p>Not thread-safe; reusable. Every setter validates its argument at once and throws
 * {@link IllegalArgumentException} saying what is allowed. The build methods must be called from a
 * jglommio task; the objects they return belong to that task's executor.
 */
public final class ImmutableFileBuilder {

    private static final System.Logger LOG = System.getLogger(ImmutableFileBuilder.class.getName());

    /** Default size of each sequential write and stream read: 128 KiB (Glommio's default). */
    public static final int BUFFER_SIZE_DEFAULT = 128 << 10;
    /** Default number of buffers in flight behind the sink: 10 (Glommio's default). */
    public static final int SEQUENTIAL_CONCURRENCY_DEFAULT = 10;

    private final Path path;
    private int bufferSize = BUFFER_SIZE_DEFAULT;
    private int concurrency = SEQUENTIAL_CONCURRENCY_DEFAULT;
    private boolean syncOnClose = true;
    private long preAllocation;

    /**
     * A builder for the file at {@code path}. For {@link #buildSink()} the file must not exist yet;
     * nothing is checked until a build method runs.
     */
    public ImmutableFileBuilder(Path path) {
        this.path = Objects.requireNonNull(path, "path");
    }

    /**
     * Bytes per sequential write of the sink, per chunk of {@link ImmutableFile#inputStream()} and per
     * read of {@link ImmutableFile#streamReader()};
     * rounded up to the file's direct-I/O alignment. Default {@value #BUFFER_SIZE_DEFAULT}.
     */
    public ImmutableFileBuilder withBufferSize(int bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("buffer size must be positive, got " + bytes);
        }
        this.bufferSize = bytes;
        return this;
    }

    /**
     * How many full buffers the sink keeps in flight while the writer goes on filling the next one
     * (write-behind), and how many the sealed file's {@link ImmutableFile#streamReader()} reads ahead.
     * With 1 the sink writes one buffer while the writer fills the next. Default
     * {@value #SEQUENTIAL_CONCURRENCY_DEFAULT}.
     */
    public ImmutableFileBuilder withSequentialConcurrency(int buffers) {
        if (buffers < 1) {
            throw new IllegalArgumentException("sequential concurrency must be at least 1, got " + buffers);
        }
        this.concurrency = buffers;
        return this;
    }

    /**
     * Whether {@link ImmutableFilePreSealSink#seal()} (and its {@code close()}) ends with an
     * {@code fdatasync}. Default true. Turning it off risks losing data on power failure: even with
     * O_DIRECT, data may sit in the device's cache until a sync. Ignored by {@link #buildExisting()}.
     */
    public ImmutableFileBuilder withSyncOnClose(boolean sync) {
        this.syncOnClose = sync;
        return this;
    }

    /**
     * Reserves {@code bytes} of disk space for the file when the sink is built ({@code fallocate} with
     * {@code KEEP_SIZE}), so that the writes need not allocate blocks as they go. A hint: a file system
     * that cannot pre-allocate is not an error. 0 (the default) reserves nothing.
     */
    public ImmutableFileBuilder withPreAllocation(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("pre-allocation must not be negative, got " + bytes);
        }
        this.preAllocation = bytes;
        return this;
    }

    /** The path this builder opens. */
    public Path path() {
        return path;
    }

    /**
     * Creates the file (it must not exist) and returns the sink that writes it.
     *
     * @throws java.nio.file.FileAlreadyExistsException when the file exists
     * @throws IOException                               naming the path and errno for other failures
     * @throws IllegalStateException                     outside a jglommio task
     */
    public ImmutableFilePreSealSink buildSink() throws IOException {
        DmaFile f = new OpenOptions().read(true).write(true).createNew(true).dmaOpen(path);
        try {
            if (preAllocation > 0) {
                try {
                    f.preAllocate(preAllocation, true);
                } catch (IOException e) {
                    // A hint, as in Glommio: the writes allocate as they go instead.
                    LOG.log(System.Logger.Level.DEBUG, "pre-allocation of " + path + " failed; continuing", e);
                }
            }
            return new ImmutableFilePreSealSink(f, bufferSize, concurrency, syncOnClose);
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
    }

    /**
     * Opens a file written earlier, read-only, as an {@link ImmutableFile}. The file must not be
     * changed by anyone while it is open.
     *
     * @throws java.nio.file.NoSuchFileException when the file does not exist
     * @throws IOException                       naming the path and errno for other failures
     * @throws IllegalStateException             outside a jglommio task
     */
    public ImmutableFile buildExisting() throws IOException {
        return ImmutableFile.open(path, bufferSize, concurrency);
    }
}
