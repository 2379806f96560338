package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.RespWriter;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * Sorted-set scores as Redis 7.0 reads and prints them: read by C's {@code strtod} (decimal,
 * hexadecimal, {@code inf}, {@code infinity}), printed with {@code %.17g}. Stateless.
 */
final class Scores {
    /** The reply to an argument that is not a score. */
    static final String NOT_FLOAT = CommandError.NOT_FLOAT;
    /** The reply to an operation whose result is NaN ({@code +inf} plus {@code -inf}). */
    static final String NAN = "ERR resulting score is not a number (NaN)";

    private static final MathContext SEVENTEEN = new MathContext(17, RoundingMode.HALF_EVEN);

    private Scores() {
    }

    /**
     * Reads a score argument strictly, as Redis's {@code getDoubleFromObject}: the whole argument
     * must be a number, without leading space; NaN, an overflow to infinity and an underflow to
     * zero are refused.
     *
     * @param a the argument
     * @param message the error text on failure
     * @return the score
     * @throws CommandError with {@code message} if it is not one
     */
    static double parse(byte[] a, String message) {
        if (a.length == 0 || isSpace(a[0])) {
            throw new CommandError(message);
        }
        long r = scan(a, 0, a.length);
        if (end(r) != a.length || (flags(r) & NAN_FLAG) != 0) {
            throw new CommandError(message);
        }
        double v = value(a, 0, r);
        if ((flags(r) & INF) == 0 && outOfRange(a, 0, a.length, v, (flags(r) & HEX) != 0)) {
            throw new CommandError(message);
        }
        return v;
    }

    /**
     * Reads a score range bound after its optional {@code (}, as Redis's {@code zslParseRange}:
     * plain {@code strtod} on the C string, so leading spaces are skipped, the text ends at a NUL
     * byte, an empty text is 0, overflows give infinities; only trailing garbage and NaN fail.
     *
     * @param a the argument
     * @param from where the number starts (1 after a {@code (})
     * @return the bound
     * @throws CommandError {@code ERR min or max is not a float} on failure
     */
    static double parseBound(byte[] a, int from) {
        int to = from;
        while (to < a.length && a[to] != 0) {
            to++;
        }
        int start = from;
        while (start < to && isSpace(a[start])) {
            start++;
        }
        long r = scan(a, start, to);
        int end = end(r);
        if (end == start) {
            // Nothing converted: strtod leaves its end pointer at the very beginning.
            if (from == to) {
                return 0;
            }
            throw new CommandError(ZRange.NOT_FLOAT_RANGE);
        }
        if (end != to || (flags(r) & NAN_FLAG) != 0) {
            throw new CommandError(ZRange.NOT_FLOAT_RANGE);
        }
        return value(a, start, r);
    }

    /**
     * Formats a score as Redis 7.0 replies it: {@code inf}, {@code -inf}, else C's {@code %.17g}
     * ({@code 1}, {@code 1.5}, {@code 0.10000000000000001}, {@code 1e+17}, {@code -0}).
     *
     * @param d the score, not NaN
     * @return its ASCII text
     */
    static byte[] format(double d) {
        return formatString(d).getBytes(StandardCharsets.US_ASCII);
    }

    /** Appends a score as a double (a bulk string under RESP2), formatted as {@link #format(double)}. */
    static void write(RespWriter out, double d) {
        out.doubleValue(format(d));
    }

    /**
     * Formats a score for the log: the shortest text that reads back as the same double, with
     * {@code -0} kept.
     */
    static byte[] forLog(double d) {
        if (d == 0 && 1 / d < 0) {
            return new byte[] {'-', '0'};
        }
        return RespWriter.formatDouble(d);
    }

    static String formatString(double d) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0" : "0";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e17) {
            // An integer of at most 17 digits prints exactly, without a fraction.
            return Long.toString((long) d);
        }
        double abs = Math.abs(d);
        String digits;
        int exp;
        long fast = abs >= 1e-5 && abs < 1e17 ? seventeenDigits(abs) : -1;
        if (fast >= 0) {
            digits = Long.toString(fast >>> 5);
            exp = (int) (fast & 31) - 8;
        } else {
            BigDecimal rounded = new BigDecimal(d).round(SEVENTEEN);
            digits = rounded.unscaledValue().abs().toString();
            exp = rounded.precision() - rounded.scale() - 1;
        }
        int n = digits.length();
        while (n > 1 && digits.charAt(n - 1) == '0') {
            n--;
        }
        digits = digits.substring(0, n);
        StringBuilder sb = new StringBuilder(24);
        if (d < 0) {
            sb.append('-');
        }
        if (exp >= -4 && exp < 17) {
            if (exp >= 0) {
                if (n <= exp + 1) {
                    sb.append(digits).append("0".repeat(exp + 1 - n));
                } else {
                    sb.append(digits, 0, exp + 1).append('.').append(digits, exp + 1, n);
                }
            } else {
                sb.append("0.").append("0".repeat(-exp - 1)).append(digits);
            }
        } else {
            sb.append(digits.charAt(0));
            if (n > 1) {
                sb.append('.').append(digits, 1, n);
            }
            sb.append('e').append(exp < 0 ? '-' : '+');
            int e = Math.abs(exp);
            if (e < 10) {
                sb.append('0');
            }
            sb.append(e);
        }
        return sb.toString();
    }

    private static final long[] POW10 = new long[20];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10; // 10^19 overflows into the sign bit: read it unsigned
        }
    }

    /**
     * The 17 significant digits of a non-integral {@code a} in [1e-5, 1e17), rounded half to even
     * from its exact binary value as printf does, packed as {@code digits << 5 | (exponent + 8)};
     * -1 if the estimate of the exponent does not settle. Exact 128-bit arithmetic: a is
     * m * 2^-q with m below 2^53 and q at most 70, the digits are m * 10^p / 2^q with p at most 21.
     */
    static long seventeenDigits(double a) {
        long bits = Double.doubleToRawLongBits(a);
        long m = (bits & ((1L << 52) - 1)) | (1L << 52);
        int q = 1075 - (int) (bits >>> 52);
        if (q <= 0 || q > 127) {
            return -1;
        }
        int x = (int) Math.floor(Math.log10(a));
        for (int attempt = 0; attempt < 3; attempt++) {
            int p = 16 - x;
            if (p < 0 || p > 21) {
                return -1;
            }
            long t = POW10[Math.min(p, 19)];
            long lo = m * t;
            long hi = Math.unsignedMultiplyHigh(m, t);
            for (int k = 19; k < p; k++) {
                long carry = Math.unsignedMultiplyHigh(lo, 10);
                lo *= 10;
                hi = hi * 10 + carry;
            }
            // n = P >> q, and the remainder against half of 2^q decides the rounding.
            long n;
            int cmp;
            if (q < 64) {
                n = (hi << (64 - q)) | (lo >>> q);
                if ((hi >>> q) != 0) {
                    n = Long.MAX_VALUE; // far too big: the exponent estimate was low
                }
                long rem = lo & ((1L << q) - 1);
                cmp = Long.compareUnsigned(rem, 1L << (q - 1));
            } else {
                n = q == 64 ? hi : hi >>> (q - 64);
                long remHi = q == 64 ? 0 : hi & ((1L << (q - 64)) - 1);
                long halfHi = q == 64 ? 0 : 1L << (q - 65);
                long halfLo = q == 64 ? 1L << 63 : 0;
                cmp = remHi != halfHi ? Long.compareUnsigned(remHi, halfHi) : Long.compareUnsigned(lo, halfLo);
            }
            if (n < 0 || Long.compareUnsigned(n, POW10[17]) >= 0) {
                x++;
                continue;
            }
            if (n < POW10[16]) {
                x--;
                continue;
            }
            if (cmp > 0 || (cmp == 0 && (n & 1) == 1)) {
                n++;
            }
            if (n == POW10[17]) {
                n = POW10[16];
                x++;
            }
            return n << 5 | (x + 8);
        }
        return -1;
    }

    // ---- a strtod scanner -------------------------------------------------------------------

    // scan() packs its result in a long: the end index in the low 32 bits, flags above.
    private static final long HEX = 1L << 32;
    private static final long INF = 1L << 33;
    private static final long NAN_FLAG = 1L << 34;

    private static int end(long r) {
        return (int) r;
    }

    private static long flags(long r) {
        return r & ~0xFFFFFFFFL;
    }

    static boolean isSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }

    /**
     * Finds where C's strtod stops reading a number at {@code from} (spaces already skipped):
     * {@code from} itself when nothing converts.
     */
    private static long scan(byte[] a, int from, int to) {
        int i = from;
        if (i < to && (a[i] == '+' || a[i] == '-')) {
            i++;
        }
        if (matches(a, i, to, "inf")) {
            return (matches(a, i, to, "infinity") ? i + 8 : i + 3) | INF;
        }
        if (matches(a, i, to, "nan")) {
            int j = i + 3;
            if (j < to && a[j] == '(') {
                int k = j + 1;
                while (k < to && (hexDigit(a[k]) || (a[k] >= 'g' && a[k] <= 'z') || (a[k] >= 'G' && a[k] <= 'Z')
                        || a[k] == '_')) {
                    k++;
                }
                if (k < to && a[k] == ')') {
                    j = k + 1;
                }
            }
            return j | NAN_FLAG;
        }
        boolean hex = i + 1 < to && a[i] == '0' && (a[i + 1] == 'x' || a[i + 1] == 'X');
        if (hex) {
            int j = i + 2;
            int digits = 0;
            while (j < to && hexDigit(a[j])) {
                j++;
                digits++;
            }
            if (j < to && a[j] == '.') {
                j++;
                while (j < to && hexDigit(a[j])) {
                    j++;
                    digits++;
                }
            }
            if (digits > 0) {
                return exponent(a, j, to, 'p', 'P') | HEX;
            }
            // "0x" without digits: strtod reads the 0 and stops at the x.
            return i + 1;
        }
        int j = i;
        int digits = 0;
        while (j < to && a[j] >= '0' && a[j] <= '9') {
            j++;
            digits++;
        }
        if (j < to && a[j] == '.') {
            j++;
            while (j < to && a[j] >= '0' && a[j] <= '9') {
                j++;
                digits++;
            }
        }
        if (digits == 0) {
            return from;
        }
        return exponent(a, j, to, 'e', 'E');
    }

    /** The end of an optional exponent at {@code j}, read only if digits follow its letter and sign. */
    private static int exponent(byte[] a, int j, int to, char lower, char upper) {
        if (j < to && (a[j] == lower || a[j] == upper)) {
            int k = j + 1;
            if (k < to && (a[k] == '+' || a[k] == '-')) {
                k++;
            }
            if (k < to && a[k] >= '0' && a[k] <= '9') {
                while (k < to && a[k] >= '0' && a[k] <= '9') {
                    k++;
                }
                return k;
            }
        }
        return j;
    }

    /** Whether the finite number a[from, to) read as {@code v} set strtod's ERANGE: overflow to an infinity, or underflow to zero. */
    private static boolean outOfRange(byte[] a, int from, int to, double v, boolean hex) {
        if (Double.isInfinite(v)) {
            return true;
        }
        if (v == 0) {
            int i = from;
            if (a[i] == '+' || a[i] == '-') {
                i++;
            }
            if (hex) {
                i += 2;
            }
            for (; i < to; i++) {
                byte b = a[i];
                if (b == 'e' || b == 'E' || (hex && (b == 'p' || b == 'P'))) {
                    break;
                }
                if (b != '0' && b != '.') {
                    return true;
                }
            }
        }
        return false;
    }

    private static double value(byte[] a, int from, long r) {
        boolean negative = a[from] == '-';
        long f = flags(r);
        if ((f & INF) != 0) {
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if ((f & NAN_FLAG) != 0) {
            return Double.NaN;
        }
        return parseText(a, from, end(r), (f & HEX) != 0);
    }

    private static double parseText(byte[] a, int from, int to, boolean hex) {
        String s = new String(a, from, to - from, StandardCharsets.US_ASCII);
        if (hex && s.indexOf('p') < 0 && s.indexOf('P') < 0) {
            s += "p0"; // Java needs the binary exponent that C lets one omit
        }
        return Double.parseDouble(s);
    }

    private static boolean hexDigit(byte b) {
        return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
    }

    /** Whether a[i..] starts with {@code word}, ignoring ASCII case. */
    private static boolean matches(byte[] a, int i, int to, String word) {
        if (to - i < word.length()) {
            return false;
        }
        for (int k = 0; k < word.length(); k++) {
            int b = a[i + k];
            if (b >= 'A' && b <= 'Z') {
                b += 'a' - 'A';
            }
            if (b != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }
}
