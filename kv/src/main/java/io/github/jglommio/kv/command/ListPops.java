package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.kv.store.Keyspace;
import io.github.jglommio.kv.store.KeyspaceEvents;
import io.github.jglommio.kv.store.ListValue;
import io.github.jglommio.kv.store.WrongTypeException;

/**
 * The list commands that take elements off a list: LPOP/RPOP, LMOVE/RPOPLPUSH and LMPOP. Each
 * splits into argument parsing and an operation on keys that are known to be ready, so that the
 * blocking variants (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP) can parse with the same rules and
 * call the operation once a key has become a non-empty list:
 * {@link #firstList}, {@link #popKeyAndElement}, {@link #popKeyAndElements}, {@link #move}.
 * Every operation logs what a replay needs without the blocking: {@code LPOP}/{@code RPOP} with
 * the number actually popped, {@code LMOVE} with explicit ends.
 */
final class ListPops {
    static final String NUMKEYS = "ERR numkeys should be greater than 0";
    static final String COUNT = "ERR count should be greater than 0";

    private ListPops() {
    }

    /** The options of LMPOP (and BLMPOP): which keys, which end, how many elements at most. */
    record MultiPop(int firstKey, int numKeys, boolean head, long count) {
        /** @return the argument indexes of the keys, in order */
        int[] keyIndexes() {
            int[] keys = new int[numKeys];
            for (int k = 0; k < numKeys; k++) {
                keys[k] = firstKey + k;
            }
            return keys;
        }
    }

    static void register(Registry r) {
        r.key("lpop", -2, "write fast", (c, ks, out, x) -> pop(c, ks, out, true));
        r.key("rpop", -2, "write fast", (c, ks, out, x) -> pop(c, ks, out, false));
        r.atomic("rpoplpush", 3, "write denyoom", 1, 2, 1,
            (c, ks, out, x) -> move(ks, c.arg(1), c.arg(2), false, true, out));
        r.atomic("lmove", 5, "write denyoom", 1, 2, 1, ListPops::lmoveKeys, (c, ks, out, x) -> lmove(c, ks, out));
        r.atomic("lmpop", -4, "write movablekeys", 0, 0, 0,
            c -> parseMultiPop(c, 1).keyIndexes(), (c, ks, out, x) -> lmpop(c, ks, out));
    }

    // ---- LPOP / RPOP -----------------------------------------------------------------------

    static Command pop(Command c, Keyspace ks, RespWriter out, boolean head) {
        if (c.argCount() > 3) {
            throw new CommandError(CommandTable.lookup(c).arityError());
        }
        long count = Args.optionalCount(c, 2);
        byte[] key = c.arg(1);
        ListValue list = ks.getList(key);
        if (list == null) {
            if (count >= 0) {
                out.nullArray();
            } else {
                out.nullBulk();
            }
            return null;
        }
        if (count < 0) {
            out.bulk(take(list, head));
        } else {
            int n = (int) Math.min(count, list.size());
            if (n == 0) {
                out.arrayHeader(0);
                return null;
            }
            writeTaken(list, head, n, out);
        }
        popped(ks, key, head);
        return c;
    }

    // ---- LMOVE / RPOPLPUSH -----------------------------------------------------------------

    private static int[] lmoveKeys(Command c) {
        // The ends are checked here too, so that a bad one is a syntax error wherever the keys are.
        end(c.arg(3));
        end(c.arg(4));
        return new int[] {1, 2};
    }

    static Command lmove(Command c, Keyspace ks, RespWriter out) {
        boolean fromHead = end(c.arg(3));
        boolean toHead = end(c.arg(4));
        return move(ks, c.arg(1), c.arg(2), fromHead, toHead, out);
    }

    /**
     * Moves one element from an end of {@code src} to an end of {@code dst} (which may be the same
     * key) and replies it as a bulk string, or a null bulk string when {@code src} is absent.
     *
     * @param ks the keyspace
     * @param src the source key
     * @param dst the destination key, created if absent
     * @param fromHead whether to take the source's head (LEFT) rather than its tail
     * @param toHead whether to push at the destination's head (LEFT) rather than its tail
     * @param out receives the reply
     * @return {@code LMOVE src dst <from> <to>} to log, or {@code null} if nothing moved
     * @throws WrongTypeException if either key holds another type, before anything moves
     */
    static Command move(Keyspace ks, byte[] src, byte[] dst, boolean fromHead, boolean toHead, RespWriter out) {
        ListValue from = ks.getList(src);
        if (from == null) {
            out.nullBulk();
            return null;
        }
        ks.getList(dst); // a type check only: the destination is created after the pop
        byte[] element = take(from, fromHead);
        ListValue to = ks.getOrCreateList(dst);
        if (toHead) {
            to.addFirst(element);
        } else {
            to.addLast(element);
        }
        ks.notify(KeyspaceEvents.LIST, toHead ? "lpush" : "rpush", dst); // Redis tells the push first
        popped(ks, src, fromHead);
        out.bulk(element);
        return Args.command("LMOVE", src, dst, endName(fromHead), endName(toHead));
    }

    // ---- LMPOP -----------------------------------------------------------------------------

    static Command lmpop(Command c, Keyspace ks, RespWriter out) {
        MultiPop p = parseMultiPop(c, 1);
        int k = firstList(ks, c, p.keyIndexes());
        if (k < 0) {
            out.nullArray();
            return null;
        }
        return popKeyAndElements(ks, c.arg(k), p.head(), p.count(), out);
    }

    /**
     * Parses {@code numkeys key... LEFT|RIGHT [COUNT count]} starting at the numkeys argument, as
     * LMPOP and BLMPOP take it.
     *
     * @param c the command
     * @param numKeysAt the index of the numkeys argument (1 for LMPOP, 2 for BLMPOP)
     * @return the options; the count is 1 when not given
     * @throws CommandError with Redis's text if the arguments are malformed
     */
    static MultiPop parseMultiPop(Command c, int numKeysAt) {
        long numKeys = Args.longValue(c.arg(numKeysAt), NUMKEYS);
        if (numKeys <= 0) {
            throw new CommandError(NUMKEYS);
        }
        // The keys, then at least the end.
        if (numKeys >= c.argCount() - numKeysAt - 1) {
            throw new CommandError(CommandError.SYNTAX);
        }
        int whereAt = numKeysAt + 1 + (int) numKeys;
        boolean head = end(c.arg(whereAt));
        long count = -1;
        for (int i = whereAt + 1; i < c.argCount(); i += 2) {
            if (!Args.is(c.arg(i), "count") || count >= 0 || i + 1 >= c.argCount()) {
                throw new CommandError(CommandError.SYNTAX);
            }
            count = Args.longValue(c.arg(i + 1), COUNT);
            if (count <= 0) {
                throw new CommandError(COUNT);
            }
        }
        return new MultiPop(numKeysAt + 1, (int) numKeys, head, count < 0 ? 1 : count);
    }

    /**
     * Finds the first of the given keys that holds a list (lists are never empty).
     *
     * @param ks the keyspace
     * @param c the command holding the keys
     * @param keyIndexes the argument indexes of the keys, in order
     * @return the argument index of that key, or -1 if none of them exists
     * @throws WrongTypeException if a key before it exists and holds another type
     */
    static int firstList(Keyspace ks, Command c, int[] keyIndexes) {
        for (int k : keyIndexes) {
            if (ks.getList(c.arg(k)) != null) {
                return k;
            }
        }
        return -1;
    }

    /**
     * Pops up to {@code count} elements from the list at {@code key} and replies
     * {@code [key, [elements...]]}, as LMPOP and BLMPOP do.
     *
     * @param ks the keyspace
     * @param key a key that holds a list
     * @param head whether to pop from the head (LEFT)
     * @param count the most elements to pop, at least 1
     * @param out receives the reply
     * @return {@code LPOP key n} or {@code RPOP key n} to log, {@code n} the number popped
     */
    static Command popKeyAndElements(Keyspace ks, byte[] key, boolean head, long count, RespWriter out) {
        ListValue list = ks.getList(key);
        int n = (int) Math.min(count, list.size());
        out.arrayHeader(2).bulk(key);
        writeTaken(list, head, n, out);
        popped(ks, key, head);
        return Args.command(head ? "LPOP" : "RPOP", key, Args.decimal(n));
    }

    /**
     * Pops one element from the list at {@code key} and replies {@code [key, element]}, as BLPOP
     * and BRPOP do.
     *
     * @param ks the keyspace
     * @param key a key that holds a list
     * @param head whether to pop from the head
     * @param out receives the reply
     * @return {@code LPOP key} or {@code RPOP key} to log
     */
    static Command popKeyAndElement(Keyspace ks, byte[] key, boolean head, RespWriter out) {
        ListValue list = ks.getList(key);
        out.arrayHeader(2).bulk(key).bulk(take(list, head));
        popped(ks, key, head);
        return Args.command(head ? "LPOP" : "RPOP", key);
    }

    // ---- shared ----------------------------------------------------------------------------

    /** After a pop from {@code key}: its event, then {@code del} if that was the last element. */
    private static void popped(Keyspace ks, byte[] key, boolean head) {
        ks.notify(KeyspaceEvents.LIST, head ? "lpop" : "rpop", key);
        ks.deleteIfEmpty(key);
    }

    /**
     * Parses a list end, {@code LEFT} or {@code RIGHT} in any case.
     *
     * @param arg the argument
     * @return {@code true} for LEFT (the head)
     * @throws CommandError a syntax error for anything else
     */
    static boolean end(byte[] arg) {
        if (Args.is(arg, "left")) {
            return true;
        }
        if (Args.is(arg, "right")) {
            return false;
        }
        throw new CommandError(CommandError.SYNTAX);
    }

    private static byte[] endName(boolean head) {
        return Args.ascii(head ? "LEFT" : "RIGHT");
    }

    private static byte[] take(ListValue list, boolean head) {
        return head ? list.pollFirst() : list.pollLast();
    }

    private static void writeTaken(ListValue list, boolean head, int n, RespWriter out) {
        out.arrayHeader(n);
        for (int i = 0; i < n; i++) {
            out.bulk(take(list, head));
        }
    }
}
