package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Ascii;
import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.kv.store.Keyspace;
import io.github.jglommio.kv.store.KeyspaceEvents;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code BITFIELD key [GET type offset] [SET type offset value] [INCRBY type offset increment]
 * [OVERFLOW WRAP|SAT|FAIL] ...} and {@code BITFIELD_RO} (GET only): integers of 1 to 64 bits
 * (signed {@code i1..i64}, unsigned {@code u1..u63}) at any bit offset, most significant bit
 * first; {@code #n} offsets count in fields. Every operation is parsed before any runs, so a bad
 * one changes nothing; OVERFLOW applies to the SET and INCRBY after it. Logged as itself: it
 * replays to the same result. Stateless.
 */
final class BitField {
    private static final String BAD_TYPE =
        "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";
    private static final byte[] EMPTY = new byte[0];

    private enum Overflow { WRAP, SAT, FAIL }

    private record Op(char kind, boolean signed, int bits, long offset, long value, Overflow overflow) {
    }

    private BitField() {
    }

    static Command run(Command c, Keyspace ks, RespWriter out, boolean readOnly) {
        List<Op> ops = parse(c);
        long highest = -1; // the last bit a SET or INCRBY writes
        for (Op op : ops) {
            if (op.kind != 'g') {
                highest = Math.max(highest, op.offset + op.bits - 1);
            }
        }
        byte[] key = c.arg(1);
        if (highest >= 0 && readOnly) {
            throw new CommandError("ERR BITFIELD_RO only supports the GET subcommand");
        }
        byte[] old = ks.getString(key);
        if (highest < 0) {
            out.arrayHeader(ops.size());
            for (Op op : ops) {
                out.integer(read(old, op));
            }
            return null;
        }
        int length = Math.max(old == null ? 0 : old.length, (int) (highest >> 3) + 1);
        // As Redis, the string grows to cover every write even if an OVERFLOW FAIL skips it.
        boolean changed = old == null || length > old.length;
        boolean wrote = false; // a value changed: Redis's event (growth alone makes none)
        byte[] v = Arrays.copyOf(old == null ? EMPTY : old, length);
        out.arrayHeader(ops.size());
        for (Op op : ops) {
            if (op.kind == 'g') {
                out.integer(read(v, op));
                continue;
            }
            long current = read(v, op);
            long next;
            boolean overflow;
            long[] wrapped = new long[1];
            if (op.kind == 'i') {
                overflow = op.signed ? signedOverflow(current, op.value, op, wrapped) : unsignedOverflow(current, op.value, op, wrapped);
                next = overflow ? wrapped[0] : current + op.value;
            } else {
                overflow = op.signed ? signedOverflow(op.value, 0, op, wrapped) : unsignedOverflow(op.value, 0, op, wrapped);
                next = overflow ? wrapped[0] : op.value;
            }
            if (overflow && op.overflow == Overflow.FAIL) {
                out.nullBulk();
                continue;
            }
            out.integer(op.kind == 'i' ? next : current);
            write(v, op.offset, op.bits, next);
            changed |= next != current;
            wrote |= next != current;
        }
        if (!changed) {
            ks.setEncodingMark(key, ObjectCommands.RAW); // Redis unshares the string for a write even when no bit changes
            return null;
        }
        ks.setKeepTtl(key, v);
        ks.setEncodingMark(key, ObjectCommands.RAW);
        if (wrote) {
            ks.notify(KeyspaceEvents.STRING, "setbit", key);
        }
        return c;
    }

    private static List<Op> parse(Command c) {
        List<Op> ops = new ArrayList<>();
        Overflow overflow = Overflow.WRAP;
        for (int j = 2; j < c.argCount(); j++) {
            int rest = c.argCount() - j - 1;
            byte[] sub = c.arg(j);
            char kind;
            if (Args.is(sub, "get") && rest >= 2) {
                kind = 'g';
            } else if (Args.is(sub, "set") && rest >= 3) {
                kind = 's';
            } else if (Args.is(sub, "incrby") && rest >= 3) {
                kind = 'i';
            } else if (Args.is(sub, "overflow") && rest >= 1) {
                byte[] type = c.arg(++j);
                if (Args.is(type, "wrap")) {
                    overflow = Overflow.WRAP;
                } else if (Args.is(type, "sat")) {
                    overflow = Overflow.SAT;
                } else if (Args.is(type, "fail")) {
                    overflow = Overflow.FAIL;
                } else {
                    throw new CommandError("ERR Invalid OVERFLOW type specified");
                }
                continue;
            } else {
                throw new CommandError(CommandError.SYNTAX);
            }
            byte[] type = c.arg(j + 1);
            boolean signed = type.length > 0 && type[0] == 'i';
            if (!signed && (type.length == 0 || type[0] != 'u')) {
                throw new CommandError(BAD_TYPE);
            }
            // The width ends at a NUL byte, as Redis reads it as a C string.
            int end = 1;
            while (end < type.length && type[end] != 0) {
                end++;
            }
            long bits = Ascii.parseOr(type, 1, end - 1, 0);
            if (bits < 1 || bits > (signed ? 64 : 63)) {
                throw new CommandError(BAD_TYPE);
            }
            long offset = BitCommands.bitOffset(c.arg(j + 2), (int) bits);
            long value = kind == 'g' ? 0 : Args.longArg(c, j + 3);
            ops.add(new Op(kind, signed, (int) bits, offset, value, overflow));
            j += kind == 'g' ? 2 : 3;
        }
        return ops;
    }

    /** Reads the field as its (sign-extended) value; bits beyond the string are 0. */
    private static long read(byte[] v, Op op) {
        long raw = 0;
        for (int i = 0; i < op.bits; i++) {
            raw = (raw << 1) | BitCommands.bit(v, op.offset + i);
        }
        if (op.signed && op.bits < 64) {
            raw = (raw << (64 - op.bits)) >> (64 - op.bits);
        }
        return raw;
    }

    private static void write(byte[] v, long offset, int bits, long value) {
        for (int i = 0; i < bits; i++) {
            long b = offset + i;
            int mask = 0x80 >>> (int) (b & 7);
            int index = (int) (b >> 3);
            if (((value >>> (bits - 1 - i)) & 1) != 0) {
                v[index] |= (byte) mask;
            } else {
                v[index] &= (byte) ~mask;
            }
        }
    }

    /**
     * Redis's unsigned overflow rule for {@code value + incr} ({@code value} as unsigned; SET
     * passes its value with incr 0, so a negative value is above the maximum): true on overflow,
     * with the wrapped or saturated result in {@code limit[0]}.
     */
    private static boolean unsignedOverflow(long value, long incr, Op op, long[] limit) {
        long max = (1L << op.bits) - 1;
        boolean up = Long.compareUnsigned(value, max) > 0 || (incr > 0 && incr > max - value);
        boolean down = !up && incr < 0 && incr < -value;
        if (!up && !down) {
            return false;
        }
        limit[0] = op.overflow == Overflow.WRAP ? (value + incr) & max : up ? max : 0;
        return true;
    }

    /** Redis's signed overflow rule, as {@link #unsignedOverflow} for signed fields. */
    private static boolean signedOverflow(long value, long incr, Op op, long[] limit) {
        int bits = op.bits;
        long max = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
        long min = -max - 1;
        long maxIncr = max - value; // may wrap; only used where it cannot
        long minIncr = min - value;
        boolean up = value > max || (bits != 64 && incr > maxIncr) || (value >= 0 && incr > 0 && incr > maxIncr);
        boolean down = !up && (value < min || (bits != 64 && incr < minIncr) || (value < 0 && incr < 0 && incr < minIncr));
        if (!up && !down) {
            return false;
        }
        if (op.overflow == Overflow.WRAP) {
            long sum = value + incr;
            if (bits < 64) {
                long mask = -1L << bits;
                sum = (sum & (1L << (bits - 1))) != 0 ? sum | mask : sum & ~mask;
            }
            limit[0] = sum;
        } else {
            limit[0] = up ? max : min;
        }
        return true;
    }
}
