package io.github.jglommio.benchmarks;

import io.github.jglommio.benchmarks.CrossCoreQueues.Peer;
import io.github.jglommio.benchmarks.LocalPrimitives.Op;

import java.io.PrintStream;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code channels} suite: a plain Java harness (no JMH), about a minute.
 *
 * <ol type="a">
 * <li><b>Cross-core.</b> Messages per second and send-to-receive latency (p50, p99) of a jglommio
 * {@code SharedChannel} between two executors pinned to CPU 0 and CPU 1, against JCTools
 * {@code SpscArrayQueue} with busy-spinning ends (the raw bound) and {@code ArrayBlockingQueue}
 * put/take, on platform threads pinned the same way ({@link CrossCoreQueues}). Capacity 1024, the
 * producer sends flat out for {@link #RUN} per run. One discarded warm-up round, then
 * {@link #ROUNDS} rounds interleaving the peers (the order rotates each round); the tables give the
 * medians of each peer's runs and the medians of the per-round ratios (BENCHMARKING.md). The
 * SharedChannel rows also count the executors' sleeps and cross-thread wake-ups per message, to
 * tell parking costs from queue costs.
 * <li><b>Inside one executor.</b> Nanoseconds per LocalChannel send+recv and Semaphore
 * acquire+signal pair, never parking, beside ArrayDeque offer+poll ({@link LocalPrimitives}).
 * </ol>
 *
 * <p>Threading: runs on the calling platform thread; each measurement on executors of its own.
 */
final class ChannelsSuite {

    static final Duration RUN = Duration.ofSeconds(3);
    static final Duration WARMUP_RUN = Duration.ofSeconds(2);
    static final int ROUNDS = 3;

    private ChannelsSuite() {
    }

    /** Runs the suite; see the class javadoc. Returns 0, or 2 for options (it takes none). */
    static int run(PrintStream out, List<String> options) {
        if (!options.isEmpty()) {
            System.err.println("suite channels takes no options, got " + options);
            return 2;
        }
        out.println("suite channels: plain Java harness, about a minute");
        out.println("    run: ./jglommio bench channels  (java -jar benchmarks/target/benchmarks.jar channels)");
        out.println();
        crossCore(out);
        out.println();
        local(out);
        return 0;
    }

    // ---------------------------------------------------------------- (a) cross-core

    private static void crossCore(PrintStream out) {
        out.printf(Locale.ROOT, "(a) one producer on CPU %d, one consumer on CPU %d, bounded queue of %d, producer sends"
                        + " flat out for %d s per run;%n", CrossCoreQueues.PRODUCER_CPU, CrossCoreQueues.CONSUMER_CPU,
                CrossCoreQueues.CAPACITY, RUN.toSeconds());
        out.println("    latency: System.nanoTime() at send to nanoTime() at receive, every message (LatencyHistogram);"
                + " under saturation it is mostly queueing");
        out.println("    JCTools and ABQ ends run on platform threads pinned likewise (a pinned executor's"
                + " one-thread blocking pool)");
        out.printf(Locale.ROOT, "    1 discarded warm-up round of %d s per peer, then %d rounds, peer order rotating;"
                + " sleeps C/P, wakeups C/P: the SharedChannel consumer's/producer's executor went to sleep, was woken"
                + " by the peer (ExecutorStats)%n", WARMUP_RUN.toSeconds(), ROUNDS);
        for (Peer p : Peer.values()) {
            CrossCoreQueues.run(p, WARMUP_RUN);
        }
        out.println();

        Map<Peer, CrossCoreQueues.Run[]> runs = new EnumMap<>(Peer.class);
        for (Peer p : Peer.values()) {
            runs.put(p, new CrossCoreQueues.Run[ROUNDS]);
        }
        TextTable perRun = new TextTable("round", "peer", "Mmsg/s", "p50 us", "p99 us", "max us",
                "sleeps C/P", "wakeups C/P").labelColumns(2);
        Peer[] peers = Peer.values();
        for (int round = 0; round < ROUNDS; round++) {
            for (int k = 0; k < peers.length; k++) {
                Peer p = peers[(round + k) % peers.length];
                CrossCoreQueues.Run r = CrossCoreQueues.run(p, RUN);
                runs.get(p)[round] = r;
                perRun.add(Integer.toString(round + 1), p.label, mega(r.messagesPerSecond()),
                        micros(r.latency().valueAtPercentile(50)), micros(r.latency().valueAtPercentile(99)),
                        micros(r.latency().max()),
                        r.consumerSleeps() < 0 ? "-" : r.consumerSleeps() + "/" + r.producerSleeps(),
                        r.consumerWakeups() < 0 ? "-" : r.consumerWakeups() + "/" + r.producerWakeups());
            }
        }
        perRun.print(out, "    ");
        out.println();

        out.println("    medians over the rounds:");
        TextTable summary = new TextTable("peer", "Mmsg/s", "p50 us", "p99 us", "max us");
        for (Peer p : peers) {
            CrossCoreQueues.Run[] r = runs.get(p);
            summary.add(p.label, mega(Medians.median(of(r, Figure.RATE))),
                    micros(Medians.median(of(r, Figure.P50))), micros(Medians.median(of(r, Figure.P99))),
                    micros(Medians.median(of(r, Figure.MAX))));
        }
        summary.print(out, "    ");
        out.println();

        out.println("    SharedChannel / peer, median of the per-round ratios (throughput: > 1 is SharedChannel faster;"
                + " p99: < 1 is SharedChannel lower):");
        TextTable ratios = new TextTable("comparison", "throughput ratio", "p99 ratio");
        CrossCoreQueues.Run[] ours = runs.get(Peer.SHARED_CHANNEL);
        for (Peer p : List.of(Peer.SPSC, Peer.ABQ)) {
            CrossCoreQueues.Run[] theirs = runs.get(p);
            ratios.add("SharedChannel / " + (p == Peer.SPSC ? "SpscArrayQueue" : "ArrayBlockingQueue"),
                    ratio(Medians.medianOfRatios(of(ours, Figure.RATE), of(theirs, Figure.RATE))),
                    ratio(Medians.medianOfRatios(of(ours, Figure.P99), of(theirs, Figure.P99))));
        }
        ratios.print(out, "    ");
    }

    private enum Figure { RATE, P50, P99, MAX }

    private static double[] of(CrossCoreQueues.Run[] runs, Figure f) {
        double[] v = new double[runs.length];
        for (int i = 0; i < runs.length; i++) {
            CrossCoreQueues.Run r = runs[i];
            v[i] = switch (f) {
                case RATE -> r.messagesPerSecond();
                case P50 -> r.latency().valueAtPercentile(50);
                case P99 -> r.latency().valueAtPercentile(99);
                case MAX -> r.latency().max();
            };
        }
        return v;
    }

    // ---------------------------------------------------------------- (b) inside one executor

    private static void local(PrintStream out) {
        out.printf(Locale.ROOT, "(b) one task of one executor (CPU 0), %,d pairs per timed loop, loops interleaved;"
                + " %d discarded rounds, median of %d%n", LocalPrimitives.OPS, LocalPrimitives.WARMUP_ROUNDS,
                LocalPrimitives.ROUNDS);
        Map<Op, double[]> ns = LocalPrimitives.measure();
        double baseline = Medians.median(ns.get(Op.ARRAY_DEQUE));
        TextTable table = new TextTable("pair", "ns/pair (median)", "min", "max", "vs ArrayDeque");
        for (Op op : Op.values()) {
            double[] v = ns.get(op);
            double median = Medians.median(v);
            table.add(op.label, nanos(median), nanos(java.util.Arrays.stream(v).min().orElseThrow()),
                    nanos(java.util.Arrays.stream(v).max().orElseThrow()),
                    op == Op.ARRAY_DEQUE ? "1.00x" : String.format(Locale.ROOT, "%.2fx (%+.1f ns)", median / baseline,
                            median - baseline));
        }
        table.print(out, "    ");
    }

    // ---------------------------------------------------------------- formatting

    private static String mega(double perSecond) {
        return String.format(Locale.ROOT, "%.2f", perSecond / 1e6);
    }

    private static String micros(double ns) {
        return String.format(Locale.ROOT, "%.1f", ns / 1e3);
    }

    private static String nanos(double ns) {
        return String.format(Locale.ROOT, "%.1f", ns);
    }

    private static String ratio(double r) {
        return Double.isNaN(r) ? "-" : String.format(Locale.ROOT, "%.3f", r);
    }
}
