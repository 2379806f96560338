package io.github.jglommio.kv.store;

/**
 * Redis glob-style pattern matching over bytes, as {@code KEYS} and {@code SCAN MATCH} use it:
 * {@code *} any run of bytes, {@code ?} any one byte, {@code [abc]} a set, {@code [^a]} its
 * complement, {@code [a-z]} a range (reversed ranges are swapped), {@code \x} the byte {@code x}
 * literally (inside or outside a set). An unterminated set extends to the end of the pattern.
 * Stateless and thread-safe.
 */
public final class Glob {
    private Glob() {
    }

    /**
     * Returns whether {@code subject} matches {@code pattern} as a whole.
     *
     * @param pattern the glob pattern
     * @param subject the bytes to test
     * @return {@code true} on a match
     */
    public static boolean matches(byte[] pattern, byte[] subject) {
        int p = 0;
        int s = 0;
        // Every token but '*' matches exactly one byte, so on a mismatch it is enough to let the
        // most recent '*' swallow one more byte and retry: O(pattern * subject) at worst.
        int starP = -1;
        int starS = -1;
        while (s < subject.length) {
            if (p < pattern.length && pattern[p] == '*') {
                while (p < pattern.length && pattern[p] == '*') {
                    p++;
                }
                if (p == pattern.length) {
                    return true;
                }
                starP = p;
                starS = s;
                continue;
            }
            if (p < pattern.length) {
                int next = matchOne(pattern, p, subject[s]);
                if (next >= 0) {
                    p = next;
                    s++;
                    continue;
                }
            }
            if (starP < 0) {
                return false;
            }
            p = starP;
            s = ++starS;
        }
        while (p < pattern.length && pattern[p] == '*') {
            p++;
        }
        return p == pattern.length;
    }

    /**
     * Returns whether the pattern matches every subject, so callers can skip matching.
     *
     * @param pattern the glob pattern, or null
     * @return {@code true} for null or a non-empty pattern made only of {@code *}
     */
    public static boolean matchesAll(byte[] pattern) {
        if (pattern == null) {
            return true;
        }
        if (pattern.length == 0) {
            return false;
        }
        for (byte b : pattern) {
            if (b != '*') {
                return false;
            }
        }
        return true;
    }

    /** Matches the token at pattern[p] against c; returns the index after the token, or -1. */
    private static int matchOne(byte[] pattern, int p, byte c) {
        byte t = pattern[p];
        if (t == '?') {
            return p + 1;
        }
        if (t == '[') {
            return matchSet(pattern, p + 1, c);
        }
        if (t == '\\' && p + 1 < pattern.length) {
            return pattern[p + 1] == c ? p + 2 : -1;
        }
        return t == c ? p + 1 : -1;
    }

    private static int matchSet(byte[] pattern, int q, byte c) {
        boolean negate = q < pattern.length && pattern[q] == '^';
        if (negate) {
            q++;
        }
        boolean hit = false;
        int value = c & 0xff;
        while (q < pattern.length && pattern[q] != ']') {
            if (pattern[q] == '\\' && q + 1 < pattern.length) {
                hit |= pattern[q + 1] == c;
                q += 2;
            } else if (q + 2 < pattern.length && pattern[q + 1] == '-') {
                int lo = pattern[q] & 0xff;
                int hi = pattern[q + 2] & 0xff;
                hit |= value >= Math.min(lo, hi) && value <= Math.max(lo, hi);
                q += 3;
            } else {
                hit |= pattern[q] == c;
                q++;
            }
        }
        int next = q < pattern.length ? q + 1 : q;
        return hit != negate ? next : -1;
    }
}
