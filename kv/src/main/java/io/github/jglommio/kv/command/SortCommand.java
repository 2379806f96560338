package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.kv.store.Key;
import io.github.jglommio.kv.store.Keyspace;
import io.github.jglommio.kv.store.KeyspaceEvents;
import io.github.jglommio.kv.store.ListValue;
import io.github.jglommio.kv.store.WrongTypeException;
import io.github.jglommio.kv.store.ZSet;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;

/**
 * SORT and SORT_RO: {@code key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC|DESC]
 * [ALPHA] [STORE destination]} over a list, set or sorted set, as Redis 7.0 answers them. Stateless.
 *
 * <p>Patterns name other keys by putting the element in place of the first {@code *}:
 * {@code weight_*} reads the string at {@code weight_<element>}, {@code obj_*->field} a field of
 * the hash at {@code obj_<element>}, {@code GET #} the element itself; a {@code BY} pattern
 * without {@code *} ({@code nosort}) keeps the stored order. The handler reads the keys that
 * patterns name from the keyspace it is given; on a server of several shards those keys may live
 * on any shard, so the server first gathers them into one keyspace: {@link #readsPatterns} says
 * when a SORT needs that, {@link #patternKeys} which keys to gather (see {@code kv.server.HeldRun}).
 *
 * <p>Where Redis leaves an order unspecified (ALPHA with BY, equal weights) this sort breaks ties
 * by the elements' bytes, so the result depends only on the keyspace's contents: SORT ... STORE
 * is logged as it is, and its replay stores the same list. ALPHA compares like Redis under the C
 * or C.UTF-8 locale (byte order; without STORE up to the first NUL byte, as {@code strcoll} reads
 * C strings); under another {@code LC_COLLATE} Redis would order by that locale's rules.
 */
public final class SortCommand {
    private static final String NOT_DOUBLE = "ERR One or more scores can't be converted into double";

    private SortCommand() {
    }

    static void register(Registry r) {
        r.atomic("sort", -2, "write denyoom movablekeys", 1, 1, 1, SortCommand::keys,
                (c, ks, out, x) -> sort(c, ks, out, false, x.limits()));
        r.key("sort_ro", -2, "readonly movablekeys", (c, ks, out, x) -> sort(c, ks, out, true, x.limits()));
    }

    /**
     * Whether SORT ({@code readonly} false) or SORT_RO {@code c} reads keys its patterns name: a BY
     * or GET pattern with a {@code *}. False for a malformed one, which its handler refuses anyway.
     * Threading: any.
     *
     * @param c the command
     * @param readonly SORT_RO
     * @return whether some pattern names keys
     */
    public static boolean readsPatterns(Command c, boolean readonly) {
        Options o;
        try {
            o = parse(c, readonly);
        } catch (CommandError e) {
            return false;
        }
        if (o.by != null && namesKey(o.by)) {
            return true;
        }
        for (byte[] g : o.gets) {
            if (namesKey(g)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Every key a pattern of SORT or SORT_RO {@code c} names for an element of {@code value}, the
     * sorted key's value (null when missing; nothing for a value SORT does not sort): a superset of
     * what the sort reads, whatever its LIMIT. Threading: any, while nobody changes {@code value}.
     *
     * @param c the command, as {@link #readsPatterns} accepted it
     * @param readonly SORT_RO
     * @param value the sorted key's value
     * @return the keys, possibly with repeats
     */
    public static List<byte[]> patternKeys(Command c, boolean readonly, Object value) {
        List<byte[]> keys = new ArrayList<>();
        if (!(value instanceof ListValue || value instanceof HashSet<?> || value instanceof ZSet)) {
            return keys;
        }
        Options o = parse(c, readonly);
        List<byte[]> patterns = new ArrayList<>(o.gets);
        if (o.by != null) {
            patterns.add(o.by);
        }
        List<byte[]> elements = all(value, false); // which keys, not their order
        for (byte[] pattern : patterns) {
            for (byte[] e : elements) {
                byte[] key = patternKey(pattern, e);
                if (key != null) {
                    keys.add(key);
                }
            }
        }
        return keys;
    }

    private static boolean namesKey(byte[] pattern) {
        return patternKey(pattern, new byte[0]) != null;
    }

    /** The options of one SORT, as parsed. */
    private static final class Options {
        boolean desc;
        boolean alpha;
        // Like Redis, a BY without '*' turns sorting off for good, even if a later BY has one.
        boolean dontSort;
        long limitStart;
        long limitCount = -1;
        byte[] by;
        byte[] store;
        int storeIndex;
        final List<byte[]> gets = new ArrayList<>();
    }

    /** The sorted key and the STORE destination, the last one given, as Redis counts them. */
    private static int[] keys(Command c) {
        Options o = parse(c, false);
        return o.store == null ? new int[] {1} : new int[] {1, o.storeIndex};
    }

    private static Options parse(Command c, boolean readonly) {
        Options o = new Options();
        for (int j = 2; j < c.argCount(); j++) {
            byte[] opt = c.arg(j);
            int left = c.argCount() - j - 1;
            if (Args.is(opt, "asc")) {
                o.desc = false;
            } else if (Args.is(opt, "desc")) {
                o.desc = true;
            } else if (Args.is(opt, "alpha")) {
                o.alpha = true;
            } else if (Args.is(opt, "limit") && left >= 2) {
                o.limitStart = Args.longArg(c, j + 1);
                o.limitCount = Args.longArg(c, j + 2);
                j += 2;
            } else if (!readonly && Args.is(opt, "store") && left >= 1) {
                o.store = c.arg(j + 1);
                o.storeIndex = ++j;
            } else if (Args.is(opt, "by") && left >= 1) {
                o.by = c.arg(++j);
                if (indexOf(o.by, (byte) '*', 0, cLength(o.by)) < 0) {
                    o.dontSort = true;
                }
            } else if (Args.is(opt, "get") && left >= 1) {
                o.gets.add(c.arg(++j));
            } else {
                throw new CommandError(CommandError.SYNTAX);
            }
        }
        return o;
    }

    /** One element to sort, with what it sorts by. */
    private record Item(byte[] element, double score, byte[] weight) {
    }

    static Command sort(Command c, Keyspace ks, RespWriter out, boolean readonly, EncodingLimits limits) {
        Options o = parse(c, readonly);
        Object value = ks.get(c.arg(1));
        if (value != null && !(value instanceof ListValue || value instanceof HashSet<?> || value instanceof ZSet)) {
            throw WrongTypeException.INSTANCE;
        }
        boolean intset = value instanceof HashSet<?>
                && ObjectCommands.encoding(value, ks.encodingMark(c.arg(1)), limits).equals("intset");
        if (value instanceof ZSet) {
            ks.setEncodingMark(c.arg(1), ObjectCommands.BIG); // Redis sorts a sorted set as a skiplist, and keeps it so
        }
        boolean dontSort = o.dontSort;
        boolean alpha = o.alpha;
        byte[] by = o.by;
        if (dontSort && value instanceof HashSet<?> && o.store != null) {
            // A set has no order of its own: what is stored is made deterministic by sorting it.
            dontSort = false;
            alpha = true;
            by = null;
        }
        int len = size(value);
        long start = Math.max(0, o.limitStart);
        long end;
        if (start >= len) {
            start = len - 1;
            end = len - 2;
        } else {
            end = o.limitCount < 0 ? len - 1 : start + Math.min(o.limitCount, len) - 1;
            end = Math.min(end, len - 1);
        }
        List<byte[]> elements;
        if (dontSort && (value instanceof ListValue || value instanceof ZSet)) {
            // The stored order, read from the chosen end: only the LIMIT range is loaded.
            elements = range(value, (int) start, (int) (end - start + 1), o.desc);
            end -= start;
            start = 0;
        } else {
            elements = all(value, intset);
        }
        if (!dontSort) {
            elements = sorted(ks, elements, by, alpha, o.desc, o.store != null);
        }
        int count = (int) Math.max(0, end - start + 1);
        List<byte[]> chosen = elements.subList((int) Math.max(0, start), (int) Math.max(0, start) + count);
        if (o.store == null) {
            out.arrayHeader(o.gets.isEmpty() ? count : count * o.gets.size());
            for (byte[] e : chosen) {
                if (o.gets.isEmpty()) {
                    out.bulk(e);
                }
                for (byte[] pattern : o.gets) {
                    byte[] v = lookup(ks, pattern, e);
                    if (v == null) {
                        out.nullBulk();
                    } else {
                        out.bulk(v);
                    }
                }
            }
            return null;
        }
        ListValue stored = new ListValue();
        for (byte[] e : chosen) {
            if (o.gets.isEmpty()) {
                stored.addLast(e);
            }
            for (byte[] pattern : o.gets) {
                byte[] v = lookup(ks, pattern, e);
                stored.addLast(v == null ? new byte[0] : v);
            }
        }
        out.integer(stored.size());
        if (!stored.isEmpty()) {
            ks.set(o.store, stored, Keyspace.NO_EXPIRY);
            ks.notify(KeyspaceEvents.LIST, "sortstore", o.store);
            return c;
        }
        if (!ks.delete(o.store)) {
            return null;
        }
        ks.notify(KeyspaceEvents.GENERIC, "del", o.store);
        return c;
    }

    private static int size(Object value) {
        return switch (value) {
            case null -> 0;
            case ListValue list -> list.size();
            case HashSet<?> set -> set.size();
            case ZSet zset -> zset.size();
            default -> throw new IllegalStateException();
        };
    }

    /** {@code count} elements of a list or sorted set from position {@code start}, counted from the tail when {@code desc}. */
    @SuppressWarnings("unchecked")
    private static List<byte[]> range(Object value, int start, int count, boolean desc) {
        List<byte[]> out = new ArrayList<>(Math.max(0, count));
        Iterator<?> it = switch (value) {
            case ListValue list -> desc ? list.descending() : list.iterator();
            case ZSet zset -> desc ? zset.descending() : zset.ascending();
            default -> throw new IllegalStateException();
        };
        for (int skip = 0; skip < start && it.hasNext(); skip++) {
            it.next();
        }
        while (out.size() < count && it.hasNext()) {
            Object next = it.next();
            out.add(next instanceof ZSet.Item item ? item.member().bytes() : (byte[]) next);
        }
        return out;
    }

    /** Every element; a set in the order Redis walks it where that order is known (an intset is sorted). */
    @SuppressWarnings("unchecked")
    private static List<byte[]> all(Object value, boolean intset) {
        List<byte[]> out = new ArrayList<>(size(value));
        switch (value) {
            case null -> { }
            case ListValue list -> list.forEach(out::add);
            case HashSet<?> set -> {
                for (Key k : (HashSet<Key>) set) {
                    out.add(k.bytes());
                }
                if (intset) {
                    out.sort(Comparator.comparingLong(b -> Long.parseLong(new String(b, StandardCharsets.US_ASCII))));
                }
            }
            case ZSet zset -> {
                for (Iterator<ZSet.Item> it = zset.ascending(); it.hasNext(); ) {
                    out.add(it.next().member().bytes());
                }
            }
            default -> throw new IllegalStateException();
        }
        return out;
    }

    /** Sorts by score, or ALPHA by bytes, of the element or of what {@code by} names. */
    private static List<byte[]> sorted(Keyspace ks, List<byte[]> elements, byte[] by, boolean alpha, boolean desc,
                                       boolean store) {
        List<Item> items = new ArrayList<>(elements.size());
        boolean bad = false;
        for (byte[] e : elements) {
            byte[] weight = by == null ? e : lookup(ks, by, e);
            double score = 0;
            if (!alpha && weight != null) {
                score = strtod(weight);
                bad |= Double.isNaN(score);
            }
            items.add(new Item(e, score, by == null ? null : weight));
        }
        if (bad) {
            throw new CommandError(NOT_DOUBLE);
        }
        Comparator<Item> order;
        if (!alpha) {
            // C comparisons: -0 equals 0; equal scores fall back to the elements' bytes.
            order = (a, b) -> a.score > b.score ? 1 : a.score < b.score ? -1 : Arrays.compareUnsigned(a.element, b.element);
        } else if (by != null) {
            order = (a, b) -> {
                int cmp = a.weight == null || b.weight == null
                        ? (a.weight == null ? (b.weight == null ? 0 : -1) : 1)
                        : text(a.weight, b.weight, store);
                return cmp != 0 ? cmp : Arrays.compareUnsigned(a.element, b.element);
            };
        } else {
            order = (a, b) -> {
                int cmp = text(a.element, b.element, store);
                return cmp != 0 ? cmp : Arrays.compareUnsigned(a.element, b.element);
            };
        }
        items.sort(desc ? order.reversed() : order);
        List<byte[]> out = new ArrayList<>(items.size());
        for (Item i : items) {
            out.add(i.element);
        }
        return out;
    }

    /** Redis's ALPHA comparison: binary when storing, else {@code strcoll} over C strings (C locale). */
    private static int text(byte[] a, byte[] b, boolean store) {
        return store ? Arrays.compareUnsigned(a, b)
                : Arrays.compareUnsigned(a, 0, cLength(a), b, 0, cLength(b));
    }

    /**
     * What a pattern names for one element: the element itself for {@code #}; the string at the key
     * made by putting the element in place of the first {@code *}, or with {@code ->field} after the
     * {@code *} that field of the hash there; {@code null} if there is no such string or field or the
     * pattern has no {@code *}. As in Redis, {@code *}, {@code ->} and a lone {@code #} are looked for
     * in the pattern as a C string (up to a NUL byte); the rest of it is used whole.
     */
    static byte[] lookup(Keyspace ks, byte[] pattern, byte[] element) {
        int cLen = cLength(pattern);
        if (cLen == 1 && pattern[0] == '#') {
            return element;
        }
        byte[] key = patternKey(pattern, element);
        if (key == null) {
            return null;
        }
        Object v = ks.get(key);
        int arrow = arrow(pattern);
        if (arrow >= 0) {
            if (!(v instanceof HashMap<?, ?> hash)) {
                return null;
            }
            return (byte[]) hash.get(new Key(Arrays.copyOfRange(pattern, arrow + 2, pattern.length)));
        }
        return v instanceof byte[] s ? s : null;
    }

    /**
     * The key {@code pattern} names for {@code element} (see {@link #lookup}), or null for
     * {@code #} and for a pattern without {@code *}.
     */
    private static byte[] patternKey(byte[] pattern, byte[] element) {
        int cLen = cLength(pattern);
        if (cLen == 1 && pattern[0] == '#') {
            return null;
        }
        int star = indexOf(pattern, (byte) '*', 0, cLen);
        if (star < 0) {
            return null;
        }
        int arrow = arrow(pattern);
        int postfixEnd = arrow >= 0 ? arrow : pattern.length;
        byte[] key = new byte[star + element.length + postfixEnd - star - 1];
        System.arraycopy(pattern, 0, key, 0, star);
        System.arraycopy(element, 0, key, star, element.length);
        System.arraycopy(pattern, star + 1, key, star + element.length, postfixEnd - star - 1);
        return key;
    }

    /** Where the {@code ->} of a hash field follows the {@code *} with a field name after it, else -1. */
    private static int arrow(byte[] pattern) {
        int cLen = cLength(pattern);
        int star = indexOf(pattern, (byte) '*', 0, cLen);
        if (star < 0) {
            return -1;
        }
        for (int i = star + 1; i + 1 < cLen; i++) {
            if (pattern[i] == '-' && pattern[i + 1] == '>') {
                return i + 2 < pattern.length && pattern[i + 2] != 0 ? i : -1;
            }
        }
        return -1;
    }

    /**
     * Parses a number as C's {@code strtod} does when Redis sorts by it, accepting only a whole
     * string (up to a NUL byte) in range: leading white space, a sign, a decimal or hexadecimal
     * ({@code 0x1.8p1}, {@code 0x10}) number, {@code inf} or {@code infinity}; the empty string is 0.
     * Overflow and underflow (ERANGE) and NaN are failures.
     *
     * @param a the bytes
     * @return the value, or NaN if Redis would not accept it
     */
    static double strtod(byte[] a) {
        int n = cLength(a);
        if (n == 0) {
            return 0; // no conversion, but the end pointer is at the terminator: Redis takes 0
        }
        int i = 0;
        while (i < n && isSpace(a[i])) {
            i++;
        }
        boolean negative = false;
        if (i < n && (a[i] == '+' || a[i] == '-')) {
            negative = a[i] == '-';
            i++;
        }
        String s = new String(a, i, n - i, StandardCharsets.ISO_8859_1);
        double v;
        if (s.equalsIgnoreCase("inf") || s.equalsIgnoreCase("infinity")) {
            v = Double.POSITIVE_INFINITY;
        } else {
            v = finite(s);
            if (Double.isInfinite(v)) {
                return Double.NaN; // overflow
            }
        }
        return negative ? -v : v;
    }

    /** A decimal or hexadecimal number without sign, NaN if malformed or out of range. */
    private static double finite(String s) {
        boolean hex = s.length() > 1 && s.charAt(0) == '0' && (s.charAt(1) == 'x' || s.charAt(1) == 'X');
        String mantissa = hex ? "[0-9a-fA-F]*\\.?[0-9a-fA-F]*" : "[0-9]*\\.?[0-9]*";
        String exponent = hex ? "([pP][+-]?[0-9]+)?" : "([eE][+-]?[0-9]+)?";
        String body = hex ? s.substring(2) : s;
        if (!body.matches(mantissa + exponent)) {
            return Double.NaN;
        }
        int expAt = indexOfAny(body, hex ? "pP" : "eE");
        String digits = body.substring(0, expAt < 0 ? body.length() : expAt);
        boolean anyDigit = false;
        boolean nonZero = false;
        for (int k = 0; k < digits.length(); k++) {
            char ch = digits.charAt(k);
            anyDigit |= ch != '.';
            nonZero |= ch != '.' && ch != '0';
        }
        if (!anyDigit) {
            return Double.NaN;
        }
        double v;
        try {
            v = Double.parseDouble(hex ? "0x" + body + (expAt < 0 ? "p0" : "") : body);
        } catch (NumberFormatException e) {
            return Double.NaN; // an exponent beyond what the JDK reads: far out of range anyway
        }
        if ((v == 0 && nonZero) || (v != 0 && v < Double.MIN_NORMAL)) {
            return Double.NaN; // underflow: glibc sets ERANGE for an inexact tiny result
        }
        return v;
    }

    private static int indexOfAny(String s, String chars) {
        for (int k = 0; k < s.length(); k++) {
            if (chars.indexOf(s.charAt(k)) >= 0) {
                return k;
            }
        }
        return -1;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }

    /** The length of {@code a} read as a C string: up to its first NUL byte. */
    private static int cLength(byte[] a) {
        int i = indexOf(a, (byte) 0, 0, a.length);
        return i < 0 ? a.length : i;
    }

    private static int indexOf(byte[] a, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
