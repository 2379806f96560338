package io.github.jglommio.benchmarks;

import io.github.jglommio.benchmarks.JdkWakeLatency.Variant;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * The {@code scheduling} suite: a plain Java harness (no JMH) that checks the two promises of task
 * queues on one executor, and compares the second with the JDK's virtual-thread scheduler.
 *
 * <ol type="a">
 * <li><b>Shares.</b> Two CPU-bound queues with 1000 and 500 shares, each running a task that burns
 * 20 µs and calls {@code yieldIfNeeded()}, under a 2 ms preempt timer: each queue's runtime (from
 * {@code taskQueueStats}) over a 2 s window, five runs after a discarded one; the median ratio
 * should be 2:1 within 10%.
 * <li><b>Wake-up latency.</b> A task in a {@code Latency.matters(1 ms)} queue sleeps 1 ms, 2000 times
 * (after 500 discarded), beside a CPU-bound queue that burns 20 µs and calls
 * {@code yieldIfNeeded()}; the delay is the actual wake time minus the requested deadline. The JDK
 * peer runs the same sleeper and hog as virtual threads of the default scheduler with one carrier,
 * in a child JVM ({@link JdkWakeLatency}), the hog giving way with {@code Thread.yield()} (the
 * analogue of {@code yieldIfNeeded()}) or {@code LockSupport.parkNanos(1)}, every 20 µs or every
 * ~1 ms. A JDK run whose sleeper makes no progress is reported as starved. Each side also runs the
 * sleeper alone, for its timer floor. Five rounds interleave the sides (the order alternates); the
 * tables give the median of each run's figures and the median of the per-round ratios, per
 * BENCHMARKING.md. The hog's longest burst tells scheduling delay from CPU theft: a 20 µs burst
 * that took much longer means the thread lost its CPU (see {@link CpuHog#longestBurstNs()}).
 * </ol>
 *
 * <p>The whole suite takes about two minutes. It prints every run as it goes, then the tables.
 * Threading: runs on the calling platform thread, each jglommio measurement on an executor of its
 * own that {@code run}s on this thread.
 */
final class SchedulingSuite {

    private static final int SHARES_RUNS = 5;
    private static final Duration SHARES_SETTLE = Duration.ofMillis(500);
    private static final Duration SHARES_WINDOW = Duration.ofSeconds(2);
    private static final double SHARES_TOLERANCE = 0.10;

    private static final int WAKE_ROUNDS = 5;
    private static final int WAKE_WARMUP = 500;
    private static final int WAKE_COUNT = 2000;

    /** The runs of part (b), in table order. */
    private enum Wake {
        JGLOMMIO_HOG("jglommio: hog calls yieldIfNeeded() every 20 us"),
        JDK_YIELD_20US("JDK 1 carrier: hog calls Thread.yield() every 20 us"),
        JDK_YIELD_1MS("JDK 1 carrier: hog calls Thread.yield() every ~1 ms"),
        JDK_PARK_20US("JDK 1 carrier: hog calls parkNanos(1) every 20 us"),
        JDK_PARK_1MS("JDK 1 carrier: hog calls parkNanos(1) every ~1 ms"),
        JGLOMMIO_IDLE("jglommio: sleeper alone"),
        JDK_IDLE("JDK 1 carrier: sleeper alone");

        final String label;

        Wake(String label) {
            this.label = label;
        }

        static Wake of(Variant v) {
            return switch (v) {
                case HOG_YIELD_20US -> JDK_YIELD_20US;
                case HOG_YIELD_1MS -> JDK_YIELD_1MS;
                case HOG_PARK_20US -> JDK_PARK_20US;
                case HOG_PARK_1MS -> JDK_PARK_1MS;
                case IDLE -> JDK_IDLE;
            };
        }
    }

    private SchedulingSuite() {
    }

    /** Runs the suite; see the class javadoc. Returns 0, or 1 when the JDK child JVM failed. */
    static int run(PrintStream out) throws InterruptedException {
        out.println("suite scheduling: plain Java harness, about 2 minutes");
        out.println();
        sharesSplit(out);
        out.println();
        try {
            wakeLatency(out);
        } catch (IOException e) {
            out.println("FAILED: " + e.getMessage());
            return 1;
        }
        return 0;
    }

    // ---------------------------------------------------------------- (a) shares

    private static void sharesSplit(PrintStream out) {
        out.printf(Locale.ROOT, "(a) CPU split of two CPU-bound task queues, shares %d:%d (target %.2f:1)%n",
                JglommioScheduling.SHARES_A, JglommioScheduling.SHARES_B,
                JglommioScheduling.SHARES_A / (double) JglommioScheduling.SHARES_B);
        out.printf(Locale.ROOT, "    each queue's task burns 20 us, then yieldIfNeeded(); preemptTimer %d ms; runtime from"
                        + " taskQueueStats over %d s after %d ms settling; %d runs after 1 discarded%n",
                JglommioScheduling.SHARES_PREEMPT_TIMER.toMillis(), SHARES_WINDOW.toSeconds(), SHARES_SETTLE.toMillis(),
                SHARES_RUNS);
        JglommioScheduling.Split warm = JglommioScheduling.sharesSplit(SHARES_SETTLE, Duration.ofSeconds(1));
        out.printf(Locale.ROOT, "    warm-up run: ratio %.3f (discarded)%n", warm.ratio());
        out.println();

        TextTable table = new TextTable("run", "queue A (" + JglommioScheduling.SHARES_A + ") runtime",
                "queue B (" + JglommioScheduling.SHARES_B + ") runtime", "A+B / wall", "turns A", "turns B",
                "ratio A:B");
        double[] ratios = new double[SHARES_RUNS];
        for (int r = 0; r < SHARES_RUNS; r++) {
            JglommioScheduling.Split s = JglommioScheduling.sharesSplit(SHARES_SETTLE, SHARES_WINDOW);
            ratios[r] = s.ratio();
            table.add(Integer.toString(r + 1), millis(s.runtimeA().toNanos()), millis(s.runtimeB().toNanos()),
                    percent(s.busyShare()), Long.toString(s.turnsA()), Long.toString(s.turnsB()),
                    String.format(Locale.ROOT, "%.3f", s.ratio()));
        }
        table.print(out, "    ");
        double target = JglommioScheduling.SHARES_A / (double) JglommioScheduling.SHARES_B;
        double median = median(ratios);
        boolean within = Math.abs(median / target - 1) <= SHARES_TOLERANCE;
        out.printf(Locale.ROOT, "    median ratio A:B %.3f (min %.3f, max %.3f): %s +/-%.0f%% of %.2f:1 (%.2f..%.2f)%n",
                median, Arrays.stream(ratios).min().orElseThrow(), Arrays.stream(ratios).max().orElseThrow(),
                within ? "WITHIN" : "NOT within", SHARES_TOLERANCE * 100, target, target * (1 - SHARES_TOLERANCE),
                target * (1 + SHARES_TOLERANCE));
    }

    // ---------------------------------------------------------------- (b) wake-up latency

    private static void wakeLatency(PrintStream out) throws IOException, InterruptedException {
        out.println("(b) timer wake-up delay (actual wake time - requested deadline) of a 1 ms periodic sleep,");
        out.println("    beside a CPU hog that burns 20 us per burst; jglommio: Timer.sleep in a Latency.matters(1 ms) queue,");
        out.println("    hog in a Latency.notImportant() queue, 1000 shares each, default preemptTimer (100 ms);");
        out.println("    JDK: Thread.sleep in a virtual thread, hog in another giving way with Thread.yield() or"
                + " LockSupport.parkNanos(1),");
        out.println("    default scheduler in a child JVM with " + String.join(" ", JdkWakeLatency.ONE_CARRIER_FLAGS));
        out.printf(Locale.ROOT, "    %d sleeps per run after %d discarded; %d rounds, order alternating;"
                + " a discarded jglommio warm-up round first%n", WAKE_COUNT, WAKE_WARMUP, WAKE_ROUNDS);
        JglommioScheduling.wakeLatency(true, WAKE_WARMUP, WAKE_WARMUP);
        JglommioScheduling.wakeLatency(false, WAKE_WARMUP, WAKE_WARMUP);
        out.println();

        Map<Wake, List<WakeSampler.Summary>> runs = new EnumMap<>(Wake.class);
        for (Wake w : Wake.values()) {
            runs.put(w, new ArrayList<>());
        }
        for (int round = 0; round < WAKE_ROUNDS; round++) {
            boolean jglommioFirst = round % 2 == 0;
            if (jglommioFirst) {
                runJglommio(out, round, runs);
                runJdk(out, round, runs);
            } else {
                runJdk(out, round, runs);
                runJglommio(out, round, runs);
            }
        }
        out.println();

        out.println("    medians over the rounds of each run's figures (microseconds); 'starved': the sleeper had done"
                + " under " + JdkWakeLatency.MIN_PROGRESS + " sleeps after " + JdkWakeLatency.PROGRESS_CHECK.toMillis()
                + " ms, the run was abandoned:");
        TextTable summary = new TextTable("workload", "p50 us", "p99 us", "max us", "hog CPU share",
                "longest hog burst us", "starved runs");
        for (Wake w : Wake.values()) {
            List<WakeSampler.Summary> l = runs.get(w);
            List<WakeSampler.Summary> measured = l.stream().filter(x -> !x.isStarved()).toList();
            long starved = l.size() - measured.size();
            double share = median(l, WakeSampler.Summary::hogShare);
            summary.add(w.label,
                    measured.isEmpty() ? "starved" : micros(median(measured, x -> x.p50Ns())),
                    measured.isEmpty() ? "starved" : micros(median(measured, x -> x.p99Ns())),
                    measured.isEmpty() ? "starved" : micros(median(measured, x -> x.maxNs())),
                    Double.isNaN(share) ? "-" : percent(share),
                    measured.isEmpty() || measured.get(0).hogLongestBurstNs() < 0 ? "-"
                            : micros(median(measured, x -> x.hogLongestBurstNs())),
                    starved + "/" + l.size());
        }
        summary.print(out, "    ");
        out.println();

        out.println("    JDK / jglommio, median of the per-round ratios (> 1: jglommio wakes sooner; inf: JDK starved):");
        TextTable ratios = new TextTable("comparison", "p50", "p99", "max");
        for (Wake jdk : List.of(Wake.JDK_YIELD_20US, Wake.JDK_YIELD_1MS, Wake.JDK_PARK_20US, Wake.JDK_PARK_1MS)) {
            addRatios(ratios, jdk.label.substring("JDK 1 carrier: ".length()) + " vs jglommio hog", runs.get(jdk),
                    runs.get(Wake.JGLOMMIO_HOG));
        }
        addRatios(ratios, "sleeper alone: JDK vs jglommio", runs.get(Wake.JDK_IDLE), runs.get(Wake.JGLOMMIO_IDLE));
        ratios.print(out, "    ");
    }

    private static void runJglommio(PrintStream out, int round, Map<Wake, List<WakeSampler.Summary>> runs) {
        boolean hogFirst = round % 2 == 0;
        for (boolean hog : hogFirst ? new boolean[] {true, false} : new boolean[] {false, true}) {
            WakeSampler.Summary s = JglommioScheduling.wakeLatency(hog, WAKE_WARMUP, WAKE_COUNT);
            record(out, round, hog ? Wake.JGLOMMIO_HOG : Wake.JGLOMMIO_IDLE, s, runs);
        }
    }

    private static void runJdk(PrintStream out, int round, Map<Wake, List<WakeSampler.Summary>> runs)
            throws IOException, InterruptedException {
        // Rotate the variants' order from round to round.
        List<Variant> order = new ArrayList<>(List.of(Variant.values()));
        Collections.rotate(order, round);
        Map<Variant, WakeSampler.Summary> results = JdkWakeLatency.runInChildJvm(WAKE_WARMUP, WAKE_COUNT, order);
        for (Variant v : order) {
            record(out, round, Wake.of(v), results.get(v), runs);
        }
    }

    private static void record(PrintStream out, int round, Wake w, WakeSampler.Summary s,
                               Map<Wake, List<WakeSampler.Summary>> runs) {
        runs.get(w).add(s);
        String hog = Double.isNaN(s.hogShare()) ? "-" : percent(s.hogShare());
        if (s.isStarved()) {
            out.printf(Locale.ROOT, "    round %d/%d  %-54s STARVED: %d of %d sleeps done after %d ms; hog %s%n",
                    round + 1, WAKE_ROUNDS, w.label, s.count(), WAKE_WARMUP + WAKE_COUNT,
                    JdkWakeLatency.PROGRESS_CHECK.toMillis(), hog);
        } else {
            out.printf(Locale.ROOT, "    round %d/%d  %-54s p50 %7s  p99 %7s  max %8s us  hog %s%s%n", round + 1,
                    WAKE_ROUNDS, w.label, micros(s.p50Ns()), micros(s.p99Ns()), micros(s.maxNs()), hog,
                    s.hogLongestBurstNs() < 0 ? "" : ", longest burst " + micros(s.hogLongestBurstNs()) + " us");
        }
    }

    private static void addRatios(TextTable table, String label, List<WakeSampler.Summary> jdk,
                                  List<WakeSampler.Summary> ours) {
        table.add(label, ratio(jdk, ours, WakeSampler.Summary::p50Ns), ratio(jdk, ours, WakeSampler.Summary::p99Ns),
                ratio(jdk, ours, WakeSampler.Summary::maxNs));
    }

    private static String ratio(List<WakeSampler.Summary> jdk, List<WakeSampler.Summary> ours,
                                ToLongFunction<WakeSampler.Summary> figure) {
        double[] r = new double[jdk.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = jdk.get(i).isStarved() ? Double.POSITIVE_INFINITY
                    : figure.applyAsLong(jdk.get(i)) / (double) figure.applyAsLong(ours.get(i));
        }
        double median = median(r);
        return Double.isInfinite(median) ? "inf" : String.format(Locale.ROOT, "%.2fx", median);
    }

    // ---------------------------------------------------------------- figures

    private static double median(List<WakeSampler.Summary> runs, ToDoubleFunction<WakeSampler.Summary> figure) {
        return median(runs.stream().mapToDouble(figure).toArray());
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String micros(double ns) {
        return String.format(Locale.ROOT, "%.1f", ns / 1e3);
    }

    private static String millis(long ns) {
        return String.format(Locale.ROOT, "%.1f ms", ns / 1e6);
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }
}
