package io.github.jglommio.kv.resp;

/**
 * Strict decimal integer parsing over byte ranges, with Redis's rules: an optional {@code -}, then
 * digits with no leading zero (except {@code 0} itself), no {@code +}, no spaces, and the value
 * must fit in a signed 64-bit integer. Stateless and thread-safe.
 */
public final class Ascii {
    private Ascii() {
    }

    /**
     * Parses {@code a[off, off + len)} as a decimal {@code long}.
     *
     * @param a the bytes
     * @param off the first byte
     * @param len the number of bytes
     * @return the value
     * @throws NumberFormatException if the bytes are not a canonical integer or overflow
     */
    public static long parseLong(byte[] a, int off, int len) {
        long v = parseOr(a, off, len, Long.MIN_VALUE);
        if (v == Long.MIN_VALUE && !isMinValue(a, off, len)) {
            throw new NumberFormatException("not an integer");
        }
        return v;
    }

    /**
     * Parses a whole array as a decimal {@code long}.
     *
     * @param a the bytes
     * @return the value
     * @throws NumberFormatException if the bytes are not a canonical integer or overflow
     */
    public static long parseLong(byte[] a) {
        return parseLong(a, 0, a.length);
    }

    /**
     * Parses {@code a[off, off + len)} as a decimal {@code long}, returning {@code invalid} instead
     * of throwing; for callers that can pick a value that cannot be valid for them.
     *
     * @param a the bytes
     * @param off the first byte
     * @param len the number of bytes
     * @param invalid the value to return when the bytes are not a canonical integer
     * @return the value or {@code invalid}
     */
    public static long parseOr(byte[] a, int off, int len, long invalid) {
        if (len <= 0 || len > 20) {
            return invalid;
        }
        int p = off;
        int end = off + len;
        boolean negative = a[p] == '-';
        if (negative && ++p == end) {
            return invalid;
        }
        if (a[p] == '0') {
            // "0" alone is canonical; "01", "-0" and "00" are not.
            return (p + 1 == end && !negative) ? 0 : invalid;
        }
        // Accumulate as a negative number so that Long.MIN_VALUE fits.
        long acc = 0;
        for (; p < end; p++) {
            int d = a[p] - '0';
            if (d < 0 || d > 9) {
                return invalid;
            }
            if (acc < (Long.MIN_VALUE + d) / 10) {
                return invalid;
            }
            acc = acc * 10 - d;
        }
        if (negative) {
            return acc;
        }
        return acc == Long.MIN_VALUE ? invalid : -acc;
    }

    private static boolean isMinValue(byte[] a, int off, int len) {
        byte[] min = {'-', '9', '2', '2', '3', '3', '7', '2', '0', '3', '6', '8', '5', '4', '7', '7', '5', '8', '0', '8'};
        return len == min.length && java.util.Arrays.equals(a, off, off + len, min, 0, min.length);
    }
}
