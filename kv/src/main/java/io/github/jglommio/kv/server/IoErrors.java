package io.github.jglommio.kv.server;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Says what went wrong with a file in words an operator reads: the JDK's file exceptions carry only
 * the path as their message ({@code NoSuchFileException: /proc/forbidden}). Stateless; any thread.
 */
final class IoErrors {

    private IoErrors() {
    }

    /** {@code path: cause}, e.g. {@code /proc/forbidden: no such file or directory}. */
    static String describe(IOException e) {
        if (!(e instanceof FileSystemException fs)) {
            return e.getMessage();
        }
        String cause = switch (fs) {
            case NoSuchFileException x -> "no such file or directory";
            case AccessDeniedException x -> "permission denied";
            case FileAlreadyExistsException x -> "a file of that name exists";
            case NotDirectoryException x -> "not a directory";
            default -> fs.getReason() != null ? fs.getReason() : fs.getClass().getSimpleName();
        };
        String path = fs.getFile() != null ? fs.getFile() : "";
        return (path.isEmpty() ? "" : path + ": ") + cause
                + (fs.getOtherFile() != null ? " (" + fs.getOtherFile() + ")" : "");
    }
}
