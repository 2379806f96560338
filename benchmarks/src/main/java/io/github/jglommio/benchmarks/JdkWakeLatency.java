package io.github.jglommio.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * The JDK side of the scheduling suite's wake-up comparison: a virtual thread sleeps 1 ms
 * ({@code Thread.sleep}) over and over while another burns CPU in 20 µs bursts and gives way now and
 * then, on the JDK's default scheduler with one carrier thread and no priorities.
 *
 * <p>The scheduler's size is fixed when the JVM starts, so this runs in a child JVM:
 * {@link #runInChildJvm} starts {@link #main} with
 * {@code -Djdk.virtualThreadScheduler.parallelism=1 -Djdk.virtualThreadScheduler.maxPoolSize=1}
 * and reads one {@link WakeSampler.Summary} line per variant from its output.
 *
 * <p>On JDK 25 a hog that gives way with {@link Thread#yield()} starves the sleeper: the yielded
 * virtual thread goes back into the carrier's external submission queue, and the carrier
 * ({@code ForkJoinPool.runWorker}) keeps taking tasks from the queue it last took one from while that
 * queue is not empty, so the sleeper's wake-up, queued by the timer thread into another queue, is
 * never picked. A run therefore checks progress after {@link #PROGRESS_CHECK}: a sleeper that has
 * done under {@link #MIN_PROGRESS} sleeps by then is reported as starved and the run abandoned. The
 * {@code parkNanos(1)} variants give way by parking for a nanosecond instead: the hog then leaves
 * the queue until its own (timer) wake-up, which lets the carrier look at the other queues.
 */
public final class JdkWakeLatency {

    /** Child JVM flags: one carrier, and no extra carrier to compensate for a blocked one. */
    static final List<String> ONE_CARRIER_FLAGS = List.of(
            "-Djdk.virtualThreadScheduler.parallelism=1", "-Djdk.virtualThreadScheduler.maxPoolSize=1");
    private static final Duration PERIOD = Duration.ofMillis(1);
    /** When a run's progress is checked. */
    static final Duration PROGRESS_CHECK = Duration.ofMillis(1500);
    /** Sleeps a run must have done at {@link #PROGRESS_CHECK} (an unhindered one does over 1000). */
    static final int MIN_PROGRESS = 100;
    private static final long RUN_TIMEOUT_S = 60;
    private static final long CHILD_TIMEOUT_S = 180;

    /** How the hog gives way. */
    enum GiveWay {
        /** {@code Thread.yield()}: the JDK analogue of {@code yieldIfNeeded()}. */
        YIELD,
        /** {@code LockSupport.parkNanos(1)}: park and be woken by the JDK's timer. */
        PARK_1NS
    }

    /** What runs beside the sleeper. */
    enum Variant {
        /** Yields after every 20 µs burst: the code shape of a jglommio hog calling yieldIfNeeded. */
        HOG_YIELD_20US(1, GiveWay.YIELD),
        /** Yields every 50 bursts, about every 1 ms: the sleeper's period, a coarser and cheaper hog. */
        HOG_YIELD_1MS(50, GiveWay.YIELD),
        /** Parks 1 ns after every burst. */
        HOG_PARK_20US(1, GiveWay.PARK_1NS),
        /** Parks 1 ns every 50 bursts, about every 1 ms. */
        HOG_PARK_1MS(50, GiveWay.PARK_1NS),
        /** No hog: the sleeper alone. */
        IDLE(0, null);

        final int burstsPerYield;
        final GiveWay giveWay;

        Variant(int burstsPerYield, GiveWay giveWay) {
            this.burstsPerYield = burstsPerYield;
            this.giveWay = giveWay;
        }
    }

    private JdkWakeLatency() {
    }

    /**
     * Child JVM entry: {@code WARMUP COUNT VARIANT...}; prints one {@code RESULT} line per variant,
     * in the order given.
     */
    public static void main(String[] args) throws InterruptedException, ExecutionException, TimeoutException {
        if (args.length < 3) {
            System.err.println("usage: JdkWakeLatency WARMUP COUNT VARIANT... (variants: "
                    + List.of(Variant.values()) + ")");
            System.exit(2);
        }
        int warmup = Integer.parseInt(args[0]);
        int count = Integer.parseInt(args[1]);
        for (int i = 2; i < args.length; i++) {
            Variant v = Variant.valueOf(args[i]);
            System.out.println(run(v, warmup, count).toLine(v.name()));
        }
    }

    /** One run in this JVM, on the default virtual-thread scheduler. */
    static WakeSampler.Summary run(Variant variant, int warmup, int count)
            throws InterruptedException, ExecutionException, TimeoutException {
        CpuHog hog = variant.giveWay == null ? null : new CpuHog();
        Runnable giveWay = variant.giveWay == GiveWay.YIELD ? Thread::yield : () -> LockSupport.parkNanos(1);
        long hogStartNs = System.nanoTime();
        Thread hogThread = hog == null ? null
                : Thread.ofVirtual().name("hog").start(() -> hog.run(giveWay, variant.burstsPerYield));
        WakeSampler sampler = new WakeSampler(PERIOD, warmup, count);
        FutureTask<WakeSampler.Summary> samples = new FutureTask<>(() -> sampler.sample(Thread::sleep, hog));
        Thread sleeper = Thread.ofVirtual().name("sleeper").start(samples);
        try {
            try {
                return samples.get(PROGRESS_CHECK.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // Not done yet: slow, or starved?
            }
            int done = sampler.completed();
            if (done < MIN_PROGRESS) {
                double hogShare = hog == null ? Double.NaN
                        : hog.burnedNs() / (double) (System.nanoTime() - hogStartNs);
                sleeper.interrupt(); // it ends with an InterruptedException once it runs again
                return WakeSampler.Summary.starved(done, hogShare);
            }
            return samples.get(RUN_TIMEOUT_S, TimeUnit.SECONDS);
        } finally {
            if (hog != null) {
                hog.stop();
                hogThread.join();
            }
            sleeper.join();
        }
    }

    /**
     * Runs {@code variants} in a new single-carrier JVM, one after the other, and returns their
     * summaries by variant. Parent side.
     *
     * @throws IOException when the child cannot start, fails, or takes longer than three minutes
     */
    static Map<Variant, WakeSampler.Summary> runInChildJvm(int warmup, int count, List<Variant> variants)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ONE_CARRIER_FLAGS);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(JdkWakeLatency.class.getName());
        command.add(Integer.toString(warmup));
        command.add(Integer.toString(count));
        variants.forEach(v -> command.add(v.name()));
        // Output to a file, so a hung child cannot block a read past the timeout.
        Path output = Files.createTempFile("jglommio-jdk-wake-", ".out");
        try {
            Process child = new ProcessBuilder(command).redirectOutput(output.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            if (!child.waitFor(CHILD_TIMEOUT_S, TimeUnit.SECONDS)) {
                child.destroyForcibly();
                throw new IOException("the JDK child JVM did not finish within " + CHILD_TIMEOUT_S + " s: " + command);
            }
            Map<Variant, WakeSampler.Summary> results = new LinkedHashMap<>();
            for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
                if (WakeSampler.Summary.isLine(line)) {
                    results.put(Variant.valueOf(WakeSampler.Summary.nameOf(line)), WakeSampler.Summary.parse(line));
                }
            }
            if (child.exitValue() != 0 || results.size() != variants.size()) {
                throw new IOException("the JDK child JVM failed (exit status " + child.exitValue() + ", "
                        + results.size() + " of " + variants.size() + " results; its errors are above): " + command);
            }
            return results;
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
