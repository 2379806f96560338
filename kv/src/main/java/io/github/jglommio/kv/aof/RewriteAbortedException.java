package io.github.jglommio.kv.aof;

import java.nio.file.Path;

/** Thrown inside a rewrite to stop it because the log is closing. Package-private: never escapes the log. */
final class RewriteAbortedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    RewriteAbortedException(Path log) {
        super("rewrite of " + log + " aborted: the log is closing", null, false, false);
    }
}
