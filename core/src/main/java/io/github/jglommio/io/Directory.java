package io.github.jglommio.io;

import io.github.jglommio.reactor.Reactor;
import io.github.jglommio.sys.Fcntl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * An open directory: Glommio's {@code Directory}. Create or open one, create and open files in it,
 * list it, and {@link #sync()} it so that the files created, renamed or removed in it survive a crash.
 *
 * {@snippet :
 * try (Directory dir = Directory.create(Path.of("/data/shard-3"))) {
 *     try (DmaFile f = dir.createFile("wal-0001")) {
 *         f.writeAt(block, 0);
 *         f.fdatasync();
 *     }
 *     dir.sync();                                   // the new name is now durable too
 *     List<String> names = dir.list();              // ["wal-0001"], sorted
 *     try (Stream<String> s = dir.stream()) {       // lazily, a batch of entries at a time
 *         long wals = s.filter(n -> n.startsWith("wal-")).count();
 *     }
 * }
 * }
 *
 * <p>Opening, syncing and closing are io_uring operations. io_uring cannot read directories, so
 * listings run {@code getdents64} on the executor's blocking pool: they park the calling task, never
 * the executor. To list while doing other work, spawn it: {@code Task.local(dir::list)}.
 *
 * <p>Threading: the executor of the task that opened it ({@link WrongThreadException} elsewhere).
 * Errors: {@link IOException}s naming the call, path and errno, as the JDK's
 * {@link java.nio.file.NoSuchFileException}, {@link java.nio.file.NotDirectoryException}, ... where one
 * fits; {@link ClosedChannelException} after {@link #close()}.
 */
public final class Directory implements AutoCloseable {

    /** Permission bits of a directory made by {@link #create(Path)}: 0755, before the umask. */
    public static final int CREATE_MODE = 0755;

    private final Reactor owner;
    private final int fd;
    private final Path path;
    private boolean closed;

    private Directory(Reactor owner, int fd, Path path) {
        this.owner = owner;
        this.fd = fd;
        this.path = path;
    }

    /**
     * Opens the existing directory {@code path}.
     *
     * @throws java.nio.file.NoSuchFileException   when it does not exist
     * @throws java.nio.file.NotDirectoryException when it is not a directory
     * @throws IllegalStateException               outside a jglommio task
     */
    public static Directory open(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        Reactor r = Reactor.currentOrThrow("Directory.open");
        int fd = FileOps.openat(r, path, Fcntl.O_RDONLY | Fcntl.O_DIRECTORY, 0);
        return new Directory(r, IoErrors.check(fd, "openat", path), path);
    }

    /**
     * Creates the directory {@code path} ({@code mkdirat}, mode {@value #CREATE_MODE} before the umask)
     * unless it exists already, as Glommio does, and opens it. Its parent must exist.
     *
     * @throws java.nio.file.NoSuchFileException   when the parent does not exist
     * @throws java.nio.file.NotDirectoryException when {@code path} exists but is not a directory
     * @throws IllegalStateException               outside a jglommio task
     */
    public static Directory create(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        Reactor r = Reactor.currentOrThrow("Directory.create");
        try {
            FileOps.mkdir(r, path, CREATE_MODE);
        } catch (FileAlreadyExistsException e) {
            // An existing directory is fine; open() below fails with ENOTDIR if it is something else.
        }
        return open(path);
    }

    private void check(String what) throws ClosedChannelException {
        if (Reactor.current() != owner) {
            throw new WrongThreadException("Directory." + what + " must be called from a task of the executor that "
                    + "opened " + path + "; it was called from " + Thread.currentThread());
        }
        if (closed) {
            throw new ClosedChannelException();
        }
    }

    /** The directory's path, as given when it was opened. Any thread. */
    public Path path() {
        return path;
    }

    /**
     * Makes the directory's entries durable ({@code fsync} of the directory): after it returns, files
     * created, renamed or removed in it before the call survive a crash.
     */
    public void sync() throws IOException {
        check("sync");
        FileOps.fsync(owner, fd, false, path);
    }

    /**
     * The names of the directory's entries, without {@code .} and {@code ..}, sorted. Reads the whole
     * directory on the executor's blocking pool in one trip, parking only the calling task.
     *
     * @throws java.util.concurrent.CancellationException when the calling task is cancelled meanwhile
     */
    public List<String> list() throws IOException {
        check("list");
        try (DirectoryListing listing = DirectoryListing.open(owner, fd, path)) {
            List<String> names = listing.readAll();
            names.sort(null);
            return names;
        }
    }

    /**
     * The names of the directory's entries, without {@code .} and {@code ..}, in directory order,
     * fetched lazily: each time the stream runs dry the calling task parks while one
     * {@code getdents64} call (about a thousand entries) runs on the blocking pool. The listing's fd is
     * closed when the last entry has been read or when the stream is closed, so close it (with
     * try-with-resources) when you stop early. I/O errors while streaming are
     * {@link UncheckedIOException}s. Sequential only, on the owner executor: a parallel stream's worker
     * threads would get {@link WrongThreadException}.
     */
    public Stream<String> stream() throws IOException {
        check("stream");
        DirectoryListing listing = DirectoryListing.open(owner, fd, path);
        Iterator<String> names = new Iterator<>() {
            private List<String> batch = List.of();
            private int next;

            @Override
            public boolean hasNext() {
                while (next == batch.size()) {
                    if (listing.isAtEnd()) {
                        return false;
                    }
                    try {
                        batch = listing.nextBatch();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    next = 0;
                }
                return true;
            }

            @Override
            public String next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return batch.get(next++);
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(names,
                Spliterator.DISTINCT | Spliterator.NONNULL), false).onClose(() -> {
                    try {
                        listing.close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    /**
     * Creates (or truncates) the file {@code name} in this directory and opens it as a {@link DmaFile}.
     *
     * @throws IllegalArgumentException when {@code name} is not a single path component
     */
    public DmaFile createFile(String name) throws IOException {
        check("createFile");
        return DmaFile.create(child(name));
    }

    /**
     * Opens the existing file {@code name} in this directory as a {@link DmaFile}, for reading and writing.
     *
     * @throws IllegalArgumentException when {@code name} is not a single path component
     */
    public DmaFile openFile(String name) throws IOException {
        check("openFile");
        return DmaFile.open(child(name));
    }

    private Path child(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0 || name.equals(".")
                || name.equals("..")) {
            throw new IllegalArgumentException("a file name in a Directory must be one path component (no '/', not "
                    + "'.' or '..', not empty), got \"" + name + "\"");
        }
        return path.resolve(name);
    }

    /** True until {@link #close()}. */
    public boolean isOpen() {
        return !closed;
    }

    /** Closes the directory ({@code IORING_OP_CLOSE}). Idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        if (Reactor.current() != owner) {
            throw new WrongThreadException("Directory.close must be called from a task of the executor that opened "
                    + path);
        }
        closed = true;
        FileOps.close(owner, fd, path);
    }

    @Override
    public String toString() {
        return "Directory[" + path + "]";
    }
}
