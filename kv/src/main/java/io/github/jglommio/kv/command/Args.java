package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Ascii;
import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;

import java.nio.charset.StandardCharsets;

/** Argument parsing shared by the command families; throws {@link CommandError}. Stateless. */
final class Args {
    private Args() {
    }

    static long longArg(Command cmd, int i) {
        byte[] a = cmd.arg(i);
        long v = Ascii.parseOr(a, 0, a.length, Long.MIN_VALUE);
        if (v == Long.MIN_VALUE && !isMinValue(a)) {
            throw new CommandError(CommandError.NOT_INTEGER);
        }
        return v;
    }

    /** Parses a stored value as an integer for INCR-like commands; {@code message} on failure. */
    static long longValue(byte[] a, String message) {
        long v = Ascii.parseOr(a, 0, a.length, Long.MIN_VALUE);
        if (v == Long.MIN_VALUE && !isMinValue(a)) {
            throw new CommandError(message);
        }
        return v;
    }

    private static boolean isMinValue(byte[] a) {
        return a.length == 20 && a[0] == '-' && new String(a, StandardCharsets.US_ASCII).equals(Long.toString(Long.MIN_VALUE));
    }

    /**
     * Redis's index range over {@code size} elements: negative indexes count from the end, the range
     * is clamped to the elements; returns {start, stop} (inclusive), or null when it selects nothing.
     */
    static long[] indexRange(long start, long stop, long size) {
        if (start < 0) {
            start = Math.max(0, size + start);
        }
        if (stop < 0) {
            stop = size + stop;
        }
        if (stop >= size) {
            stop = size - 1;
        }
        return start > stop || start >= size ? null : new long[] {start, stop};
    }

    /** The optional non-negative count at argument {@code i} of LPOP/RPOP/SPOP; -1 when absent. */
    static long optionalCount(Command cmd, int i) {
        if (cmd.argCount() <= i) {
            return -1;
        }
        byte[] a = cmd.arg(i);
        long count = Ascii.parseOr(a, 0, a.length, -1);
        if (count < 0) {
            throw new CommandError(CommandError.NOT_POSITIVE);
        }
        return count;
    }

    static double doubleArg(Command cmd, int i) {
        return parseDouble(cmd.arg(i), CommandError.NOT_FLOAT);
    }

    /**
     * Parses a float the way Redis accepts scores: optional sign, decimal digits with an optional
     * fraction and exponent, or {@code inf}/{@code infinity} in any case; never NaN.
     */
    static double parseDouble(byte[] a, String message) {
        if (a.length == 0 || a.length > 128) {
            throw new CommandError(message);
        }
        String s = new String(a, StandardCharsets.US_ASCII);
        int p = (a[0] == '+' || a[0] == '-') ? 1 : 0;
        String body = s.substring(p);
        if (body.equalsIgnoreCase("inf") || body.equalsIgnoreCase("infinity")) {
            return a[0] == '-' ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        // Only the characters of a decimal number; Double.parseDouble alone would also take
        // "NaN", "0x1p3", "1d" and surrounding spaces.
        boolean digit = false;
        for (int i = p; i < a.length; i++) {
            byte b = a[i];
            if (b >= '0' && b <= '9') {
                digit = true;
            } else if (b != '.' && b != 'e' && b != 'E' && b != '+' && b != '-') {
                throw new CommandError(message);
            }
        }
        if (!digit) {
            throw new CommandError(message);
        }
        try {
            double d = Double.parseDouble(s);
            if (Double.isNaN(d)) {
                throw new CommandError(message);
            }
            return d;
        } catch (NumberFormatException e) {
            throw new CommandError(message);
        }
    }

    /** Whether {@code arg} equals {@code lower} ignoring ASCII case; {@code lower} is lower-case. */
    static boolean is(byte[] arg, String lower) {
        if (arg.length != lower.length()) {
            return false;
        }
        for (int i = 0; i < arg.length; i++) {
            int b = arg[i];
            if (b >= 'A' && b <= 'Z') {
                b += 'a' - 'A';
            }
            if (b != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** A command name (ASCII) in lower case, as Redis names its events. */
    static String lower(byte[] name) {
        return new String(name, StandardCharsets.US_ASCII).toLowerCase(java.util.Locale.ROOT);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] decimal(long v) {
        return ascii(Long.toString(v));
    }

    static byte[] formatDouble(double d) {
        return RespWriter.formatDouble(d);
    }

    /** Builds a command from a name and the byte arrays that follow it. */
    static Command command(String name, byte[]... rest) {
        byte[][] all = new byte[rest.length + 1][];
        all[0] = ascii(name);
        System.arraycopy(rest, 0, all, 1, rest.length);
        return Command.of(all);
    }
}
