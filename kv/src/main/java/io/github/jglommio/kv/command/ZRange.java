package io.github.jglommio.kv.command;

import io.github.jglommio.kv.store.Key;
import io.github.jglommio.kv.store.ZSet;

import java.util.Arrays;
import java.util.Iterator;

/**
 * The ranges of the sorted-set range commands (by rank, by score, by lex), parsed with Redis's
 * error texts, and the run of a set that each selects. Stateless apart from the records.
 */
final class ZRange {
    static final String NOT_FLOAT_RANGE = "ERR min or max is not a float";
    static final String NOT_LEX_RANGE = "ERR min or max not valid string range item";

    private ZRange() {
    }

    /**
     * A contiguous run of a sorted set: {@code count} elements from rank {@code from}, toward
     * higher ranks or, if {@code reverse}, lower ones.
     */
    record Window(long from, long count, boolean reverse) {
        static final Window EMPTY = new Window(0, 0, false);

        /** The run's elements in order; the set must not change meanwhile. */
        Iterator<ZSet.Item> iterator(ZSet z) {
            return z.iterator(from, reverse);
        }

        /** The lowest rank of the run. */
        long lowest() {
            return reverse ? from - count + 1 : from;
        }
    }

    /**
     * A score interval; either end may be exclusive.
     *
     * @param min the lower end
     * @param minEx whether {@code min} itself is out
     * @param max the upper end
     * @param maxEx whether {@code max} itself is out
     */
    record Score(double min, boolean minEx, double max, boolean maxEx) {
        /** Parses {@code min} and {@code max} as Redis's zslParseRange: {@code (} makes an end exclusive. */
        static Score parse(byte[] min, byte[] max) {
            boolean minEx = min.length > 0 && min[0] == '(';
            boolean maxEx = max.length > 0 && max[0] == '(';
            double lo = Scores.parseBound(min, minEx ? 1 : 0);
            double hi = Scores.parseBound(max, maxEx ? 1 : 0);
            return new Score(lo, minEx, hi, maxEx);
        }

        boolean aboveMin(double s) {
            return minEx ? s > min : s >= min;
        }

        boolean belowMax(double s) {
            return maxEx ? s < max : s <= max;
        }
    }

    /**
     * One end of a lex range: {@code -} (below everything), {@code +} (above everything), or a
     * member with {@code [} (inclusive) or {@code (} (exclusive).
     */
    record LexBound(int kind, byte[] value, boolean exclusive) {
        static final int MIN = -1;
        static final int VALUE = 0;
        static final int MAX = 1;

        static LexBound parse(byte[] a) {
            if (a.length == 0) {
                throw new CommandError(NOT_LEX_RANGE);
            }
            // Redis tests the byte after '+' or '-' against the C string's end, so a NUL ends it too.
            return switch (a[0]) {
                case '+' -> {
                    if (a.length > 1 && a[1] != 0) {
                        throw new CommandError(NOT_LEX_RANGE);
                    }
                    yield new LexBound(MAX, null, true);
                }
                case '-' -> {
                    if (a.length > 1 && a[1] != 0) {
                        throw new CommandError(NOT_LEX_RANGE);
                    }
                    yield new LexBound(MIN, null, true);
                }
                case '(' -> new LexBound(VALUE, Arrays.copyOfRange(a, 1, a.length), true);
                case '[' -> new LexBound(VALUE, Arrays.copyOfRange(a, 1, a.length), false);
                default -> throw new CommandError(NOT_LEX_RANGE);
            };
        }

        /** Compares a member with this bound's value as Redis's sdscmplex: -1, 0 or 1 in sign. */
        int compareMember(Key m) {
            return kind == VALUE ? Arrays.compareUnsigned(m.bytes(), value) : -kind;
        }
    }

    /** A lex interval, for ZRANGEBYLEX and friends. */
    record Lex(LexBound min, LexBound max) {
        static Lex parse(byte[] min, byte[] max) {
            return new Lex(LexBound.parse(min), LexBound.parse(max));
        }

        boolean aboveMin(Key m) {
            int c = min.compareMember(m);
            return min.exclusive ? c > 0 : c >= 0;
        }

        boolean belowMax(Key m) {
            int c = max.compareMember(m);
            return max.exclusive ? c < 0 : c <= 0;
        }

        /** Whether min is not above max, as Redis checks before any search. */
        boolean isValid() {
            int c;
            if (min.kind == max.kind && min.kind != LexBound.VALUE) {
                c = 0;
            } else if (min.kind == LexBound.MIN || max.kind == LexBound.MAX) {
                c = -1;
            } else if (min.kind == LexBound.MAX || max.kind == LexBound.MIN) {
                c = 1;
            } else {
                c = Arrays.compareUnsigned(min.value, max.value);
            }
            return c < 0 || (c == 0 && !min.exclusive && !max.exclusive);
        }
    }

    /**
     * The run that a rank range selects, with Redis's index rules (negative counts from the end,
     * clamped to the set); {@code reverse} counts ranks from the highest score.
     */
    static Window byRank(ZSet z, long start, long stop, boolean reverse) {
        long[] r = Args.indexRange(start, stop, z.size());
        if (r == null) {
            return Window.EMPTY;
        }
        long count = r[1] - r[0] + 1;
        return reverse ? new Window(z.size() - 1 - r[0], count, true) : new Window(r[0], count, false);
    }

    /** The run that a score range selects, after skipping {@code offset} and keeping up to {@code limit} (negative: all). */
    static Window byScore(ZSet z, Score range, boolean reverse, long offset, long limit) {
        long lo = z.countWhile((s, m) -> !range.aboveMin(s));
        long hi = z.countWhile((s, m) -> range.belowMax(s));
        return limit(lo, hi, reverse, offset, limit);
    }

    /**
     * The run that a lex range selects, after skipping {@code offset} and keeping up to
     * {@code limit} (negative: all). On a set whose scores differ it finds what Redis's encoding
     * finds: a compact set follows its listpack scans; a larger one, its skip-list descent.
     */
    static Window byLex(ZSet z, Lex range, boolean reverse, long offset, long limit) {
        if (!range.isValid() || z.size() == 0) {
            return Window.EMPTY;
        }
        if (!z.isCompact()) {
            long lo = z.countWhile((s, m) -> !range.aboveMin(m));
            long hi = z.countWhile((s, m) -> range.belowMax(m));
            return limit(lo, hi, reverse, offset, limit);
        }
        int size = z.size();
        if (!range.aboveMin(z.at(size - 1).member()) || !range.belowMax(z.at(0).member())) {
            return Window.EMPTY;
        }
        long first;
        if (reverse) {
            first = z.countToLast((s, m) -> range.belowMax(m)) - 1;
            if (first < 0 || !range.aboveMin(z.at(first).member())) {
                return Window.EMPTY;
            }
            first -= offset;
        } else {
            first = z.countWhile((s, m) -> !range.aboveMin(m));
            if (first >= size || !range.belowMax(z.at(first).member())) {
                return Window.EMPTY;
            }
            first += offset;
        }
        if (offset < 0 || first < 0 || first >= size) {
            return Window.EMPTY;
        }
        // A listpack takes elements while they stay within the far end.
        long count = 0;
        for (Iterator<ZSet.Item> it = z.iterator(first, reverse); it.hasNext() && count != limit; count++) {
            Key m = it.next().member();
            if (reverse ? !range.aboveMin(m) : !range.belowMax(m)) {
                break;
            }
        }
        return new Window(first, count, reverse);
    }

    private static Window limit(long lo, long hi, boolean reverse, long offset, long limit) {
        // A negative offset makes Redis walk off the end of the set.
        if (hi <= lo || offset < 0 || offset >= hi - lo) {
            return Window.EMPTY;
        }
        long count = hi - lo - offset;
        if (limit >= 0 && limit < count) {
            count = limit;
        }
        return reverse ? new Window(hi - 1 - offset, count, true) : new Window(lo + offset, count, false);
    }
}
