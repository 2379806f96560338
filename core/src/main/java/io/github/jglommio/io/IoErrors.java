package io.github.jglommio.io;

import io.github.jglommio.sys.Errno;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** Turns {@code -errno} results into exceptions that name the call, the target and the errno. */
final class IoErrors {

    private IoErrors() {
    }

    /** Returns {@code res} when it is not an error; throws the matching exception otherwise. */
    static int check(int res, String op, Object target) throws IOException {
        if (res >= 0) {
            return res;
        }
        throw exception(-res, op, target);
    }

    static long check(long res, String op, Object target) throws IOException {
        if (res >= 0) {
            return res;
        }
        throw exception((int) -res, op, target);
    }

    static IOException exception(int errno, String op, Object target) {
        String message = op + "(" + target + ") failed: " + Errno.describe(errno);
        String file = String.valueOf(target);
        return switch (errno) {
            case Errno.ENOENT -> new NoSuchFileException(file) {
                @Override
                public String getMessage() {
                    return message;
                }
            };
            case Errno.EEXIST -> new FileAlreadyExistsException(file) {
                @Override
                public String getMessage() {
                    return message;
                }
            };
            case Errno.EACCES, Errno.EPERM -> new AccessDeniedException(file) {
                @Override
                public String getMessage() {
                    return message;
                }
            };
            case Errno.ENOTDIR -> new NotDirectoryException(file) {
                @Override
                public String getMessage() {
                    return message;
                }
            };
            case Errno.ENOTEMPTY -> new DirectoryNotEmptyException(file) {
                @Override
                public String getMessage() {
                    return message;
                }
            };
            default -> new ErrnoException(message, errno);
        };
    }
}
