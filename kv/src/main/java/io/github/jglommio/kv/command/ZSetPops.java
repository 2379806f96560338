package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.kv.store.Keyspace;
import io.github.jglommio.kv.store.KeyspaceEvents;
import io.github.jglommio.kv.store.ZSet;

import java.util.Iterator;

/**
 * ZPOPMIN, ZPOPMAX and ZMPOP, written for reuse by their blocking variants (BZPOPMIN, BZPOPMAX,
 * BZMPOP): once such a command finds a non-empty sorted set at one of its keys, {@link #pop} pops
 * it, writes the reply in the variant's {@link PopReply shape} and returns what to log, an explicit
 * {@code ZPOPMIN key count} or {@code ZPOPMAX key count} as Redis propagates them. Stateless.
 */
final class ZSetPops {
    private static final String NUMKEYS = "ERR numkeys should be greater than 0";

    private ZSetPops() {
    }

    static void register(Registry r) {
        r.key("zpopmin", -2, "write fast", (c, ks, out, x) -> zpop(c, ks, out, false));
        r.key("zpopmax", -2, "write fast", (c, ks, out, x) -> zpop(c, ks, out, true));
        r.atomic("zmpop", -4, "write movablekeys", 0, 0, 0, c -> numkeysKeys(c, 1, 1),
            (c, ks, out, x) -> zmpop(c, ks, out));
    }

    /** The shapes of a pop reply. */
    enum PopReply {
        /** ZPOPMIN/ZPOPMAX without a count: member, score, member, score... */
        FLAT,
        /** ZPOPMIN/ZPOPMAX with a count: flat under RESP2, [member, score] pairs under RESP3. */
        PAIRS,
        /** BZPOPMIN/BZPOPMAX: key, member, score. */
        KEYED,
        /** ZMPOP/BZMPOP: key, then an array of [member, score] pairs. */
        NESTED
    }

    /**
     * Pops up to {@code count} members from the low or high end of the non-empty sorted set at
     * {@code key}, appends the reply in {@code shape}, and deletes the key if it is left empty.
     *
     * @param ks the keyspace
     * @param key the key
     * @param zset the sorted set at {@code key}, not empty
     * @param max whether to pop the highest scores
     * @param count how many to pop, at least 1
     * @param shape the reply's shape
     * @param out receives the reply
     * @return the command to log: {@code ZPOPMIN|ZPOPMAX key n}
     */
    static Command pop(Keyspace ks, byte[] key, ZSet zset, boolean max, long count, PopReply shape, RespWriter out) {
        int n = (int) Math.min(count, zset.size());
        switch (shape) {
            case FLAT -> out.arrayHeader(2 * n);
            case PAIRS -> out.pairsHeader(n);
            case KEYED -> out.arrayHeader(2 * n + 1).bulk(key);
            case NESTED -> out.arrayHeader(2).bulk(key).arrayHeader(n);
        }
        Iterator<ZSet.Item> it = zset.iterator(max ? zset.size() - 1 : 0, max);
        for (int i = 0; i < n; i++) {
            ZSet.Item item = it.next();
            if (shape == PopReply.NESTED) {
                out.arrayHeader(2);
            } else if (shape == PopReply.PAIRS) {
                out.pair();
            }
            out.bulk(item.member().bytes());
            Scores.write(out, item.score());
        }
        zset.removeRange(max ? zset.size() - n : 0, max ? zset.size() : n);
        if (n > 0) {
            ks.notify(KeyspaceEvents.ZSET, max ? "zpopmax" : "zpopmin", key);
            ks.deleteIfEmpty(key);
        }
        return Args.command(max ? "ZPOPMAX" : "ZPOPMIN", key, Args.decimal(n));
    }

    /** ZPOPMIN|ZPOPMAX key [count]. */
    static Command zpop(Command c, Keyspace ks, RespWriter out, boolean max) {
        if (c.argCount() > 3) {
            throw new CommandError(CommandError.SYNTAX);
        }
        long count = Args.optionalCount(c, 2);
        byte[] key = c.arg(1);
        ZSet zset = ks.getZSet(key);
        if (zset == null || count == 0) {
            out.arrayHeader(0);
            return null;
        }
        // As Redis 7.0: a count, even 1, makes RESP3 replies [member, score] pairs.
        return pop(ks, key, zset, max, count < 0 ? 1 : count, count < 0 ? PopReply.FLAT : PopReply.PAIRS, out);
    }

    /** ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]: pops from the first non-empty key. */
    static Command zmpop(Command c, Keyspace ks, RespWriter out) {
        long numkeys = ZSetCommands.rangedLong(c.arg(1), 1, Long.MAX_VALUE, NUMKEYS);
        if (numkeys > c.argCount() - 3) {
            throw new CommandError(CommandError.SYNTAX);
        }
        int where = 2 + (int) numkeys;
        boolean max;
        if (Args.is(c.arg(where), "min")) {
            max = false;
        } else if (Args.is(c.arg(where), "max")) {
            max = true;
        } else {
            throw new CommandError(CommandError.SYNTAX);
        }
        long count = -1;
        for (int j = where + 1; j < c.argCount(); j++) {
            if (count == -1 && Args.is(c.arg(j), "count") && j + 1 < c.argCount()) {
                count = ZSetCommands.rangedLong(c.arg(++j), 1, Long.MAX_VALUE, "ERR count should be greater than 0");
            } else {
                throw new CommandError(CommandError.SYNTAX);
            }
        }
        int k = firstNonEmpty(ks, c, 2, where);
        if (k < 0) {
            out.nullArray();
            return null;
        }
        return pop(ks, c.arg(k), ks.getZSet(c.arg(k)), max, count < 0 ? 1 : count, PopReply.NESTED, out);
    }

    /**
     * Finds the first of the keys at arguments {@code from} (inclusive) to {@code to} (exclusive)
     * that holds a sorted set, as ZMPOP and the blocking pops look for one: missing keys are
     * skipped, and the first key of another type is an error, even if a later key would do.
     *
     * @return the argument index, or -1 if none holds a sorted set
     * @throws io.github.jglommio.kv.store.WrongTypeException at the first key of another type
     */
    static int firstNonEmpty(Keyspace ks, Command c, int from, int to) {
        for (int k = from; k < to; k++) {
            if (ks.getZSet(c.arg(k)) != null) {
                return k;
            }
        }
        return -1;
    }

    /** The keys of ZMPOP (and BZMPOP after its timeout): numkeys at argument {@code at}, the keys after it. */
    static int[] numkeysKeys(Command c, int at, int after) {
        long n = ZSetCommands.rangedLong(c.arg(at), 1, Long.MAX_VALUE, NUMKEYS);
        if (n > c.argCount() - at - 1 - after) {
            throw new CommandError(CommandError.SYNTAX);
        }
        int[] keys = new int[(int) n];
        for (int k = 0; k < keys.length; k++) {
            keys[k] = at + 1 + k;
        }
        return keys;
    }
}
