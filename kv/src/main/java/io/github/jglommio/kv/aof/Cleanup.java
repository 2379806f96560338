package io.github.jglommio.kv.aof;

import io.github.jglommio.io.Files;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Releasing resources on a failure path: a second failure is attached to the first, never lost or thrown instead. */
final class Cleanup {

    private Cleanup() {
    }

    /** Closes {@code c} (if not null), adding a failure to {@code primary} as suppressed. */
    static void close(AutoCloseable c, Throwable primary) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            primary.addSuppressed(e);
        }
    }

    /** Removes {@code path} if it exists, adding a failure to {@code primary} as suppressed. */
    static void removeIfPresent(Path path, Throwable primary) {
        try {
            Files.remove(path);
        } catch (NoSuchFileException e) {
            // Nothing was created, or it was renamed into place already.
        } catch (IOException | RuntimeException e) {
            primary.addSuppressed(e);
        }
    }
}
