package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.kv.store.Glob;
import io.github.jglommio.kv.store.Keyspace;
import io.github.jglommio.kv.store.ZSet;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * ZRANDMEMBER and ZSCAN: the read commands whose replies Redis leaves partly to chance or to its
 * encoding. Stateless; the random choices use the shard's generator.
 */
final class ZSetSampling {
    /** The largest count we answer: Redis would stream any count, we build the reply in memory. */
    private static final long MAX_RANDOM_COUNT = 1L << 26;

    private static final byte[] EMPTY_SCAN = "*2\r\n$1\r\n0\r\n*0\r\n".getBytes(StandardCharsets.US_ASCII);
    private ZSetSampling() {
    }

    static void register(Registry r) {
        r.key("zrandmember", -2, "readonly", (c, ks, out, x) -> zrandmember(c, ks, out, x.random()));
        r.key("zscan", -3, "readonly", (c, ks, out, x) -> zscan(c, ks, out));
    }

    /** ZRANDMEMBER key [count [WITHSCORES]]. */
    static Command zrandmember(Command c, Keyspace ks, RespWriter out, SplittableRandom random) {
        if (c.argCount() == 2) {
            ZSet zset = ks.getZSet(c.arg(1));
            if (zset == null) {
                out.nullBulk();
            } else {
                out.bulk(zset.at(random.nextInt(zset.size())).member().bytes());
            }
            return null;
        }
        long l = ZSetCommands.rangedLong(c.arg(2), -Long.MAX_VALUE, Long.MAX_VALUE, null);
        boolean withScores = false;
        if (c.argCount() > 4 || (c.argCount() == 4 && !Args.is(c.arg(3), "withscores"))) {
            throw new CommandError(CommandError.SYNTAX);
        } else if (c.argCount() == 4) {
            withScores = true;
            if (l < -Long.MAX_VALUE / 2 || l > Long.MAX_VALUE / 2) {
                throw new CommandError("ERR value is out of range");
            }
        }
        ZSet zset = ks.getZSet(c.arg(1));
        if (zset == null || l == 0) {
            out.arrayHeader(0);
            return null;
        }
        boolean unique = l > 0;
        long count = Math.abs(l);
        int size = zset.size();
        if (!unique || count == 1) {
            if (count > MAX_RANDOM_COUNT) {
                throw new CommandError("ERR value is out of range");
            }
            header(out, (int) count, withScores);
            for (long i = 0; i < count; i++) {
                writeItem(out, zset.at(random.nextInt(size)), withScores);
            }
            return null;
        }
        header(out, (int) Math.min(count, size), withScores);
        if (count >= size) {
            // The whole set, walked as Redis's zuiNext walks a sorted set: from the highest score.
            for (Iterator<ZSet.Item> it = zset.descending(); it.hasNext(); ) {
                writeItem(out, it.next(), withScores);
            }
            return null;
        }
        for (int rank : distinctRanks(size, (int) count, random)) {
            writeItem(out, zset.at(rank), withScores);
        }
        return null;
    }

    /** The array of {@code n} members, or of {@code n} member/score pairs (nested under RESP3). */
    private static void header(RespWriter out, int n, boolean withScores) {
        if (withScores) {
            out.pairsHeader(n);
        } else {
            out.arrayHeader(n);
        }
    }

    private static void writeItem(RespWriter out, ZSet.Item item, boolean withScores) {
        if (withScores) {
            out.pair();
        }
        out.bulk(item.member().bytes());
        if (withScores) {
            Scores.write(out, item.score());
        }
    }

    /** {@code n} distinct ranks below {@code size} in random order (Floyd's sampling, then a shuffle). */
    private static int[] distinctRanks(int size, int n, SplittableRandom random) {
        HashSet<Integer> chosen = new HashSet<>();
        int[] out = new int[n];
        int k = 0;
        for (int j = size - n; j < size; j++) {
            int t = random.nextInt(j + 1);
            int pick = chosen.add(t) ? t : j;
            if (pick == j) {
                chosen.add(j);
            }
            out[k++] = pick;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = out[i];
            out[i] = out[j];
            out[j] = t;
        }
        return out;
    }
    /** ZSCAN key cursor [MATCH pattern] [COUNT count]. */
    static Command zscan(Command c, Keyspace ks, RespWriter out) {
        long cursor = parseCursor(c.arg(2));
        ZSet zset = ks.getZSet(c.arg(1));
        if (zset == null) {
            out.raw(EMPTY_SCAN);
            return null;
        }
        long count = 10;
        byte[] pattern = null;
        for (int i = 3; i < c.argCount(); i += 2) {
            boolean hasValue = c.argCount() - i >= 2;
            if (Args.is(c.arg(i), "count") && hasValue) {
                count = Args.longArg(c, i + 1);
                if (count < 1) {
                    throw new CommandError(CommandError.SYNTAX);
                }
            } else if (Args.is(c.arg(i), "match") && hasValue) {
                pattern = c.arg(i + 1);
            } else {
                throw new CommandError(CommandError.SYNTAX);
            }
        }
        if (pattern != null && pattern.length == 1 && pattern[0] == '*') {
            pattern = null;
        }
        List<ZSet.Item> items = new ArrayList<>();
        long next;
        if (zset.isCompact()) {
            // Redis answers a listpack whole, whatever the cursor.
            zset.ascending().forEachRemaining(items::add);
            next = 0;
        } else {
            next = zset.scan(cursor, (int) Math.min(count, Integer.MAX_VALUE), items);
        }
        if (pattern != null) {
            byte[] p = pattern;
            items.removeIf(item -> !Glob.matches(p, item.member().bytes()));
        }
        out.arrayHeader(2);
        out.bulk(Args.ascii(Long.toUnsignedString(next)));
        out.arrayHeader(2 * items.size());
        for (ZSet.Item item : items) {
            // ZSCAN's scores stay bulk strings in a flat array under RESP3 too, as in Redis 7.0.
            out.bulk(item.member().bytes());
            out.bulk(Scores.format(item.score()));
        }
        return null;
    }

    /**
     * Parses a SCAN cursor as Redis's strtoul: an optional sign ({@code -1} wraps around), digits,
     * nothing else, no leading space; the text ends at a NUL byte; an empty text is 0.
     */
    static long parseCursor(byte[] a) {
        int to = 0;
        while (to < a.length && a[to] != 0) {
            to++;
        }
        if (to == 0) {
            return 0;
        }
        int i = 0;
        boolean negative = false;
        if (a[0] == '+' || a[0] == '-') {
            negative = a[0] == '-';
            i++;
        }
        if (i == to) {
            throw new CommandError("ERR invalid cursor");
        }
        long v = 0;
        for (; i < to; i++) {
            int d = a[i] - '0';
            if (d < 0 || d > 9) {
                throw new CommandError("ERR invalid cursor");
            }
            // ULONG_MAX is 18446744073709551615: beyond it strtoul sets ERANGE.
            if (Long.compareUnsigned(v, 1844674407370955161L) > 0 || (v == 1844674407370955161L && d > 5)) {
                throw new CommandError("ERR invalid cursor");
            }
            v = v * 10 + d;
        }
        return negative ? -v : v;
    }
}
