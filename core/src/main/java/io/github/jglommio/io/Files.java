package io.github.jglommio.io;

import io.github.jglommio.reactor.Reactor;
import io.github.jglommio.sys.Errno;
import io.github.jglommio.sys.Fcntl;
import io.github.jglommio.sys.Sqe;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * File system operations by path, each one io_uring operation that parks only the calling task:
 * Glommio's {@code io::rename} and {@code io::remove}, plus {@link #createDirectory} and
 * {@link #exists}. (Not to be confused with {@link java.nio.file.Files}, whose calls block the
 * whole executor.)
 *
 * {@snippet :
 * io.github.jglommio.io.Files.rename(Path.of("/data/seg.tmp"), Path.of("/data/seg-0007"));
 * io.github.jglommio.io.Files.remove(Path.of("/data/seg-0001"));
 * }
 *
 * <p>Threading: call from a jglommio task ({@link IllegalStateException} otherwise). Errors:
 * {@link IOException}s naming the call, the path and the errno, as the JDK's
 * {@link NoSuchFileException}, {@link java.nio.file.FileAlreadyExistsException},
 * {@link java.nio.file.DirectoryNotEmptyException}, ... where one fits.
 */
public final class Files {

    private Files() {
    }

    /**
     * Renames {@code from} to {@code to} ({@code renameat}), replacing {@code to} if it is a file.
     * Atomic within one file system; sync the directories ({@link Directory#sync()}) to make it durable.
     */
    public static void rename(Path from, Path to) throws IOException {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        FileOps.rename(Reactor.currentOrThrow("Files.rename"), from, to);
    }

    /**
     * Removes {@code path} ({@code unlinkat}). An empty directory is removed too (as
     * {@code java.nio.file.Files.delete} does); a directory with entries fails with
     * {@link java.nio.file.DirectoryNotEmptyException}
     * ({@code "rmdir(/data/d) failed: ENOTEMPTY (Directory not empty)"}). Open files stay usable until
     * closed.
     *
     * @throws NoSuchFileException when nothing is there
     */
    public static void remove(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        Reactor r = Reactor.currentOrThrow("Files.remove");
        int res = unlinkat(r, path, 0);
        if (res == -Errno.EISDIR) {
            IoErrors.check(unlinkat(r, path, Fcntl.AT_REMOVEDIR), "rmdir", path);
        } else {
            IoErrors.check(res, "unlinkat", path);
        }
    }

    private static int unlinkat(Reactor r, Path path, int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocateFrom(path.toString());
            return r.submitAndAwait(Sqe.OP_UNLINKAT, Fcntl.AT_FDCWD, p.address(), 0, 0, flags, p);
        }
    }

    /**
     * Creates the directory {@code path} ({@code mkdirat}, mode 0755 before the umask). Unlike
     * {@link Directory#create(Path)} it fails when something exists there already.
     *
     * @throws java.nio.file.FileAlreadyExistsException when {@code path} exists
     * @throws NoSuchFileException                       when its parent does not exist
     */
    public static void createDirectory(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        FileOps.mkdir(Reactor.currentOrThrow("Files.createDirectory"), path, Directory.CREATE_MODE);
    }

    /**
     * True when {@code path} exists ({@code statx}, following symbolic links); false when it or a
     * parent is missing or a parent is not a directory.
     *
     * @throws IOException naming the path and errno when existence cannot be told (for example EACCES)
     */
    public static boolean exists(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        try {
            FileOps.statx(Reactor.currentOrThrow("Files.exists"), -1, path);
            return true;
        } catch (NoSuchFileException | NotDirectoryException e) {
            return false;
        }
    }
}
