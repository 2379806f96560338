package io.github.jglommio.io;

import io.github.jglommio.reactor.IoBuffer;
import io.github.jglommio.reactor.IoCounters;
import io.github.jglommio.reactor.Reactor;
import io.github.jglommio.sys.Errno;
import io.github.jglommio.sys.Sqe;
import io.github.jglommio.sys.Syscalls;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A file read and written through the page cache, on io_uring: Glommio's {@code BufferedFile}. No
 * alignment rules; data is copied between the caller's memory and pooled I/O buffers.
 *
 * {@snippet :
 * try (BufferedFile f = BufferedFile.create(Path.of("/data/notes.txt"))) {
 *     f.writeAt("hello".getBytes(), 0);
 *     try (ReadResult r = f.readAt(0, 5)) { ... }
 * }
 * }
 *
 * <p>Two write paths. {@link #writeAt} goes through the ring like every other operation and parks only
 * the calling task; but a file system without non-blocking buffered writes (ext4 on this project's
 * reference machine, kernel 6.18) hands each such write to an io_uring worker thread, which costs a
 * thread hop (fio, 512-byte sequential writes to ext4: 17 µs mean through io_uring against 1.0 µs
 * with {@code pwrite}). {@link #writeAtInline} calls {@code pwrite(2)} on the executor's own thread
 * instead: a copy into the page cache, microseconds, during which the executor runs nothing else
 * (longer only when the kernel throttles a writer with too many dirty pages). Use it for small,
 * frequent appends that must reach the kernel before the caller goes on, such as a write-ahead
 * log's group commit.
 *
 * <p>Threading and errors as {@link DmaFile}; a failure without a more specific exception is an
 * {@link ErrnoException}.
 */
public final class BufferedFile extends FileHandle {

    private final IoCounters counters;
    private MemorySegment errnoSlot; // writeAtInline's, allocated on its first call

    private BufferedFile(Reactor owner, int fd, Path path) {
        super(owner, fd, path);
        this.counters = owner.counters();
    }

    /** Opens an existing file for reading and writing. */
    public static BufferedFile open(Path path) throws IOException {
        return open(path, new OpenOptions().read(true).write(true));
    }

    /** Creates (or truncates) a file for reading and writing. */
    public static BufferedFile create(Path path) throws IOException {
        return open(path, new OpenOptions().read(true).write(true).create(true).truncate(true));
    }

    /** Opens {@code path} with {@code options}. */
    public static BufferedFile open(Path path, OpenOptions options) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(options, "options");
        Reactor r = Reactor.currentOrThrow("BufferedFile.open");
        int[] opened = FileHandle.openFd(r, path, options, false);
        return new BufferedFile(r, opened[0], path);
    }

    /** Reads up to {@code length} bytes at {@code position} (fewer at end of file). */
    public ReadResult readAt(long position, int length) throws IOException {
        check("readAt");
        if (position < 0 || length < 0) {
            throw new IllegalArgumentException("readAt needs position >= 0 and length >= 0, got " + position + ", "
                    + length);
        }
        IoBuffer buf = owner.buffers().allocate(Math.max(length, 1));
        try {
            long startNs = System.nanoTime();
            int res = owner.submitAndAwait(Sqe.OP_READ, fd, buf.memory().address(), length, position, 0, buf);
            IoErrors.check(res, "read", path);
            counters.read(false, res, startNs);
            return new ReadResult(owner, buf, 0, res);
        } catch (IOException | RuntimeException e) {
            buf.release();
            throw e;
        }
    }

    /** Writes {@code length} bytes of {@code src} from {@code srcOffset} at {@code position}; returns bytes written. */
    public int writeAt(MemorySegment src, long srcOffset, int length, long position) throws IOException {
        check("writeAt");
        if (position < 0 || length < 0 || srcOffset < 0 || srcOffset + length > src.byteSize()) {
            throw new IllegalArgumentException("writeAt: bad range (position " + position + ", offset " + srcOffset
                    + ", length " + length + " of " + src.byteSize() + ")");
        }
        IoBuffer buf = owner.buffers().allocate(Math.max(length, 1));
        try {
            MemorySegment.copy(src, srcOffset, buf.memory(), 0, length);
            long startNs = System.nanoTime();
            int res = owner.submitAndAwait(Sqe.OP_WRITE, fd, buf.memory().address(), length, position, 0, buf);
            IoErrors.check(res, "write", path);
            counters.write(false, res, startNs);
            return res;
        } finally {
            buf.release();
        }
    }

    /**
     * Writes {@code length} bytes of {@code buf} from {@code offset} at {@code position} straight from the
     * pooled buffer, without the copy {@link #writeAt(MemorySegment, long, int, long)} makes:
     * {@link StreamWriter}'s path. The caller checks the range.
     */
    int writeFrom(DmaBuffer buf, int offset, int length, long position) throws IOException {
        check("write");
        IoBuffer io = buf.ioBuffer();
        long startNs = System.nanoTime();
        int res = owner.submitAndAwait(Sqe.OP_WRITE, fd, io.memory().address() + offset, length, position, 0, io);
        IoErrors.check(res, "write", path);
        counters.write(false, res, startNs);
        return res;
    }

    /**
     * Writes {@code length} bytes of {@code src} from {@code offset} at {@code position} with
     * {@code pwrite(2)} on the executor's thread: no ring round trip and no worker thread, but nothing
     * else runs on the executor meanwhile (see the class comment). When it returns, the bytes are in
     * the kernel's page cache: they survive the death of this process, not yet a crash of the machine
     * ({@link #fdatasync()} for that).
     *
     * <p>Returns the bytes written. That is {@code length}, except when the kernel wrote a part and
     * then hit an error (a full disk, the file size limit): the call returns the part, and calling
     * again for the rest reports the error. So a caller always knows how much of its data is in the file.
     *
     * @throws IOException               when nothing could be written (an {@link ErrnoException} for
     *                                   ENOSPC, EFBIG, EIO...)
     * @throws IndexOutOfBoundsException when the range lies outside {@code src}
     * @throws IllegalArgumentException  when {@code position} is negative
     */
    public int writeAtInline(byte[] src, int offset, int length, long position) throws IOException {
        check("writeAtInline");
        Objects.checkFromIndexSize(offset, length, src.length);
        if (position < 0) {
            throw new IllegalArgumentException("writeAtInline needs position >= 0, got " + position);
        }
        if (length == 0) {
            return 0;
        }
        if (errnoSlot == null) {
            errnoSlot = Syscalls.newErrnoSlot(Arena.ofAuto());
        }
        IoBuffer buf = owner.buffers().allocate(length);
        try {
            MemorySegment.copy(src, offset, buf.memory(), ValueLayout.JAVA_BYTE, 0, length);
            long startNs = System.nanoTime();
            int done = 0;
            while (done < length) {
                long res = Syscalls.pwrite(fd, buf.memory().asSlice(done), length - done, position + done, errnoSlot);
                if (res == -Errno.EINTR) {
                    continue;
                }
                if (res < 0) {
                    if (done > 0) {
                        break; // report the part; the next call reports the error
                    }
                    IoErrors.check(res, "write", path);
                }
                if (res == 0) {
                    if (done == 0) {
                        throw new IOException("write(" + path + ") wrote nothing and reported no error");
                    }
                    break;
                }
                done += (int) res;
            }
            counters.write(false, done, startNs);
            return done;
        } finally {
            buf.release();
        }
    }

    /** Writes {@code data} at {@code position}; returns bytes written. */
    public int writeAt(byte[] data, long position) throws IOException {
        return writeAt(MemorySegment.ofArray(data), 0, data.length, position);
    }

    /** Writes the remaining bytes of {@code data} at {@code position}; returns bytes written. */
    public int writeAt(ByteBuffer data, long position) throws IOException {
        int n = writeAt(MemorySegment.ofBuffer(data), 0, data.remaining(), position);
        data.position(data.position() + n);
        return n;
    }

    /** The bytes at {@code position} as a heap array (up to {@code length}). */
    public byte[] readBytes(long position, int length) throws IOException {
        try (ReadResult r = readAt(position, length)) {
            return r.toArray();
        }
    }

    @Override
    public String toString() {
        return "BufferedFile[" + path + "]";
    }
}
