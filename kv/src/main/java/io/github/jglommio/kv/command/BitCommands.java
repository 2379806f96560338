package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Ascii;
import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.kv.store.Keyspace;
import io.github.jglommio.kv.store.KeyspaceEvents;
import io.github.jglommio.kv.store.WrongTypeException;

import java.util.Arrays;

/**
 * The bitmap commands over strings: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, and BITFIELD with
 * BITFIELD_RO (in {@link BitField}). Bit 0 is the most significant bit of byte 0; a string reads
 * as zero bits beyond its end, and a write past the end first pads it with zero bytes. As with
 * every string, a write stores a new array rather than changing the stored one. Stateless.
 */
final class BitCommands {
    static final String BAD_OFFSET = "ERR bit offset is not an integer or out of range";
    private static final String BAD_BIT = "ERR bit is not an integer or out of range";
    private static final byte[] EMPTY = new byte[0];

    private BitCommands() {
    }

    static void register(Registry r) {
        r.key("setbit", 4, "write denyoom", (c, ks, out, x) -> setbit(c, ks, out));
        r.key("getbit", 3, "readonly fast", (c, ks, out, x) -> getbit(c, ks, out));
        r.key("bitcount", -2, "readonly", (c, ks, out, x) -> bitcount(c, ks, out));
        r.key("bitpos", -3, "readonly", (c, ks, out, x) -> bitpos(c, ks, out));
        r.atomic("bitop", -4, "write denyoom", 2, -1, 1, (c, ks, out, x) -> bitop(c, ks, out));
        r.key("bitfield", -2, "write denyoom", (c, ks, out, x) -> BitField.run(c, ks, out, false));
        r.key("bitfield_ro", -2, "readonly fast", (c, ks, out, x) -> BitField.run(c, ks, out, true));
    }

    /**
     * Parses a bit offset as Redis does: a non-negative integer whose byte is below
     * proto-max-bulk-len; with {@code bits > 0}, {@code #n} means {@code n * bits} (BITFIELD).
     *
     * @param a the argument
     * @param bits the field width for the {@code #} form, 0 where it is not allowed
     * @return the offset in bits
     * @throws CommandError {@value #BAD_OFFSET}
     */
    static long bitOffset(byte[] a, int bits) {
        int from = bits > 0 && a.length > 0 && a[0] == '#' ? 1 : 0;
        long v = Ascii.parseOr(a, from, a.length - from, -1);
        if (v < 0) {
            throw new CommandError(BAD_OFFSET);
        }
        if (from == 1) {
            v *= bits; // wraps as Redis's does; a wrapped value is refused below or is what Redis uses
        }
        if (v < 0 || (v >> 3) >= StringCommands.MAX_STRING) {
            throw new CommandError(BAD_OFFSET);
        }
        return v;
    }

    static Command setbit(Command c, Keyspace ks, RespWriter out) {
        long offset = bitOffset(c.arg(2), 0);
        long on = Args.longValue(c.arg(3), BAD_BIT);
        if ((on & ~1L) != 0) {
            throw new CommandError(BAD_BIT);
        }
        byte[] key = c.arg(1);
        byte[] old = ks.getString(key);
        int index = (int) (offset >> 3);
        int mask = 0x80 >>> (int) (offset & 7);
        boolean was = old != null && index < old.length && (old[index] & mask) != 0;
        out.integer(was ? 1 : 0);
        if (old != null && index < old.length && was == (on == 1)) {
            ks.setEncodingMark(key, ObjectCommands.RAW); // Redis unshares the string even when the bit stays
            return null; // nothing changes
        }
        byte[] next = Arrays.copyOf(old == null ? EMPTY : old, Math.max(old == null ? 0 : old.length, index + 1));
        next[index] = (byte) (on == 1 ? next[index] | mask : next[index] & ~mask);
        ks.setKeepTtl(key, next);
        ks.setEncodingMark(key, ObjectCommands.RAW);
        ks.notify(KeyspaceEvents.STRING, "setbit", key);
        return c;
    }

    static Command getbit(Command c, Keyspace ks, RespWriter out) {
        long offset = bitOffset(c.arg(2), 0);
        byte[] v = ks.getString(c.arg(1));
        out.integer(bit(v, offset));
        return null;
    }

    /** The bit at {@code offset}, 0 beyond the end or for a null string. */
    static int bit(byte[] v, long offset) {
        long index = offset >> 3;
        if (v == null || index >= v.length) {
            return 0;
        }
        return (v[(int) index] >> (7 - (int) (offset & 7))) & 1;
    }

    /**
     * BITCOUNT key [start end [BYTE|BIT]]. As Redis 7.0, the key is looked up before the range is
     * parsed: a missing key counts 0 whatever the arguments.
     */
    static Command bitcount(Command c, Keyspace ks, RespWriter out) {
        byte[] v = ks.getString(c.arg(1));
        if (v == null) {
            out.integer(0);
            return null;
        }
        int argc = c.argCount();
        if (argc != 2 && argc != 4 && argc != 5) {
            throw new CommandError(CommandError.SYNTAX);
        }
        long[] range;
        if (argc == 2) {
            range = v.length == 0 ? null : new long[] {0, v.length * 8L - 1};
        } else {
            // Redis's order of checks: start, end, a negative start after a negative end (0,
            // whatever the unit says), then the unit.
            long start = Args.longArg(c, 2);
            long end = Args.longArg(c, 3);
            if (start < 0 && end < 0 && start > end) {
                out.integer(0);
                return null;
            }
            range = bitRange(start, end, bitUnit(c, 4), v, true);
        }
        long count = 0;
        if (range != null) {
            for (long b = range[0]; b <= range[1]; ) {
                if ((b & 7) == 0 && b + 7 <= range[1]) {
                    count += Integer.bitCount(v[(int) (b >> 3)] & 0xFF);
                    b += 8;
                } else {
                    count += bit(v, b++);
                }
            }
        }
        out.integer(count);
        return null;
    }

    /**
     * Normalizes a start..end range ({@code end} null when absent: the end of the string) in
     * bytes or, if {@code bitUnit}, bits: negative indexes count from the end and clamp to it.
     * Returns the inclusive range in bits, or null when empty. {@code bothNegativeEmpty}:
     * BITCOUNT's rule that a negative start after a negative end is empty.
     */
    private static long[] bitRange(long start, Long end, boolean bitUnit, byte[] v, boolean bothNegativeEmpty) {
        long total = bitUnit ? v.length * 8L : v.length;
        long last = end != null ? end : total - 1;
        if (bothNegativeEmpty && start < 0 && last < 0 && start > last) {
            return null;
        }
        if (start < 0) {
            start = Math.max(0, total + start);
        }
        if (last < 0) {
            last = Math.max(0, total + last);
        }
        last = Math.min(last, total - 1);
        if (start > last) {
            return null;
        }
        return bitUnit ? new long[] {start, last} : new long[] {start * 8, last * 8 + 7};
    }

    /** Whether the optional BYTE|BIT argument at {@code i} says BIT; a syntax error if it is neither. */
    private static boolean bitUnit(Command c, int i) {
        if (i >= c.argCount() || Args.is(c.arg(i), "byte")) {
            return false;
        }
        if (Args.is(c.arg(i), "bit")) {
            return true;
        }
        throw new CommandError(CommandError.SYNTAX);
    }

    /**
     * BITPOS key bit [start [end [BYTE|BIT]]]: the first bit equal to {@code bit} in the range.
     * Looking for 0 without an explicit end finds the first bit past the range when all are 1
     * (the string reads as zero-padded); with an explicit end it answers -1, as Redis does.
     */
    static Command bitpos(Command c, Keyspace ks, RespWriter out) {
        long bit = Args.longArg(c, 2);
        if (bit != 0 && bit != 1) {
            throw new CommandError("ERR The bit argument must be 1 or 0.");
        }
        byte[] v = ks.getString(c.arg(1));
        if (v == null) {
            out.integer(bit == 1 ? -1 : 0);
            return null;
        }
        int argc = c.argCount();
        if (argc > 6) {
            throw new CommandError(CommandError.SYNTAX);
        }
        boolean endGiven = argc >= 5;
        long[] range;
        if (argc == 3) {
            range = v.length == 0 ? null : new long[] {0, v.length * 8L - 1};
        } else {
            // Redis's order of checks: start, the unit, then end.
            long start = Args.longArg(c, 3);
            boolean bits = bitUnit(c, 5);
            range = bitRange(start, endGiven ? Args.longArg(c, 4) : null, bits, v, false);
        }
        if (range == null) {
            out.integer(-1);
            return null;
        }
        long found = -1;
        for (long b = range[0]; b <= range[1] && found < 0; ) {
            int whole = bit == 1 ? 0 : 0xFF; // a byte with no bit of interest
            if ((b & 7) == 0 && b + 7 <= range[1] && (v[(int) (b >> 3)] & 0xFF) == whole) {
                b += 8;
            } else if (bit(v, b) == bit) {
                found = b;
            } else {
                b++;
            }
        }
        if (found < 0 && bit == 0 && !endGiven) {
            found = range[1] + 1;
        }
        out.integer(found);
        return null;
    }

    /** BITOP AND|OR|XOR|NOT dest key...: missing keys are empty strings; an empty result deletes dest. */
    static Command bitop(Command c, Keyspace ks, RespWriter out) {
        byte[] op = c.arg(1);
        boolean not = Args.is(op, "not");
        if (!not && !Args.is(op, "and") && !Args.is(op, "or") && !Args.is(op, "xor")) {
            throw new CommandError(CommandError.SYNTAX);
        }
        if (not && c.argCount() != 4) {
            throw new CommandError("ERR BITOP NOT must be called with a single source key.");
        }
        byte[][] sources = new byte[c.argCount() - 3][];
        int max = 0;
        for (int i = 0; i < sources.length; i++) {
            Object v = ks.get(c.arg(i + 3));
            if (v != null && !(v instanceof byte[])) {
                throw WrongTypeException.INSTANCE;
            }
            sources[i] = v == null ? EMPTY : (byte[]) v;
            max = Math.max(max, sources[i].length);
        }
        byte[] dest = c.arg(2);
        out.integer(max);
        if (max == 0) {
            if (!ks.delete(dest)) {
                return null;
            }
            ks.notify(KeyspaceEvents.GENERIC, "del", dest);
            return c;
        }
        byte[] result = Arrays.copyOf(sources[0], max);
        if (not) {
            for (int i = 0; i < max; i++) {
                result[i] = (byte) ~result[i];
            }
        }
        for (int s = 1; s < sources.length; s++) {
            byte[] src = sources[s];
            for (int i = 0; i < max; i++) {
                int b = i < src.length ? src[i] : 0;
                result[i] = (byte) switch (op[0] | 0x20) {
                    case 'a' -> result[i] & b;
                    case 'o' -> result[i] | b;
                    default -> result[i] ^ b;
                };
            }
        }
        ks.set(dest, result, Keyspace.NO_EXPIRY);
        ks.setEncodingMark(dest, ObjectCommands.RAW); // BITOP stores its result as it built it
        ks.notify(KeyspaceEvents.STRING, "set", dest);
        return c;
    }
}
