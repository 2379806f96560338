package io.github.jglommio.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load generators of the {@code net} suite, each a native process pinned to the load CPU:
 * {@code echoload} (the C program in {@code src/main/c}, shipped in the jar and compiled with gcc
 * into a temporary directory) for echo, and wrk for HTTP. Parsing is separate from running so that
 * it can be tested without either. Stateless but for the compiled binary's path; single thread.
 */
final class NetLoad {

    /** Slack beyond a run's own length before a load process counts as hung and is killed. */
    private static final Duration PROCESS_SLACK = Duration.ofSeconds(20);
    private static final String SOURCE = "c/echoload.c";
    private static final Pattern WRK_RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern WRK_TOTAL = Pattern.compile("(\\d+) requests in");
    private static final Pattern WRK_PERCENTILE = Pattern.compile("^\\s+(50|99)(?:\\.000)?%\\s+([0-9.]+)(us|ms|s)\\s*$",
            Pattern.MULTILINE);
    private static final Pattern WRK_ERRORS = Pattern.compile("Socket errors:.*|Non-2xx or 3xx responses: \\d+");

    /** What one load run reports. */
    record Report(double rps, double p50Us, double p99Us, long totalRequests, double cpuSeconds) {
    }

    private final Path echoload;
    private final int cpu;

    private NetLoad(Path echoload, int cpu) {
        this.echoload = echoload;
        this.cpu = cpu;
    }

    /** Compiles echoload into {@code dir}; the generators will run on {@code cpu}. */
    static NetLoad compile(Path dir, int cpu) throws IOException, InterruptedException {
        Path source = dir.resolve("echoload.c");
        try (InputStream in = NetLoad.class.getResourceAsStream(SOURCE)) {
            if (in == null) {
                throw new IOException(SOURCE + " is not in the jar (benchmarks/pom.xml ships src/main/c)");
            }
            Files.write(source, in.readAllBytes());
        }
        Path binary = dir.resolve("echoload");
        Process gcc = new ProcessBuilder("gcc", "-O2", "-o", binary.toString(), source.toString())
                .redirectErrorStream(true).start();
        String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!gcc.waitFor(60, TimeUnit.SECONDS) || gcc.exitValue() != 0) {
            throw new IOException("gcc failed on " + source + ": " + output);
        }
        return new NetLoad(binary, cpu);
    }

    /** The {@code wrk} executable on PATH, if any. */
    static Optional<Path> findWrk() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "wrk");
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Runs echoload against {@code port}: {@code warmup} unmeasured, then {@code measure}. */
    Report echo(int port, NetWorkload w, Duration warmup, Duration measure) throws IOException, InterruptedException {
        List<String> cmd = List.of("taskset", "-c", Integer.toString(cpu), echoload.toString(), "127.0.0.1",
                Integer.toString(port), Integer.toString(w.connections()), Integer.toString(w.depth()),
                Integer.toString(w.size()), seconds(warmup), seconds(measure));
        return parseEcho(run(cmd, warmup.plus(measure)));
    }

    /** Runs wrk (one thread) against {@code port} for {@code measure}. */
    Report wrk(Path wrk, int port, NetWorkload w, Duration measure) throws IOException, InterruptedException {
        List<String> cmd = List.of("taskset", "-c", Integer.toString(cpu), wrk.toString(), "-t1",
                "-c" + w.connections(), "-d" + Math.max(1, measure.toSeconds()) + "s", "--latency",
                "http://127.0.0.1:" + port + "/");
        return parseWrk(run(cmd, measure));
    }

    /** Parses echoload's {@code key=value} line. */
    static Report parseEcho(String output) throws IOException {
        Map<String, String> kv = new HashMap<>();
        for (String word : output.trim().split("\\s+")) {
            int eq = word.indexOf('=');
            if (eq > 0) {
                kv.put(word.substring(0, eq), word.substring(eq + 1));
            }
        }
        if (!kv.containsKey("rps") || !"0".equals(kv.get("errors"))) {
            throw new IOException("echoload: " + output.trim());
        }
        return new Report(Double.parseDouble(kv.get("rps")), Double.parseDouble(kv.get("p50_us")),
                Double.parseDouble(kv.get("p99_us")), Long.parseLong(kv.get("total")),
                Double.parseDouble(kv.get("cpu_s")));
    }

    /** Parses wrk's text output (with {@code --latency}). */
    static Report parseWrk(String output) throws IOException {
        Matcher rps = WRK_RPS.matcher(output);
        Matcher total = WRK_TOTAL.matcher(output);
        if (!rps.find() || !total.find()) {
            throw new IOException("wrk: " + output.trim());
        }
        Matcher errors = WRK_ERRORS.matcher(output);
        if (errors.find()) {
            throw new IOException("wrk: " + errors.group());
        }
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        Matcher m = WRK_PERCENTILE.matcher(output);
        while (m.find()) {
            double v = Double.parseDouble(m.group(2)) * switch (m.group(3)) {
                case "us" -> 1;
                case "ms" -> 1e3;
                default -> 1e6;
            };
            if (m.group(1).equals("50")) {
                p50 = v;
            } else {
                p99 = v;
            }
        }
        return new Report(Double.parseDouble(rps.group(1)), p50, p99, Long.parseLong(total.group(1)), Double.NaN);
    }

    private static String run(List<String> cmd, Duration length) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            // Read on a virtual thread so that a hung generator still meets the timeout below.
            var output = new java.util.concurrent.CompletableFuture<String>();
            Thread.startVirtualThread(() -> {
                try {
                    output.complete(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    output.completeExceptionally(e);
                }
            });
            if (!p.waitFor(length.plus(PROCESS_SLACK).toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException(cmd.get(3) + " did not finish within " + length.plus(PROCESS_SLACK).toSeconds()
                        + " s; killed");
            }
            return output.get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("cannot read the output of " + cmd, e);
        } finally {
            p.destroyForcibly();
        }
    }

    private static String seconds(Duration d) {
        return Double.toString(d.toMillis() / 1e3);
    }
}
