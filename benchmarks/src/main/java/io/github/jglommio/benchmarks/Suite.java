package io.github.jglommio.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SequencedSet;

import org.openjdk.jmh.results.Result;

/**
 * A named set of measurements that {@link BenchMain} runs: either JMH comparisons printed as tables
 * ({@link #sections}), or a plain Java {@link Harness} that measures and prints on its own.
 *
 * @param name        the name given on the command line
 * @param description one line for {@code list}
 * @param sections    the JMH tables, in the order they run and print; empty for a harness suite
 * @param harness     the harness of a non-JMH suite, or null
 */
record Suite(String name, String description, List<Section> sections, Harness harness) {

    /** The micro-benchmarks of the executor's primitives. */
    static final Suite MICRO = jmh("micro",
            "executor primitives vs JDK virtual threads: spawn+join, park/unpark, yield, io_uring NOP, 1 ms sleep;"
                    + " cost of needPreempt()",
            List.of(new Section(Section.JDK_PEER, List.of(
                            Comparison.faster("spawn+join empty task (JDK 1 carrier)",
                                    "SpawnJoinBenchmark.jglommio", "SpawnJoinBenchmark.jdkOneCarrier"),
                            Comparison.faster("spawn+join empty task (JDK all carriers)",
                                    "SpawnJoinBenchmark.jglommio", "SpawnJoinBenchmark.jdkDefaultCarriers"),
                            Comparison.faster("park/unpark round trip (JDK 1 carrier)",
                                    "PingPongBenchmark.jglommio", "PingPongBenchmark.jdkOneCarrier"),
                            Comparison.faster("park/unpark round trip (JDK all carriers)",
                                    "PingPongBenchmark.jglommio", "PingPongBenchmark.jdkDefaultCarriers"),
                            Comparison.faster("yield (JDK 1 carrier)",
                                    "YieldBenchmark.jglommio", "YieldBenchmark.jdkOneCarrier"),
                            Comparison.faster("io_uring NOP round trip, 1 task",
                                    "NopBenchmark.jglommio", null),
                            Comparison.faster("io_uring NOP round trip, 32 tasks",
                                    "NopBenchmark.jglommio32Tasks", null),
                            Comparison.overshoot("sleep 1 ms, actual duration (JDK 1 carrier)",
                                    "SleepBenchmark.jglommio", "SleepBenchmark.jdkOneCarrier", 1000.0))),
                    new Section("baseline, same loop in a task", List.of(
                            Comparison.cost("needPreempt() vs plain field read (hoisted)",
                                    "NeedPreemptBenchmark.needPreempt", "NeedPreemptBenchmark.plainField"),
                            Comparison.cost("needPreempt() vs volatile field read",
                                    "NeedPreemptBenchmark.needPreempt", "NeedPreemptBenchmark.volatileField"),
                            Comparison.cost("needPreempt() vs System.nanoTime()",
                                    "NeedPreemptBenchmark.needPreempt", "NeedPreemptBenchmark.nanoTime"),
                            Comparison.cost("isOnExecutor() (the lookup alone) vs volatile field read",
                                    "NeedPreemptBenchmark.isOnExecutor", "NeedPreemptBenchmark.volatileField"),
                            Comparison.cost("yieldIfNeeded(), not due, vs volatile field read",
                                    "NeedPreemptBenchmark.yieldIfNeeded", "NeedPreemptBenchmark.volatileField")))));

    /** Task-queue scheduling: CPU shares and timer wake-up latency beside a CPU-bound task. */
    static final Suite SCHEDULING = harness("scheduling",
            "task-queue shares split (2:1) and timer wake-up latency beside a CPU hog, vs JDK virtual threads"
                    + " (plain Java, about 2 minutes)",
            (out, options) -> {
                if (!options.isEmpty()) {
                    System.err.println("suite scheduling takes no options, got " + options);
                    return 2;
                }
                return SchedulingSuite.run(out);
            });

    /** O_DIRECT file I/O: jglommio DmaFile vs fio (io_uring) and FileChannel on platform and virtual threads. */
    static final Suite STORAGE = harness("storage",
            "O_DIRECT 4 KiB random reads QD1-128, 128 KiB sequential reads and writes: jglommio vs fio and"
                    + " FileChannel (plain Java, about 5 minutes; --quick, --size-mb N, --dir PATH, --help)",
            StorageSuite::run);

    /** TCP echo and HTTP servers: jglommio vs Netty io_uring/epoll and JDK virtual threads, pinned apart from the load. */
    static final Suite NET = harness("net",
            "TCP echo (C epoll load generator) and HTTP/1.1 (wrk) on 127.0.0.1: jglommio vs Netty io_uring, Netty epoll,"
                    + " JDK virtual threads (plain Java, about 5 minutes; --full, --rounds N, --seconds S, --help)",
            NetSuite::run);

    /** Cross-core SharedChannel vs JCTools SPSC and ArrayBlockingQueue; LocalChannel and Semaphore costs. */
    static final Suite CHANNELS = harness("channels",
            "SharedChannel CPU 0 -> CPU 1 throughput and p99 vs JCTools SpscArrayQueue (busy spin) and"
                    + " ArrayBlockingQueue; LocalChannel, Semaphore vs ArrayDeque ns/op (plain Java, about a minute)",
            ChannelsSuite::run);

    /** The kv module's Redis-compatible server vs redis-server 7, both driven by redis-benchmark. */
    static final Suite KV = harness("kv",
            "Redis-compatible kv server with the demo's defaults vs redis-server 7 with AOF everysec, then"
                    + " always vs always and without persistence: redis-benchmark SET/GET at -P 1 and -P 16, random"
                    + " and hot keys, interleaved rounds (plain Java, about 14 minutes; --requests 100000 halves it; --rounds N, --pairings L, --help)",
            KvSuite::run);

    /** The kv server's memory (idle connections, a large value) vs redis-server 7, RSS from /proc. */
    static final Suite KV_MEMORY = harness("kvmem",
            "Memory of the kv server as the demo starts it vs redis-server 7: KiB per idle connection (10,000),"
                    + " RSS with and after a deleted 100 MiB value (plain Java, about a minute; --connections N,"
                    + " --settle S, --help)",
            KvMemorySuite::run);

    /** Every suite, in the order {@code list} prints them. */
    static final List<Suite> ALL = List.of(MICRO, SCHEDULING, STORAGE, NET, CHANNELS, KV, KV_MEMORY);

    static Optional<Suite> named(String name) {
        return ALL.stream().filter(s -> s.name.equals(name)).findFirst();
    }

    /** A JMH suite of tables. */
    static Suite jmh(String name, String description, List<Section> sections) {
        return new Suite(name, description, List.copyOf(sections), null);
    }

    /** A suite that a plain Java harness runs and prints. */
    static Suite harness(String name, String description, Harness harness) {
        return new Suite(name, description, List.of(), harness);
    }

    /** True when {@link #harness} runs this suite rather than JMH. */
    boolean isHarness() {
        return harness != null;
    }

    /** The benchmarks the rows need, each once, in row order ({@code Class.method}). */
    SequencedSet<String> benchmarks() {
        SequencedSet<String> names = new LinkedHashSet<>();
        for (Section section : sections) {
            for (Comparison row : section.rows) {
                names.add(row.jglommio());
                if (row.jdk() != null) {
                    names.add(row.jdk());
                }
            }
        }
        return names;
    }

    /** A suite that measures and prints by itself, in this JVM. */
    @FunctionalInterface
    interface Harness {
        /**
         * Runs the suite with the command-line {@code options} after its name, printing to {@code out};
         * returns the exit status (0: every part ran, 1: a part failed, 2: bad options).
         */
        int run(PrintStream out, List<String> options) throws IOException, InterruptedException;
    }

    /**
     * One table of a JMH suite: rows that share what their peer column is.
     *
     * @param peerHeader the peer column's header: what the jglommio side is compared with
     */
    record Section(String peerHeader, List<Comparison> rows) {

        /** The header of rows whose peer is the JDK's default virtual-thread scheduler. */
        static final String JDK_PEER = "JDK virtual threads";

        Section {
            rows = List.copyOf(rows);
        }
    }

    /**
     * One table row: a jglommio benchmark, its peer (a JDK benchmark or, for {@link Kind#COST}, a
     * baseline; null when there is none) and how to tell which is better.
     *
     * @param target for {@link Kind#OVERSHOOT}, the ideal score (the requested duration, in the
     *               benchmark's unit); unused otherwise
     */
    record Comparison(String operation, String jglommio, String jdk, Kind kind, double target) {

        enum Kind {
            /** Scores are rates: higher is better. */
            FASTER,
            /** Scores are times per operation: lower is better; the verdict gives the excess too. */
            COST,
            /** Scores are durations that should equal {@code target}: the smaller excess is better. */
            OVERSHOOT
        }

        static Comparison faster(String operation, String jglommio, String jdk) {
            return new Comparison(operation, jglommio, jdk, Kind.FASTER, Double.NaN);
        }

        static Comparison cost(String operation, String jglommio, String baseline) {
            return new Comparison(operation, jglommio, baseline, Kind.COST, Double.NaN);
        }

        static Comparison overshoot(String operation, String jglommio, String jdk, double target) {
            return new Comparison(operation, jglommio, jdk, Kind.OVERSHOOT, target);
        }

        /**
         * Which side is better and by how much, e.g. {@code "jglommio 2.31x faster"} (ASCII, for any
         * console); {@code "(within error)"} is added when the two confidence intervals overlap.
         */
        String verdict(Result<?> jglommioResult, Result<?> jdkResult) {
            double ours = jglommioResult.getScore();
            double theirs = jdkResult.getScore();
            String verdict = switch (kind) {
                case FASTER -> ours >= theirs
                        ? String.format(Locale.ROOT, "jglommio %.2fx faster", ours / theirs)
                        : String.format(Locale.ROOT, "JDK %.2fx faster", theirs / ours);
                // A baseline under one unit (a load the JIT pipelines or hoists) is no denominator:
                // the difference is the figure there, a ratio would mislead.
                case COST -> theirs < 1
                        ? String.format(Locale.ROOT, "%+.2f %s", ours - theirs, jglommioResult.getScoreUnit())
                        : String.format(Locale.ROOT, "%+.2f %s (%.2fx the peer)", ours - theirs,
                                jglommioResult.getScoreUnit(), ours / theirs);
                case OVERSHOOT -> {
                    double ourExcess = ours - target;
                    double theirExcess = theirs - target;
                    if (ourExcess <= 0 || theirExcess <= 0) {
                        yield String.format(Locale.ROOT, "excess %.1f vs %.1f", ourExcess, theirExcess);
                    }
                    yield ourExcess <= theirExcess
                            ? String.format(Locale.ROOT, "jglommio overshoots %.2fx less", theirExcess / ourExcess)
                            : String.format(Locale.ROOT, "JDK overshoots %.2fx less", ourExcess / theirExcess);
                }
            };
            // NaN errors (a single iteration) compare false: no claim either way.
            boolean overlap = Math.abs(ours - theirs) <= jglommioResult.getScoreError() + jdkResult.getScoreError();
            return overlap ? verdict + " (within error)" : verdict;
        }
    }
}
