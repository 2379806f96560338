package io.github.jglommio.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the {@code kv} suite needs of the outside world: running {@code redis-benchmark} and reading
 * its CSV, starting and stopping server processes, waiting for a server to answer PING.
 *
 * <p>Threading: the calling thread.
 */
final class RedisBenchmark {

    private static final long READY_TIMEOUT_MS = 60_000;
    private static final long RUN_TIMEOUT_S = 300;

    /** One redis-benchmark result line. */
    record Result(double rps, double p50Ms, double p99Ms) {
        static final Result MISSING = new Result(Double.NaN, Double.NaN, Double.NaN);
    }

    private RedisBenchmark() {
    }

    /**
     * Runs {@code redis-benchmark -t test} once on {@code cpus} against {@code port}: {@code clients}
     * connections, pipeline depth {@code pipeline}, {@code n} requests, random keys among
     * {@code keyspace} ({@code -r}; 0 = the one key {@code key:__rand_int__} unexpanded, a hot key).
     */
    static Result run(String cpus, int port, String test, int clients, int pipeline, int keyspace, long n)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("taskset", "-c", cpus, "redis-benchmark", "-h", "127.0.0.1",
                "-p", Integer.toString(port), "-c", Integer.toString(clients), "-t", test,
                "-P", Integer.toString(pipeline), "-n", Long.toString(n), "--csv"));
        if (keyspace > 0) {
            cmd.addAll(List.of("-r", Integer.toString(keyspace)));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text;
        try (InputStream in = p.getInputStream()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!p.waitFor(RUN_TIMEOUT_S, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return parseCsv(text).getOrDefault(test.toUpperCase(java.util.Locale.ROOT), Result.MISSING);
    }

    /**
     * Runs {@link TxLoad} once on {@code cpus} against {@code port}, in a JVM of its own as
     * redis-benchmark runs in a process of its own: {@code n} transactions, {@code pipeline} per
     * round trip, over {@code clients} connections and {@code keyspace} keys.
     */
    static Result runTransactions(String cpus, int port, int clients, int pipeline, int keyspace, long n)
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of("taskset", "-c", cpus, java, "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), TxLoad.class.getName(), Integer.toString(port),
                Integer.toString(clients), Integer.toString(pipeline), Integer.toString(Math.max(1, keyspace)),
                Long.toString(n));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text;
        try (InputStream in = p.getInputStream()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!p.waitFor(RUN_TIMEOUT_S, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        Result r = parseCsv(text).getOrDefault("MULTI", Result.MISSING);
        if (r == Result.MISSING) {
            System.err.println("TxLoad gave no result: " + text.strip());
        }
        return r;
    }

    /** Parses redis-benchmark 7's {@code --csv}: a header line, then one quoted line per test. */
    static Map<String, Result> parseCsv(String text) {
        Map<String, Result> m = new LinkedHashMap<>();
        List<String> header = null;
        for (String line : text.split("\r?\n")) {
            if (!line.startsWith("\"")) {
                continue;
            }
            List<String> cells = new ArrayList<>();
            for (String c : line.split(",")) {
                cells.add(c.replace("\"", "").strip());
            }
            if (cells.get(0).equals("test")) {
                header = cells;
                continue;
            }
            if (header == null) {
                continue;
            }
            try {
                m.put(cells.get(0), new Result(Double.parseDouble(cells.get(header.indexOf("rps"))),
                        column(header, cells, "p50_latency_ms"), column(header, cells, "p99_latency_ms")));
            } catch (NumberFormatException | IndexOutOfBoundsException e) {
                // a malformed line: that test is missing from this run
            }
        }
        return m;
    }

    private static double column(List<String> header, List<String> cells, String name) {
        int i = header.indexOf(name);
        return i < 0 ? Double.NaN : Double.parseDouble(cells.get(i));
    }

    /** Starts {@code cmd} with its output appended to {@code log}. */
    static Process start(List<String> cmd, Path log) throws IOException {
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** SIGTERM (both servers shut down cleanly on it), then SIGKILL after 10 s. */
    static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** Waits until the server answers PING with +PONG. */
    static void awaitPing(int port, Process p, String name, Path log) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            if (!p.isAlive()) {
                throw new IOException(name + " exited with status " + p.exitValue() + "; its output is in " + log);
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                s.setSoTimeout(2000);
                OutputStream o = s.getOutputStream();
                o.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                o.flush();
                byte[] buf = new byte[7];
                int n = s.getInputStream().readNBytes(buf, 0, 7);
                if (n == 7 && new String(buf, StandardCharsets.US_ASCII).equals("+PONG\r\n")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IOException(name + " did not answer PING on port " + port + " within " + READY_TIMEOUT_MS
                + " ms; its output is in " + log);
    }

    static boolean onPath(String tool) {
        if (tool.contains("/")) {
            return Files.isExecutable(Path.of(tool));
        }
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
