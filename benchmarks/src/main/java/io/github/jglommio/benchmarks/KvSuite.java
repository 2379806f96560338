package io.github.jglommio.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code kv} suite: {@code redis-benchmark} against jglommio's key-value server (the kv
 * module's {@code KvMain}, a child JVM) and against {@code redis-server} 7, in one run: SET and GET,
 * 50 clients, pipeline depth 1 and 16, random keys ({@code -r}).
 *
 * <p>Placement (the machine has 2 vCPUs; both servers get the same CPUs):
 * <ul>
 *   <li>{@code shared}: every process may use CPUs 0 and 1 ({@code taskset -c 0,1}); jglommio runs
 *       once per {@code --shards} count (default 1, then 2, where half the keys live on the other
 *       shard), unpinned like redis-server's one main thread; redis-benchmark runs beside
 *       them on the same two CPUs.
 *   <li>{@code split}: the server under {@code taskset -c 1} (jglommio with one unpinned shard),
 *       redis-benchmark under {@code taskset -c 0}: one core each, the load generator cannot steal
 *       the server's core.
 * </ul>
 *
 * <p>Method (BENCHMARKING.md): both servers start once per placement and stay up; every run is
 * preceded by one unmeasured warm-up run per server. Then R rounds, each running every pipeline depth
 * against jglommio then redis (the order reversed every other round). Figures are medians over the
 * rounds; a ratio is the median of the per-round ratios jglommio / redis. jglommio runs without its
 * append-only log, as redis-server does ({@code --appendonly no --save ""}), unless
 * {@code --appendfsync} asks for it.
 *
 * <p>Threading: the calling thread; the servers are child processes, killed at the end and from a
 * shutdown hook.
 */
final class KvSuite {

    static final String USAGE = """
            options:
              --rounds N          interleaved rounds (default 3)
              --placement P       shared, split or both (default both; see the suite's javadoc)
              --requests N        requests per run at -P 1 (default 200000; -P 16 runs 5x as many)
              --keyspace N        redis-benchmark -r N: random keys among N (default 100000; 0 = one key)
              --shards LIST       jglommio shard counts in the shared placement, one run each (default: 1,2)
              --appendfsync F     run jglommio with its log on: always, everysec or no (default: log off)
              --completion-batch B  jglommio's --completion-batch: auto (the server's default:
                                  batch wake-ups while 8+ connections per shard are active), 1
                                  (off), or N[:US] (sleep until N completions are ready, at most
                                  US microseconds, default 100)
              --redis PATH        redis-server binary (default: redis-server on the PATH)""";

    private static final String MAIN_CLASS = "io.github.jglommio.kv.server.KvMain";
    private static final int CLIENTS = 50;
    private static final int[] PIPELINES = {1, 16};
    private static final String[] TESTS = {"SET", "GET"};
    private static final long READY_TIMEOUT_MS = 60_000;
    private static final long RUN_TIMEOUT_S = 300;

    /** One redis-benchmark result line. */
    record Result(double rps, double p50Ms, double p99Ms) {
        static final Result MISSING = new Result(Double.NaN, Double.NaN, Double.NaN);
    }

    private final PrintStream out;
    private final int rounds;
    private final long requests;
    private final int keyspace;
    private final String appendFsync;
    private final String redis;
    /** jglommio's --completion-batch (0: auto, the server's default) and --completion-batch-delay-us. */
    private final int completionBatch;
    private final int completionBatchDelayUs;
    private final List<Process> children = new ArrayList<>();

    private KvSuite(PrintStream out, int rounds, long requests, int keyspace, String appendFsync,
                    String redis, int completionBatch, int completionBatchDelayUs) {
        this.completionBatch = completionBatch;
        this.completionBatchDelayUs = completionBatchDelayUs;
        this.out = out;
        this.rounds = rounds;
        this.requests = requests;
        this.keyspace = keyspace;
        this.appendFsync = appendFsync;
        this.redis = redis;
    }

    static int run(PrintStream out, List<String> args) throws IOException, InterruptedException {
        int rounds = 3;
        long requests = 200_000;
        int keyspace = 100_000;
        int[] shardCounts = {1, 2};
        String fsync = null;
        String redis = "redis-server";
        int batch = 0;
        int batchDelayUs = 100;
        List<String> placements = List.of("shared", "split");
        try {
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                switch (a) {
                    case "--help", "-h" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    case "--rounds" -> rounds = Integer.parseInt(value(args, ++i));
                    case "--requests" -> requests = Long.parseLong(value(args, ++i));
                    case "--keyspace" -> keyspace = Integer.parseInt(value(args, ++i));
                    case "--shards" -> shardCounts = java.util.Arrays.stream(value(args, ++i).split(","))
                            .mapToInt(Integer::parseInt).toArray();
                    case "--appendfsync" -> fsync = value(args, ++i);
                    case "--redis" -> redis = value(args, ++i);
                    case "--completion-batch" -> {
                        String[] v = value(args, ++i).split(":", 2);
                        batch = v[0].equals("auto") ? 0 : Integer.parseInt(v[0]);
                        batchDelayUs = v.length > 1 ? Integer.parseInt(v[1]) : 100;
                        if (batch < 0 || batchDelayUs < 1 || (batch == 0 && v.length > 1)) {
                            throw new IllegalArgumentException("--completion-batch needs auto, 1 or N[:US], got "
                                    + String.join(":", v));
                        }
                    }
                    case "--placement" -> {
                        String p = value(args, ++i);
                        placements = switch (p) {
                            case "both" -> List.of("shared", "split");
                            case "shared", "split" -> List.of(p);
                            default -> throw new IllegalArgumentException("--placement must be shared, split or both, got " + p);
                        };
                    }
                    default -> throw new IllegalArgumentException("unknown option '" + a + "'");
                }
            }
            if (rounds < 1 || requests < 1 || keyspace < 0 || java.util.Arrays.stream(shardCounts).anyMatch(n -> n < 1)) {
                throw new IllegalArgumentException("--rounds, --requests, --shards must be positive, --keyspace not negative");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("kv: " + e.getMessage());
            System.err.println(USAGE);
            return 2;
        }
        for (String tool : List.of("redis-benchmark", redis, "taskset")) {
            if (!onPath(tool)) {
                System.err.println("kv: '" + tool + "' not found; install redis-tools, redis-server and util-linux"
                        + " (apt-get install redis-tools redis-server)");
                return 1;
            }
        }
        KvSuite suite = new KvSuite(out, rounds, requests, keyspace, fsync, redis, batch, batchDelayUs);
        Thread hook = new Thread(suite::killAll, "kv-suite-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            int status = 0;
            for (String placement : placements) {
                if (placement.equals("split")) {
                    status = Math.max(status, suite.runPlacement(placement, 1));
                } else {
                    for (int n : shardCounts) {
                        status = Math.max(status, suite.runPlacement(placement, n));
                    }
                }
            }
            return status;
        } finally {
            suite.killAll();
            Runtime.getRuntime().removeShutdownHook(hook);
        }
    }

    private static String value(List<String> args, int i) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(args.get(i - 1) + " needs a value");
        }
        return args.get(i);
    }

    private int runPlacement(String placement, int ourShards) throws IOException, InterruptedException {
        boolean split = placement.equals("split");
        String serverCpus = split ? "1" : "0,1";
        String loadCpus = split ? "0" : "0,1";
        Path dir = Files.createTempDirectory("jglommio-bench-kv-");
        Path log = dir.resolve("servers.log");
        out.printf("%nplacement %s: servers on CPU %s, redis-benchmark on CPU %s; jglommio %d shard(s)%s; "
                        + "redis-benchmark -c %d -t set,get -r %d; %d rounds; logs in %s%n",
                placement, serverCpus, loadCpus, ourShards, " (unpinned, completion batch "
                        + (completionBatch == 0 ? "auto" : completionBatch == 1 ? "off"
                        : completionBatch + " / " + completionBatchDelayUs + " us") + ")",
                CLIENTS, keyspace, rounds, dir);

        int ourPort = freePort();
        int redisPort = freePort();
        List<String> ours = new ArrayList<>(List.of("taskset", "-c", serverCpus, javaBinary(),
                ForkArgs.ADD_OPENS, ForkArgs.NATIVE_ACCESS, "-Xms1g", "-Xmx1g", "-XX:+UseParallelGC",
                "-cp", System.getProperty("java.class.path"), MAIN_CLASS,
                "--port", Integer.toString(ourPort), "--shards", Integer.toString(ourShards),
                // Unpinned, like redis-server: a shard pinned to a CPU the load generator also runs on
                // waits behind it for whole scheduler slices (2 shards: 42k vs 58k ops/s at -P1).
                "--pin", "no", "--dir", dir.resolve("kv").toString()));
        if (completionBatch > 0) {
            ours.addAll(List.of("--completion-batch", Integer.toString(completionBatch),
                    "--completion-batch-delay-us", Integer.toString(completionBatchDelayUs)));
        }
        if (appendFsync == null) {
            ours.addAll(List.of("--appendonly", "no"));
        } else {
            ours.addAll(List.of("--appendonly", "yes", "--appendfsync", appendFsync));
        }
        List<String> theirs = List.of("taskset", "-c", serverCpus, redis, "--port", Integer.toString(redisPort),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no",
                "--dir", dir.toString());
        Process ourServer = start(ours, log);
        Process redisServer = start(theirs, log);
        try {
            awaitPing(ourPort, ourServer, "jglommio kv", log);
            awaitPing(redisPort, redisServer, "redis-server", log);
            String[] names = {"jglommio", "redis"};
            int[] ports = {ourPort, redisPort};
            // results[pipeline][peer][test][round]
            Result[][][][] results = new Result[PIPELINES.length][2][TESTS.length][rounds];
            // Server CPU time per request (both tests of one redis-benchmark run), microseconds.
            double[][][] cpuUs = new double[PIPELINES.length][2][rounds];
            Process[] servers = {ourServer, redisServer};
            out.print("warm-up ");
            for (int peer = 0; peer < 2; peer++) {
                for (int pipeline : PIPELINES) {
                    benchmark(loadCpus, ports[peer], pipeline, requests / 2);
                }
            }
            out.println("done");
            for (int r = 0; r < rounds; r++) {
                out.printf("round %d/%d:", r + 1, rounds);
                for (int p = 0; p < PIPELINES.length; p++) {
                    for (int k = 0; k < 2; k++) {
                        int peer = r % 2 == 0 ? k : 1 - k;
                        double cpu0 = ProcessCpu.seconds(servers[peer].pid());
                        Map<String, Result> got = benchmark(loadCpus, ports[peer], PIPELINES[p], runRequests(PIPELINES[p]));
                        cpuUs[p][peer][r] = (ProcessCpu.seconds(servers[peer].pid()) - cpu0) * 1e6
                                / (TESTS.length * (double) runRequests(PIPELINES[p]));
                        for (int t = 0; t < TESTS.length; t++) {
                            Result res = got.getOrDefault(TESTS[t], Result.MISSING);
                            results[p][peer][t][r] = res;
                            out.printf(Locale.ROOT, " %s -P%d %s %,.0f", names[peer], PIPELINES[p], TESTS[t], res.rps);
                        }
                    }
                }
                out.println();
            }
            if (!ourServer.isAlive()) {
                out.println("the jglommio server died during the runs; its output is in " + log);
                return 1;
            }
            print(placement + ", jglommio " + ourShards + " shard" + (ourShards == 1 ? "" : "s"), results, cpuUs);
            return 0;
        } finally {
            stop(ourServer);
            stop(redisServer);
        }
    }

    private long runRequests(int pipeline) {
        return pipeline == 1 ? requests : requests * 5;
    }

    private void print(String placement, Result[][][][] results, double[][][] cpuUs) {
        out.printf("%nkv, placement %s: medians of %d rounds (ops/s; latency in ms as redis-benchmark reports it); "
                + "ratio = median of per-round jglommio/redis%n", placement, rounds);
        TextTable table = new TextTable("test", "jglommio ops/s", "p50", "p99", "redis ops/s", "p50", "p99",
                "ratio ops/s", "ratio p99 (lower is better)").labelColumns(1);
        for (int p = 0; p < PIPELINES.length; p++) {
            for (int t = 0; t < TESTS.length; t++) {
                Result[] ours = results[p][0][t];
                Result[] theirs = results[p][1][t];
                double[] ourRps = field(ours, Result::rps);
                double[] theirRps = field(theirs, Result::rps);
                table.add(TESTS[t] + " -P " + PIPELINES[p],
                        String.format(Locale.ROOT, "%,.0f", Medians.median(ourRps)),
                        ms(Medians.median(field(ours, Result::p50Ms))),
                        ms(Medians.median(field(ours, Result::p99Ms))),
                        String.format(Locale.ROOT, "%,.0f", Medians.median(theirRps)),
                        ms(Medians.median(field(theirs, Result::p50Ms))),
                        ms(Medians.median(field(theirs, Result::p99Ms))),
                        String.format(Locale.ROOT, "%.2fx", Medians.medianOfRatios(ourRps, theirRps)),
                        String.format(Locale.ROOT, "%.2fx", Medians.medianOfRatios(field(ours, Result::p99Ms),
                                field(theirs, Result::p99Ms))));
            }
        }
        table.print(out, "  ");
        out.println("  server CPU per request (user + system time of the server process over a SET and GET run,"
                + " divided by its requests; lower is better)");
        TextTable cpu = new TextTable("run", "jglommio us/req", "redis us/req", "ratio (jglommio/redis)").labelColumns(1);
        for (int p = 0; p < PIPELINES.length; p++) {
            cpu.add("SET+GET -P " + PIPELINES[p],
                    String.format(Locale.ROOT, "%.2f", Medians.median(cpuUs[p][0])),
                    String.format(Locale.ROOT, "%.2f", Medians.median(cpuUs[p][1])),
                    String.format(Locale.ROOT, "%.2fx", Medians.medianOfRatios(cpuUs[p][0], cpuUs[p][1])));
        }
        cpu.print(out, "  ");
    }

    private static String ms(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static double[] field(Result[] rs, java.util.function.ToDoubleFunction<Result> f) {
        return Arrays.stream(rs).mapToDouble(r -> r == null ? Double.NaN : f.applyAsDouble(r)).toArray();
    }

    /** Runs redis-benchmark once and parses its CSV: test name to result. */
    private Map<String, Result> benchmark(String cpus, int port, int pipeline, long n)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("taskset", "-c", cpus, "redis-benchmark", "-h", "127.0.0.1",
                "-p", Integer.toString(port), "-c", Integer.toString(CLIENTS), "-t", "set,get",
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
        return parseCsv(text);
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

    private Process start(List<String> cmd, Path log) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        children.add(p);
        return p;
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();    // SIGTERM: both servers shut down cleanly on it
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private void killAll() {
        for (Process p : children) {
            p.destroyForcibly();
        }
    }

    /** Waits until the server answers PING with +PONG. */
    private static void awaitPing(int port, Process p, String name, Path log) throws IOException, InterruptedException {
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

    private static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static boolean onPath(String tool) {
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

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
