package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.kv.store.Key;
import io.github.jglommio.kv.store.Keyspace;
import io.github.jglommio.kv.store.ZSet;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Sorted-set commands; each appends one reply and returns the command to log or null. */
final class ZSetCommands {
    private ZSetCommands() {
    }

    static void register(Registry r) {
        r.key("zadd", -4, "write denyoom fast", (c, ks, out, x) -> zadd(c, ks, out));
        r.key("zrange", -4, "readonly", (c, ks, out, x) -> zrange(c, ks, out));
        r.key("zscore", 3, "readonly fast", (c, ks, out, x) -> zscore(c, ks, out));
        r.key("zcard", 2, "readonly fast", (c, ks, out, x) -> zcard(c, ks, out));
        r.key("zrem", -3, "write fast", (c, ks, out, x) -> zrem(c, ks, out));
        r.key("zincrby", 4, "write denyoom fast", (c, ks, out, x) -> zincrby(c, ks, out));
    }

    /** ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]. */
    static Command zadd(Command c, Keyspace ks, RespWriter out) {
        boolean nx = false;
        boolean xx = false;
        boolean gt = false;
        boolean lt = false;
        boolean ch = false;
        boolean incr = false;
        int i = 2;
        for (; i < c.argCount(); i++) {
            byte[] opt = c.arg(i);
            if (Args.is(opt, "nx")) {
                nx = true;
            } else if (Args.is(opt, "xx")) {
                xx = true;
            } else if (Args.is(opt, "gt")) {
                gt = true;
            } else if (Args.is(opt, "lt")) {
                lt = true;
            } else if (Args.is(opt, "ch")) {
                ch = true;
            } else if (Args.is(opt, "incr")) {
                incr = true;
            } else {
                break;
            }
        }
        int first = i;
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
            scores[j] = Args.doubleArg(c, first + 2 * j);
        }
        byte[] key = c.arg(1);
        ZSet zset = ks.getZSet(key);
        if (incr) {
            Key member = new Key(c.arg(first + 1));
            Double cur = zset == null ? null : zset.score(member);
            double next = cur == null ? scores[0] : cur + scores[0];
            if (Double.isNaN(next)) {
                throw new CommandError("ERR resulting score is not a number (NaN)");
            }
            boolean apply = cur == null ? !xx : !nx && !(gt && next <= cur) && !(lt && next >= cur);
            if (!apply) {
                out.nullBulk();
                return null;
            }
            ks.getOrCreateZSet(key).put(member, next);
            out.bulkDouble(next);
            return c;
        }
        if (zset == null) {
            if (xx) {
                out.integer(0);
                return null;
            }
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
            } else if (!nx && !(gt && s <= cur) && !(lt && s >= cur) && s != cur) {
                zset.put(member, s);
                updated++;
            }
        }
        out.integer(ch ? added + updated : added);
        ks.removeIfEmpty(key);
        return added + updated > 0 ? c : null;
    }

    /** ZRANGE key start stop [BYSCORE] [REV] [LIMIT offset count] [WITHSCORES]. */
    static Command zrange(Command c, Keyspace ks, RespWriter out) {
        boolean byScore = false;
        boolean rev = false;
        boolean withScores = false;
        long offset = 0;
        long limit = -1;
        boolean hasLimit = false;
        for (int i = 4; i < c.argCount(); i++) {
            byte[] opt = c.arg(i);
            if (Args.is(opt, "byscore")) {
                byScore = true;
            } else if (Args.is(opt, "rev")) {
                rev = true;
            } else if (Args.is(opt, "withscores")) {
                withScores = true;
            } else if (Args.is(opt, "limit") && i + 2 < c.argCount()) {
                offset = Args.longArg(c, i + 1);
                limit = Args.longArg(c, i + 2);
                hasLimit = true;
                i += 2;
            } else if (Args.is(opt, "bylex")) {
                throw new CommandError("ERR BYLEX is not supported by this server");
            } else {
                throw new CommandError(CommandError.SYNTAX);
            }
        }
        if (hasLimit && !byScore) {
            throw new CommandError("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
        }
        List<ZSet.Item> items = byScore
            ? byScore(c, ks, rev, offset, limit)
            : byIndex(Args.longArg(c, 2), Args.longArg(c, 3), ks.getZSet(c.arg(1)), rev);
        out.arrayHeader(withScores ? items.size() * 2 : items.size());
        for (ZSet.Item it : items) {
            out.bulk(it.member().bytes());
            if (withScores) {
                out.bulkDouble(it.score());
            }
        }
        return null;
    }

    private static List<ZSet.Item> byIndex(long start, long stop, ZSet zset, boolean rev) {
        List<ZSet.Item> items = new ArrayList<>();
        if (zset == null) {
            return items;
        }
        long[] range = Args.indexRange(start, stop, zset.size());
        if (range == null) {
            return items;
        }
        start = range[0];
        stop = range[1];
        Iterator<ZSet.Item> it = rev ? zset.descending() : zset.ascending();
        for (long i = 0; i <= stop; i++) {
            ZSet.Item item = it.next();
            if (i >= start) {
                items.add(item);
            }
        }
        return items;
    }

    private static List<ZSet.Item> byScore(Command c, Keyspace ks, boolean rev, long offset, long limit) {
        // With REV the range is given as max then min.
        byte[] minArg = rev ? c.arg(3) : c.arg(2);
        byte[] maxArg = rev ? c.arg(2) : c.arg(3);
        boolean minExclusive = minArg.length > 0 && minArg[0] == '(';
        boolean maxExclusive = maxArg.length > 0 && maxArg[0] == '(';
        double min = bound(minArg, minExclusive);
        double max = bound(maxArg, maxExclusive);
        List<ZSet.Item> items = new ArrayList<>();
        ZSet zset = ks.getZSet(c.arg(1));
        if (zset == null || offset < 0) {
            return items;
        }
        Iterator<ZSet.Item> it = rev ? zset.descending() : zset.ascending();
        long skipped = 0;
        while (it.hasNext() && (limit < 0 || items.size() < limit)) {
            ZSet.Item item = it.next();
            double s = item.score();
            boolean aboveMin = minExclusive ? s > min : s >= min;
            boolean belowMax = maxExclusive ? s < max : s <= max;
            if (aboveMin && belowMax) {
                if (skipped++ >= offset) {
                    items.add(item);
                }
            } else if (rev ? !aboveMin : !belowMax) {
                break; // past the end of the range in iteration order
            }
        }
        return items;
    }

    private static double bound(byte[] arg, boolean exclusive) {
        byte[] body = exclusive ? java.util.Arrays.copyOfRange(arg, 1, arg.length) : arg;
        return Args.parseDouble(body, "ERR min or max is not a float");
    }

    static Command zscore(Command c, Keyspace ks, RespWriter out) {
        ZSet zset = ks.getZSet(c.arg(1));
        Double s = zset == null ? null : zset.score(new Key(c.arg(2)));
        if (s == null) {
            out.nullBulk();
        } else {
            out.bulkDouble(s);
        }
        return null;
    }

    static Command zcard(Command c, Keyspace ks, RespWriter out) {
        ZSet zset = ks.getZSet(c.arg(1));
        out.integer(zset == null ? 0 : zset.size());
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
            ks.removeIfEmpty(c.arg(1));
        }
        out.integer(removed);
        return removed > 0 ? c : null;
    }

    static Command zincrby(Command c, Keyspace ks, RespWriter out) {
        double by = Args.doubleArg(c, 2);
        ZSet existing = ks.getZSet(c.arg(1));
        Key member = new Key(c.arg(3));
        Double cur = existing == null ? null : existing.score(member);
        double next = cur == null ? by : cur + by;
        if (Double.isNaN(next)) {
            throw new CommandError("ERR resulting score is not a number (NaN)");
        }
        ks.getOrCreateZSet(c.arg(1)).put(member, next);
        out.bulkDouble(next);
        return c;
    }
}
