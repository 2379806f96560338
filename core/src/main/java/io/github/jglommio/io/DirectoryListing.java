package io.github.jglommio.io;

import io.github.jglommio.LocalExecutor;
import io.github.jglommio.reactor.Reactor;
import io.github.jglommio.sys.Fcntl;
import io.github.jglommio.sys.FileSyscalls;
import io.github.jglommio.sys.Sqe;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;


/**
 * One pass over a directory's entries. io_uring has no getdents operation, so {@code getdents64} runs
 * on the executor's blocking pool ({@link LocalExecutor#spawnBlocking}) and parks only the calling
 * task. Each listing reads through an fd of its own (opened as {@code "."} relative to the directory's
 * fd), so listings do not share a read offset and a renamed directory is still the one listed.
 *
 * <p>Owner executor only; one task at a time.
 */
final class DirectoryListing implements AutoCloseable {

    /** Bytes per getdents64 call: about a thousand entries with short names. */
    static final int BATCH_BYTES = 32 << 10;

    /** What one trip to the blocking pool brought back. */
    private record Batch(List<String> names, int errno, boolean end) {
    }

    private final Reactor owner;
    private final int fd;
    private final Path path;
    private boolean end;
    private boolean closed;

    private DirectoryListing(Reactor owner, int fd, Path path) {
        this.owner = owner;
        this.fd = fd;
        this.path = path;
    }

    /** Opens a listing of the directory open as {@code dirFd}. */
    static DirectoryListing open(Reactor r, int dirFd, Path path) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment dot = a.allocateFrom(".");
            int flags = Fcntl.O_RDONLY | Fcntl.O_DIRECTORY | Fcntl.O_CLOEXEC;
            int fd = r.submitAndAwait(Sqe.OP_OPENAT, dirFd, dot.address(), 0, 0, flags, dot);
            return new DirectoryListing(r, IoErrors.check(fd, "openat", path), path);
        }
    }

    /** True once the last entry was returned (the fd is then closed already). */
    boolean isAtEnd() {
        return end;
    }

    /** Every remaining entry, in one trip to the blocking pool. */
    List<String> readAll() throws IOException {
        return fetch(true);
    }

    /**
     * The next batch of entries (one getdents64 call; may be empty when the call returned only
     * {@code .} and {@code ..}). Closes the fd after the last one.
     */
    List<String> nextBatch() throws IOException {
        return fetch(false);
    }

    private List<String> fetch(boolean all) throws IOException {
        if (end) {
            return List.of();
        }
        if (Reactor.current() != owner) {
            throw new WrongThreadException("a listing of " + path + " must be read from a task of the executor that "
                    + "opened it; it was read from " + Thread.currentThread());
        }
        if (closed) {
            throw new java.nio.channels.ClosedChannelException();
        }
        int dirFd = fd;
        Batch b = LocalExecutor.current().spawnBlocking(() -> read(dirFd, all));
        if (b.errno() != 0) {
            throw IoErrors.exception(b.errno(), "getdents64", path);
        }
        if (b.end()) {
            end = true;
            close();
        }
        return b.names();
    }

    /** Runs on a blocking-pool thread: getdents64 until the buffer's worth (or, with {@code all}, the end). */
    private static Batch read(int fd, boolean all) {
        List<String> names = new ArrayList<>();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(BATCH_BYTES, 8);
            do {
                long n = FileSyscalls.getdents64(fd, buf);
                if (n < 0) {
                    return new Batch(names, (int) -n, false);
                }
                if (n == 0) {
                    return new Batch(names, 0, true);
                }
                for (String name : FileSyscalls.direntNames(buf, n)) {
                    if (!name.equals(".") && !name.equals("..")) {
                        names.add(name);
                    }
                }
            } while (all && !Thread.currentThread().isInterrupted()); // interrupted: the waiting task was cancelled
        }
        return new Batch(names, 0, false);
    }

    /** Closes the listing's fd. Idempotent; still closes when the calling task was cancelled. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        FileOps.close(owner, fd, path);
    }
}
