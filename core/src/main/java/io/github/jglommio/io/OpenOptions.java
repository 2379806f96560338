package io.github.jglommio.io;

import io.github.jglommio.sys.Fcntl;

import java.io.IOException;
import java.nio.file.Path;

/**
 * How to open a file: Glommio's {@code OpenOptions}. Defaults: read-only, existing file, mode 0644.
 *
 * {@snippet :
 * DmaFile log = new OpenOptions().write(true).create(true).append(true).dmaOpen(Path.of("/data/log"));
 * DmaFile scratch = new OpenOptions().read(true).write(true).tmpfile(true).dmaOpen(Path.of("/data"));
 * }
 *
 * <p>Not thread-safe; reusable. Checked when a file is opened: an invalid combination throws
 * {@link IllegalArgumentException} saying what is allowed.
 */
public final class OpenOptions {

    private boolean read = true;
    private boolean write;
    private boolean append;
    private boolean truncate;
    private boolean create;
    private boolean createNew;
    private boolean tmpfile;
    private int customFlags;
    private int mode = 0644;

    public OpenOptions read(boolean read) {
        this.read = read;
        return this;
    }

    public OpenOptions write(boolean write) {
        this.write = write;
        return this;
    }

    /** Writes go to the end of the file (O_APPEND). Implies write. */
    public OpenOptions append(boolean append) {
        this.append = append;
        return this;
    }

    /** Truncates an existing file to 0 bytes (O_TRUNC). Needs write. */
    public OpenOptions truncate(boolean truncate) {
        this.truncate = truncate;
        return this;
    }

    /** Creates the file if it does not exist (O_CREAT). Needs write. */
    public OpenOptions create(boolean create) {
        this.create = create;
        return this;
    }

    /** Creates the file, failing if it exists (O_CREAT | O_EXCL). Needs write. */
    public OpenOptions createNew(boolean createNew) {
        this.createNew = createNew;
        return this;
    }

    /** Opens an unnamed temporary file in the directory given as path (O_TMPFILE). Needs write. */
    public OpenOptions tmpfile(boolean tmpfile) {
        this.tmpfile = tmpfile;
        return this;
    }

    /** Extra {@code open(2)} flags ORed in as they are (for example O_NOATIME, O_DSYNC). */
    public OpenOptions customFlags(int flags) {
        this.customFlags = flags;
        return this;
    }

    /** Permission bits for a created file; default 0644. 0..07777. */
    public OpenOptions mode(int mode) {
        if (mode < 0 || mode > 07777) {
            throw new IllegalArgumentException("mode must be between 0 and 07777 (octal), got 0" + Integer.toOctalString(mode));
        }
        this.mode = mode;
        return this;
    }

    /** Opens {@code path} as a {@link DmaFile} (O_DIRECT, falling back to buffered where unsupported). */
    public DmaFile dmaOpen(Path path) throws IOException {
        return DmaFile.open(path, this);
    }

    /** Opens {@code path} as a {@link BufferedFile} (page cache). */
    public BufferedFile bufferedOpen(Path path) throws IOException {
        return BufferedFile.open(path, this);
    }

    int mode() {
        return mode;
    }

    boolean writable() {
        return write || append;
    }

    /** The {@code open(2)} flags, without O_DIRECT. */
    int flags() {
        boolean w = writable();
        if (!read && !w) {
            throw new IllegalArgumentException("OpenOptions: open for read, write or append (all are false)");
        }
        if ((truncate || create || createNew || tmpfile) && !w) {
            throw new IllegalArgumentException("OpenOptions: truncate, create, createNew and tmpfile need write(true)");
        }
        if (truncate && append) {
            throw new IllegalArgumentException("OpenOptions: truncate and append cannot be combined");
        }
        int f = read && w ? Fcntl.O_RDWR : w ? Fcntl.O_WRONLY : Fcntl.O_RDONLY;
        if (append) {
            f |= Fcntl.O_APPEND;
        }
        if (truncate) {
            f |= Fcntl.O_TRUNC;
        }
        if (createNew) {
            f |= Fcntl.O_CREAT | Fcntl.O_EXCL;
        } else if (create) {
            f |= Fcntl.O_CREAT;
        }
        if (tmpfile) {
            f |= Fcntl.O_TMPFILE;
        }
        return f | customFlags;
    }
}
