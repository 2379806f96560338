package io.github.jglommio.kv.aof;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A record in the middle of an append-only log cannot be read or replayed: the log is refused rather
 * than silently cut short, since the records after the bad one may have been acknowledged. (An
 * incomplete <em>last</em> record, left by a crash during a write, is not an error: replay drops it
 * and logs how many bytes it dropped.)
 *
 * <p>Threading: an immutable exception.
 */
public final class CorruptLogException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long offset;

    /** The record starting at {@code offset} of {@code file} is bad; {@code detail} says why. */
    public CorruptLogException(Path file, long offset, String detail, Throwable cause) {
        super("corrupt append-only log " + file + ": bad record at offset " + offset + ": " + detail
                + " (repair or remove the file; the records after this one cannot be trusted)", cause);
        this.file = file;
        this.offset = offset;
    }

    /** The log file. */
    public Path file() {
        return file;
    }

    /** The byte offset in the file where the bad record starts. */
    public long offset() {
        return offset;
    }
}
