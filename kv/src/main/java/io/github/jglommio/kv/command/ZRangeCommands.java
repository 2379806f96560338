package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.kv.store.Keyspace;
import io.github.jglommio.kv.store.KeyspaceEvents;
import io.github.jglommio.kv.store.ZSet;

import java.util.Iterator;

/**
 * The sorted-set range commands: ZRANGE in all its forms (by rank, score or lex, reversed,
 * limited, with scores), its older spellings, ZRANGESTORE, ZCOUNT, ZLEXCOUNT and the
 * ZREMRANGEBY commands. Each appends one reply and returns the command to log or null; all are
 * deterministic, so the writes log themselves.
 */
final class ZRangeCommands {
    private ZRangeCommands() {
    }

    /** How a range is given; AUTO until ZRANGE's options say. */
    private enum By { AUTO, RANK, SCORE, LEX }

    static void register(Registry r) {
        r.key("zrange", -4, "readonly", (c, ks, out, x) -> range(c, ks, out, 1, false, By.AUTO, null));
        r.key("zrevrange", -4, "readonly", (c, ks, out, x) -> range(c, ks, out, 1, false, By.RANK, true));
        r.key("zrangebyscore", -4, "readonly", (c, ks, out, x) -> range(c, ks, out, 1, false, By.SCORE, false));
        r.key("zrevrangebyscore", -4, "readonly", (c, ks, out, x) -> range(c, ks, out, 1, false, By.SCORE, true));
        r.key("zrangebylex", -4, "readonly", (c, ks, out, x) -> range(c, ks, out, 1, false, By.LEX, false));
        r.key("zrevrangebylex", -4, "readonly", (c, ks, out, x) -> range(c, ks, out, 1, false, By.LEX, true));
        r.atomic("zrangestore", -5, "write denyoom", 1, 2, 1, (c, ks, out, x) -> range(c, ks, out, 2, true, By.AUTO, null));
        r.key("zcount", 4, "readonly fast", (c, ks, out, x) -> count(c, ks, out, By.SCORE));
        r.key("zlexcount", 4, "readonly fast", (c, ks, out, x) -> count(c, ks, out, By.LEX));
        r.key("zremrangebyrank", 4, "write", (c, ks, out, x) -> removeRange(c, ks, out, By.RANK));
        r.key("zremrangebyscore", 4, "write", (c, ks, out, x) -> removeRange(c, ks, out, By.SCORE));
        r.key("zremrangebylex", 4, "write", (c, ks, out, x) -> removeRange(c, ks, out, By.LEX));
    }

    /**
     * The range commands, as Redis's zrangeGenericCommand: the source key at {@code at}, then
     * min and max, then options (those the command's own spelling does not fix); {@code reverse}
     * null means REV may be given. ZRANGESTORE stores the run at argument 1 instead of replying it.
     */
    private static Command range(Command c, Keyspace ks, RespWriter out, int at, boolean store, By by, Boolean reverse) {
        boolean withScores = false;
        long offset = 0;
        long limit = -1;
        boolean rev = reverse != null && reverse;
        boolean revFixed = reverse != null;
        for (int j = at + 3; j < c.argCount(); j++) {
            int left = c.argCount() - j - 1;
            byte[] opt = c.arg(j);
            if (!store && Args.is(opt, "withscores")) {
                withScores = true;
            } else if (Args.is(opt, "limit") && left >= 2) {
                offset = Args.longArg(c, j + 1);
                limit = Args.longArg(c, j + 2);
                j += 2;
            } else if (!revFixed && Args.is(opt, "rev")) {
                rev = true;
                revFixed = true;
            } else if (by == By.AUTO && Args.is(opt, "bylex")) {
                by = By.LEX;
            } else if (by == By.AUTO && Args.is(opt, "byscore")) {
                by = By.SCORE;
            } else {
                throw new CommandError(CommandError.SYNTAX);
            }
        }
        if (by == By.AUTO) {
            by = By.RANK;
        }
        if (limit != -1 && by == By.RANK) {
            throw new CommandError("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
        }
        if (withScores && by == By.LEX) {
            throw new CommandError("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
        }
        // With REV a score or lex range is given as max then min; a rank range stays start, stop.
        byte[] min = c.arg(at + 1);
        byte[] max = c.arg(at + 2);
        if (rev && by != By.RANK) {
            byte[] t = min;
            min = max;
            max = t;
        }
        long start = 0;
        long stop = 0;
        ZRange.Score score = null;
        ZRange.Lex lex = null;
        switch (by) {
            case SCORE -> score = ZRange.Score.parse(min, max);
            case LEX -> lex = ZRange.Lex.parse(min, max);
            default -> {
                start = Args.longArg(c, at + 1);
                stop = Args.longArg(c, at + 2);
            }
        }
        ZSet zset = ks.getZSet(c.arg(at));
        if (zset == null) {
            if (store) {
                return storeResult(c, ks, out, null);
            }
            out.arrayHeader(0);
            return null;
        }
        ZRange.Window w = switch (by) {
            case SCORE -> ZRange.byScore(zset, score, rev, offset, limit);
            case LEX -> ZRange.byLex(zset, lex, rev, offset, limit);
            default -> ZRange.byRank(zset, start, stop, rev);
        };
        if (store) {
            // As Redis: a rank run longer than a listpack goes straight into a skip list.
            ZSet dst = new ZSet(by != By.RANK || w.count() <= ZSet.COMPACT_MAX_ENTRIES);
            Iterator<ZSet.Item> it = w.count() == 0 ? null : w.iterator(zset);
            for (long i = 0; i < w.count(); i++) {
                ZSet.Item item = it.next();
                dst.put(item.member(), item.score());
            }
            return storeResult(c, ks, out, dst);
        }
        writeWindow(out, zset, w, withScores);
        return null;
    }

    /** Writes a run as an array of members, with their scores after them if asked. */
    static void writeWindow(RespWriter out, ZSet zset, ZRange.Window w, boolean withScores) {
        int n = (int) w.count();
        if (withScores) {
            out.pairsHeader(n); // RESP3: [member, score] pairs
        } else {
            out.arrayHeader(n);
        }
        if (n == 0) {
            return;
        }
        Iterator<ZSet.Item> it = w.iterator(zset);
        for (int i = 0; i < n; i++) {
            ZSet.Item item = it.next();
            if (withScores) {
                out.pair();
            }
            out.bulk(item.member().bytes());
            if (withScores) {
                Scores.write(out, item.score());
            }
        }
    }

    /**
     * Stores a store command's result at argument 1 (dropping its expiry) and replies its size,
     * or deletes the key and replies 0 when the result is empty or {@code null}.
     */
    static Command storeResult(Command c, Keyspace ks, RespWriter out, ZSet result) {
        byte[] dst = c.arg(1);
        if (result == null || result.size() == 0) {
            out.integer(0);
            if (!ks.delete(dst)) {
                return null;
            }
            ks.notify(KeyspaceEvents.GENERIC, "del", dst);
            return c;
        }
        ks.set(dst, result, Keyspace.NO_EXPIRY);
        if (ks.notifies(KeyspaceEvents.ZSET)) {
            // The command's own name: zrangestore, zunionstore, zinterstore, zdiffstore.
            ks.notify(KeyspaceEvents.ZSET, Args.lower(c.arg(0)), dst);
        }
        out.integer(result.size());
        return c;
    }

    /** ZCOUNT key min max, ZLEXCOUNT key min max. */
    private static Command count(Command c, Keyspace ks, RespWriter out, By by) {
        ZRange.Score score = by == By.SCORE ? ZRange.Score.parse(c.arg(2), c.arg(3)) : null;
        ZRange.Lex lex = by == By.LEX ? ZRange.Lex.parse(c.arg(2), c.arg(3)) : null;
        ZSet zset = ks.getZSet(c.arg(1));
        if (zset == null) {
            out.integer(0);
            return null;
        }
        ZRange.Window w = by == By.SCORE ? ZRange.byScore(zset, score, false, 0, -1) : ZRange.byLex(zset, lex, false, 0, -1);
        out.integer(w.count());
        return null;
    }

    /** ZREMRANGEBYRANK key start stop, ZREMRANGEBYSCORE key min max, ZREMRANGEBYLEX key min max. */
    private static Command removeRange(Command c, Keyspace ks, RespWriter out, By by) {
        long start = 0;
        long stop = 0;
        ZRange.Score score = null;
        ZRange.Lex lex = null;
        switch (by) {
            case SCORE -> score = ZRange.Score.parse(c.arg(2), c.arg(3));
            case LEX -> lex = ZRange.Lex.parse(c.arg(2), c.arg(3));
            default -> {
                start = Args.longArg(c, 2);
                stop = Args.longArg(c, 3);
            }
        }
        byte[] key = c.arg(1);
        ZSet zset = ks.getZSet(key);
        if (zset == null) {
            out.integer(0);
            return null;
        }
        ZRange.Window w = switch (by) {
            case SCORE -> ZRange.byScore(zset, score, false, 0, -1);
            case LEX -> ZRange.byLex(zset, lex, false, 0, -1);
            default -> ZRange.byRank(zset, start, stop, false);
        };
        int removed = zset.removeRange(w.lowest(), w.lowest() + w.count());
        if (removed > 0) {
            ks.notify(KeyspaceEvents.ZSET, switch (by) {
                case SCORE -> "zremrangebyscore";
                case LEX -> "zremrangebylex";
                default -> "zremrangebyrank";
            }, key);
            ks.deleteIfEmpty(key);
        }
        out.integer(removed);
        return removed > 0 ? c : null;
    }
}
