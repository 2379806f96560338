package io.github.jglommio.kv.resp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits an inline request line into arguments with Redis's shell-like rules: arguments are
 * separated by white space; {@code "..."} understands {@code \n \r \t \b \a \xHH} and
 * {@code \<any>}; {@code '...'} understands {@code \'}; a closing quote must be followed by white
 * space or the end of the line; a quote may open in the middle of an argument. Stateless.
 */
final class InlineSplitter {
    private static final byte[][] NONE = new byte[0][];

    private InlineSplitter() {
    }

    /** Returns the arguments, an empty array for a blank line, or null for unbalanced quotes. */
    static byte[][] split(byte[] a, int off, int len) {
        int p = off;
        int end = off + len;
        List<byte[]> out = null;
        byte[] cur = new byte[Math.min(len, 64)];
        while (true) {
            while (p < end && isSpace(a[p])) {
                p++;
            }
            if (p == end) {
                break;
            }
            int n = 0;
            boolean inDouble = false;
            boolean inSingle = false;
            boolean done = false;
            while (!done) {
                if (cur.length < n + 1) {
                    cur = Arrays.copyOf(cur, Math.max(16, cur.length * 2));
                }
                if (inDouble) {
                    if (p == end) {
                        return null;
                    }
                    byte c = a[p];
                    if (c == '\\' && p + 3 < end && a[p + 1] == 'x' && isHex(a[p + 2]) && isHex(a[p + 3])) {
                        cur[n++] = (byte) (hex(a[p + 2]) * 16 + hex(a[p + 3]));
                        p += 3;
                    } else if (c == '\\' && p + 1 < end) {
                        p++;
                        cur[n++] = unescape(a[p]);
                    } else if (c == '"') {
                        if (p + 1 < end && !isSpace(a[p + 1])) {
                            return null;
                        }
                        done = true;
                    } else {
                        cur[n++] = c;
                    }
                } else if (inSingle) {
                    if (p == end) {
                        return null;
                    }
                    byte c = a[p];
                    if (c == '\\' && p + 1 < end && a[p + 1] == '\'') {
                        p++;
                        cur[n++] = '\'';
                    } else if (c == '\'') {
                        if (p + 1 < end && !isSpace(a[p + 1])) {
                            return null;
                        }
                        done = true;
                    } else {
                        cur[n++] = c;
                    }
                } else {
                    if (p == end) {
                        break;
                    }
                    byte c = a[p];
                    if (isSpace(c)) {
                        done = true;
                    } else if (c == '"') {
                        inDouble = true;
                    } else if (c == '\'') {
                        inSingle = true;
                    } else {
                        cur[n++] = c;
                    }
                }
                if (p < end) {
                    p++;
                }
            }
            if (out == null) {
                out = new ArrayList<>(4);
            }
            out.add(Arrays.copyOf(cur, n));
        }
        return out == null ? NONE : out.toArray(NONE);
    }

    private static byte unescape(byte c) {
        return switch (c) {
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'b' -> '\b';
            case 'a' -> 7;
            default -> c;
        };
    }

    static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == '\f';
    }

    private static boolean isHex(byte c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static int hex(byte c) {
        return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    }
}
