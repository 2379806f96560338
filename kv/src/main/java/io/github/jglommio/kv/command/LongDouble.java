package io.github.jglommio.kv.command;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * The x87 80-bit extended float that C's {@code long double} is on x86-64, which Redis's
 * INCRBYFLOAT parses, adds and prints with: a 64-bit significand, binary exponents down to the
 * subnormal 2<sup>-16445</sup>, round half to even. {@link #parse} reads what glibc's
 * {@code strtold} reads (decimal and hexadecimal floats, {@code inf}, {@code infinity}) and
 * refuses what Redis refuses (leading spaces, trailing bytes, NaN, values that overflow or
 * underflow to zero); {@link #humanText()} prints like {@code printf("%.17Lf")} with the trailing
 * zeros removed. Immutable.
 */
final class LongDouble {
    /** Zero, the value of a missing key. */
    static final LongDouble ZERO = new LongDouble(false, BigInteger.ZERO, 0, false);

    /** Longer inputs are refused, as Redis's 5 KiB parse buffer does. */
    private static final int MAX_CHARS = 5 * 1024 - 1;
    private static final int PRECISION = 64;
    /** The exponent of the lowest significand bit of the smallest subnormal. */
    private static final int MIN_EXPONENT = -16445;
    /** Values at or above 2^MAX_BITS overflow to infinity. */
    private static final int MAX_BITS = 16384;
    /** Decimal exponents beyond these certainly overflow or underflow; keeps BigInteger powers bounded. */
    private static final int MAX_DECIMAL_EXPONENT = 4934;
    private static final int MIN_DECIMAL_EXPONENT = -4953;

    private final boolean negative;
    /** |value| = significand * 2^exponent, significand below 2^64. */
    private final BigInteger significand;
    private final int exponent;
    private final boolean infinite;

    private LongDouble(boolean negative, BigInteger significand, int exponent, boolean infinite) {
        this.negative = negative;
        this.significand = significand;
        this.exponent = exponent;
        this.infinite = infinite;
    }

    /**
     * Parses a float as Redis's {@code string2ld} does.
     *
     * @param text the bytes
     * @return the value, infinite for {@code inf}, or {@code null} if Redis would refuse it
     */
    static LongDouble parse(byte[] text) {
        if (text.length == 0 || text.length > MAX_CHARS || isSpace(text[0])) {
            return null;
        }
        // strtold reads a C string and stops at a NUL; Redis 7.0 then refuses the text, since
        // strtold did not read all of it.
        for (byte b : text) {
            if (b == 0) {
                return null;
            }
        }
        String s = new String(text, StandardCharsets.ISO_8859_1);
        boolean negative = s.charAt(0) == '-';
        int p = negative || s.charAt(0) == '+' ? 1 : 0;
        String body = s.substring(p);
        if (body.equalsIgnoreCase("inf") || body.equalsIgnoreCase("infinity")) {
            return new LongDouble(negative, BigInteger.ZERO, 0, true);
        }
        LongDouble v = body.length() > 1 && body.charAt(0) == '0' && (body.charAt(1) | 0x20) == 'x'
            ? parseHex(body.substring(2)) : parseDecimal(body);
        if (v == null || v.infinite) {
            return null; // malformed, or out of range (strtold's ERANGE)
        }
        return negative ? v.negate() : v;
    }

    /** Digits with at most one '.', at least one digit, then an optional e[sign]digits. */
    private static LongDouble parseDecimal(String s) {
        int i = 0;
        StringBuilder digits = new StringBuilder();
        int fraction = 0;
        boolean dot = false;
        boolean any = false;
        for (; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch >= '0' && ch <= '9') {
                any = true;
                if (digits.length() > 0 || ch != '0') {
                    digits.append(ch);
                }
                if (dot) {
                    fraction++;
                }
            } else if (ch == '.' && !dot) {
                dot = true;
            } else {
                break;
            }
        }
        if (!any) {
            return null;
        }
        long exp = 0;
        if (i < s.length()) {
            if ((s.charAt(i) | 0x20) != 'e') {
                return null;
            }
            exp = exponentPart(s, i + 1);
            if (exp == Long.MIN_VALUE) {
                return null;
            }
        }
        if (digits.length() == 0) {
            return ZERO;
        }
        long scale = exp - fraction; // value = digits * 10^scale
        long magnitude = digits.length() + scale; // value < 10^magnitude
        if (magnitude - 1 > MAX_DECIMAL_EXPONENT) {
            return infinity();
        }
        if (magnitude < MIN_DECIMAL_EXPONENT) {
            return null; // rounds to zero: strtold's underflow, which Redis refuses
        }
        BigInteger d = new BigInteger(digits.toString());
        return scale >= 0
            ? round(false, d.multiply(BigInteger.TEN.pow((int) scale)), BigInteger.ONE, 0)
            : round(false, d, BigInteger.TEN.pow((int) -scale), 0);
    }

    /** After "0x": hex digits with at most one '.', at least one digit, then an optional p[sign]digits. */
    private static LongDouble parseHex(String s) {
        int i = 0;
        BigInteger mantissa = BigInteger.ZERO;
        long fraction = 0;
        boolean dot = false;
        boolean any = false;
        for (; i < s.length(); i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d >= 0) {
                any = true;
                mantissa = mantissa.shiftLeft(4).or(BigInteger.valueOf(d));
                if (dot) {
                    fraction++;
                }
            } else if (s.charAt(i) == '.' && !dot) {
                dot = true;
            } else {
                break;
            }
        }
        if (!any) {
            return null; // "0x" alone: strtold stops after the 0
        }
        long exp = 0;
        if (i < s.length()) {
            if ((s.charAt(i) | 0x20) != 'p') {
                return null;
            }
            exp = exponentPart(s, i + 1);
            if (exp == Long.MIN_VALUE) {
                return null;
            }
        }
        if (mantissa.signum() == 0) {
            return ZERO;
        }
        long binary = exp - 4 * fraction;
        long top = mantissa.bitLength() + binary;
        if (top > MAX_BITS + 1) {
            return infinity();
        }
        if (top < MIN_EXPONENT - 1) {
            return null;
        }
        return round(false, mantissa, BigInteger.ONE, (int) binary);
    }

    /** A decimal exponent from {@code from} to the end, saturated; Long.MIN_VALUE if malformed. */
    private static long exponentPart(String s, int from) {
        int i = from;
        boolean neg = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            neg = s.charAt(i) == '-';
            i++;
        }
        if (i == s.length()) {
            return Long.MIN_VALUE;
        }
        long v = 0;
        for (; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < '0' || ch > '9') {
                return Long.MIN_VALUE;
            }
            v = Math.min(1_000_000_000L, v * 10 + (ch - '0'));
        }
        return neg ? -v : v;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }

    private static LongDouble infinity() {
        return new LongDouble(false, BigInteger.ZERO, 0, true);
    }

    /**
     * Rounds {@code num / den * 2^binExp} (num and den positive) to the nearest long double, ties
     * to even; infinite when it overflows, null when it underflows to zero (strtold's ERANGE).
     */
    private static LongDouble round(boolean negative, BigInteger num, BigInteger den, int binExp) {
        if (num.signum() == 0) {
            return ZERO;
        }
        // A first guess of the exponent that leaves 64 significant bits, corrected below.
        int q = Math.max(MIN_EXPONENT, num.bitLength() - den.bitLength() + binExp - PRECISION);
        while (true) {
            BigInteger[] qr = divide(num, den, binExp - q);
            BigInteger m = qr[0];
            if (m.bitLength() > PRECISION) {
                q++;
                continue;
            }
            if (m.bitLength() < PRECISION && q > MIN_EXPONENT) {
                q--;
                continue;
            }
            int cmp = qr[1].shiftLeft(1).compareTo(qr[2]);
            if (cmp > 0 || (cmp == 0 && m.testBit(0))) {
                m = m.add(BigInteger.ONE);
                if (m.bitLength() > PRECISION) {
                    m = m.shiftRight(1);
                    q++;
                }
            }
            if (m.signum() != 0 && m.bitLength() + (long) q > MAX_BITS) {
                return infinity();
            }
            return m.signum() == 0 ? null : new LongDouble(negative, m, q, false);
        }
    }

    /** {quotient, remainder, divisor} of num * 2^shift / den. */
    private static BigInteger[] divide(BigInteger num, BigInteger den, int shift) {
        BigInteger n = shift >= 0 ? num.shiftLeft(shift) : num;
        BigInteger d = shift >= 0 ? den : den.shiftLeft(-shift);
        BigInteger[] qr = n.divideAndRemainder(d);
        return new BigInteger[] {qr[0], qr[1], d};
    }

    private LongDouble negate() {
        return new LongDouble(!negative, significand, exponent, infinite);
    }

    /** @return whether this is finite: {@code inf} parses, NaN never does */
    boolean isFinite() {
        return !infinite;
    }

    /**
     * Adds as the FPU does: the exact sum rounded once.
     *
     * @param other the addend
     * @return the sum, or {@code null} when it is infinite or NaN
     */
    LongDouble plus(LongDouble other) {
        if (infinite || other.infinite) {
            return null; // inf + x is inf, inf - inf is NaN: Redis refuses both
        }
        int q = Math.min(exponent, other.exponent);
        BigInteger a = signed().shiftLeft(exponent - q);
        BigInteger b = other.signed().shiftLeft(other.exponent - q);
        BigInteger sum = a.add(b);
        // An exact sum of two multiples of 2^MIN_EXPONENT never underflows to zero.
        LongDouble r = round(sum.signum() < 0, sum.abs(), BigInteger.ONE, q);
        return r.infinite ? null : r;
    }

    private BigInteger signed() {
        return negative ? significand.negate() : significand;
    }

    /**
     * Prints like {@code %.17Lf} (the exact value rounded half to even at 17 decimals), then drops
     * the trailing zeros and a trailing point, and turns {@code -0} into {@code 0}: Redis's
     * human-friendly form. Finite values only.
     *
     * @return the ASCII text
     */
    byte[] humanText() {
        BigDecimal exact = exponent >= 0
            ? new BigDecimal(significand.shiftLeft(exponent))
            : new BigDecimal(significand.multiply(BigInteger.valueOf(5).pow(-exponent)), -exponent);
        String s = exact.setScale(17, RoundingMode.HALF_EVEN).toPlainString();
        int end = s.length();
        while (s.charAt(end - 1) == '0') {
            end--;
        }
        if (s.charAt(end - 1) == '.') {
            end--;
        }
        s = s.substring(0, end);
        if (negative && !s.equals("0")) {
            s = "-" + s;
        }
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
