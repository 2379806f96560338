package io.github.jglommio.benchmarks;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SequencedSet;

import org.openjdk.jmh.results.Result;

/**
 * A named set of comparisons that {@link BenchMain} runs and prints as one table.
 *
 * @param name        the name given on the command line
 * @param description one line for {@code list}
 * @param rows        the table rows, in the order they run and print
 */
record Suite(String name, String description, List<Comparison> rows) {

    /** The micro-benchmarks of the executor's primitives. */
    static final Suite MICRO = new Suite("micro",
            "executor primitives vs JDK virtual threads: spawn+join, park/unpark, yield, io_uring NOP, 1 ms sleep",
            List.of(
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
                            "SleepBenchmark.jglommio", "SleepBenchmark.jdkOneCarrier", 1000.0)));

    /** Every suite, in the order {@code list} prints them. */
    static final List<Suite> ALL = List.of(MICRO);

    static Optional<Suite> named(String name) {
        return ALL.stream().filter(s -> s.name.equals(name)).findFirst();
    }

    /** The benchmarks the rows need, each once, in row order ({@code Class.method}). */
    SequencedSet<String> benchmarks() {
        SequencedSet<String> names = new LinkedHashSet<>();
        for (Comparison row : rows) {
            names.add(row.jglommio());
            if (row.jdk() != null) {
                names.add(row.jdk());
            }
        }
        return names;
    }

    /**
     * One table row: a jglommio benchmark, its JDK peer (null when there is none) and how to tell
     * which is better.
     *
     * @param target for {@link Kind#OVERSHOOT}, the ideal score (the requested duration, in the
     *               benchmark's unit); unused otherwise
     */
    record Comparison(String operation, String jglommio, String jdk, Kind kind, double target) {

        enum Kind {
            /** Scores are rates: higher is better. */
            FASTER,
            /** Scores are durations that should equal {@code target}: the smaller excess is better. */
            OVERSHOOT
        }

        static Comparison faster(String operation, String jglommio, String jdk) {
            return new Comparison(operation, jglommio, jdk, Kind.FASTER, Double.NaN);
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
