package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.kv.store.Keyspace;
import io.github.jglommio.kv.store.KeyspaceEvents;
import io.github.jglommio.kv.store.ListValue;

import java.util.Arrays;

/**
 * List commands; each appends one reply and returns the command to log or null. The commands
 * that take elements off a list (LPOP, LMOVE, LMPOP...) are in {@link ListPops}. Every write here
 * is deterministic on the same prior state (an index, a pivot, a count), so it logs itself.
 *
 * <p>Argument errors come in Redis's order, which differs between commands: LRANGE, LTRIM, LREM,
 * LINSERT and LPOS check their arguments before looking at the key, LINDEX and LSET only after
 * finding a list there (so {@code LINDEX missing x} is a null reply, not an error).
 */
final class ListCommands {
    static final String NO_SUCH_KEY = "ERR no such key";
    static final String INDEX_OUT_OF_RANGE = "ERR index out of range";
    static final String RANK_ZERO = "ERR RANK can't be zero: use 1 to start from the first match, "
        + "2 from the second ... or use negative to start from the end of the list";
    static final String COUNT_NEGATIVE = "ERR COUNT can't be negative";
    static final String MAXLEN_NEGATIVE = "ERR MAXLEN can't be negative";

    private ListCommands() {
    }

    static void register(Registry r) {
        r.key("lpush", -3, "write denyoom fast", (c, ks, out, x) -> push(c, ks, out, true, true));
        r.key("rpush", -3, "write denyoom fast", (c, ks, out, x) -> push(c, ks, out, false, true));
        r.key("lpushx", -3, "write denyoom fast", (c, ks, out, x) -> push(c, ks, out, true, false));
        r.key("rpushx", -3, "write denyoom fast", (c, ks, out, x) -> push(c, ks, out, false, false));
        ListPops.register(r);
        r.key("llen", 2, "readonly fast", (c, ks, out, x) -> llen(c, ks, out));
        r.key("lrange", 4, "readonly", (c, ks, out, x) -> lrange(c, ks, out));
        r.key("lindex", 3, "readonly", (c, ks, out, x) -> lindex(c, ks, out));
        r.key("lset", 4, "write denyoom", (c, ks, out, x) -> lset(c, ks, out));
        r.key("linsert", 5, "write denyoom", (c, ks, out, x) -> linsert(c, ks, out));
        r.key("lrem", 4, "write", (c, ks, out, x) -> lrem(c, ks, out));
        r.key("ltrim", 4, "write", (c, ks, out, x) -> ltrim(c, ks, out));
        r.key("lpos", -3, "readonly", (c, ks, out, x) -> lpos(c, ks, out));
    }

    /** LPUSH, RPUSH, and with {@code create} false LPUSHX, RPUSHX. */
    static Command push(Command c, Keyspace ks, RespWriter out, boolean head, boolean create) {
        ListValue list = create ? ks.getOrCreateList(c.arg(1)) : ks.getList(c.arg(1));
        if (list == null) {
            out.integer(0);
            return null;
        }
        for (int i = 2; i < c.argCount(); i++) {
            if (head) {
                list.addFirst(c.arg(i));
            } else {
                list.addLast(c.arg(i));
            }
        }
        out.integer(list.size());
        ks.notify(KeyspaceEvents.LIST, head ? "lpush" : "rpush", c.arg(1));
        return c;
    }

    static Command llen(Command c, Keyspace ks, RespWriter out) {
        ListValue list = ks.getList(c.arg(1));
        out.integer(list == null ? 0 : list.size());
        return null;
    }

    static Command lrange(Command c, Keyspace ks, RespWriter out) {
        long start = Args.longArg(c, 2);
        long stop = Args.longArg(c, 3);
        ListValue list = ks.getList(c.arg(1));
        long[] range = list == null ? null : Args.indexRange(start, stop, list.size());
        if (range == null) {
            out.arrayHeader(0);
            return null;
        }
        out.arrayHeader((int) (range[1] - range[0] + 1));
        for (int i = (int) range[0]; i <= range[1]; i++) {
            out.bulk(list.get(i));
        }
        return null;
    }

    static Command lindex(Command c, Keyspace ks, RespWriter out) {
        ListValue list = ks.getList(c.arg(1));
        if (list == null) {
            out.nullBulk();
            return null;
        }
        int i = index(Args.longArg(c, 2), list.size());
        if (i < 0) {
            out.nullBulk();
        } else {
            out.bulk(list.get(i));
        }
        return null;
    }

    static Command lset(Command c, Keyspace ks, RespWriter out) {
        ListValue list = ks.getList(c.arg(1));
        if (list == null) {
            throw new CommandError(NO_SUCH_KEY);
        }
        int i = index(Args.longArg(c, 2), list.size());
        if (i < 0) {
            throw new CommandError(INDEX_OUT_OF_RANGE);
        }
        list.set(i, c.arg(3));
        ks.notify(KeyspaceEvents.LIST, "lset", c.arg(1));
        out.ok();
        return c;
    }

    static Command linsert(Command c, Keyspace ks, RespWriter out) {
        boolean before;
        if (Args.is(c.arg(2), "before")) {
            before = true;
        } else if (Args.is(c.arg(2), "after")) {
            before = false;
        } else {
            throw new CommandError(CommandError.SYNTAX);
        }
        ListValue list = ks.getList(c.arg(1));
        if (list == null) {
            out.integer(0);
            return null;
        }
        byte[] pivot = c.arg(3);
        for (int i = 0; i < list.size(); i++) {
            if (Arrays.equals(list.get(i), pivot)) {
                list.insert(before ? i : i + 1, c.arg(4));
                ks.notify(KeyspaceEvents.LIST, "linsert", c.arg(1));
                out.integer(list.size());
                return c;
            }
        }
        out.integer(-1);
        return null;
    }

    static Command lrem(Command c, Keyspace ks, RespWriter out) {
        long count = Args.longArg(c, 2);
        ListValue list = ks.getList(c.arg(1));
        int removed = list == null ? 0 : list.removeEqual(c.arg(3), count);
        out.integer(removed);
        if (removed == 0) {
            return null;
        }
        ks.notify(KeyspaceEvents.LIST, "lrem", c.arg(1));
        ks.deleteIfEmpty(c.arg(1));
        return c;
    }

    static Command ltrim(Command c, Keyspace ks, RespWriter out) {
        long start = Args.longArg(c, 2);
        long stop = Args.longArg(c, 3);
        ListValue list = ks.getList(c.arg(1));
        out.ok();
        if (list == null) {
            return null;
        }
        long[] range = Args.indexRange(start, stop, list.size());
        if (range == null) {
            list.retain(0, -1);
        } else if (range[0] == 0 && range[1] == list.size() - 1) {
            ks.notify(KeyspaceEvents.LIST, "ltrim", c.arg(1)); // Redis tells it all the same
            return null; // keeps everything
        } else {
            list.retain((int) range[0], (int) range[1]);
        }
        ks.notify(KeyspaceEvents.LIST, "ltrim", c.arg(1));
        ks.deleteIfEmpty(c.arg(1));
        return c;
    }

    /** {@code LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]}. */
    static Command lpos(Command c, Keyspace ks, RespWriter out) {
        long rank = 1;
        long count = -1; // not given: reply one index, not an array
        long maxLen = 0;
        for (int i = 3; i < c.argCount(); i += 2) {
            byte[] opt = c.arg(i);
            boolean hasValue = i + 1 < c.argCount();
            if (hasValue && Args.is(opt, "rank")) {
                rank = Args.longArg(c, i + 1);
                if (rank == 0) {
                    throw new CommandError(RANK_ZERO);
                }
            } else if (hasValue && Args.is(opt, "count")) {
                count = nonNegative(c.arg(i + 1), COUNT_NEGATIVE);
            } else if (hasValue && Args.is(opt, "maxlen")) {
                maxLen = nonNegative(c.arg(i + 1), MAXLEN_NEGATIVE);
            } else {
                throw new CommandError(CommandError.SYNTAX);
            }
        }
        ListValue list = ks.getList(c.arg(1));
        if (list == null) {
            if (count >= 0) {
                out.arrayHeader(0);
            } else {
                out.nullBulk();
            }
            return null;
        }
        long[] found = positions(list, c.arg(2), rank, count, maxLen);
        if (count >= 0) {
            out.arrayHeader(found.length);
            for (long p : found) {
                out.integer(p);
            }
        } else if (found.length == 0) {
            out.nullBulk();
        } else {
            out.integer(found[0]);
        }
        return null;
    }

    /**
     * The indexes LPOS replies: scanning from the head (rank > 0) or the tail (rank < 0) over at
     * most {@code maxLen} elements (0: all), the matches from the |rank|-th on, at most
     * {@code count} of them (0: all; -1: just one).
     */
    private static long[] positions(ListValue list, byte[] element, long rank, long count, long maxLen) {
        boolean fromTail = rank < 0;
        // As in Redis, the arithmetic wraps: RANK -9223372036854775808 stays negative here, so it
        // takes every match from the tail (a single one without COUNT), as Redis 7.0 answers it.
        long r = fromTail ? -rank : rank;
        int size = list.size();
        long[] found = new long[count > 0 ? (int) Math.min(count, size) : Math.min(size, 16)];
        int n = 0;
        long matches = 0;
        for (int k = 0; k < size && (maxLen == 0 || k < maxLen); k++) {
            int i = fromTail ? size - 1 - k : k;
            if (!Arrays.equals(list.get(i), element)) {
                continue;
            }
            matches++;
            if (matches < r) {
                continue;
            }
            if (n == found.length) {
                found = Arrays.copyOf(found, Math.min(size, found.length * 2));
            }
            found[n++] = i;
            if (count < 0 || (count > 0 && matches - r + 1 >= count)) {
                break;
            }
        }
        return Arrays.copyOf(found, n);
    }

    // ---- helpers ---------------------------------------------------------------------------

    /** A Redis list index (negative counts from the tail) as an array index, or -1 outside. */
    private static int index(long index, int size) {
        if (index < 0) {
            index += size;
        }
        return index < 0 || index >= size ? -1 : (int) index;
    }

    private static long nonNegative(byte[] arg, String message) {
        long v = Args.longValue(arg, message);
        if (v < 0) {
            throw new CommandError(message);
        }
        return v;
    }
}
