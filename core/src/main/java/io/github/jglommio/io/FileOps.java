package io.github.jglommio.io;

import io.github.jglommio.reactor.Reactor;
import io.github.jglommio.sys.Fcntl;
import io.github.jglommio.sys.FileSyscalls;
import io.github.jglommio.sys.Sqe;
import io.github.jglommio.sys.Statx;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The metadata operations shared by the file types, each as one io_uring operation submitted by the
 * calling task (openat, statx, close, fsync, fallocate, ftruncate, renameat, unlinkat, mkdirat).
 * Path strings live in a confined arena of the calling task's thread: the kernel reads them while the
 * task is parked, and the task closes the arena only after the completion.
 */
final class FileOps {

    private FileOps() {
    }

    /** {@code openat(AT_FDCWD, path, flags, mode)}: the fd, or {@code -errno}. */
    static int openat(Reactor r, Path path, int flags, int mode) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocateFrom(path.toString());
            return r.submitAndAwait(Sqe.OP_OPENAT, Fcntl.AT_FDCWD, p.address(), mode, 0, flags | Fcntl.O_CLOEXEC, p);
        }
    }

    /** Closes {@code fd}; also in a cancelled task, so that no fd leaks. */
    static void close(Reactor r, int fd, Object target) throws IOException {
        IoErrors.check(r.submitUninterruptibly(Sqe.OP_CLOSE, fd, 0, 0, 0, 0, null), "close", target);
    }

    static void fsync(Reactor r, int fd, boolean dataOnly, Object target) throws IOException {
        IoErrors.check(r.submitAndAwait(Sqe.OP_FSYNC, fd, 0, 0, 0, dataOnly ? Fcntl.FSYNC_DATASYNC : 0, null),
                dataOnly ? "fdatasync" : "fsync", target);
        r.counters().fileSyncs++;
    }

    /** {@code fallocate(fd, mode, offset, length)}: io_uring carries the length in {@code addr}. */
    static void fallocate(Reactor r, int fd, int mode, long offset, long length, Object target) throws IOException {
        IoErrors.check(r.submitAndAwait(Sqe.OP_FALLOCATE, fd, length, mode, offset, 0, null), "fallocate", target);
    }

    static void ftruncate(Reactor r, int fd, long size, Object target) throws IOException {
        if (r.ring().supports(Sqe.OP_FTRUNCATE)) {
            IoErrors.check(r.submitAndAwait(Sqe.OP_FTRUNCATE, fd, 0, 0, size, 0, null), "ftruncate", target);
        } else {
            // Kernels before 6.9 have no IORING_OP_FTRUNCATE: a metadata update, done inline.
            IoErrors.check(FileSyscalls.ftruncate(fd, size), "ftruncate", target);
        }
    }

    static void rename(Reactor r, Path from, Path to) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment f = a.allocateFrom(from.toString());
            MemorySegment t = a.allocateFrom(to.toString());
            // renameat: fd = olddirfd, addr = oldpath, len = newdirfd, off (addr2) = newpath.
            int res = r.submitAndAwait(Sqe.OP_RENAMEAT, Fcntl.AT_FDCWD, f.address(), Fcntl.AT_FDCWD, t.address(), 0,
                    new Object[] {f, t});
            IoErrors.check(res, "renameat", from + " -> " + to);
        }
    }

    static void unlink(Reactor r, Path path, boolean directory) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocateFrom(path.toString());
            int res = r.submitAndAwait(Sqe.OP_UNLINKAT, Fcntl.AT_FDCWD, p.address(), 0, 0,
                    directory ? Fcntl.AT_REMOVEDIR : 0, p);
            IoErrors.check(res, directory ? "rmdir" : "unlinkat", path);
        }
    }

    static void mkdir(Reactor r, Path path, int mode) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocateFrom(path.toString());
            IoErrors.check(r.submitAndAwait(Sqe.OP_MKDIRAT, Fcntl.AT_FDCWD, p.address(), mode, 0, 0, p), "mkdirat", path);
        }
    }

    /** {@code statx} of an open fd ({@code AT_EMPTY_PATH}) or of a path ({@code fd < 0}). */
    static FileStat statx(Reactor r, int fd, Path path) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocateFrom(fd >= 0 ? "" : path.toString());
            MemorySegment buf = a.allocate(Statx.LAYOUT);
            // statx: fd = dirfd, addr = path, len = mask, off (addr2) = statx buffer, op flags = AT_* flags.
            int res = r.submitAndAwait(Sqe.OP_STATX, fd >= 0 ? fd : Fcntl.AT_FDCWD, p.address(),
                    Statx.STATX_BASIC_STATS | Statx.STATX_DIOALIGN, buf.address(), fd >= 0 ? Fcntl.AT_EMPTY_PATH : 0,
                    new Object[] {p, buf});
            IoErrors.check(res, "statx", path);
            int mask = buf.get(JAVA_INT, Statx.MASK);
            boolean dio = (mask & Statx.STATX_DIOALIGN) != 0;
            return new FileStat(buf.get(JAVA_LONG, Statx.SIZE), 512 * buf.get(JAVA_LONG, Statx.BLOCKS),
                    buf.get(JAVA_SHORT, Statx.MODE) & 0xFFFF, buf.get(JAVA_INT, Statx.NLINK), buf.get(JAVA_LONG, Statx.INO),
                    Instant.ofEpochSecond(buf.get(JAVA_LONG, Statx.MTIME_SEC), buf.get(JAVA_INT, Statx.MTIME_NSEC)),
                    buf.get(JAVA_INT, Statx.BLKSIZE), dio ? buf.get(JAVA_INT, Statx.DIO_MEM_ALIGN) : 0,
                    dio ? buf.get(JAVA_INT, Statx.DIO_OFFSET_ALIGN) : 0, buf.get(JAVA_INT, Statx.DEV_MAJOR),
                    buf.get(JAVA_INT, Statx.DEV_MINOR));
        }
    }

    /**
     * The O_DIRECT offset alignment: statx's {@code STATX_DIOALIGN} when the kernel and file system
     * report it, else the device's logical block size from sysfs, else 512.
     */
    static int directAlignment(FileStat st) {
        if (st.directIoOffsetAlign() > 0) {
            return Math.max(st.directIoOffsetAlign(), 1);
        }
        Path dev = Path.of("/sys/dev/block/" + st.deviceMajor() + ":" + st.deviceMinor());
        for (Path q : new Path[] {dev.resolve("queue/logical_block_size"), dev.resolve("../queue/logical_block_size")}) {
            try {
                int v = Integer.parseInt(Files.readString(q).strip());
                if (v >= 512) {
                    return v;
                }
            } catch (IOException | NumberFormatException e) {
                // not a block device (or a partition whose parent we try next)
            }
        }
        return 512;
    }
}
