package io.github.jglommio.io;

import io.github.jglommio.reactor.IoBuffer;
import io.github.jglommio.reactor.IoCounters;
import io.github.jglommio.reactor.Reactor;
import io.github.jglommio.sys.Sqe;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * A file read and written with direct I/O (O_DIRECT) on io_uring: Glommio's {@code DmaFile}.
 *
 * {@snippet :
 * try (DmaFile file = DmaFile.create(Path.of("/data/test.dat"))) {
 *     DmaBuffer buf = file.allocDmaBuffer(4096);       // aligned native memory
 *     buf.segment().fill((byte) 7);
 *     int written = file.writeAt(buf, 0);
 *     ReadResult r = file.readAt(0, 4096);             // zero-copy view of the read buffer
 *     byte first = r.get(0);
 *     file.fdatasync();
 * }
 * }
 *
 * <p>Direct I/O bypasses the page cache: positions and lengths of writes must be multiples of
 * {@link #alignment()} (from {@code statx STATX_DIOALIGN}, else the device's logical block size, at
 * least 512), and buffers come from {@link #allocDmaBuffer}. Reads need no alignment: an unaligned
 * {@link #readAt} reads the aligned superset and returns a zero-copy slice. On a file system without
 * O_DIRECT the file falls back to buffered I/O, as Glommio does, and {@link #isDirect()} says so.
 *
 * <p>Threading: the executor of the task that opened it ({@link WrongThreadException} elsewhere); each
 * operation parks only the calling task. Errors: {@link java.io.IOException} naming the call, the
 * path and the errno; {@link java.nio.channels.ClosedChannelException} after {@link #close()}.
 */
public final class DmaFile extends FileHandle {

    /** Default cap on the size of one merged read in {@link #readMany}: 128 KiB. */
    public static final int READ_MANY_MAX_MERGED_DEFAULT = 128 << 10;
    /** Default cap on the bytes read between two merged requests in {@link #readMany}: 4 KiB. */
    public static final int READ_MANY_MAX_GAP_DEFAULT = 4 << 10;

    private final boolean direct;
    private final int alignment;
    private final IoCounters counters;

    private DmaFile(Reactor owner, int fd, Path path, boolean direct, int alignment) {
        super(owner, fd, path);
        this.direct = direct;
        this.alignment = alignment;
        this.counters = owner.counters();
    }

    /** Opens an existing file for reading and writing. */
    public static DmaFile open(Path path) throws IOException {
        return open(path, new OpenOptions().read(true).write(true));
    }

    /** Opens a file read-only. */
    public static DmaFile openReadOnly(Path path) throws IOException {
        return open(path, new OpenOptions().read(true));
    }

    /** Creates (or truncates) a file for reading and writing. */
    public static DmaFile create(Path path) throws IOException {
        return open(path, new OpenOptions().read(true).write(true).create(true).truncate(true));
    }

    /** Opens {@code path} with {@code options}. */
    public static DmaFile open(Path path, OpenOptions options) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(options, "options");
        Reactor r = Reactor.currentOrThrow("DmaFile.open");
        int[] opened = FileHandle.openFd(r, path, options, true);
        boolean direct = opened[1] == 1;
        int alignment = 1;
        if (direct) {
            try {
                alignment = FileOps.directAlignment(FileOps.statx(r, opened[0], path));
            } catch (IOException | RuntimeException e) {
                FileOps.close(r, opened[0], path);
                throw e;
            }
        }
        return new DmaFile(r, opened[0], path, direct, alignment);
    }

    /** True when the file uses O_DIRECT; false after a fallback to buffered I/O. */
    public boolean isDirect() {
        return direct;
    }

    /** The alignment of write positions and lengths (1 for a buffered fallback). */
    public int alignment() {
        return alignment;
    }

    /** A buffer of {@code size} bytes suitable for this file's I/O (page-aligned). */
    public DmaBuffer allocDmaBuffer(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("buffer size must be positive, got " + size);
        }
        if (Reactor.current() != owner) {
            throw new WrongThreadException("DmaFile.allocDmaBuffer must be called from a task of the executor that "
                    + "opened " + path);
        }
        return DmaBuffer.allocate(owner, size);
    }

    private long alignDown(long v) {
        return v - Math.floorMod(v, (long) alignment);
    }

    private long alignUp(long v) {
        return alignDown(v + alignment - 1);
    }

    /**
     * Reads up to {@code length} bytes at {@code position}. Fewer bytes come back at end of file. No
     * alignment needed: the aligned superset is read and a zero-copy slice returned.
     */
    public ReadResult readAt(long position, int length) throws IOException {
        check("readAt");
        checkRange(position, length);
        long start = alignDown(position);
        long end = alignUp(position + length);
        IoBuffer buf = owner.buffers().allocate(Math.max(end - start, 1));
        long got;
        try {
            got = readInto(buf, start, end - start);
        } catch (IOException | RuntimeException e) {
            buf.release();
            throw e;
        }
        long skip = position - start;
        long n = Math.max(0, Math.min(length, got - skip));
        return new ReadResult(owner, buf, n == 0 ? 0 : skip, n);
    }

    /**
     * Reads {@code length} bytes at an aligned {@code position} into a buffer of exactly that size:
     * the fast path with no slicing.
     *
     * @throws IllegalArgumentException when {@code position} or {@code length} is not a multiple of
     *                                  {@link #alignment()}
     */
    public ReadResult readAtAligned(long position, int length) throws IOException {
        check("readAtAligned");
        checkRange(position, length);
        checkAligned(position, length, "readAtAligned");
        IoBuffer buf = owner.buffers().allocate(Math.max(length, 1));
        long got;
        try {
            got = readInto(buf, position, length);
        } catch (IOException | RuntimeException e) {
            buf.release();
            throw e;
        }
        return new ReadResult(owner, buf, 0, got);
    }

    /** Reads into {@code buf} at {@code position} until {@code length} bytes or end of file. */
    private long readInto(IoBuffer buf, long position, long length) throws IOException {
        long done = 0;
        while (done < length) {
            long startNs = System.nanoTime();
            int res = submit(buf.registeredIndex() >= 0 ? Sqe.OP_READ_FIXED : Sqe.OP_READ, buf,
                    buf.memory().address() + done, (int) (length - done), position + done);
            IoErrors.check(res, "read", path);
            counters.read(direct, res, startNs);
            if (res == 0) {
                break;
            }
            done += res;
            if (direct && res % alignment != 0) {
                break; // a short direct read ends at end of file
            }
        }
        return done;
    }

    private int submit(byte opcode, IoBuffer buf, long address, int length, long position) {
        int slot = owner.newOperation(buf);
        long sqe = owner.prepare(slot, opcode, fd, address, length, position);
        if (opcode == Sqe.OP_READ_FIXED || opcode == Sqe.OP_WRITE_FIXED) {
            Sqe.bufIndex(owner.sqes(), sqe, buf.registeredIndex());
        }
        return owner.await(slot);
    }

    /**
     * Writes the whole buffer at {@code position}. Returns the bytes written (all of them unless the
     * device ran out of space part-way, which then also throws on the next write).
     *
     * @throws IllegalArgumentException when {@code position} or the buffer's size is not a multiple of
     *                                  {@link #alignment()}
     * @throws IOException              with errno (ENOSPC, EFBIG, EIO...) and the path
     */
    public int writeAt(DmaBuffer buffer, long position) throws IOException {
        return writeAt(buffer, 0, buffer.size(), position);
    }

    /** Writes {@code length} bytes of {@code buffer} from {@code offset}; see {@link #writeAt(DmaBuffer, long)}. */
    public int writeAt(DmaBuffer buffer, int offset, int length, long position) throws IOException {
        check("writeAt");
        Objects.requireNonNull(buffer, "buffer");
        if (buffer.owner() != owner) {
            throw new IllegalArgumentException("the DmaBuffer belongs to another executor");
        }
        if (offset < 0 || length < 0 || (long) offset + length > buffer.size()) {
            throw new IndexOutOfBoundsException("range [" + offset + ", " + offset + "+" + length + ") outside a "
                    + buffer.size() + "-byte buffer");
        }
        checkRange(position, length);
        checkAligned(position, length, "writeAt");
        if (direct && offset % alignment != 0) {
            throw new IllegalArgumentException("writeAt: buffer offset " + offset + " is not a multiple of the "
                    + "required alignment of " + alignment + " bytes");
        }
        IoBuffer buf = buffer.ioBuffer();
        long startNs = System.nanoTime();
        int res = submit(buf.registeredIndex() >= 0 ? Sqe.OP_WRITE_FIXED : Sqe.OP_WRITE, buf,
                buf.memory().address() + offset, length, position);
        IoErrors.check(res, "write", path);
        counters.write(direct, res, startNs);
        return res;
    }

    /**
     * Writes {@code data} at {@code position}, copying it into a pooled buffer first. For direct files
     * the length and position must be multiples of {@link #alignment()}.
     */
    public int writeAt(byte[] data, long position) throws IOException {
        Objects.requireNonNull(data, "data");
        try (DmaBuffer buf = allocDmaBuffer(Math.max(1, data.length))) {
            MemorySegment.copy(data, 0, buf.segment(), JAVA_BYTE, 0, data.length);
            return writeAt(buf, 0, data.length, position);
        }
    }

    /** One request of {@link #readMany}: {@code length} bytes at {@code position}. */
    public record ReadRequest(long position, int length) {
        public ReadRequest {
            if (position < 0 || length < 0) {
                throw new IllegalArgumentException("read request needs position >= 0 and length >= 0, got "
                        + position + ", " + length);
            }
        }
    }

    /** {@link #readMany(List, int, int)} with the default merge limits. */
    public List<ReadResult> readMany(List<ReadRequest> requests) throws IOException {
        return readMany(requests, READ_MANY_MAX_MERGED_DEFAULT, READ_MANY_MAX_GAP_DEFAULT);
    }

    /**
     * Reads many ranges at once, returning one result per request in request order. Requests are
     * sorted, and neighbours merged into one read when the merged read stays within
     * {@code maxMergedSize} bytes and reads at most {@code maxGap} unrequested bytes between them (the
     * read-amplification limit); the merged reads are all submitted before the task parks, so they run
     * in parallel in the kernel. Results are zero-copy slices of the merged buffers.
     */
    public List<ReadResult> readMany(List<ReadRequest> requests, int maxMergedSize, int maxGap) throws IOException {
        check("readMany");
        if (maxMergedSize < alignment || maxGap < 0) {
            throw new IllegalArgumentException("readMany needs maxMergedSize >= alignment (" + alignment
                    + ") and maxGap >= 0, got " + maxMergedSize + ", " + maxGap);
        }
        int n = requests.size();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Long.compare(requests.get(a).position(), requests.get(b).position()));
        // Group sorted requests into merged aligned ranges.
        List<long[]> merged = new ArrayList<>(); // {alignedStart, alignedEnd}
        int[] groupOf = new int[n];
        for (int k = 0; k < n; k++) {
            ReadRequest rq = requests.get(order[k]);
            long s = alignDown(rq.position());
            long e = alignUp(rq.position() + rq.length());
            long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && s - last[1] <= maxGap && Math.max(e, last[1]) - last[0] <= maxMergedSize) {
                last[1] = Math.max(last[1], e);
            } else {
                merged.add(new long[] {s, e});
            }
            groupOf[order[k]] = merged.size() - 1;
        }
        // Submit every merged read, then wait for all of them.
        IoBuffer[] bufs = new IoBuffer[merged.size()];
        int[] slots = new int[merged.size()];
        long[] got = new long[merged.size()];
        IOException failure = null;
        int submitted = 0;
        try {
            for (int g = 0; g < merged.size(); g++) {
                long[] range = merged.get(g);
                bufs[g] = owner.buffers().allocate(Math.max(range[1] - range[0], 1));
                slots[g] = owner.newOperation(bufs[g]);
                owner.prepare(slots[g], Sqe.OP_READ, fd, bufs[g].memory().address(), (int) (range[1] - range[0]), range[0]);
                submitted++;
            }
        } finally {
            long startNs = System.nanoTime();
            for (int g = 0; g < submitted; g++) {
                int res = owner.await(slots[g]);
                if (res < 0 && failure == null) {
                    failure = IoErrors.exception(-res, "read", path);
                }
                got[g] = Math.max(res, 0);
                counters.read(direct, got[g], startNs);
            }
        }
        if (failure != null) {
            for (IoBuffer b : bufs) {
                if (b != null) {
                    b.release();
                }
            }
            throw failure;
        }
        List<ReadResult> results = new ArrayList<>(n);
        int[] uses = new int[merged.size()];
        for (int i = 0; i < n; i++) {
            uses[groupOf[i]]++;
        }
        for (int i = 0; i < n; i++) {
            int g = groupOf[i];
            ReadRequest rq = requests.get(i);
            long skip = rq.position() - merged.get(g)[0];
            long len = Math.max(0, Math.min(rq.length(), got[g] - skip));
            // Each result owns one reference: the buffer's first, retains for the others.
            IoBuffer b = --uses[g] == 0 ? bufs[g] : bufs[g].retain();
            results.add(new ReadResult(owner, b, len == 0 ? 0 : skip, len));
        }
        return results;
    }

    private static void checkRange(long position, int length) {
        if (position < 0) {
            throw new IllegalArgumentException("position must not be negative, got " + position);
        }
        if (length < 0) {
            throw new IllegalArgumentException("length must not be negative, got " + length);
        }
    }

    private void checkAligned(long position, long length, String op) {
        if (direct && (position % alignment != 0 || length % alignment != 0)) {
            throw new IllegalArgumentException(op + ": position " + position + " and length " + length
                    + " must be multiples of " + alignment + " bytes, the direct-I/O alignment of " + path);
        }
    }

    @Override
    public String toString() {
        return "DmaFile[" + path + (direct ? ", direct" : ", buffered fallback") + ", alignment=" + alignment + "]";
    }
}
