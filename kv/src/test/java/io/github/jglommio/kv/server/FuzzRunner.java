package io.github.jglommio.kv.server;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Runs one seed of the differential fuzzer: draws commands from {@link FuzzCommands}, sends each
 * to redis-server and to this server over two connection pairs, and compares the replies as the
 * command's {@link FuzzCheck} says. On the first difference it throws an {@link AssertionError}
 * that names the seed, the step, the command, both replies and the steps before it, so that
 * {@code -Dfuzz.seed=N} replays it. One test thread.
 *
 * <p>Besides single commands it draws sequences: transactions (WATCH, a write to a watched key
 * from this or the other connection, MULTI, queued commands, EXEC or DISCARD, and their error
 * cases), full SCAN-family iterations, and random commands, which it checks against what the
 * key held just before and, when they wrote (SPOP), follows by rewriting the key on both servers
 * from redis-server's copy so that the two agree again.
 */
final class FuzzRunner {
    /** How many plain commands go out as one pipeline: the replies are as if sent one by one, in less time. */
    private static final int PIPELINE = 32;
    /** How many earlier steps a failure report shows. */
    private static final int HISTORY = 20;
    /** The commands a WATCH test writes to a watched key with (their first argument is the key). */
    private static final String[] WRITERS = {"set", "del", "lpush", "sadd", "hset", "zadd", "incr", "expire",
        "persist", "append", "getdel", "srem", "lpop", "zincrby"};

    private final Pair main;
    private final Pair other;
    private final long seed;
    private final FuzzDraw draw;
    private final List<FuzzCommands.Gen> gens;
    private final Deque<String> history = new ArrayDeque<>();
    private final List<List<String>> batch = new ArrayList<>();
    private long step;

    /** Two connections, one to each server, used as one: same request, two replies. */
    record Pair(String label, RespClient theirs, RespClient ours) implements AutoCloseable {
        String[] call(List<String> args) throws IOException {
            String[] a = args.toArray(String[]::new);
            theirs.send(a);
            ours.send(a); // both servers work on it at once
            return new String[] {theirs.byteReply(), ours.byteReply()};
        }

        /** Sends every request to both as one pipeline; returns each server's replies in order. */
        String[][] pipeline(List<List<String>> requests) throws IOException {
            for (List<String> r : requests) {
                theirs.send(r.toArray(String[]::new));
            }
            for (List<String> r : requests) {
                ours.send(r.toArray(String[]::new));
            }
            String[][] replies = new String[2][requests.size()];
            for (int i = 0; i < requests.size(); i++) {
                replies[0][i] = theirs.byteReply();
            }
            for (int i = 0; i < requests.size(); i++) {
                replies[1][i] = ours.byteReply();
            }
            return replies;
        }

        @Override
        public void close() throws IOException {
            theirs.close();
            ours.close();
        }
    }

    FuzzRunner(Pair main, Pair other, long seed) {
        this.main = main;
        this.other = other;
        this.seed = seed;
        this.draw = new FuzzDraw(seed, System.currentTimeMillis() / 1000);
        this.gens = List.copyOf(FuzzCommands.all().values());
    }

    /**
     * Runs {@code commands} steps of this seed on emptied servers.
     *
     * @param commands how many commands or sequences to draw
     * @throws IOException if a connection fails
     */
    void run(int commands) throws IOException {
        exchange(main, List.of("FLUSHALL"), FuzzCheck.EXACT, Set.of());
        for (int i = 0; i < commands; i++) {
            if (draw.oneIn(25)) {
                flush();
                transaction();
            } else {
                List<String> full = draw();
                if (unpipelined(full)) {
                    flush();
                    single(main, full);
                } else {
                    batch.add(full);
                    if (batch.size() == PIPELINE) {
                        flush();
                    }
                }
            }
        }
        flush();
    }

    /** Sends the batch of plain commands as one pipeline and compares each reply in order. */
    private void flush() throws IOException {
        if (batch.isEmpty()) {
            return;
        }
        String[][] r = main.pipeline(batch);
        for (int i = 0; i < batch.size(); i++) {
            List<String> full = batch.get(i);
            if (!agree(full, check(full), FuzzReply.parse(r[0][i]), FuzzReply.parse(r[1][i]), Set.of())) {
                fail(main, full, r[0][i], r[1][i]);
            }
            remember(main, full, r[0][i]);
        }
        batch.clear();
    }

    /** Draws a command (its name first), now and then with a wrong arity or a name in lower case. */
    private List<String> draw() {
        while (true) {
            FuzzCommands.Gen g = gens.get(draw.below(gens.size()));
            List<String> args = g.draw(draw);
            if (args == null) {
                continue;
            }
            List<String> full = new ArrayList<>();
            full.add(draw.oneIn(10) ? g.name() : g.name().toUpperCase(Locale.ROOT));
            full.addAll(args);
            if (draw.oneIn(60)) {
                if (full.size() > 1 && draw.oneIn(2)) {
                    full.removeLast();
                } else {
                    full.add(draw.member());
                }
            }
            return full;
        }
    }

    private static FuzzCommands.Gen gen(List<String> full) {
        return FuzzCommands.all().get(full.getFirst().toLowerCase(Locale.ROOT));
    }

    /** The check of one drawn command: SORT's depends on its options. */
    private static FuzzCheck check(List<String> full) {
        FuzzCheck c = gen(full).check();
        if (c == FuzzCheck.SORT) {
            return full.stream().anyMatch("nosort"::equalsIgnoreCase) ? FuzzCheck.UNORDERED : FuzzCheck.EXACT;
        }
        return c;
    }

    private void single(Pair p, List<String> full) throws IOException {
        String lexKey = lexKey(full);
        if (lexKey != null && !equalScores(p, lexKey)) {
            return; // Redis leaves lex ranges over different scores unspecified
        }
        FuzzCheck c = check(full);
        switch (c) {
            case SCAN -> scan(p, full, gen(full).name().equals("scan") ? 1 : 2);
            case RANDOM, RANDOM_WRITE -> random(p, full, c);
            default -> exchange(p, full, c, Set.of());
        }
    }

    /** The sorted set a lex range reads, or null if {@code full} is no lex range. */
    private static String lexKey(List<String> full) {
        String name = gen(full).name();
        if (full.size() < 2) {
            return null;
        }
        if (name.contains("lex")) {
            return full.get(1);
        }
        boolean byLex = full.stream().anyMatch("bylex"::equalsIgnoreCase);
        if (byLex && name.equals("zrange")) {
            return full.get(1);
        }
        return byLex && name.equals("zrangestore") && full.size() > 2 ? full.get(2) : null;
    }

    /** Reads the key's members and scores on both; true unless it is a sorted set of different scores. */
    private boolean equalScores(Pair p, String key) throws IOException {
        FuzzReply[] r = exchange(p, List.of("ZRANGE", key, "0", "-1", "WITHSCORES"), FuzzCheck.EXACT, Set.of());
        Set<String> scores = new HashSet<>();
        List<FuzzReply> items = r[0].items();
        for (int i = 1; i < items.size(); i += 2) {
            scores.add(items.get(i).text());
        }
        return scores.size() <= 1;
    }

    /**
     * Whether the replies to {@code full} agree as {@code c} says; for the sorted-set commands,
     * also when they differ only in a score of -0 against 0. Redis keeps a -0 score in a skiplist
     * but stores 0 in a listpack (its listpack reads "-0" as the integer 0), so which one it
     * answers depends on the encoding; this server keeps every score as given, whatever the
     * encoding {@code ObjectCommands} reports: a known difference, left alone.
     */
    private static boolean agree(List<String> full, FuzzCheck c, FuzzReply theirs, FuzzReply ours, Set<String> held) {
        if (FuzzReply.matches(c, theirs, ours, held)) {
            return true;
        }
        String name = full.getFirst().toLowerCase(Locale.ROOT);
        return name.startsWith("z") && FuzzReply.matches(c, positiveZero(theirs), positiveZero(ours), held);
    }

    private static FuzzReply positiveZero(FuzzReply r) {
        return FuzzReply.parse(r.wire().replace("$2\r\n-0\r\n", "$1\r\n0\r\n"));
    }

    /** Sends one request on {@code p}, records it, and fails the test if the replies disagree. */
    private FuzzReply[] exchange(Pair p, List<String> full, FuzzCheck c, Set<String> held) throws IOException {
        String[] r = p.call(full);
        FuzzReply theirs = FuzzReply.parse(r[0]);
        FuzzReply ours = FuzzReply.parse(r[1]);
        if (!agree(full, c, theirs, ours, held)) {
            fail(p, full, r[0], r[1]);
        }
        remember(p, full, r[0]);
        return new FuzzReply[] {theirs, ours};
    }

    private void remember(Pair p, List<String> full, String reply) {
        history.addLast("#" + step + " " + p.label + ": " + show(full) + " -> " + clip(reply));
        if (history.size() > HISTORY) {
            history.removeFirst();
        }
        step++;
    }

    private void fail(Pair p, List<String> full, String theirs, String ours) {
        StringBuilder sb = new StringBuilder("differential fuzz: seed ").append(seed).append(", step ").append(step)
            .append(" (rerun with -Dfuzz.seed=").append(seed).append(")\n  command (").append(p.label).append("): ")
            .append(show(full)).append("\n  redis-server: ").append(clip(theirs))
            .append("\n  ours:         ").append(clip(ours)).append("\n  previous steps:\n");
        history.forEach(h -> sb.append("    ").append(h).append('\n'));
        throw new AssertionError(sb.toString());
    }

    private static String show(List<String> full) {
        StringBuilder sb = new StringBuilder();
        for (String a : full) {
            boolean quote = a.isEmpty() || a.indexOf(' ') >= 0;
            sb.append(quote ? "\"" + escape(a) + "\"" : escape(a)).append(' ');
        }
        return sb.toString().trim();
    }

    private static String clip(String reply) {
        String s = escape(reply);
        return s.length() > 400 ? s.substring(0, 400) + "..." : s;
    }

    /** Control and non-ASCII bytes as {@code \xNN}, CR LF as {@code \r\n}, for reports. */
    private static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (char ch : s.toCharArray()) {
            if (ch == '\r') {
                sb.append("\\r");
            } else if (ch == '\n') {
                sb.append("\\n");
            } else if (ch < 0x20 || ch > 0x7e) {
                sb.append(String.format("\\x%02x", (int) ch));
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }

    /**
     * A SCAN-family command: the first call compared as it is if either server refuses it, else
     * each server iterated to cursor 0 on its own cursors, and what each found compared as a set
     * (Redis may return an element twice while its table rehashes).
     */
    private void scan(Pair p, List<String> full, int cursorAt) throws IOException {
        String[] first = p.call(full);
        FuzzReply theirs = FuzzReply.parse(first[0]);
        FuzzReply ours = FuzzReply.parse(first[1]);
        if (theirs.isError() || ours.isError()) {
            if (!first[0].equals(first[1])) {
                fail(p, full, first[0], first[1]);
            }
            remember(p, full, first[0]);
            return;
        }
        boolean pairs = cursorAt == 2 && !gen(full).name().equals("sscan");
        Set<String> a = iterate(p.theirs, full, cursorAt, theirs, pairs);
        Set<String> b = iterate(p.ours, full, cursorAt, ours, pairs);
        if (!a.equals(b)) {
            fail(p, full, "scanned " + a, "scanned " + b);
        }
        remember(p, full, "scanned " + a);
    }

    private Set<String> iterate(RespClient client, List<String> full, int cursorAt, FuzzReply reply, boolean pairs)
            throws IOException {
        Set<String> found = new TreeSet<>();
        List<String> args = new ArrayList<>(full);
        for (int calls = 1; ; calls++) {
            if (reply.type() != '*' || reply.items().size() != 2) {
                fail(main, args, "a [cursor, elements] array", reply.wire());
            }
            List<FuzzReply> items = reply.items().get(1).items();
            for (int i = 0; i < items.size(); i += pairs ? 2 : 1) {
                found.add(items.get(i).text() + (pairs ? "=" + items.get(i + 1).text() : ""));
            }
            String cursor = reply.items().get(0).text();
            if (cursor.equals("0")) {
                return found;
            }
            if (calls > 10_000) {
                fail(main, args, "an iteration that ends", "cursor " + cursor + " after 10000 calls");
            }
            args.set(cursorAt, cursor);
            reply = FuzzReply.parse(client.send(args.toArray(String[]::new)).byteReply());
        }
    }

    /** A random command: checked against what the key held just before; SPOP then resynchronises the key. */
    private void random(Pair p, List<String> full, FuzzCheck c) throws IOException {
        boolean keyed = full.size() > 1 && !gen(full).name().equals("randomkey");
        String key = keyed ? full.get(1) : null;
        Set<String> held = new HashSet<>();
        FuzzReply[] contents = keyed ? contents(p, key) : exchange(p, List.of("KEYS", "*"), FuzzCheck.UNORDERED, Set.of());
        collect(contents[0], held);
        FuzzReply[] r = exchange(p, full, c, held);
        if (c == FuzzCheck.RANDOM_WRITE && !r[0].isError() && keyed) {
            FuzzReply[] left = exchange(p, List.of("SMEMBERS", key), FuzzCheck.RANDOM, held);
            exchange(p, List.of("DEL", key), FuzzCheck.EXACT, Set.of());
            List<String> sadd = new ArrayList<>(List.of("SADD", key));
            left[0].items().forEach(i -> sadd.add(i.text()));
            if (sadd.size() > 2) {
                exchange(p, sadd, FuzzCheck.EXACT, Set.of());
            }
        }
    }

    /** Reads the whole of {@code key} on both servers, compared; returns both replies. */
    private FuzzReply[] contents(Pair p, String key) throws IOException {
        FuzzReply[] type = exchange(p, List.of("TYPE", key), FuzzCheck.EXACT, Set.of());
        return switch (type[0].text()) {
            case "set" -> exchange(p, List.of("SMEMBERS", key), FuzzCheck.UNORDERED, Set.of());
            case "hash" -> exchange(p, List.of("HGETALL", key), FuzzCheck.PAIRS, Set.of());
            case "zset" -> exchange(p, List.of("ZRANGE", key, "0", "-1", "WITHSCORES"), FuzzCheck.EXACT, Set.of());
            default -> type;
        };
    }

    private static void collect(FuzzReply r, Set<String> into) {
        if (r.type() == '$' && r.text() != null) {
            into.add(r.text());
        }
        r.items().forEach(i -> collect(i, into));
    }

    /** A transaction sequence, with WATCH and its error cases now and then. */
    private void transaction() throws IOException {
        if (draw.oneIn(10)) {
            exchange(main, List.of(draw.pick("EXEC", "DISCARD")), FuzzCheck.EXACT, Set.of());
            return;
        }
        if (draw.oneIn(2)) {
            List<String> watch = new ArrayList<>(List.of("WATCH"));
            watch.addAll(draw.keys(1 + draw.below(3)));
            exchange(main, watch, FuzzCheck.EXACT, Set.of());
            if (draw.oneIn(2)) {
                List<String> write = new ArrayList<>();
                FuzzCommands.Gen g = FuzzCommands.all().get(draw.pick(WRITERS));
                write.add(g.name().toUpperCase(Locale.ROOT));
                write.addAll(g.draw(draw));
                write.set(1, watch.get(1 + draw.below(watch.size() - 1)));
                exchange(draw.oneIn(2) ? other : main, write, FuzzCheck.EXACT, Set.of());
            }
            if (draw.oneIn(8)) {
                exchange(main, List.of("UNWATCH"), FuzzCheck.EXACT, Set.of());
            }
        }
        exchange(main, List.of("MULTI"), FuzzCheck.EXACT, Set.of());
        List<FuzzCheck> queued = new ArrayList<>();
        List<List<String>> queuedCommands = new ArrayList<>();
        for (int n = draw.below(7); n > 0; n--) {
            List<String> full;
            if (draw.oneIn(25)) {
                full = draw.oneIn(2) ? List.of("MULTI") : List.of("WATCH", draw.key());
            } else {
                do {
                    full = draw();
                } while (unqueueable(full));
            }
            FuzzReply[] r = exchange(main, full, FuzzCheck.EXACT, Set.of());
            if (r[0].type() == '+') {
                queuedCommands.add(full);
                queued.add(full.getFirst().equalsIgnoreCase("multi") ? FuzzCheck.EXACT : check(full));
            }
        }
        if (draw.oneIn(6)) {
            exchange(main, List.of("DISCARD"), FuzzCheck.EXACT, Set.of());
            return;
        }
        String[] r = main.call(List.of("EXEC"));
        FuzzReply theirs = FuzzReply.parse(r[0]);
        FuzzReply ours = FuzzReply.parse(r[1]);
        boolean same = r[0].equals(r[1]);
        if (!same && theirs.type() == '*' && ours.type() == '*' && theirs.items().size() == queued.size()
                && ours.items().size() == queued.size()) {
            same = true;
            for (int i = 0; i < queued.size(); i++) {
                same &= agree(queuedCommands.get(i), queued.get(i), theirs.items().get(i), ours.items().get(i),
                    Set.of());
            }
        }
        if (!same) {
            fail(main, List.of("EXEC"), r[0], r[1]);
        }
        remember(main, List.of("EXEC"), r[0]);
    }

    /**
     * Whether a drawn command must not be queued: its check needs more than one reply. (The
     * whole-keyspace ones, DBSIZE, KEYS, FLUSHALL, FLUSHDB, are queued among keys of every shard.)
     */
    private static boolean unqueueable(List<String> full) {
        return unpipelined(full);
    }

    /** Whether a drawn command's check needs more than its one reply. */
    private static boolean unpipelined(List<String> full) {
        FuzzCheck c = gen(full).check();
        return c == FuzzCheck.SCAN || c == FuzzCheck.RANDOM || c == FuzzCheck.RANDOM_WRITE || lexKey(full) != null;
    }
}
