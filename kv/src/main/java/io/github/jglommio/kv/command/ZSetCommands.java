package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Ascii;
import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.kv.store.Key;
import io.github.jglommio.kv.store.Keyspace;
import io.github.jglommio.kv.store.KeyspaceEvents;
import io.github.jglommio.kv.store.ZSet;

import java.nio.charset.StandardCharsets;

/**
 * Sorted-set commands; each appends one reply and returns the command to log or null. This class
 * registers the whole family and holds the point commands (ZADD, ZINCRBY, ZCARD, ZSCORE, ZMSCORE,
 * ZRANK, ZREVRANK, ZREM); the pops are in {@link ZSetPops}, ZRANDMEMBER and ZSCAN in
 * {@link ZSetSampling}, the range commands in {@link ZRangeCommands}, the set algebra in
 * {@link ZSetAlgebra}. Scores are read and printed as {@link Scores} says. Stateless.
 */
final class ZSetCommands {
    private ZSetCommands() {
    }

    static void register(Registry r) {
        r.key("zadd", -4, "write denyoom fast", (c, ks, out, x) -> zadd(c, ks, out, false));
        r.key("zincrby", 4, "write denyoom fast", (c, ks, out, x) -> zadd(c, ks, out, true));
        r.key("zcard", 2, "readonly fast", (c, ks, out, x) -> zcard(c, ks, out));
        r.key("zscore", 3, "readonly fast", (c, ks, out, x) -> zscore(c, ks, out));
        r.key("zmscore", -3, "readonly fast", (c, ks, out, x) -> zmscore(c, ks, out));
        r.key("zrank", 3, "readonly fast", (c, ks, out, x) -> zrank(c, ks, out, false));
        r.key("zrevrank", 3, "readonly fast", (c, ks, out, x) -> zrank(c, ks, out, true));
        r.key("zrem", -3, "write fast", (c, ks, out, x) -> zrem(c, ks, out));
        ZSetPops.register(r);
        ZSetSampling.register(r);
        ZRangeCommands.register(r);
        ZSetAlgebra.register(r);
    }

    /**
     * ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...], and ZINCRBY key
     * increment member, which Redis parses as ZADD with INCR (so ZINCRBY k nx m is a syntax error).
     */
    static Command zadd(Command c, Keyspace ks, RespWriter out, boolean incrby) {
        boolean nx = false;
        boolean xx = false;
        boolean gt = false;
        boolean lt = false;
        boolean ch = false;
        boolean incr = incrby;
        int first = 2;
        for (; first < c.argCount(); first++) {
            byte[] opt = c.arg(first);
            if (Args.is(opt, "nx")) {
                nx = true;
            } else if (Args.is(opt, "xx")) {
                xx = true;
            } else if (Args.is(opt, "ch")) {
                ch = true;
            } else if (Args.is(opt, "incr")) {
                incr = true;
            } else if (Args.is(opt, "gt")) {
                gt = true;
            } else if (Args.is(opt, "lt")) {
                lt = true;
            } else {
                break;
            }
        }
        int elements = c.argCount() - first;
        if (elements == 0 || elements % 2 != 0) {
            throw new CommandError(CommandError.SYNTAX);
        }
        if (nx && xx) {
            throw new CommandError("ERR XX and NX options at the same time are not compatible");
        }
        if ((gt && nx) || (lt && nx) || (gt && lt)) {
            throw new CommandError("ERR GT, LT, and/or NX options at the same time are not compatible");
        }
        if (incr && elements > 2) {
            throw new CommandError("ERR INCR option supports a single increment-element pair");
        }
        double[] scores = new double[elements / 2];
        for (int j = 0; j < scores.length; j++) {
            scores[j] = Scores.parse(c.arg(first + 2 * j), Scores.NOT_FLOAT);
        }
        byte[] key = c.arg(1);
        ZSet zset = ks.getZSet(key);
        if (zset == null && xx) {
            if (incr) {
                out.nullBulk();
            } else {
                out.integer(0);
            }
            return null;
        }
        if (incr) {
            // One element: a NaN sum is refused before anything changes.
            Key member = new Key(c.arg(first + 1));
            Double cur = zset == null ? null : zset.score(member);
            double next = scores[0];
            if (cur == null && xx) {
                out.nullBulk();
                return null;
            }
            if (cur != null) {
                if (nx) {
                    out.nullBulk();
                    return null;
                }
                next = cur + scores[0];
                if (Double.isNaN(next)) {
                    throw new CommandError(Scores.NAN);
                }
                if ((lt && next >= cur) || (gt && next <= cur)) {
                    out.nullBulk();
                    return null;
                }
            }
            if (zset == null) {
                zset = ks.getOrCreateZSet(key);
            }
            boolean changed = cur == null || next != cur;
            zset.put(member, next);
            Scores.write(out, next);
            if (!changed) {
                return null;
            }
            ks.notify(KeyspaceEvents.ZSET, "zincr", key);
            return c;
        }
        if (zset == null) {
            zset = ks.getOrCreateZSet(key);
        }
        int added = 0;
        int updated = 0;
        for (int j = 0; j < scores.length; j++) {
            Key member = new Key(c.arg(first + 2 * j + 1));
            Double cur = zset.score(member);
            double s = scores[j];
            if (cur == null) {
                if (!xx) {
                    zset.put(member, s);
                    added++;
                }
            } else if (!nx && !(lt && s >= cur) && !(gt && s <= cur) && s != cur) {
                zset.put(member, s);
                updated++;
            }
        }
        out.integer(ch ? added + updated : added);
        if (added + updated == 0) {
            return null;
        }
        ks.notify(KeyspaceEvents.ZSET, "zadd", key);
        return c;
    }

    static Command zcard(Command c, Keyspace ks, RespWriter out) {
        ZSet zset = ks.getZSet(c.arg(1));
        out.integer(zset == null ? 0 : zset.size());
        return null;
    }

    static Command zscore(Command c, Keyspace ks, RespWriter out) {
        ZSet zset = ks.getZSet(c.arg(1));
        writeScore(out, zset == null ? null : zset.score(new Key(c.arg(2))));
        return null;
    }

    /** ZMSCORE key member [member ...]: one score or null per member. */
    static Command zmscore(Command c, Keyspace ks, RespWriter out) {
        ZSet zset = ks.getZSet(c.arg(1));
        out.arrayHeader(c.argCount() - 2);
        for (int i = 2; i < c.argCount(); i++) {
            writeScore(out, zset == null ? null : zset.score(new Key(c.arg(i))));
        }
        return null;
    }

    private static void writeScore(RespWriter out, Double s) {
        if (s == null) {
            out.nullBulk();
        } else {
            Scores.write(out, s);
        }
    }

    static Command zrank(Command c, Keyspace ks, RespWriter out, boolean reverse) {
        ZSet zset = ks.getZSet(c.arg(1));
        long rank = zset == null ? -1 : zset.rank(new Key(c.arg(2)));
        if (rank < 0) {
            out.nullBulk();
        } else {
            out.integer(reverse ? zset.size() - 1 - rank : rank);
        }
        return null;
    }

    static Command zrem(Command c, Keyspace ks, RespWriter out) {
        ZSet zset = ks.getZSet(c.arg(1));
        int removed = 0;
        if (zset != null) {
            for (int i = 2; i < c.argCount(); i++) {
                if (zset.remove(new Key(c.arg(i)))) {
                    removed++;
                }
            }
            if (removed > 0) {
                ks.notify(KeyspaceEvents.ZSET, "zrem", c.arg(1));
                ks.deleteIfEmpty(c.arg(1));
            }
        }
        out.integer(removed);
        return removed > 0 ? c : null;
    }

    /**
     * Parses an integer within [min, max] as Redis's getRangeLongFromObjectOrReply: a
     * non-integer or an integer out of range gets {@code message}, or Redis's default texts when
     * it is null.
     */
    static long rangedLong(byte[] a, long min, long max, String message) {
        long v = Ascii.parseOr(a, 0, a.length, Long.MIN_VALUE);
        if (v == Long.MIN_VALUE && !new String(a, StandardCharsets.US_ASCII).equals(Long.toString(Long.MIN_VALUE))) {
            throw new CommandError(message != null ? message : CommandError.NOT_INTEGER);
        }
        if (v < min || v > max) {
            throw new CommandError(message != null ? message
                : "ERR value is out of range, value must between " + min + " and " + max);
        }
        return v;
    }
}
