package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.kv.store.Glob;
import io.github.jglommio.kv.store.Key;

import java.util.List;

/**
 * What HSCAN and SSCAN share: Redis's cursor and option parsing, the reply, and stateless steps
 * over a collection kept in a {@code java.util} hash table. Stateless.
 *
 * <p>Guarantees, as Redis gives them: an iteration started at cursor 0 and continued with each
 * returned cursor until 0 comes back returns every element present for the whole iteration
 * exactly once; elements added or removed meanwhile may or may not appear. The cursor values
 * themselves differ from Redis's, which come from its own hash table.
 */
final class CollectionScan {
    /*
     * Implementation overview. Redis resumes a step at a bucket of its table; java.util.HashMap
     * exposes no bucket. Instead every element has a fixed position, a 32-bit mix of its hash
     * code, and a step returns the elements whose position lies in [cursor, end): ranges that
     * tile [0, 2^32) visit every element once whatever happens to the table in between, and a
     * cursor is just the next range's start. Finding a range's elements walks the whole
     * collection, so a range is sized for COUNT elements but never narrower than 1/256 of the
     * space: a full iteration costs at most 256 walks however small COUNT is (COUNT is a hint
     * in Redis too).
     */

    /** Positions are below 2^32; a cursor at or past it ends the iteration. */
    static final long SPACE = 1L << 32;
    private static final long MIN_WIDTH = SPACE >>> 8;
    private static final int DEFAULT_COUNT = 10;

    private CollectionScan() {
    }

    /**
     * The MATCH and COUNT options of one step.
     *
     * @param pattern the glob, or {@code null} for every element
     * @param count the work hint, at least 1
     */
    record Options(byte[] pattern, long count) {
        /** Whether an element (a set member or a hash field) passes the MATCH filter. */
        boolean matches(byte[] element) {
            return pattern == null || Glob.matches(pattern, element);
        }
    }

    /**
     * Parses a cursor as Redis does with {@code strtoul}: an optional sign, decimal digits (the
     * empty string is 0), no leading space, at most 2^64 - 1; a negative value wraps around; a
     * NUL byte ends the text, as it ends a C string.
     *
     * @param a the argument
     * @return the cursor; as unsigned, any value at or past {@link #SPACE} ends the iteration
     * @throws CommandError {@code ERR invalid cursor}
     */
    static long parseCursor(byte[] a) {
        int end = 0;
        while (end < a.length && a[end] != 0) {
            end++;
        }
        int p = 0;
        boolean negative = false;
        if (end > 0 && (a[0] == '+' || a[0] == '-')) {
            negative = a[0] == '-';
            p = 1;
        }
        if (p == end) {
            if (p == 0) {
                return 0; // strtoul converts nothing and leaves nothing over
            }
            throw new CommandError("ERR invalid cursor");
        }
        long v = 0;
        for (; p < end; p++) {
            int d = a[p] - '0';
            if (d < 0 || d > 9 || Long.compareUnsigned(v, Long.divideUnsigned(-1L - d, 10)) > 0) {
                throw new CommandError("ERR invalid cursor");
            }
            v = v * 10 + d;
        }
        return negative ? -v : v;
    }

    /**
     * Parses {@code [MATCH pattern] [COUNT count]}, repeated in any order (the last wins), from
     * argument {@code first} on.
     *
     * @param c the command
     * @param first the index of the first option
     * @return the options
     * @throws CommandError syntax errors, a COUNT that is not an integer or below 1
     */
    static Options options(Command c, int first) {
        byte[] pattern = null;
        long count = DEFAULT_COUNT;
        for (int i = first; i < c.argCount(); i += 2) {
            byte[] opt = c.arg(i);
            boolean hasValue = i + 1 < c.argCount();
            if (hasValue && Args.is(opt, "count")) {
                count = Args.longArg(c, i + 1);
                if (count < 1) {
                    throw new CommandError(CommandError.SYNTAX);
                }
            } else if (hasValue && Args.is(opt, "match")) {
                pattern = c.arg(i + 1);
                if (pattern.length == 1 && pattern[0] == '*') {
                    pattern = null; // matches everything: no need to test
                }
            } else {
                throw new CommandError(CommandError.SYNTAX);
            }
        }
        return new Options(pattern, count);
    }

    /**
     * An element's fixed position in the cursor space: its hash code, mixed so that positions
     * spread evenly (MurmurHash3's finalizer).
     *
     * @param k the element
     * @return a position in [0, 2^32)
     */
    static long position(Key k) {
        int h = k.hashCode();
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h & 0xffff_ffffL;
    }

    /**
     * The end (exclusive) of the range a step starting at {@code cursor} covers: wide enough to
     * hold about {@code count} of {@code size} evenly spread elements, and all of them when
     * {@code count >= size}.
     *
     * @param cursor the step's start, below {@link #SPACE}
     * @param count the work hint
     * @param size the collection's size
     * @return the end, at most {@link #SPACE}
     */
    static long stepEnd(long cursor, long count, int size) {
        if (count >= size) {
            return SPACE;
        }
        long width = Math.max(MIN_WIDTH, (long) Math.ceil((double) SPACE * count / size));
        return Math.min(SPACE, cursor + width);
    }

    /**
     * Whether a cursor (as unsigned) lies in the cursor space; one past it ends an iteration.
     *
     * @param cursor the parsed cursor
     * @return {@code true} if a step can start there
     */
    static boolean inSpace(long cursor) {
        return cursor >= 0 && cursor < SPACE;
    }

    /**
     * Writes a step's reply: the next cursor as a bulk string, then the elements.
     *
     * @param out the writer
     * @param next the next cursor; 0 at the end
     * @param elements the elements (for HSCAN, fields and values alternating)
     */
    static void reply(RespWriter out, long next, List<byte[]> elements) {
        out.arrayHeader(2);
        out.bulk(Args.decimal(next));
        out.arrayHeader(elements.size());
        for (byte[] e : elements) {
            out.bulk(e);
        }
    }

    /**
     * Writes the reply to a scan of a missing key: cursor 0, no elements.
     *
     * @param out the writer
     */
    static void empty(RespWriter out) {
        reply(out, 0, List.of());
    }
}
