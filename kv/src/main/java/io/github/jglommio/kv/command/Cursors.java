package io.github.jglommio.kv.command;

/**
 * Parses a SCAN-family cursor argument as Redis 7.0 does (with {@code strtoul}), for the
 * commands that the server rather than a keyspace handler answers (SCAN). Stateless.
 */
public final class Cursors {
    private Cursors() {
    }

    /**
     * Parses a cursor: optional sign, decimal digits up to 2^64-1, a negative one wrapping round
     * as {@code strtoul} wraps it; the empty text is cursor 0.
     *
     * @param a the argument
     * @return the cursor, as an unsigned long
     * @throws NumberFormatException if Redis would answer {@code ERR invalid cursor}
     */
    public static long parse(byte[] a) {
        try {
            return CollectionScan.parseCursor(a);
        } catch (CommandError e) {
            throw new NumberFormatException(e.getMessage());
        }
    }
}
