package io.github.jglommio.kv.server;

import io.github.jglommio.kv.command.CommandSpec;
import io.github.jglommio.kv.command.CommandTable;
import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One shard's figures behind INFO commandstats and errorstats: per command, the calls, the time
 * they took, the calls that answered an error and the calls refused before they ran; per error
 * code ({@code ERR}, {@code WRONGTYPE}...), the error replies. The per-command counters are arrays
 * indexed by {@link CommandSpec#ordinal()}, so the request path pays two array increments and no
 * lookup. A command split over shards (DEL of keys on several) is one call, whose time is the sum
 * of its parts'; each part is offered to the slow log as it ran.
 *
 * <p>Threading: written on the shard's executor only; {@link #snapshot} and {@link #reset} run
 * there too (through {@code KvServer.onEveryShard}).
 */
final class CommandStats {

    private final KvServer server;
    private final long[] calls = new long[CommandTable.size()];
    private final long[] nanos = new long[CommandTable.size()];
    private final long[] failed = new long[CommandTable.size()];
    private final long[] rejected = new long[CommandTable.size()];
    /** The subcommands of the server's containers ({@code config|get}): calls, nanos, rejected, failed. */
    private final Map<String, long[]> subcommands = new HashMap<>();
    /** Per command (made on its first call), its calls' latencies by {@link LatencyHistogram} level: LATENCY HISTOGRAM. */
    private final long[][] histograms = new long[CommandTable.size()][];
    /** The same for the subcommands of the server's containers ({@code client|list}). */
    private final Map<String, long[]> subHistograms = new HashMap<>();
    /** By error code: rare, so a map is fine. */
    private final Map<String, Long> errors = new HashMap<>();
    private long errorReplies;

    /**
     * By ordinal: whether the command may be split over shards (MSET, DEL, DBSIZE...), each shard
     * running a part: its call is counted once, when the connection plans it ({@link #planned}),
     * and each part adds its time.
     */
    private static final boolean[] SPLIT = split();

    private static boolean[] split() {
        boolean[] split = new boolean[CommandTable.size()];
        for (CommandSpec s : CommandTable.all()) {
            String r = s.routing().name();
            split[s.ordinal()] = r.startsWith("ALL_") || (r.startsWith("KEYS_") && !r.equals("KEYS_ATOMIC"))
                    || s.name().equals("publish") || s.name().equals("spublish"); // every shard delivers
        }
        return split;
    }

    CommandStats(KvServer server) {
        this.server = server;
    }

    /**
     * A command ran from {@code startNs} to now and wrote its reply to {@code out} from {@code mark}:
     * counts it, its error if it answered one, and offers it to the slow log and the latency monitor.
     *
     * @param client who sent it, or null when unknown
     */
    void ran(CommandSpec spec, Command c, long startNs, RespWriter out, int mark, Connection client) {
        long took = System.nanoTime() - startNs;
        if (spec == null) {
            return;
        }
        int n = spec.ordinal();
        if (!SPLIT[n]) {
            calls[n]++; // a split command's call was counted once, where it was planned
        }
        nanos[n] += took;
        if (countError(out, mark)) {
            failed[n]++;
        }
        if (histograms[n] == null) {
            histograms[n] = new long[LatencyHistogram.LEVELS];
        }
        histograms[n][LatencyHistogram.level(took)]++;
        offer(spec, c, took, client);
    }

    /**
     * A server command ran: counted under its subcommand ({@code client|list}) when it has one, as
     * Redis counts them, else as {@link #ran} does; {@code refused} when it was answered an arity
     * or unknown-subcommand error before it ran.
     */
    void ranServer(CommandSpec spec, String subcommand, Command c, long startNs, RespWriter out, int mark,
                   Connection client, boolean refused) {
        if (subcommand == null) {
            if (refused) {
                rejected[spec.ordinal()]++;
                countError(out, mark);
            } else {
                ran(spec, c, startNs, out, mark, client);
            }
            return;
        }
        long took = System.nanoTime() - startNs;
        long[] v = subcommands.computeIfAbsent(subcommand, k -> new long[4]);
        if (refused) {
            v[2]++;
        } else {
            v[0]++;
            v[1] += took;
            subHistograms.computeIfAbsent(subcommand, k -> new long[LatencyHistogram.LEVELS])[LatencyHistogram.level(took)]++;
        }
        if (countError(out, mark) && !refused) {
            v[3]++;
        }
        offer(spec, c, took, client);
    }

    private boolean countError(RespWriter out, int mark) {
        if (out.size() > mark && out.array()[mark] == '-') {
            error(out.array(), mark + 1, out.size());
            return true;
        }
        return false;
    }

    private void offer(CommandSpec spec, Command c, long took, Connection client) {
        Admin admin = server.admin;
        long us = took / 1000;
        long slower = admin.config.slowlogSlowerThanUs();
        if (slower >= 0 && us >= slower && !spec.flags().contains("skip_slowlog")) {
            admin.slowlog.add(c, us, client);
        }
        admin.latency.sample(spec, us);
    }

    /** A connection of this shard planned {@code spec}: a split command's call is counted here. */
    void planned(CommandSpec spec) {
        if (SPLIT[spec.ordinal()]) {
            calls[spec.ordinal()]++;
        }
    }

    /** A command refused before it ran (arity, a log that cannot be written...); its error is counted apart. */
    void rejected(CommandSpec spec) {
        if (spec != null) {
            rejected[spec.ordinal()]++;
        }
    }

    /** An error reply (its text, without the '-'), for errorstats. */
    void error(String text) {
        int space = text.indexOf(' ');
        String code = space < 0 ? text : text.substring(0, space);
        errors.merge(code, 1L, Long::sum);
        errorReplies++;
    }

    private void error(byte[] reply, int from, int end) {
        int stop = from;
        while (stop < end && reply[stop] != ' ' && reply[stop] != '\r') {
            stop++;
        }
        errors.merge(new String(reply, from, stop - from, java.nio.charset.StandardCharsets.UTF_8), 1L, Long::sum);
        errorReplies++;
    }

    /** CONFIG RESETSTAT. */
    void reset() {
        Arrays.fill(calls, 0);
        Arrays.fill(nanos, 0);
        Arrays.fill(failed, 0);
        Arrays.fill(rejected, 0);
        errors.clear();
        subcommands.clear();
        Arrays.fill(histograms, null);
        subHistograms.clear();
        errorReplies = 0;
    }

    /** Every shard's figures, summed; call from a connection's task (it waits for the shards). */
    static Snapshot gather(KvServer server) {
        java.util.concurrent.ConcurrentLinkedQueue<Snapshot> all = new java.util.concurrent.ConcurrentLinkedQueue<>();
        server.onEveryShard(sh -> all.add(sh.stats.snapshot()));
        return Snapshot.sum(all);
    }

    /** A copy of the figures. */
    Snapshot snapshot() {
        Map<String, long[]> subs = new HashMap<>();
        subcommands.forEach((k, v) -> subs.put(k, v.clone()));
        long[][] histos = new long[histograms.length][];
        for (int i = 0; i < histos.length; i++) {
            histos[i] = histograms[i] == null ? null : histograms[i].clone();
        }
        Map<String, long[]> subHistos = new HashMap<>();
        subHistograms.forEach((k, v) -> subHistos.put(k, v.clone()));
        return new Snapshot(calls.clone(), nanos.clone(), failed.clone(), rejected.clone(), subs, new HashMap<>(errors),
                errorReplies, histos, subHistos);
    }

    /** Figures of one shard, or summed over all. */
    record Snapshot(long[] calls, long[] nanos, long[] failed, long[] rejected, Map<String, long[]> subcommands,
                    Map<String, Long> errors, long errorReplies, long[][] histograms, Map<String, long[]> subHistograms) {

        /** Every call counted, subcommands included: INFO's total_commands_processed. */
        long totalCalls() {
            long n = 0;
            for (long c : calls) {
                n += c;
            }
            for (long[] v : subcommands.values()) {
                n += v[0];
            }
            return n;
        }

        /** The sum of several shards' figures. */
        static Snapshot sum(Iterable<Snapshot> all) {
            int n = CommandTable.size();
            Snapshot s = new Snapshot(new long[n], new long[n], new long[n], new long[n], new TreeMap<>(), new TreeMap<>(),
                    0, new long[n][], new TreeMap<>());
            long replies = 0;
            for (Snapshot one : all) {
                for (int i = 0; i < n; i++) {
                    s.calls[i] += one.calls[i];
                    s.nanos[i] += one.nanos[i];
                    s.failed[i] += one.failed[i];
                    s.rejected[i] += one.rejected[i];
                    if (one.histograms[i] != null) {
                        s.histograms[i] = LatencyHistogram.add(s.histograms[i], one.histograms[i]);
                    }
                }
                one.subHistograms.forEach((k, v) -> s.subHistograms.merge(k, v.clone(), LatencyHistogram::add));
                one.errors.forEach((k, v) -> s.errors.merge(k, v, Long::sum));
                one.subcommands.forEach((k, v) -> s.subcommands.merge(k, v.clone(), (a, b) -> {
                    for (int i = 0; i < a.length; i++) {
                        a[i] += b[i];
                    }
                    return a;
                }));
                replies += one.errorReplies;
            }
            return new Snapshot(s.calls, s.nanos, s.failed, s.rejected, s.subcommands, s.errors, replies, s.histograms,
                    s.subHistograms);
        }
    }
}
