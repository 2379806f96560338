package io.github.jglommio.io;

import io.github.jglommio.sys.Errno;

import java.io.IOException;

/**
 * A failed file operation whose kernel error has no more specific {@link IOException} subclass (such
 * as {@link java.nio.file.NoSuchFileException}): a full disk ({@code ENOSPC}), a file over its size
 * limit ({@code EFBIG}), a device error ({@code EIO}). The message names the call, the file and the
 * errno, e.g. {@code "write(/data/shard-0.aof) failed: ENOSPC (No space left on device)"};
 * {@link #errno()} and {@link #reason()} let a caller report it in its own words, as Redis does with
 * {@code strerror}.
 */
public final class ErrnoException extends IOException {

    private final int errno;

    ErrnoException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    /** The kernel's error number, positive ({@link Errno#ENOSPC}, ...). */
    public int errno() {
        return errno;
    }

    /** What {@code strerror(3)} says for {@link #errno()}, e.g. {@code "No space left on device"}. */
    public String reason() {
        return Errno.reason(errno);
    }
}
