package io.github.jglommio.benchmarks;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The native reference of the {@code storage} suite: fio with {@code --ioengine=io_uring --direct=1},
 * the same block size, queue depth and pattern, a short time-based run, JSON output. Parsing is
 * separate from running ({@link #parse}) so that it can be tested without fio. Stateless; any thread.
 */
final class Fio {

    /** Slack beyond the run's own length before a fio process counts as hung. */
    private static final Duration PROCESS_SLACK = Duration.ofSeconds(30);

    private Fio() {
    }

    /** The {@code fio} executable on {@code PATH}, if any. */
    static Optional<Path> find() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, "fio");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** fio's command line for one run of {@code w} on {@code file}. */
    static List<String> command(Path fio, Path file, long fileSize, StorageWorkload w, Duration ramp, Duration measure) {
        List<String> cmd = new ArrayList<>(List.of(
                fio.toString(),
                "--name=jglommio-" + w.name(),
                "--filename=" + file,
                "--size=" + fileSize,
                "--ioengine=io_uring",
                "--direct=1",
                "--rw=" + w.pattern().fioRw,
                "--bs=" + w.blockSize(),
                "--iodepth=" + w.queueDepth(),
                "--ramp_time=" + ramp.toMillis() + "ms",
                "--runtime=" + measure.toMillis() + "ms",
                "--time_based",
                "--lat_percentiles=1",
                "--percentile_list=50:99",
                "--output-format=json"));
        if (!w.isSequential()) {
            // No random map: every peer draws blocks uniformly, with repeats.
            cmd.add("--norandommap");
            cmd.add("--randrepeat=0");
        }
        return List.copyOf(cmd);
    }

    /**
     * Runs {@code command} and parses its JSON.
     *
     * @throws IOException when fio fails, hangs, or prints no parsable report
     */
    static StorageRun run(List<String> command, boolean write, Duration runLength)
            throws IOException, InterruptedException {
        // Output to a file, not a pipe: a hung fio then cannot block this thread past the timeout.
        Path out = Files.createTempFile("jglommio-fio-", ".json");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(runLength.plus(PROCESS_SLACK).toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException("fio did not finish within " + runLength.plus(PROCESS_SLACK));
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException("fio exited with status " + p.exitValue() + ": " + abbreviate(text));
            }
            return parse(text, write);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /**
     * Reads the first job of fio's JSON report: IOPS, bandwidth, and the 50th and 99th percentiles
     * of the total latency ({@code lat_ns}, present with {@code --lat_percentiles=1}; else of the
     * completion latency {@code clat_ns}); CPU per I/O from the job's {@code usr_cpu + sys_cpu}.
     * Lines fio prints before the report (warnings) are skipped.
     *
     * @param write true to read the job's {@code write} side, false for {@code read}
     * @throws IOException when there is no report, the job has an error, or a figure is missing
     */
    static StorageRun parse(String output, boolean write) throws IOException {
        int start = output.startsWith("{") ? 0 : output.indexOf("\n{");
        if (start < 0) {
            throw new IOException("no JSON report in fio's output: " + abbreviate(output));
        }
        Map<String, Object> root;
        try {
            root = asObject(Json.parse(output.substring(start).strip()), "report");
        } catch (IllegalArgumentException e) {
            throw new IOException("cannot parse fio's JSON report: " + e.getMessage(), e);
        }
        Object jobs = root.get("jobs");
        if (!(jobs instanceof List<?> list) || list.isEmpty()) {
            throw new IOException("fio's report has no jobs");
        }
        Map<String, Object> job = asObject(list.get(0), "jobs[0]");
        double error = number(job, "error");
        if (error != 0) {
            throw new IOException("fio's job reports error " + (long) error);
        }
        String sideName = write ? "write" : "read";
        Map<String, Object> side = asObject(job.get(sideName), "jobs[0]." + sideName);
        double iops = number(side, "iops");
        double bytesPerSec = number(side, "bw_bytes");
        Map<String, Object> percentiles = percentiles(side, "lat_ns");
        if (percentiles == null) {
            percentiles = percentiles(side, "clat_ns");
        }
        if (percentiles == null) {
            throw new IOException("fio's report has no latency percentiles for " + sideName);
        }
        double p50 = percentile(percentiles, 50) / 1e3;
        double p99 = percentile(percentiles, 99) / 1e3;
        double cpuFraction = (number(job, "usr_cpu") + number(job, "sys_cpu")) / 100;
        double cpuUsPerOp = iops > 0 ? cpuFraction / iops * 1e6 : Double.NaN;
        return new StorageRun(iops, bytesPerSec / (1 << 20), p50, p99, cpuUsPerOp);
    }

    private static Map<String, Object> percentiles(Map<String, Object> side, String name) throws IOException {
        Object lat = side.get(name);
        if (lat == null) {
            return null;
        }
        Object p = asObject(lat, name).get("percentile");
        return p == null ? null : asObject(p, name + ".percentile");
    }

    private static double percentile(Map<String, Object> percentiles, int p) throws IOException {
        // fio names them with six decimals: "50.000000".
        for (Map.Entry<String, Object> e : percentiles.entrySet()) {
            try {
                if (Double.parseDouble(e.getKey()) == p && e.getValue() instanceof Double d) {
                    return d;
                }
            } catch (NumberFormatException ignored) {
                // Not a percentile key; keep looking.
            }
        }
        throw new IOException("fio's report has no " + p + "th percentile (keys: " + percentiles.keySet() + ")");
    }

    private static double number(Map<String, Object> object, String name) throws IOException {
        if (object.get(name) instanceof Double d) {
            return d;
        }
        throw new IOException("fio's report has no number '" + name + "'");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asObject(Object value, String what) throws IOException {
        if (value instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new IOException("fio's report: " + what + " is not an object");
    }

    private static String abbreviate(String s) {
        String t = s.strip();
        return t.length() <= 300 ? t : t.substring(0, 300) + "...";
    }
}
