package io.github.jglommio.kv.command;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * The x87 80-bit extended float that C's {@code long double} is on x86-64 Linux, which Redis's
 * HINCRBYFLOAT computes in: parsed as glibc's {@code strtold} does, added with one correct
 * rounding, printed as {@code "%.17Lf"} without trailing zeros. Computing in {@code double}
 * would answer {@code 0.30000000000000004} where Redis answers {@code 0.3}. Immutable.
 *
 * <p>A finite value is {@code (-1)^negative × significand × 2^exponent} with a significand below
 * 2^64, rounded to nearest-even at 64 bits, down to the subnormals (smallest exponent
 * {@value #MIN_EXPONENT}); a result from 2^16384 up overflows to infinity.
 */
final class LongDouble {
    /** The exponent of the subnormals and of the smallest normal value, 2^-16382 = 2^63 × 2^-16445. */
    static final int MIN_EXPONENT = -16445;
    /** The exponent of the largest values: (2^64 - 1) × 2^16320 is just below 2^16384. */
    static final int MAX_EXPONENT = 16320;
    /** Longest text {@code string2ld} takes: its buffer is 5 KiB with the terminating NUL. */
    static final int MAX_CHARS = 5 * 1024 - 1;

    private static final int BITS = 64;
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(BITS);
    private static final BigInteger TWO_63 = BigInteger.ONE.shiftLeft(BITS - 1);
    static final LongDouble ZERO = new LongDouble(false, BigInteger.ZERO, 0, false);
    static final LongDouble POSITIVE_INFINITY = new LongDouble(false, BigInteger.ZERO, 0, true);
    static final LongDouble NEGATIVE_INFINITY = new LongDouble(true, BigInteger.ZERO, 0, true);

    private final boolean negative;
    private final BigInteger significand;
    private final int exponent;
    private final boolean infinite;

    private LongDouble(boolean negative, BigInteger significand, int exponent, boolean infinite) {
        this.negative = negative;
        this.significand = significand;
        this.exponent = exponent;
        this.infinite = infinite;
    }

    /** Exactly {@code v}: every 64-bit integer fits the significand. */
    static LongDouble of(long v) {
        BigInteger m = BigInteger.valueOf(v);
        return v == 0 ? ZERO : new LongDouble(v < 0, m.abs(), 0, false);
    }

    /** @return whether this is neither infinite nor NaN (NaN is never made) */
    boolean isFinite() {
        return !infinite;
    }

    /**
     * Parses text as Redis's {@code string2ld}: {@code strtold} must take all of it, it must not
     * start with a space, and it must not be NaN, overflow, or underflow to zero. Accepts decimal
     * and hexadecimal ({@code 0x1.8p3}) numbers and {@code inf}/{@code infinity} in any case.
     *
     * @param a the text
     * @return the value, possibly infinite, or {@code null} if Redis would reject it
     */
    static LongDouble parse(byte[] a) {
        if (a.length == 0 || a.length > MAX_CHARS) {
            return null;
        }
        int p = 0;
        boolean neg = false;
        if (a[0] == '+' || a[0] == '-') {
            neg = a[0] == '-';
            p = 1;
        }
        if (matchesWord(a, p, "infinity") || matchesWord(a, p, "inf")) {
            return neg ? NEGATIVE_INFINITY : POSITIVE_INFINITY;
        }
        if (a.length - p > 2 && a[p] == '0' && (a[p + 1] == 'x' || a[p + 1] == 'X')) {
            return parseHex(a, p + 2, neg);
        }
        return parseDecimal(a, p, neg);
    }

    /** Whether {@code a[p..]} is exactly {@code word}, ignoring ASCII case. */
    private static boolean matchesWord(byte[] a, int p, String word) {
        if (a.length - p != word.length()) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if ((a[p + i] | 0x20) != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** digits [. digits] [e|E [sign] digits], at least one mantissa digit. */
    private static LongDouble parseDecimal(byte[] a, int p, boolean neg) {
        StringBuilder digits = new StringBuilder();
        long scale = 0; // value = digits × 10^(exp10 - scale)
        boolean any = false;
        boolean dot = false;
        for (; p < a.length; p++) {
            byte b = a[p];
            if (b >= '0' && b <= '9') {
                any = true;
                if (digits.length() > 0 || b != '0') {
                    digits.append((char) b);
                }
                if (dot) {
                    scale++;
                }
            } else if (b == '.' && !dot) {
                dot = true;
            } else {
                break;
            }
        }
        if (!any) {
            return null;
        }
        long exp10 = 0;
        if (p < a.length) {
            if (a[p] != 'e' && a[p] != 'E') {
                return null;
            }
            exp10 = exponentDigits(a, p + 1);
            if (exp10 == Long.MIN_VALUE) {
                return null;
            }
        }
        if (digits.length() == 0) {
            return ZERO;
        }
        long e = exp10 - scale;
        long magnitude = digits.length() + e; // the value is below 10^magnitude, at least 10^(magnitude-1)
        if (magnitude > 4934) {
            return null; // above the largest long double, about 1.19e4932: ERANGE
        }
        if (magnitude < -4955) {
            return null; // below half the smallest subnormal, about 3.6e-4951: rounds to zero
        }
        BigInteger d = new BigInteger(digits.toString());
        LongDouble v = e >= 0
            ? round(neg, d.multiply(BigInteger.TEN.pow((int) e)), BigInteger.ONE, 0)
            : round(neg, d, BigInteger.TEN.pow((int) -e), 0);
        return v.infinite || v.significand.signum() == 0 ? null : v;
    }

    /** hexdigits [. hexdigits] [p|P [sign] digits], at least one mantissa digit, after "0x". */
    private static LongDouble parseHex(byte[] a, int p, boolean neg) {
        BigInteger m = BigInteger.ZERO;
        long shift = 0;
        boolean any = false;
        boolean dot = false;
        for (; p < a.length; p++) {
            int h = Character.digit(a[p], 16);
            if (h >= 0) {
                any = true;
                m = m.shiftLeft(4).or(BigInteger.valueOf(h));
                if (dot) {
                    shift -= 4;
                }
            } else if (a[p] == '.' && !dot) {
                dot = true;
            } else {
                break;
            }
        }
        if (!any) {
            return null; // strtold read only the "0": the "x" is left over
        }
        if (p < a.length) {
            if (a[p] != 'p' && a[p] != 'P') {
                return null;
            }
            long e = exponentDigits(a, p + 1);
            if (e == Long.MIN_VALUE) {
                return null;
            }
            shift += e;
        }
        if (m.signum() == 0) {
            return ZERO;
        }
        long magnitude = m.bitLength() + shift;
        if (magnitude > 16385 || magnitude < MIN_EXPONENT - 2) {
            return null;
        }
        LongDouble v = round(neg, m, BigInteger.ONE, (int) shift);
        return v.infinite || v.significand.signum() == 0 ? null : v;
    }

    /**
     * The exponent after 'e' or 'p' running to the end of the text, clamped far outside any range
     * that matters; {@link Long#MIN_VALUE} if it is not [sign] digits.
     */
    private static long exponentDigits(byte[] a, int p) {
        boolean neg = false;
        if (p < a.length && (a[p] == '+' || a[p] == '-')) {
            neg = a[p] == '-';
            p++;
        }
        if (p == a.length) {
            return Long.MIN_VALUE;
        }
        long e = 0;
        for (; p < a.length; p++) {
            if (a[p] < '0' || a[p] > '9') {
                return Long.MIN_VALUE;
            }
            e = Math.min(1_000_000_000L, e * 10 + (a[p] - '0'));
        }
        return neg ? -e : e;
    }

    /**
     * The long double nearest to {@code (num / den) × 2^e0} (ties to even), or an infinity when it
     * overflows; {@code num >= 0}, {@code den > 0}.
     */
    private static LongDouble round(boolean neg, BigInteger num, BigInteger den, int e0) {
        if (num.signum() == 0) {
            return ZERO;
        }
        // Choose e so that q = num / den × 2^(e0 - e) lies in [2^63, 2^64), or e = MIN_EXPONENT
        // for a subnormal; then round q to an integer.
        long e = (long) e0 + num.bitLength() - den.bitLength() - BITS;
        BigInteger q;
        BigInteger r;
        BigInteger d;
        while (true) {
            e = Math.max(e, MIN_EXPONENT);
            long s = e0 - e; // multiply by 2^s
            BigInteger n = s >= 0 ? num.shiftLeft((int) s) : num;
            d = s >= 0 ? den : den.shiftLeft((int) -s);
            BigInteger[] qr = n.divideAndRemainder(d);
            q = qr[0];
            r = qr[1];
            if (q.compareTo(TWO_64) >= 0) {
                e++;
            } else if (q.compareTo(TWO_63) < 0 && e > MIN_EXPONENT) {
                e--;
            } else {
                break;
            }
        }
        int c = r.shiftLeft(1).compareTo(d);
        if (c > 0 || (c == 0 && q.testBit(0))) {
            q = q.add(BigInteger.ONE);
            if (q.equals(TWO_64)) {
                q = TWO_63;
                e++;
            }
        }
        if (e > MAX_EXPONENT) {
            return neg ? NEGATIVE_INFINITY : POSITIVE_INFINITY;
        }
        return q.signum() == 0 ? ZERO : new LongDouble(neg, q, (int) e, false);
    }

    /**
     * The correctly rounded sum, as the FPU adds; infinite on overflow. Both must be finite.
     *
     * @param o the other addend
     * @return this + o
     */
    LongDouble add(LongDouble o) {
        if (infinite || o.infinite) {
            throw new IllegalArgumentException("only finite values add here");
        }
        if (significand.signum() == 0) {
            return o;
        }
        if (o.significand.signum() == 0) {
            return this;
        }
        int e = Math.min(exponent, o.exponent);
        BigInteger a = significand.shiftLeft(exponent - e);
        BigInteger b = o.significand.shiftLeft(o.exponent - e);
        BigInteger sum = (negative ? a.negate() : a).add(o.negative ? b.negate() : b);
        return round(sum.signum() < 0, sum.abs(), BigInteger.ONE, e);
    }

    /**
     * Formats a finite value as Redis's {@code ld2string(..., LD_STR_HUMAN)}: {@code "%.17Lf"}
     * (exact decimal expansion rounded half-even to 17 places, as glibc prints), then trailing
     * zeros and a trailing point removed, and {@code -0} written {@code 0}.
     *
     * @return the ASCII text
     */
    byte[] toHumanString() {
        if (infinite) {
            throw new IllegalStateException("infinite");
        }
        BigDecimal exact = exponent >= 0
            ? new BigDecimal(significand.shiftLeft(exponent))
            : new BigDecimal(significand.multiply(BigInteger.valueOf(5).pow(-exponent)), -exponent);
        BigDecimal rounded = exact.setScale(17, RoundingMode.HALF_EVEN);
        String s = rounded.stripTrailingZeros().toPlainString();
        if (rounded.signum() == 0) {
            s = "0";
        } else if (negative) {
            s = "-" + s;
        }
        return Args.ascii(s);
    }

    @Override
    public String toString() {
        return infinite ? (negative ? "-inf" : "inf") : new String(toHumanString(), java.nio.charset.StandardCharsets.US_ASCII);
    }
}
