package io.github.jglommio.benchmarks;

import io.github.jglommio.IoUring;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.invoke.MethodHandles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * The entry point of {@code benchmarks.jar}: runs a benchmark suite and prints jglommio against its
 * JDK peers as one table.
 *
 * {@snippet lang=sh :
 * java -jar benchmarks/target/benchmarks.jar micro         # quick: about 3 minutes
 * java -jar benchmarks/target/benchmarks.jar micro --full  # as annotated: 2 forks, longer; about 16 minutes
 * java -jar benchmarks/target/benchmarks.jar scheduling    # plain Java harness: shares, wake-up latency
 * java -jar benchmarks/target/benchmarks.jar storage       # plain Java harness: O_DIRECT I/O vs fio, FileChannel
 * java -jar benchmarks/target/benchmarks.jar list          # the suites
 * java -jar benchmarks/target/benchmarks.jar jmh -l        # plain JMH: any regex and option
 * }
 *
 * <p>The jar's manifest carries the jglommio JVM flags ({@code Add-Opens},
 * {@code Enable-Native-Access}) for this JVM; the forked benchmark JVMs get them as arguments.
 *
 * <p>How to read the table: each row pairs a jglommio benchmark with its JDK peer, both run in this
 * command one after the other; the error column is JMH's 99.9% confidence half-width, and the
 * ratio names the better side. On a noisy 2-core VM trust the ratio more than the absolute scores,
 * and a ratio whose scores' error ranges overlap not at all. The quick settings (1 fork, 3 x 1 s
 * warmup, 5 x 1 s measurement) give a first look; quote {@code --full} figures.
 *
 * <p>A harness suite ({@code scheduling}, {@code storage}) is plain Java: it runs in this JVM (and
 * child JVMs or processes of its own), prints its tables itself and parses its own options
 * ({@code storage --help} lists them; {@code scheduling} takes none).
 *
 * <p>JMH's own output (per-iteration scores, warnings, stack traces of failures) goes to a log file
 * whose path is printed. Exit status: 0 when every benchmark produced a result, 1 when one failed,
 * 2 for a usage error.
 */
public final class BenchMain {

    private static final String PACKAGE = BenchMain.class.getPackageName();
    private static final int EXIT_FAILED = 1;
    private static final int EXIT_USAGE = 2;

    private BenchMain() {
    }

    /** Runs the command in {@code args}; see the class javadoc. */
    public static void main(String[] args) throws IOException {
        if (args.length > 0 && args[0].equals("jmh")) {
            // Plain JMH; it calls System.exit itself on errors.
            org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        System.exit(run(args));
    }

    private static int run(String[] args) throws IOException {
        if (args.length == 0) {
            usage(System.err);
            return EXIT_USAGE;
        }
        String command = args[0];
        List<String> options = List.of(args).subList(1, args.length);
        switch (command) {
            case "help", "-h", "--help" -> {
                usage(System.out);
                return 0;
            }
            case "list" -> {
                for (Suite s : Suite.ALL) {
                    System.out.printf("%-10s %s%n", s.name(), s.description());
                }
                return 0;
            }
            default -> {
                Optional<Suite> suite = Suite.named(command);
                if (suite.isEmpty()) {
                    System.err.println("unknown suite '" + command + "'; available suites: " + suiteNames()
                            + " (or 'jmh ARGS' for plain JMH)");
                    return EXIT_USAGE;
                }
                if (!IoUring.isAvailable()) {
                    System.err.println("jglommio cannot run here: "
                            + IoUring.unavailabilityCause().orElseThrow().getMessage());
                    return EXIT_FAILED;
                }
                if (suite.get().isHarness()) {
                    return runHarness(suite.get(), options);
                }
                boolean full = false;
                for (String option : options) {
                    if (!option.equals("--full")) {
                        System.err.println("unknown option '" + option + "' for suite " + command + "; the only one is --full");
                        return EXIT_USAGE;
                    }
                    full = true;
                }
                return runSuite(suite.get(), full);
            }
        }
    }

    private static int runHarness(Suite suite, List<String> options) throws IOException {
        try {
            return suite.harness().run(System.out, options);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.err.println("suite " + suite.name() + " interrupted");
            return EXIT_FAILED;
        }
    }

    private static int runSuite(Suite suite, boolean full) throws IOException {
        // JMH 1.37 uses the JDK's legacy Unsafe class when BenchmarkParams loads, and JDK 24+ prints a
        // warning the first time (unless --sun-misc-unsafe-memory-access=allow): load it now so
        // the warning comes before the progress lines instead of cutting the first one.
        initialize(BenchmarkParams.class);
        Path log = Files.createTempFile("jglommio-bench-" + suite.name() + "-", ".log");
        List<String> benchmarks = List.copyOf(suite.benchmarks());
        System.out.printf("suite %s: %d benchmarks, %s settings; JMH log: %s%n", suite.name(), benchmarks.size(),
                full ? "full (as annotated)" : "quick (1 fork, 3 x 1 s warmup, 5 x 1 s measurement)", log);

        Map<String, Result<?>> results = new HashMap<>();
        int failures = 0;
        try (PrintStream logStream = new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8)) {
            OutputFormat jmhOutput = OutputFormatFactory.createFormatInstance(logStream, VerboseMode.NORMAL);
            for (int i = 0; i < benchmarks.size(); i++) {
                String benchmark = benchmarks.get(i);
                System.out.printf("[%2d/%d] %-40s ", i + 1, benchmarks.size(), benchmark);
                System.out.flush();
                try {
                    Result<?> r = new Runner(options(benchmark, full), jmhOutput).runSingle().getPrimaryResult();
                    results.put(benchmark, r);
                    System.out.println(ResultTable.format(r));
                } catch (RunnerException e) {
                    failures++;
                    System.out.println("FAILED (" + e.getMessage() + "; details in the JMH log)");
                    logStream.println("FAILED: " + benchmark);
                    e.printStackTrace(logStream);
                }
            }
        }
        System.out.println();
        ResultTable.print(System.out, suite, results);
        System.out.println();
        System.out.println("+/- is JMH's 99.9% confidence half-width. JMH log: " + log);
        if (failures > 0) {
            System.err.println(failures + " benchmark(s) failed; see " + log);
            return EXIT_FAILED;
        }
        return 0;
    }

    private static Options options(String benchmark, boolean full) {
        ChainedOptionsBuilder b = new OptionsBuilder()
                .include("^" + Pattern.quote(PACKAGE + "." + benchmark) + "$")
                // Prepend, not append: an options-level jvmArgsAppend would replace the
                // per-method @Fork(jvmArgsAppend = ONE_CARRIER) of the single-carrier JDK peers.
                .jvmArgsPrepend(ForkArgs.ADD_OPENS, ForkArgs.NATIVE_ACCESS, ForkArgs.ALLOW_UNSAFE)
                .shouldFailOnError(true)
                // An iteration lasts 1-2 s: a stuck one is a hang to report, not to wait out for
                // JMH's default 10 minutes. The benchmark thread is interrupted at the timeout.
                .timeout(TimeValue.seconds(60));
        if (!full) {
            b.forks(1)
                    .warmupIterations(3).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(5).measurementTime(TimeValue.seconds(1));
        }
        return b.build();
    }

    private static void initialize(Class<?> c) {
        try {
            MethodHandles.lookup().ensureInitialized(c);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot initialize " + c, e);
        }
    }

    private static String suiteNames() {
        return String.join(", ", Suite.ALL.stream().map(Suite::name).toList());
    }

    private static void usage(PrintStream out) {
        out.println("usage: java -jar benchmarks.jar COMMAND");
        out.println("  list               list the suites");
        out.println("  SUITE [--full]     run a suite (" + suiteNames() + "); for JMH suites, --full uses the"
                + " annotated, longer settings");
        out.println("  storage [OPTIONS]  the storage harness; 'storage --help' lists its options");
        out.println("  jmh [JMH ARGS]     run JMH directly, e.g. 'jmh -l' or 'jmh PingPong -f 1'");
    }
}
