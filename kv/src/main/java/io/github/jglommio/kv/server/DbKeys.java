package io.github.jglommio.kv.server;

import io.github.jglommio.kv.resp.Ascii;
import io.github.jglommio.kv.resp.Command;

/**
 * Which database each key of a command is in. Almost every command works on the connection's
 * selected database; two reach into another one: {@code COPY src dst DB n} writes {@code dst} in
 * database {@code n}, and {@code MOVE key n} writes {@code key} in database {@code n} as well. The
 * watches and the cross-shard transactions use this to see those keys. Stateless.
 */
final class DbKeys {
    private DbKeys() {
    }

    /**
     * The database of the key at argument {@code keyArg} of {@code c}, run in database {@code db}
     * of {@code count}: {@code db}, except for COPY's destination with a valid {@code DB n}.
     */
    static int dbOfKey(Command c, int keyArg, int db, int count) {
        if (keyArg != 2 || c.argCount() < 5 || !isName(c.arg(0), "copy")) {
            return db;
        }
        for (int i = 3; i + 1 < c.argCount(); i++) {
            if (isName(c.arg(i), "db")) {
                long n = Ascii.parseOr(c.arg(i + 1), 0, c.arg(i + 1).length, -1);
                return n >= 0 && n < count ? (int) n : db;
            }
        }
        return db;
    }

    /** For {@code MOVE key n} with a valid {@code n}: {@code n}, the database it also writes; else -1. */
    static int otherDb(Command c, int count) {
        if (c.argCount() != 3 || !isName(c.arg(0), "move")) {
            return -1;
        }
        long n = Ascii.parseOr(c.arg(2), 0, c.arg(2).length, -1);
        return n >= 0 && n < count ? (int) n : -1;
    }

    static boolean isName(byte[] n, String lower) {
        if (n.length != lower.length()) {
            return false;
        }
        for (int i = 0; i < n.length; i++) {
            if ((n[i] | 0x20) != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
