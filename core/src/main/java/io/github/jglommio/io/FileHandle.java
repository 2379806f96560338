package io.github.jglommio.io;

import io.github.jglommio.reactor.Reactor;
import io.github.jglommio.sys.Fcntl;
import io.github.jglommio.sys.FileSyscalls;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;

/**
 * What every jglommio file shares: its fd, path, owning executor, and the metadata operations
 * (fsync, allocation, truncation, rename, remove, stat, close). Subclasses add their read/write paths.
 */
abstract sealed class FileHandle implements AutoCloseable permits DmaFile, BufferedFile {

    final Reactor owner;
    final int fd;
    Path path;
    private boolean closed;

    FileHandle(Reactor owner, int fd, Path path) {
        this.owner = owner;
        this.fd = fd;
        this.path = path;
    }

    /** Opens {@code path}; with {@code direct}, tries O_DIRECT first. Returns {fd, directFlag}. */
    static int[] openFd(Reactor r, Path path, OpenOptions options, boolean direct) throws IOException {
        int flags = options.flags();
        if (direct) {
            int fd = FileOps.openat(r, path, flags | Fcntl.O_DIRECT, options.mode());
            if (fd != -io.github.jglommio.sys.Errno.EINVAL) {
                return new int[] {IoErrors.check(fd, "openat", path), 1};
            }
            // EINVAL with O_DIRECT: this file system has no direct I/O (Glommio falls back the same way).
        }
        return new int[] {IoErrors.check(FileOps.openat(r, path, flags, options.mode()), "openat", path), 0};
    }

    /** Throws unless the caller is a task of the owning executor and the file is open. */
    final void check(String what) throws ClosedChannelException {
        if (Reactor.current() != owner) {
            throw new WrongThreadException(getClass().getSimpleName() + "." + what + " must be called from a task of "
                    + "the executor that opened " + path + "; it was called from " + Thread.currentThread());
        }
        if (closed) {
            throw new ClosedChannelException();
        }
    }

    /** The path the file was opened with (updated by {@link #rename}). */
    public Path path() {
        return path;
    }

    /** Flushes data (not metadata that is not needed to read it back) to stable storage: {@code fdatasync}. */
    public void fdatasync() throws IOException {
        check("fdatasync");
        FileOps.fsync(owner, fd, true, path);
    }

    /** Flushes data and metadata to stable storage: {@code fsync}. */
    public void fsync() throws IOException {
        check("fsync");
        FileOps.fsync(owner, fd, false, path);
    }

    /**
     * Reserves disk space for the first {@code size} bytes ({@code fallocate}); with {@code keepSize}
     * the file's size does not change.
     */
    public void preAllocate(long size, boolean keepSize) throws IOException {
        check("preAllocate");
        if (size <= 0) {
            throw new IllegalArgumentException("preAllocate size must be positive, got " + size);
        }
        FileOps.fallocate(owner, fd, keepSize ? Fcntl.FALLOC_FL_KEEP_SIZE : 0, 0, size, path);
    }

    /** Reserves disk space for {@code size} bytes and grows the file to at least that size. */
    public void preAllocate(long size) throws IOException {
        preAllocate(size, false);
    }

    /** Releases the disk space of a range, which then reads as zeros (punch a hole). */
    public void deallocate(long offset, long length) throws IOException {
        check("deallocate");
        if (offset < 0 || length <= 0) {
            throw new IllegalArgumentException("deallocate needs offset >= 0 and length > 0, got " + offset + ", " + length);
        }
        FileOps.fallocate(owner, fd, Fcntl.FALLOC_FL_PUNCH_HOLE | Fcntl.FALLOC_FL_KEEP_SIZE, offset, length, path);
    }

    /** Sets the file's size, discarding or zero-extending. */
    public void truncate(long size) throws IOException {
        check("truncate");
        if (size < 0) {
            throw new IllegalArgumentException("truncate size must not be negative, got " + size);
        }
        FileOps.ftruncate(owner, fd, size, path);
    }

    /** Renames the file; later calls report the new path. */
    public void rename(Path newPath) throws IOException {
        check("rename");
        FileOps.rename(owner, path, newPath);
        path = newPath;
    }

    /** Removes the file's name; the open file stays usable until closed. */
    public void remove() throws IOException {
        check("remove");
        FileOps.unlink(owner, path, false);
    }

    /** The file's size in bytes. */
    public long fileSize() throws IOException {
        return stat().size();
    }

    /** The file's metadata ({@code statx}). */
    public FileStat stat() throws IOException {
        check("stat");
        return FileOps.statx(owner, fd, path);
    }

    /** True until {@link #close()}. */
    public boolean isOpen() {
        return !closed;
    }

    /**
     * Copies {@code length} bytes from {@code source} at {@code sourceOffset} to this file at
     * {@code offset}, inside the kernel ({@code copy_file_range}, on the executor's blocking pool:
     * io_uring has no such operation). Returns the bytes copied.
     */
    public long copyFileRange(FileHandle source, long sourceOffset, long length, long offset) throws IOException {
        check("copyFileRange");
        source.check("copyFileRange");
        if (sourceOffset < 0 || offset < 0 || length < 0) {
            throw new IllegalArgumentException("copyFileRange needs non-negative offsets and length");
        }
        long total = 0;
        while (total < length) {
            long done = total;
            long n = io.github.jglommio.LocalExecutor.current().spawnBlocking(() ->
                    FileSyscalls.copyFileRange(source.fd, sourceOffset + done, fd, offset + done, length - done));
            IoErrors.check(n, "copy_file_range", source.path + " -> " + path);
            if (n == 0) {
                break; // end of the source file
            }
            total += n;
        }
        return total;
    }

    /** Closes the file ({@code IORING_OP_CLOSE}). Idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        if (Reactor.current() != owner) {
            throw new WrongThreadException("close must be called from a task of the executor that opened " + path);
        }
        closed = true;
        FileOps.close(owner, fd, path);
    }
}
