package io.github.jglommio.benchmarks;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * Measures how late a periodic sleeper wakes: it sleeps one period at a time and records the actual
 * wake time minus the requested deadline (the clock just before the sleep plus the period). Both
 * sides of the scheduling suite's wake-up comparison use it, so they measure the same way.
 *
 * <p>Threading: {@link #sample} runs on the sleeping task or virtual thread; {@link #completed()}
 * may be read by any thread, to tell a starved sleeper from a slow one.
 */
final class WakeSampler {

    private final long periodNs;
    private final int warmup;
    private final int count;
    /** Sleeps done so far, warm-up included; written by the sleeper only. */
    private volatile int completed;

    /** A sampler that sleeps {@code warmup + count} periods and keeps the last {@code count} delays. */
    WakeSampler(Duration period, int warmup, int count) {
        this.periodNs = period.toNanos();
        this.warmup = warmup;
        this.count = count;
    }

    /** Sleeps one period: {@code Timer.sleep} in a jglommio task, {@code Thread.sleep} in a JDK virtual thread. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration period) throws InterruptedException;
    }

    /**
     * Sleeps {@code warmup + count} times and returns the last {@code count} delays, summarised.
     *
     * @param hog the CPU hog running beside the sleeper, for its CPU share while the samples were
     *            taken; null when there is none
     * @throws InterruptedException when {@code sleeper} throws it (the run was abandoned)
     */
    Summary sample(Sleeper sleeper, CpuHog hog) throws InterruptedException {
        Duration period = Duration.ofNanos(periodNs);
        long[] delaysNs = new long[count];
        long startNs = 0;
        long burnedAtStartNs = 0;
        for (int i = -warmup; i < count; i++) {
            if (i == 0) {
                startNs = System.nanoTime();
                if (hog != null) {
                    burnedAtStartNs = hog.burnedNs();
                    hog.startWindow();
                }
            }
            long deadlineNs = System.nanoTime() + periodNs;
            sleeper.sleep(period);
            long lateNs = System.nanoTime() - deadlineNs;
            if (i >= 0) {
                delaysNs[i] = lateNs;
            }
            completed = i + warmup + 1;
        }
        long wallNs = System.nanoTime() - startNs;
        if (hog == null) {
            return Summary.of(delaysNs, Double.NaN, -1);
        }
        return Summary.of(delaysNs, (hog.burnedNs() - burnedAtStartNs) / (double) wallNs, hog.longestBurstNs());
    }

    /** Sleeps done so far, warm-up included. Any thread. */
    int completed() {
        return completed;
    }

    /** Sleeps a whole run does, warm-up included. */
    int total() {
        return warmup + count;
    }

    /**
     * The delay distribution of one run, or the record of a starved one.
     *
     * @param p50Ns    median delay; -1 when starved
     * @param p99Ns    99th percentile (nearest rank); -1 when starved
     * @param maxNs    largest delay; -1 when starved
     * @param count    samples; when starved, the sleeps done before the run was abandoned
     * @param hogShare fraction of the wall time the hog spent burning, NaN without a hog
     * @param hogLongestBurstNs the hog's longest 20 µs burst while the samples were taken (see
     *                          {@link CpuHog#longestBurstNs()}); -1 without a hog or when starved
     */
    record Summary(long p50Ns, long p99Ns, long maxNs, int count, double hogShare, long hogLongestBurstNs) {

        private static final String PREFIX = "RESULT ";

        static Summary of(long[] delaysNs, double hogShare, long hogLongestBurstNs) {
            long[] sorted = delaysNs.clone();
            Arrays.sort(sorted);
            return new Summary(percentile(sorted, 0.50), percentile(sorted, 0.99), sorted[sorted.length - 1],
                    sorted.length, hogShare, hogLongestBurstNs);
        }

        /** A run abandoned because the sleeper made (almost) no progress: {@code completed} sleeps done. */
        static Summary starved(int completed, double hogShare) {
            return new Summary(-1, -1, -1, completed, hogShare, -1);
        }

        boolean isStarved() {
            return p50Ns < 0;
        }

        /** Nearest rank: the smallest value with at least {@code p} of the samples at or below it. */
        private static long percentile(long[] sorted, double p) {
            int rank = (int) Math.ceil(p * sorted.length);
            return sorted[Math.max(0, rank - 1)];
        }

        /** One line a child JVM prints for its parent: {@code RESULT name p50 p99 max count share longest}. */
        String toLine(String name) {
            return String.format(Locale.ROOT, "%s%s %d %d %d %d %s %d", PREFIX, name, p50Ns, p99Ns, maxNs, count,
                    Double.toString(hogShare), hogLongestBurstNs);
        }

        /** True for a line {@link #toLine} printed. */
        static boolean isLine(String line) {
            return line.startsWith(PREFIX);
        }

        /** The name of a {@link #toLine} line. */
        static String nameOf(String line) {
            return line.substring(PREFIX.length()).split(" ")[0];
        }

        /** Parses a {@link #toLine} line. */
        static Summary parse(String line) {
            String[] f = line.substring(PREFIX.length()).split(" ");
            if (f.length != 7) {
                throw new IllegalArgumentException("not a result line: " + line);
            }
            return new Summary(Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                    Integer.parseInt(f[4]), Double.parseDouble(f[5]), Long.parseLong(f[6]));
        }
    }
}
