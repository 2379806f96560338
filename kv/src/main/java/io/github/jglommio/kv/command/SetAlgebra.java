package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Ascii;
import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.kv.store.Key;
import io.github.jglommio.kv.store.Keyspace;
import io.github.jglommio.kv.store.KeyspaceEvents;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;

/**
 * The commands that combine sets: SINTER, SINTERCARD, SUNION, SDIFF and their STORE forms. A
 * missing key is an empty set; any key of another type is an error, even after a missing one.
 * Replies come in {@link SetCommands#inOrder(HashSet) Redis's order} where Redis's is fixed.
 *
 * <p>The STORE forms log themselves: replayed on the same prior state they store the same set,
 * as Redis propagates them; an empty result deletes the destination and logs {@code DEL}.
 */
final class SetAlgebra {
    private SetAlgebra() {
    }

    private enum Op { INTER, UNION, DIFF }

    static void register(Registry r) {
        r.atomic("sinter", -2, "readonly", 1, -1, 1, (c, ks, out, x) -> read(c, ks, out, Op.INTER));
        r.atomic("sunion", -2, "readonly", 1, -1, 1, (c, ks, out, x) -> read(c, ks, out, Op.UNION));
        r.atomic("sdiff", -2, "readonly", 1, -1, 1, (c, ks, out, x) -> read(c, ks, out, Op.DIFF));
        r.atomic("sinterstore", -3, "write denyoom", 1, -1, 1, (c, ks, out, x) -> store(c, ks, out, Op.INTER));
        r.atomic("sunionstore", -3, "write denyoom", 1, -1, 1, (c, ks, out, x) -> store(c, ks, out, Op.UNION));
        r.atomic("sdiffstore", -3, "write denyoom", 1, -1, 1, (c, ks, out, x) -> store(c, ks, out, Op.DIFF));
        r.atomic("sintercard", -3, "readonly movablekeys", 0, 0, 0, SetAlgebra::sintercardKeys,
            (c, ks, out, x) -> sintercard(c, ks, out));
    }

    /** SINTER, SUNION, SDIFF key [key ...]. */
    static Command read(Command c, Keyspace ks, RespWriter out, Op op) {
        List<HashSet<Key>> sets = sets(c, ks, 1, c.argCount());
        Collection<Key> result = op == Op.INTER ? intersection(sets, 0) : SetCommands.inOrder(combine(sets, op));
        SetCommands.writeMembers(out, result);
        return null;
    }

    /** SINTERSTORE, SUNIONSTORE, SDIFFSTORE destination key [key ...]: replaces the destination, whatever it held. */
    static Command store(Command c, Keyspace ks, RespWriter out, Op op) {
        List<HashSet<Key>> sets = sets(c, ks, 2, c.argCount());
        HashSet<Key> result = op == Op.INTER ? new HashSet<>(intersection(sets, 0)) : combine(sets, op);
        byte[] dest = c.arg(1);
        out.integer(result.size());
        if (result.isEmpty()) {
            if (!ks.delete(dest)) {
                return null;
            }
            ks.notify(KeyspaceEvents.GENERIC, "del", dest);
            return Args.command("DEL", dest);
        }
        ks.set(dest, result, Keyspace.NO_EXPIRY);
        ks.notify(KeyspaceEvents.SET, switch (op) {
            case INTER -> "sinterstore";
            case UNION -> "sunionstore";
            default -> "sdiffstore";
        }, dest);
        return c;
    }

    /** SINTERCARD numkeys key [key ...] [LIMIT limit]: the intersection's size, counting stops at the limit. */
    static Command sintercard(Command c, Keyspace ks, RespWriter out) {
        int numkeys = numkeys(c);
        long limit = 0;
        for (int i = 2 + numkeys; i < c.argCount(); i++) {
            if (Args.is(c.arg(i), "limit") && i + 1 < c.argCount()) {
                byte[] a = c.arg(++i);
                limit = Ascii.parseOr(a, 0, a.length, -1);
                if (limit < 0) {
                    throw new CommandError("ERR LIMIT can't be negative");
                }
            } else {
                throw new CommandError(CommandError.SYNTAX);
            }
        }
        out.integer(intersection(sets(c, ks, 2, 2 + numkeys), limit).size());
        return null;
    }

    /** The key finder of SINTERCARD: numkeys keys from argument 2 on. */
    static int[] sintercardKeys(Command c) {
        int[] keys = new int[numkeys(c)];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = 2 + i;
        }
        return keys;
    }

    private static int numkeys(Command c) {
        byte[] a = c.arg(1);
        long n = Ascii.parseOr(a, 0, a.length, -1);
        if (n < 1) {
            throw new CommandError("ERR numkeys should be greater than 0");
        }
        if (n > c.argCount() - 2) {
            throw new CommandError("ERR Number of keys can't be greater than number of args");
        }
        return (int) n;
    }

    /** The sets at arguments {@code from..to-1}, {@code null} for a missing key; checks every type first. */
    private static List<HashSet<Key>> sets(Command c, Keyspace ks, int from, int to) {
        List<HashSet<Key>> sets = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            sets.add(ks.getSet(c.arg(i)));
        }
        return sets;
    }

    /**
     * The members common to all sets, as Redis finds them: walking the smallest set (the first of
     * equal ones) in its order, so the reply order is Redis's when that set is an intset there.
     *
     * @param limit stop after this many, 0 for all
     */
    private static List<Key> intersection(List<HashSet<Key>> sets, long limit) {
        List<Key> out = new ArrayList<>();
        HashSet<Key> smallest = null;
        for (HashSet<Key> s : sets) {
            if (s == null) {
                return out;
            }
            if (smallest == null || s.size() < smallest.size()) {
                smallest = s;
            }
        }
        for (Key k : SetCommands.inOrder(smallest)) {
            boolean everywhere = true;
            for (HashSet<Key> s : sets) {
                if (s != smallest && !s.contains(k)) {
                    everywhere = false;
                    break;
                }
            }
            if (everywhere) {
                out.add(k);
                if (limit > 0 && out.size() >= limit) {
                    break;
                }
            }
        }
        return out;
    }

    /** A new set: the union of all sets, or the first minus the others. */
    private static HashSet<Key> combine(List<HashSet<Key>> sets, Op op) {
        HashSet<Key> result = new HashSet<>();
        if (op == Op.UNION) {
            for (HashSet<Key> s : sets) {
                if (s != null) {
                    result.addAll(s);
                }
            }
            return result;
        }
        HashSet<Key> first = sets.get(0);
        if (first == null) {
            return result;
        }
        for (Key k : first) {
            boolean elsewhere = false;
            for (int i = 1; i < sets.size() && !elsewhere; i++) {
                HashSet<Key> s = sets.get(i);
                elsewhere = s != null && s.contains(k);
            }
            if (!elsewhere) {
                result.add(k);
            }
        }
        return result;
    }
}
