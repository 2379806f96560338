package io.github.jglommio.io;

import io.github.jglommio.reactor.IoCounters;
import io.github.jglommio.reactor.Reactor;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * A direct-I/O file that no longer changes: Glommio's {@code ImmutableFile}. Build one by writing it
 * through an {@link ImmutableFilePreSealSink} and {@linkplain ImmutableFilePreSealSink#seal() sealing}
 * it, or open a file written earlier with {@link ImmutableFileBuilder#buildExisting()}.
 *
 * {@snippet :
 * ImmutableFilePreSealSink sink = new ImmutableFileBuilder(Path.of("/data/segment-0001")).buildSink();
 * sink.write(payload, 0, payload.length);
 * try (ImmutableFile file = sink.seal()) {
 *     try (ReadResult r = file.readAt(1000, 200)) {   // no alignment needed
 *         byte first = r.get(0);
 *     }
 * }
 * }
 *
 * <p>It is read randomly with {@link #readAt} and {@link #readMany}, or sequentially with a
 * {@link #streamReader()} (read-ahead) or an {@link #inputStream()}.
 *
 * <p>Because the contents cannot change, reads are deduplicated: when a task asks for a range that
 * lies inside the aligned range of a read already in the kernel for this file, it does not issue a
 * read of its own but waits for that one and gets its own zero-copy {@link ReadResult} of the shared
 * buffer. Each such read counts in the executor's {@link io.github.jglommio.IoStats#dedupedReads()}.
 * The file must not be modified by anyone else (another process, another handle) while it is open:
 * the result of reading a file changed behind its back is undefined.
 *
 * <p>Threading: the executor of the task that opened it ({@link WrongThreadException} elsewhere); each
 * read parks only the calling task. Errors: {@link IOException} naming the call, path and errno;
 * {@link ClosedChannelException} after {@link #close()}.
 */
public final class ImmutableFile implements AutoCloseable {

    /* Implementation overview
     *
     * readAt aligns [position, position + length) (clipped to the file size, which cannot change) and
     * looks the aligned range up in the ReadDedup table. If an in-flight read contains it, the task
     * parks as a waiter; otherwise it becomes the leader: registers the range, reads it with
     * DmaFile.readAtAligned, then, before waking anyone, cuts one ReadResult slice per waiter (each
     * slice retains the pooled buffer, so every result owns one reference and the last close returns
     * the memory), cuts its own, closes the whole-range result and completes the entry. A failed or
     * cancelled leader wakes its waiters without results; they retry, one of them becoming the new
     * leader, so no task ever sees another task's cancellation.
     */

    private final DmaFile file;
    private final Reactor owner;
    private final IoCounters counters;
    private final long size;
    private final FileStat stat;
    private final int bufferSize;
    private final int readAhead;
    private final ReadDedup dedup = new ReadDedup();

    private ImmutableFile(DmaFile file, FileStat stat, int bufferSize, int readAhead) {
        this.file = file;
        this.owner = file.owner;
        this.counters = owner.counters();
        this.stat = stat;
        this.size = stat.size();
        this.bufferSize = bufferSize;
        this.readAhead = readAhead;
    }

    /** Opens {@code path} read-only; closes the file again if that fails part-way. */
    static ImmutableFile open(Path path, int bufferSize, int readAhead) throws IOException {
        DmaFile f = DmaFile.openReadOnly(path);
        try {
            return new ImmutableFile(f, f.stat(), bufferSize, readAhead);
        } catch (IOException | RuntimeException e) {
            f.close();
            throw e;
        }
    }

    private void check(String what) throws ClosedChannelException {
        if (Reactor.current() != owner) {
            throw new WrongThreadException("ImmutableFile." + what + " must be called from a task of the executor "
                    + "that opened " + file.path() + "; it was called from " + Thread.currentThread());
        }
        if (!file.isOpen()) {
            throw new ClosedChannelException();
        }
    }

    /** The file's path (updated by {@link #rename}). Any thread. */
    public Path path() {
        return file.path();
    }

    /** The file's size in bytes, fixed when it was sealed or opened; no system call. Any thread. */
    public long fileSize() {
        return size;
    }

    /** True when the file uses O_DIRECT; false after a fallback to buffered I/O (see {@link DmaFile#isDirect()}). */
    public boolean isDirect() {
        return file.isDirect();
    }

    /** The direct-I/O alignment reads are rounded to (1 for a buffered fallback). */
    public int alignment() {
        return file.alignment();
    }

    /**
     * True when {@code other} is the same file on disk (same device and inode, as {@code statx} reported
     * them at open): the same file opened twice, or two hard links of it. Symbolic links are followed
     * when opening, so a link opens its target.
     */
    public boolean isSame(ImmutableFile other) {
        return stat.deviceMajor() == other.stat.deviceMajor() && stat.deviceMinor() == other.stat.deviceMinor()
                && stat.inode() == other.stat.inode();
    }

    /**
     * Reads up to {@code length} bytes at {@code position}: fewer at the end of the file, none past it.
     * No alignment needed. When a read containing the aligned range is already in flight for this file,
     * this one shares it instead of reading again.
     *
     * @return a zero-copy view the caller owns and closes
     * @throws IllegalArgumentException when {@code position} or {@code length} is negative
     * @throws IOException              naming the path and errno when the read fails
     * @throws java.util.concurrent.CancellationException when the calling task is cancelled meanwhile
     */
    public ReadResult readAt(long position, int length) throws IOException {
        check("readAt");
        if (position < 0 || length < 0) {
            throw new IllegalArgumentException("readAt needs position >= 0 and length >= 0, got " + position + ", "
                    + length);
        }
        if (length == 0 || position >= size) {
            return new ReadResult(owner, owner.buffers().allocate(1), 0, 0);
        }
        long end = Math.min(position + length, size); // the file cannot grow: nothing to read past its size
        int n = (int) (end - position);
        int alignment = file.alignment();
        long alignedStart = position - position % alignment;
        long alignedEnd = (end + alignment - 1) / alignment * alignment;
        if (alignedEnd - alignedStart > Integer.MAX_VALUE) {
            return file.readAt(position, n); // larger than one read can be: no sharing
        }
        while (true) {
            ReadDedup.InFlight f = dedup.find(alignedStart, alignedEnd);
            if (f == null) {
                return lead(position, n, alignedStart, alignedEnd);
            }
            ReadResult shared = dedup.await(f, position, n, file.path());
            if (shared != null) {
                counters.dedupedReads++;
                counters.dedupedReadBytes += shared.len();
                return shared;
            }
            // The leader failed or was cancelled: read again, perhaps as the new leader.
        }
    }

    /** Reads {@code [start, end)} for the caller and every task that joins meanwhile. */
    private ReadResult lead(long position, int length, long start, long end) throws IOException {
        ReadDedup.InFlight f = dedup.register(start, end);
        ReadResult whole;
        try {
            whole = file.readAtAligned(start, (int) (end - start));
        } catch (IOException | RuntimeException e) {
            dedup.complete(f); // waiters wake without a result and retry
            throw e;
        }
        try {
            for (ReadDedup.Waiter w : f.waiters) {
                w.result = slice(whole, start, w.position, w.length);
            }
            return slice(whole, start, position, length);
        } finally {
            whole.close(); // the slices hold their own references
            dedup.complete(f);
        }
    }

    private static ReadResult slice(ReadResult whole, long start, long position, int length) {
        long skip = position - start;
        int n = (int) Math.max(0, Math.min(length, whole.len() - skip));
        return whole.slice(n == 0 ? 0 : (int) skip, n);
    }

    /**
     * Reads many ranges at once with {@link DmaFile#readMany(List, int, int)}'s merging (one result
     * per request, in request order). These reads are not shared with concurrent {@link #readAt}s.
     */
    public List<ReadResult> readMany(List<DmaFile.ReadRequest> requests, int maxMergedSize, int maxGap)
            throws IOException {
        check("readMany");
        return file.readMany(requests, maxMergedSize, maxGap);
    }

    /** {@link #readMany(List, int, int)} with {@link DmaFile}'s default merge limits. */
    public List<ReadResult> readMany(List<DmaFile.ReadRequest> requests) throws IOException {
        check("readMany");
        return file.readMany(requests);
    }

    /**
     * A sequential {@link InputStream} over the whole file, reading chunks of the builder's buffer size
     * through {@link #readAt} (so concurrent sequential readers of the same file share their reads).
     * Closing the stream leaves the file open. Owner executor only, like the file.
     *
     * {@snippet :
     * try (var in = new java.util.zip.GZIPInputStream(file.inputStream())) {
     *     byte[] all = in.readAllBytes();
     * }
     * }
     */
    public InputStream inputStream() {
        return new Sequential();
    }

    /**
     * A builder for a sequential {@link DmaStreamReader} of this file with read-ahead (Glommio's
     * {@code stream_reader()}), preset to the {@link ImmutableFileBuilder}'s buffer size and sequential
     * concurrency as read-ahead. Its readers leave this file open when they close; they do not share
     * reads with {@link #readAt}. Build readers on the owner executor.
     *
     * {@snippet :
     * try (DmaStreamReader reader = file.streamReader().withStartPosition(4096).build()) {
     *     byte[] page = new byte[4096];
     *     int n = reader.read(page, 0, page.length);
     * }
     * }
     */
    public DmaStreamReaderBuilder streamReader() {
        return new DmaStreamReaderBuilder(file).withCloseFile(false).withBufferSize(bufferSize)
                .withReadAhead(readAhead);
    }

    /** Renames the file; {@link #path()} then reports the new name. */
    public void rename(Path newPath) throws IOException {
        Objects.requireNonNull(newPath, "newPath");
        check("rename");
        file.rename(newPath);
    }

    /** Removes the file's name; the open file stays readable until closed. */
    public void remove() throws IOException {
        check("remove");
        file.remove();
    }

    /** True until {@link #close()}. */
    public boolean isOpen() {
        return file.isOpen();
    }

    /**
     * Closes the file. Idempotent. Reads still in flight complete and their results stay valid; the
     * results handed out remain the callers' to close.
     */
    @Override
    public void close() throws IOException {
        file.close();
    }

    /** In-flight reads right now (tests). */
    int readsInFlight() {
        return dedup.size();
    }

    @Override
    public String toString() {
        return "ImmutableFile[" + file.path() + ", " + size + " bytes]";
    }

    /** {@link #inputStream()}: one pooled chunk at a time, copied out to the caller. */
    private final class Sequential extends InputStream {
        private long next;          // file position of the next chunk
        private ReadResult chunk;
        private int chunkPos;
        private boolean closed;

        private boolean fill() throws IOException {
            if (closed) {
                throw new IOException("stream closed");
            }
            if (chunk != null && chunkPos < chunk.len()) {
                return true;
            }
            if (chunk != null) {
                chunk.close();
                chunk = null;
            }
            if (next >= size) {
                return false;
            }
            chunk = readAt(next, (int) Math.min(bufferSize, size - next));
            chunkPos = 0;
            next += chunk.len();
            return !chunk.isEmpty();
        }

        @Override
        public int read() throws IOException {
            return fill() ? chunk.get(chunkPos++) & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, chunk.len() - chunkPos);
            MemorySegment.copy(chunk.segment(), JAVA_BYTE, chunkPos, b, off, n);
            chunkPos += n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            if (n <= 0 || closed) {
                return 0;
            }
            long available = (chunk == null ? 0 : chunk.len() - chunkPos) + (size - next);
            long skipped = Math.min(n, available);
            long inChunk = chunk == null ? 0 : Math.min(skipped, chunk.len() - chunkPos);
            chunkPos += (int) inChunk;
            next += skipped - inChunk;
            return skipped;
        }

        @Override
        public int available() {
            return chunk == null || closed ? 0 : chunk.len() - chunkPos;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                if (chunk != null) {
                    chunk.close();
                    chunk = null;
                }
            }
        }
    }
}
