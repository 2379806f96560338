package io.github.jglommio.kv.server;

import io.github.jglommio.kv.command.CommandSpec;
import io.github.jglommio.kv.command.CommandTable;
import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * LATENCY HISTOGRAM [command ...]: per command that ran since the start or CONFIG RESETSTAT, its
 * calls and the cumulative distribution of their latencies, in Redis 7.0's shape: a map from the
 * command's name ({@code set}, {@code client|list}) to {@code calls} and {@code histogram_usec}, a
 * map from a bucket's upper bound in microseconds to the calls that took at most that long, for the
 * buckets that gained calls.
 *
 * <p>The buckets are Redis's: it records each call's time (whole microseconds, as nanoseconds, at
 * least 1 ns and at most 1 s) in an HDR histogram of 2 significant digits and reports it by powers
 * of two from 1024 ns; a bucket's bound is the highest value that histogram cannot tell from the
 * power of two, divided by 1000 (1, 2, 4, 8, 16, 33, 66, 132, 264, 528... µs). Here each command
 * keeps only the counts per bucket ({@link #level}), which is all that reply needs. A command split
 * over shards (MSET, DEL...) records each shard's part.
 *
 * <p>Threading: the counts are {@link CommandStats}'s (one shard each); {@link #write} runs on the
 * requesting connection's task with their sum.
 */
final class LatencyHistogram {
    /** Buckets from 2^10 ns to 2^30 ns, which is past Redis's 1 s ceiling. */
    static final int LEVELS = 21;
    private static final long[] BOUNDS_NS = bounds();

    private LatencyHistogram() {
    }

    /** The highest value an HDR histogram of 2 significant digits records as 2^(10+k) ns, for each level k. */
    private static long[] bounds() {
        long[] b = new long[LEVELS];
        for (int k = 0; k < LEVELS; k++) {
            int m = 10 + k;
            // 2 significant digits: 256 sub-buckets, so at 2^m the resolution is 2^(m-7).
            b[k] = (1L << m) + (1L << (m - 7)) - 1;
        }
        return b;
    }

    /** The bucket of a call that took {@code nanos}, as Redis records it (whole microseconds, within [1 ns, 1 s]). */
    static int level(long nanos) {
        long v = Math.clamp(nanos / 1000 * 1000, 1, 1_000_000_000L);
        int k = 0;
        while (k < LEVELS - 1 && v > BOUNDS_NS[k]) {
            k++;
        }
        return k;
    }

    /** Adds {@code b}'s counts into {@code a} (made if null); returns it. */
    static long[] add(long[] a, long[] b) {
        long[] sum = a == null ? new long[LEVELS] : a;
        for (int i = 0; i < LEVELS; i++) {
            sum[i] += b[i];
        }
        return sum;
    }

    /** Answers LATENCY HISTOGRAM from the shards' summed figures; {@code c} is the whole command. */
    static void write(CommandStats.Snapshot s, Command c, RespWriter out) {
        List<String> names = new ArrayList<>();
        List<long[]> counts = new ArrayList<>();
        List<CommandSpec> all = CommandTable.all();
        if (c.argCount() == 2) {
            for (CommandSpec spec : all) {
                collect(s, spec, names, counts);
            }
        } else {
            for (int i = 2; i < c.argCount(); i++) {
                String name = new String(c.arg(i), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
                int bar = name.indexOf('|');
                if (bar >= 0) {
                    long[] h = s.subHistograms().get(name);
                    if (h != null) {
                        names.add(name);
                        counts.add(h);
                    }
                    continue;
                }
                CommandSpec spec = CommandTable.lookup(name);
                if (spec != null) {
                    collect(s, spec, names, counts);
                }
            }
        }
        out.mapHeader(names.size());
        for (int i = 0; i < names.size(); i++) {
            out.bulk(names.get(i).getBytes(StandardCharsets.UTF_8));
            long[] h = counts.get(i);
            long calls = 0;
            int buckets = 0;
            for (long n : h) {
                calls += n;
                buckets += n > 0 ? 1 : 0;
            }
            out.mapHeader(2);
            out.bulk(CALLS);
            out.integer(calls);
            out.bulk(HISTOGRAM_USEC);
            out.mapHeader(buckets);
            long cumulative = 0;
            for (int k = 0; k < LEVELS; k++) {
                if (h[k] > 0) {
                    cumulative += h[k];
                    out.integer(BOUNDS_NS[k] / 1000);
                    out.integer(cumulative);
                }
            }
        }
    }

    private static final byte[] CALLS = "calls".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HISTOGRAM_USEC = "histogram_usec".getBytes(StandardCharsets.US_ASCII);

    /** A command's own histogram if it ran, then its subcommands' that ran. */
    private static void collect(CommandStats.Snapshot s, CommandSpec spec, List<String> names, List<long[]> counts) {
        long[] own = s.histograms()[spec.ordinal()];
        if (own != null) {
            names.add(spec.name());
            counts.add(own);
        }
        String prefix = spec.name() + "|";
        for (Map.Entry<String, long[]> e : new TreeMap<>(s.subHistograms()).entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                names.add(e.getKey());
                counts.add(e.getValue());
            }
        }
    }
}
