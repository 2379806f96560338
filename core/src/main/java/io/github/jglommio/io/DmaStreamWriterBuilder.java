package io.github.jglommio.io;

import io.github.jglommio.reactor.Reactor;

import java.util.Objects;

/**
 * Configures a {@link DmaStreamWriter}, the sequential writer of a {@link DmaFile}: Glommio's
 * {@code DmaStreamWriterBuilder}.
 *
 * {@snippet :
 * try (DmaStreamWriter writer = new DmaStreamWriterBuilder(DmaFile.create(Path.of("/data/out.dat")))
 *         .withBufferSize(64 << 10)      // rounded up to file.alignment()
 *         .withWriteBehind(4)            // up to 4 buffers written in the background
 *         .build()) {
 *     writer.write(record, 0, record.length);
 * }                                       // flushes, truncates to the exact length, syncs, closes the file
 * }
 *
 * <p>A builder is a plain value holder: any thread may configure it; {@link #build()} must run on a task
 * of the executor that opened the file. Build one writer per file: the writer writes from position 0.
 */
public final class DmaStreamWriterBuilder {

    /** Default size of each write buffer: 128 KiB, as Glommio. */
    public static final int BUFFER_SIZE_DEFAULT = 128 << 10;
    /** Default number of buffers written in the background at once: 4, as Glommio. */
    public static final int WRITE_BEHIND_DEFAULT = 4;

    private final DmaFile file;
    private int bufferSize;
    private int writeBehind = WRITE_BEHIND_DEFAULT;
    private boolean syncOnClose = true;
    private boolean closeFile = true;

    /**
     * A builder for a writer of {@code file} with the defaults: {@value #BUFFER_SIZE_DEFAULT}-byte
     * buffers (rounded up to the file's alignment), {@value #WRITE_BEHIND_DEFAULT} buffers of
     * write-behind, {@code fdatasync} on close, closing the file when the writer closes.
     */
    public DmaStreamWriterBuilder(DmaFile file) {
        this.file = Objects.requireNonNull(file, "file");
        this.bufferSize = DmaStreamReaderBuilder.roundToAlignment(file, BUFFER_SIZE_DEFAULT);
    }

    /**
     * Sets how many full buffers may be written in the background at once. While fewer are in flight,
     * {@link DmaStreamWriter#write} only copies; when a new buffer is needed with {@code buffers} writes
     * in flight, the writer parks until one finishes (back-pressure). More write-behind means more
     * writes in parallel and more memory ({@code (buffers + 1) * bufferSize} at most).
     *
     * @throws IllegalArgumentException when {@code buffers} is less than 1
     */
    public DmaStreamWriterBuilder withWriteBehind(int buffers) {
        if (buffers < 1) {
            throw new IllegalArgumentException("write-behind must be at least 1 buffer, got " + buffers);
        }
        this.writeBehind = buffers;
        return this;
    }

    /**
     * Sets the size of each write, rounded up to a multiple of the file's {@link DmaFile#alignment()}.
     *
     * @throws IllegalArgumentException when {@code bytes} is not positive, or too large to round up
     */
    public DmaStreamWriterBuilder withBufferSize(int bytes) {
        this.bufferSize = DmaStreamReaderBuilder.roundToAlignment(file, bytes);
        return this;
    }

    /**
     * Whether {@link DmaStreamWriter#close()} ends with {@code fdatasync} (default true). Without it, a
     * crash or power loss after close may lose data still in the device's cache: disable only for data
     * you can recreate.
     */
    public DmaStreamWriterBuilder withSyncOnClose(boolean sync) {
        this.syncOnClose = sync;
        return this;
    }

    /**
     * Whether {@link DmaStreamWriter#close()} also closes the file (default true). Pass false to keep the
     * file open after the stream, for example to read it back: close then still flushes, truncates to
     * the exact length and (by default) syncs.
     */
    public DmaStreamWriterBuilder withCloseFile(boolean closeFile) {
        this.closeFile = closeFile;
        return this;
    }

    /** The buffer size the writer will use: the requested size rounded up to the file's alignment. */
    public int bufferSize() {
        return bufferSize;
    }

    /**
     * Builds the writer. Nothing is written until a buffer fills or the writer is flushed.
     *
     * @throws WrongThreadException when not called from a task of the executor that opened the file
     */
    public DmaStreamWriter build() {
        if (Reactor.current() != file.owner) {
            throw new WrongThreadException("DmaStreamWriterBuilder.build must be called from a task of the executor "
                    + "that opened " + file.path() + "; it was called from " + Thread.currentThread());
        }
        return new DmaStreamWriter(file, bufferSize, writeBehind, syncOnClose, closeFile);
    }
}
