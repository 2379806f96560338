package io.github.jglommio.benchmarks;

/**
 * A CPU-bound loop for the scheduling suite: burns {@link #BURST_NS} at a time and, after every
 * {@code burstsPerYield} bursts, calls a yield point ({@code LocalExecutor::yieldIfNeeded} in a
 * jglommio task, {@code Thread::yield} in a JDK virtual thread). It runs until {@link #stop()}.
 *
 * <p>Threading: {@link #run} is called by one thread (the hog); {@link #stop()} and
 * {@link #burnedNs()} by any other.
 */
final class CpuHog {

    /** One burst of work between yield points: about 20 µs. */
    static final long BURST_NS = 20_000;

    private volatile boolean stop;
    /** Time spent burning so far; written by the hog only, after each burst. */
    private volatile long burnedNs;
    /** Bursts that start from this time on count for {@link #longestBurstNs}; set by the observer. */
    private volatile long windowStartNs = Long.MAX_VALUE;
    /** The longest burst that started in the window; written by the hog only. */
    private volatile long longestBurstNs;

    /** Burns CPU until {@link #stop()}, calling {@code yieldPoint} every {@code burstsPerYield} bursts. */
    void run(Runnable yieldPoint, int burstsPerYield) {
        long burned = 0;
        long longest = 0;
        int sinceYield = 0;
        while (!stop) {
            long startNs = System.nanoTime();
            long burst = burn(BURST_NS);
            burned += burst;
            burnedNs = burned;
            if (burst > longest && startNs - windowStartNs >= 0) {
                longest = burst;
                longestBurstNs = burst;
            }
            if (++sinceYield >= burstsPerYield) {
                sinceYield = 0;
                yieldPoint.run();
            }
        }
    }

    /** Makes {@link #run} return after its current burst. Any thread. */
    void stop() {
        stop = true;
    }

    /** The hog's burning time so far: with the wall time, how much CPU it got. Any thread. */
    long burnedNs() {
        return burnedNs;
    }

    /**
     * Starts the window of {@link #longestBurstNs()}: bursts that start from now on. Any thread,
     * once.
     */
    void startWindow() {
        windowStartNs = System.nanoTime();
    }

    /**
     * The longest burst that started in the window. A burst spins on the clock, so one much longer
     * than {@link #BURST_NS} means the hog's thread lost its CPU meanwhile (to the kernel, another
     * process, or the hypervisor): a delay no user-space scheduler can avoid. Any thread.
     */
    long longestBurstNs() {
        return longestBurstNs;
    }

    /**
     * Spins on the clock for at least {@code ns}; returns how long it spun. Reading the clock is the
     * work: no allocation, no memory traffic, nothing the JIT can remove.
     */
    static long burn(long ns) {
        long start = System.nanoTime();
        long now;
        do {
            now = System.nanoTime();
        } while (now - start < ns);
        return now - start;
    }
}
