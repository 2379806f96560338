package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.kv.store.Key;
import io.github.jglommio.kv.store.Keyspace;
import io.github.jglommio.kv.store.ValueType;
import io.github.jglommio.kv.store.WrongTypeException;
import io.github.jglommio.kv.store.ZSet;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ObjDoubleConsumer;

/**
 * ZUNION, ZINTER, ZDIFF, their STORE forms and ZINTERCARD. Inputs may be sorted sets or plain
 * sets (whose members score 1), as in Redis. Floating-point sums depend on their order, so the
 * inputs are combined in Redis's order: union and intersection sort them by size (stably, as
 * glibc's qsort does for a few elements), and the intersection walks the smallest input and
 * aggregates the others' scores in that order. Stateless.
 */
final class ZSetAlgebra {
    private ZSetAlgebra() {
    }

    private enum Op { UNION, INTER, DIFF }

    private enum Aggregate { SUM, MIN, MAX }

    static void register(Registry r) {
        r.atomic("zunion", -3, "readonly movablekeys", 0, 0, 0, c -> keys(c, 1),
            (c, ks, out, x) -> run(c, ks, out, Op.UNION, false, false));
        r.atomic("zinter", -3, "readonly movablekeys", 0, 0, 0, c -> keys(c, 1),
            (c, ks, out, x) -> run(c, ks, out, Op.INTER, false, false));
        r.atomic("zdiff", -3, "readonly movablekeys", 0, 0, 0, c -> keys(c, 1),
            (c, ks, out, x) -> run(c, ks, out, Op.DIFF, false, false));
        r.atomic("zunionstore", -4, "write denyoom movablekeys", 1, 1, 1, c -> keys(c, 2),
            (c, ks, out, x) -> run(c, ks, out, Op.UNION, true, false));
        r.atomic("zinterstore", -4, "write denyoom movablekeys", 1, 1, 1, c -> keys(c, 2),
            (c, ks, out, x) -> run(c, ks, out, Op.INTER, true, false));
        r.atomic("zdiffstore", -4, "write denyoom movablekeys", 1, 1, 1, c -> keys(c, 2),
            (c, ks, out, x) -> run(c, ks, out, Op.DIFF, true, false));
        r.atomic("zintercard", -3, "readonly movablekeys", 0, 0, 0, c -> keys(c, 1),
            (c, ks, out, x) -> run(c, ks, out, Op.INTER, false, true));
    }

    /** The key indexes: the destination (argument 1) when numkeys is at 2, then the numkeys inputs. */
    private static int[] keys(Command c, int numkeysAt) {
        long n = Args.longArg(c, numkeysAt);
        if (n < 1 || n > c.argCount() - numkeysAt - 1) {
            throw new CommandError(CommandError.SYNTAX);
        }
        int dst = numkeysAt == 2 ? 1 : 0;
        int[] keys = new int[(int) n + dst];
        if (dst == 1) {
            keys[0] = 1;
        }
        for (int k = 0; k < n; k++) {
            keys[dst + k] = numkeysAt + 1 + k;
        }
        return keys;
    }

    /** One input: a sorted set, a set, or nothing (a missing key), and its weight. */
    private static final class Source {
        final ZSet zset;
        final HashSet<Key> set;
        double weight = 1;

        Source(ZSet zset, HashSet<Key> set) {
            this.zset = zset;
            this.set = set;
        }

        int size() {
            return zset != null ? zset.size() : set != null ? set.size() : 0;
        }

        /** The member's score here, or null if absent. */
        Double find(Key m) {
            if (zset != null) {
                return zset.score(m);
            }
            return set != null && set.contains(m) ? 1.0 : null;
        }

        /** Visits every member with its score. */
        void forEach(ObjDoubleConsumer<Key> visit) {
            if (zset != null) {
                for (Iterator<ZSet.Item> it = zset.ascending(); it.hasNext(); ) {
                    ZSet.Item item = it.next();
                    visit.accept(item.member(), item.score());
                }
            } else if (set != null) {
                for (Key m : set) {
                    visit.accept(m, 1.0);
                }
            }
        }
    }

    /**
     * The generic command, as Redis's zunionInterDiffGenericCommand: numkeys, the inputs' types
     * (checked before the options are even parsed), then WEIGHTS, AGGREGATE, WITHSCORES or LIMIT
     * as the command allows them.
     */
    private static Command run(Command c, Keyspace ks, RespWriter out, Op op, boolean store, boolean cardOnly) {
        int numkeysAt = store ? 2 : 1;
        long setnum = Args.longArg(c, numkeysAt);
        if (setnum < 1) {
            throw new CommandError("ERR at least 1 input key is needed for '" + c.name() + "' command");
        }
        if (setnum > c.argCount() - numkeysAt - 1) {
            throw new CommandError(CommandError.SYNTAX);
        }
        int n = (int) setnum;
        List<Source> src = new ArrayList<>(n);
        int j = numkeysAt + 1;
        for (int i = 0; i < n; i++, j++) {
            src.add(source(ks, c.arg(j)));
        }
        Aggregate aggregate = Aggregate.SUM;
        boolean withScores = false;
        long limit = 0;
        while (j < c.argCount()) {
            int remaining = c.argCount() - j;
            byte[] opt = c.arg(j);
            if (op != Op.DIFF && !cardOnly && remaining > n && Args.is(opt, "weights")) {
                j++;
                for (int i = 0; i < n; i++, j++) {
                    src.get(i).weight = Scores.parse(c.arg(j), "ERR weight value is not a float");
                }
            } else if (op != Op.DIFF && !cardOnly && remaining >= 2 && Args.is(opt, "aggregate")) {
                byte[] a = c.arg(j + 1);
                if (Args.is(a, "sum")) {
                    aggregate = Aggregate.SUM;
                } else if (Args.is(a, "min")) {
                    aggregate = Aggregate.MIN;
                } else if (Args.is(a, "max")) {
                    aggregate = Aggregate.MAX;
                } else {
                    throw new CommandError(CommandError.SYNTAX);
                }
                j += 2;
            } else if (!store && !cardOnly && Args.is(opt, "withscores")) {
                withScores = true;
                j++;
            } else if (cardOnly && remaining >= 2 && Args.is(opt, "limit")) {
                limit = ZSetCommands.rangedLong(c.arg(j + 1), 0, Long.MAX_VALUE, "ERR LIMIT can't be negative");
                j += 2;
            } else {
                throw new CommandError(CommandError.SYNTAX);
            }
        }
        if (op != Op.DIFF) {
            src.sort(Comparator.comparingInt(Source::size)); // List.sort is stable
        }
        if (cardOnly) {
            out.integer(interCard(src, limit));
            return null;
        }
        ZSet result = switch (op) {
            case UNION -> union(src, aggregate);
            case INTER -> inter(src, aggregate);
            case DIFF -> diff(src);
        };
        if (store) {
            // Redis builds the result in a skip list and makes it a listpack if it fits.
            result.compactIfSmall();
            return ZRangeCommands.storeResult(c, ks, out, result);
        }
        ZRangeCommands.writeWindow(out, result, new ZRange.Window(0, result.size(), false), withScores);
        return null;
    }

    private static Source source(Keyspace ks, byte[] key) {
        ValueType t = ks.type(key);
        if (t == null) {
            return new Source(null, null);
        }
        return switch (t) {
            case ZSET -> new Source(ks.getZSet(key), null);
            case SET -> new Source(null, ks.getSet(key));
            default -> throw WrongTypeException.INSTANCE;
        };
    }

    private static double aggregate(double target, double value, Aggregate a) {
        return switch (a) {
            case SUM -> {
                double s = target + value;
                yield Double.isNaN(s) ? 0.0 : s; // inf + -inf counts as 0, as in Redis
            }
            case MIN -> value < target ? value : target;
            case MAX -> value > target ? value : target;
        };
    }

    /** A weighted score; inf times 0 counts as 0, as in Redis. */
    private static double weighted(Source s, double score) {
        double w = s.weight * score;
        return Double.isNaN(w) ? 0.0 : w;
    }

    private static ZSet union(List<Source> src, Aggregate aggregate) {
        Map<Key, double[]> acc = new LinkedHashMap<>();
        for (Source s : src) {
            s.forEach((m, score) -> {
                double v = weighted(s, score);
                double[] cur = acc.get(m);
                if (cur == null) {
                    acc.put(m, new double[] {v});
                } else {
                    cur[0] = aggregate(cur[0], v, aggregate);
                }
            });
        }
        ZSet result = new ZSet(false);
        for (Map.Entry<Key, double[]> e : acc.entrySet()) {
            result.put(e.getKey(), e.getValue()[0]);
        }
        return result;
    }

    private static ZSet inter(List<Source> src, Aggregate aggregate) {
        ZSet result = new ZSet(false);
        Source first = src.get(0);
        first.forEach((m, score) -> {
            double acc = weighted(first, score);
            for (int j = 1; j < src.size(); j++) {
                Double v = src.get(j).find(m);
                if (v == null) {
                    return;
                }
                // Unlike the first input's, these products are not cleared of NaN (as in Redis).
                acc = aggregate(acc, v * src.get(j).weight, aggregate);
            }
            result.put(m, acc);
        });
        return result;
    }

    private static long interCard(List<Source> src, long limit) {
        long card = 0;
        Source first = src.get(0);
        Iterator<Key> it = first.zset != null ? members(first.zset)
            : first.set != null ? first.set.iterator() : java.util.Collections.emptyIterator();
        while (it.hasNext() && (limit == 0 || card < limit)) {
            if (inAll(src, it.next())) {
                card++;
            }
        }
        return card;
    }

    private static Iterator<Key> members(ZSet z) {
        Iterator<ZSet.Item> items = z.ascending();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return items.hasNext();
            }

            @Override
            public Key next() {
                return items.next().member();
            }
        };
    }

    private static boolean inAll(List<Source> src, Key m) {
        for (int j = 1; j < src.size(); j++) {
            if (src.get(j).find(m) == null) {
                return false;
            }
        }
        return true;
    }

    private static ZSet diff(List<Source> src) {
        ZSet result = new ZSet(false);
        Source first = src.get(0);
        first.forEach((m, score) -> {
            for (int j = 1; j < src.size(); j++) {
                if (src.get(j).find(m) != null) {
                    return;
                }
            }
            result.put(m, score);
        });
        return result;
    }
}
