package io.github.jglommio.benchmarks;

import io.github.jglommio.benchmarks.RedisBenchmark.Result;
import io.github.jglommio.kv.server.KvMain;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The {@code kv} suite: {@code redis-benchmark} against jglommio's key-value server (the kv module's
 * {@code KvMain} in a child JVM, started as {@code ./jglommio demo} starts it) and against
 * {@code redis-server} 7 in the matching configuration, interleaved in one run.
 *
 * <p>Pairings, each with its own pair of fresh servers:
 * <ul>
 *   <li>{@code default}, the headline: jglommio with the demo's defaults (append-only log on,
 *       {@code appendfsync everysec}, one shard per CPU but one, unpinned) against
 *       {@code redis-server --appendonly yes --appendfsync everysec}; SET and GET at -P 1 and -P 16
 *       with random keys ({@code -r 100000}), the same with one hot key, 4 clients at -P 1, and
 *       pipelines of 16 one-key transactions ({@code MULTI; INCR; GET; EXEC}, run by {@link TxLoad}
 *       because redis-benchmark cannot send a transaction; ops/s are transactions per second).
 *   <li>{@code always}: both with {@code appendfsync always}.
 *   <li>{@code nopersist}: the demo's defaults against a Redis that persists nothing: what the log costs.
 *   <li>{@code off}: jglommio with its log off against the same Redis.
 *   <li>{@code shards2}: the demo's defaults but 2 shards against Redis AOF everysec: on 2 CPUs that
 *       share the load generator, what serving half the requests on the other shard costs; with the
 *       transaction row, each transaction's key on one shard, often not the connection's.
 *   <li>{@code maxmemory}: both with the log off and the same {@code maxmemory}, serving a
 *       look-aside cache load over a keyspace larger than the bound ({@link CacheSuite}): the hit
 *       rate of each eviction policy on a Zipf and a hot/cold distribution, side by side, with the
 *       memory each reports used.
 * </ul>
 * The load always runs 50 clients ({@code -c 50}) unless a row says otherwise.
 *
 * <p>Method (BENCHMARKING.md): every process may use CPUs 0 and 1 ({@code taskset -c 0,1}), the
 * load generator beside the servers, as a user's machine would run them. Each pairing warms both
 * servers up once, then runs R rounds; a round runs every row against both servers, the order of the
 * two reversed every other round. Figures are medians over the rounds; a ratio is the median of the
 * per-round ratios jglommio / redis. CPU per request is the server process's user + system time over
 * the run divided by its requests.
 *
 * <p>Threading: the calling thread; the servers are child processes, stopped at the end and killed
 * from a shutdown hook.
 */
final class KvSuite {

    static final String USAGE = """
            options:
              --rounds N          interleaved rounds (default 3)
              --requests N        requests per run at -P 1 (default 200000; -P 16 runs 5x as many)
              --pairings LIST     which pairings to run, comma-separated: default, always, nopersist, off,
                                  shards2, maxmemory
                                  (default: all; see the suite's javadoc)
              --server NAME=VALUE an option for jglommio in every pairing, as './jglommio demo --NAME VALUE'
                                  (repeatable; e.g. pin=yes)
              --jvm FLAG          an extra JVM flag for jglommio's server (repeatable; e.g. -XX:+UseZGC)
              --redis PATH        redis-server binary (default: redis-server on the PATH)""";

    private static final String MAIN_CLASS = "io.github.jglommio.kv.server.KvMain";
    private static final String CPUS = "0,1";
    private static final int KEYS = 100_000;
    private static final String[] TESTS = {"set", "get"};

    /**
     * One load: clients, pipeline depth, keyspace (0: one hot key), and its tests: redis-benchmark's
     * {@code set} and {@code get}, or {@link TxLoad}'s {@code multi} (a pipeline of transactions).
     */
    record Row(int clients, int pipeline, int keyspace, List<String> tests) {
        Row(int clients, int pipeline, int keyspace) {
            this(clients, pipeline, keyspace, List.of(TESTS));
        }

        String label() {
            return "-c " + clients + " -P " + pipeline + (keyspace == 0 ? ", one key" : " -r " + keyspace);
        }
    }

    /** Two servers in matching configurations and the rows run against them. */
    record Pairing(String name, String title, List<String> ours, List<String> redis, List<Row> rows) {
    }

    private static final Row P1 = new Row(50, 1, KEYS);
    private static final Row P16 = new Row(50, 16, KEYS);
    /** Transactions of one key each (MULTI; INCR; GET; EXEC), 16 per round trip: single-shard transactions. */
    private static final Row TX16 = new Row(50, 16, KEYS, List.of(TxLoad.TEST));
    private static final List<Pairing> PAIRINGS = List.of(
            new Pairing("default", "jglommio with the demo's defaults (log on, everysec) vs redis AOF everysec",
                    List.of(), List.of("--appendonly", "yes", "--appendfsync", "everysec"),
                    List.of(P1, P16, new Row(50, 1, 0), new Row(50, 16, 0), new Row(4, 1, KEYS), TX16)),
            new Pairing("always", "jglommio appendfsync always vs redis AOF always",
                    List.of("--appendfsync", "always"), List.of("--appendonly", "yes", "--appendfsync", "always"),
                    List.of(P1, P16)),
            new Pairing("nopersist", "jglommio with the demo's defaults (log on, everysec) vs redis without persistence",
                    List.of(), List.of("--appendonly", "no"), List.of(P1, P16)),
            new Pairing("off", "jglommio with its log off vs redis without persistence",
                    List.of("--appendonly", "no"), List.of("--appendonly", "no"), List.of(P1, P16)),
            new Pairing("shards2", "jglommio with 2 shards (log on, everysec) vs redis AOF everysec",
                    List.of("--shards", "2"), List.of("--appendonly", "yes", "--appendfsync", "everysec"),
                    List.of(P1, P16, new Row(50, 1, 0), new Row(4, 1, KEYS), TX16)),
            // No redis-benchmark rows: CacheSuite runs its own load.
            new Pairing("maxmemory", "jglommio vs redis, both without persistence and maxmemory "
                    + CacheSuite.MAXMEMORY + ", as a cache", CacheSuite.serverOptions(), CacheSuite.serverOptions(),
                    List.of()));

    private final PrintStream out;
    private final int rounds;
    private final long requests;
    private final List<String> serverOptions;
    private final List<String> jvmFlags;
    private final String redis;
    private final List<Process> children = new ArrayList<>();
    private final List<String> targets = new ArrayList<>();

    private KvSuite(PrintStream out, int rounds, long requests, List<String> serverOptions, List<String> jvmFlags,
                    String redis) {
        this.out = out;
        this.rounds = rounds;
        this.requests = requests;
        this.serverOptions = serverOptions;
        this.jvmFlags = jvmFlags;
        this.redis = redis;
    }

    static int run(PrintStream out, List<String> args) throws IOException, InterruptedException {
        int rounds = 3;
        long requests = 200_000;
        String redis = "redis-server";
        List<String> serverOptions = new ArrayList<>();
        List<String> jvmFlags = new ArrayList<>();
        List<Pairing> chosen = PAIRINGS;
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
                    case "--redis" -> redis = value(args, ++i);
                    case "--server" -> {
                        String[] kv = value(args, ++i).split("=", 2);
                        if (kv.length != 2 || kv[0].isEmpty()) {
                            throw new IllegalArgumentException("--server needs NAME=VALUE, got " + String.join("=", kv));
                        }
                        serverOptions.addAll(List.of("--" + kv[0], kv[1]));
                    }
                    case "--jvm" -> jvmFlags.add(value(args, ++i));
                    case "--pairings" -> chosen = pairings(value(args, ++i));
                    default -> throw new IllegalArgumentException("unknown option '" + a + "'");
                }
            }
            if (rounds < 1 || requests < 1) {
                throw new IllegalArgumentException("--rounds and --requests must be positive");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("kv: " + e.getMessage());
            System.err.println(USAGE);
            return 2;
        }
        for (String tool : List.of("redis-benchmark", redis, "taskset")) {
            if (!RedisBenchmark.onPath(tool)) {
                System.err.println("kv: '" + tool + "' not found; install redis-tools, redis-server and util-linux"
                        + " (apt-get install redis-tools redis-server)");
                return 1;
            }
        }
        KvSuite suite = new KvSuite(out, rounds, requests, serverOptions, jvmFlags, redis);
        Thread hook = new Thread(suite::killAll, "kv-suite-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            int status = 0;
            for (Pairing p : chosen) {
                status = Math.max(status, suite.runPairing(p));
            }
            suite.printTargets();
            return status;
        } finally {
            suite.killAll();
            Runtime.getRuntime().removeShutdownHook(hook);
        }
    }

    private static List<Pairing> pairings(String list) {
        List<Pairing> l = new ArrayList<>();
        for (String name : list.split(",")) {
            l.add(PAIRINGS.stream().filter(p -> p.name().equals(name.strip())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown pairing '" + name + "': expected "
                            + String.join(", ", PAIRINGS.stream().map(Pairing::name).toList()))));
        }
        return l;
    }

    private static String value(List<String> args, int i) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(args.get(i - 1) + " needs a value");
        }
        return args.get(i);
    }

    private int runPairing(Pairing pairing) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("jglommio-bench-kv-");
        Path log = dir.resolve("servers.log");
        int ourPort = RedisBenchmark.freePort();
        int redisPort = RedisBenchmark.freePort();
        // As ./jglommio demo runs it: the same JVM flags, the defaults but for port and directory.
        List<String> ours = new ArrayList<>(List.of("taskset", "-c", CPUS, javaBinary(), ForkArgs.ADD_OPENS,
                ForkArgs.NATIVE_ACCESS));
        ours.addAll(KvMain.DEMO_JVM_FLAGS);
        ours.addAll(jvmFlags);
        ours.addAll(List.of("-cp", System.getProperty("java.class.path"), MAIN_CLASS,
                "--port", Integer.toString(ourPort), "--dir", dir.resolve("kv").toString()));
        ours.addAll(serverOptions);
        ours.addAll(pairing.ours());
        List<String> theirs = new ArrayList<>(List.of("taskset", "-c", CPUS, redis, "--port", Integer.toString(redisPort),
                "--bind", "127.0.0.1", "--save", "", "--daemonize", "no", "--dir", dir.toString()));
        theirs.addAll(pairing.redis());
        out.printf("%npairing %s: %s%n  jglommio: %s%n  redis:    %s%n  all on CPUs %s with redis-benchmark; %d rounds;"
                        + " logs in %s%n", pairing.name(), pairing.title(),
                String.join(" ", ours.subList(ours.indexOf(MAIN_CLASS) + 1, ours.size())),
                String.join(" ", theirs.subList(3, theirs.size())), CPUS, rounds, dir);
        Process ourServer = RedisBenchmark.start(ours, log);
        children.add(ourServer);
        Process redisServer = RedisBenchmark.start(theirs, log);
        children.add(redisServer);
        try {
            RedisBenchmark.awaitPing(ourPort, ourServer, "jglommio kv", log);
            RedisBenchmark.awaitPing(redisPort, redisServer, "redis-server", log);
            int[] ports = {ourPort, redisPort};
            Process[] servers = {ourServer, redisServer};
            if (pairing.rows().isEmpty()) {
                int status = CacheSuite.run(out, ports, rounds, requests);
                return ourServer.isAlive() ? status : 1;
            }
            List<Row> rows = pairing.rows();
            // results[row][test][peer][round], cpuUs likewise
            int tests = rows.stream().mapToInt(row -> row.tests().size()).max().orElse(0);
            Result[][][][] results = new Result[rows.size()][tests][2][rounds];
            double[][][][] cpuUs = new double[rows.size()][tests][2][rounds];
            out.print("  warm-up ");
            for (int peer = 0; peer < 2; peer++) {
                for (Row row : rows) {
                    for (String test : row.tests()) {
                        load(ports[peer], test, row, runRequests(row, test) / 4);
                    }
                }
            }
            out.println("done");
            for (int r = 0; r < rounds; r++) {
                out.printf("  round %d/%d:", r + 1, rounds);
                for (int w = 0; w < rows.size(); w++) {
                    Row row = rows.get(w);
                    for (int k = 0; k < 2; k++) {
                        int peer = r % 2 == 0 ? k : 1 - k;
                        for (int t = 0; t < row.tests().size(); t++) {
                            String test = row.tests().get(t);
                            double cpu0 = ProcessCpu.seconds(servers[peer].pid());
                            Result res = load(ports[peer], test, row, runRequests(row, test));
                            cpuUs[w][t][peer][r] = (ProcessCpu.seconds(servers[peer].pid()) - cpu0) * 1e6
                                    / runRequests(row, test);
                            results[w][t][peer][r] = res;
                        }
                    }
                    out.print(".");
                }
                out.println();
            }
            if (!ourServer.isAlive()) {
                out.println("the jglommio server died during the runs; its output is in " + log);
                return 1;
            }
            print(pairing, results, cpuUs);
            return 0;
        } finally {
            RedisBenchmark.stop(ourServer);
            RedisBenchmark.stop(redisServer);
        }
    }

    /** Requests per run (transactions for {@code multi}: a quarter, as each is four commands). */
    private long runRequests(Row row, String test) {
        long n = row.pipeline() > 1 ? requests * 5 : requests;
        n = test.equals(TxLoad.TEST) ? n / 4 : n;
        return row.clients() < 10 ? n / 2 : n;
    }

    /** One run of {@code test} with {@code row}'s load against the server on {@code port}. */
    private static Result load(int port, String test, Row row, long n) throws IOException, InterruptedException {
        if (test.equals(TxLoad.TEST)) {
            return RedisBenchmark.runTransactions(CPUS, port, row.clients(), row.pipeline(), row.keyspace(), n);
        }
        return RedisBenchmark.run(CPUS, port, test, row.clients(), row.pipeline(), row.keyspace(), n);
    }

    private void print(Pairing pairing, Result[][][][] results, double[][][][] cpuUs) {
        out.printf("%nkv, pairing %s (%s): medians of %d rounds; ops/s; latency in ms as redis-benchmark reports"
                + " it; ratio = median of per-round jglommio/redis; CPU = server us per request%n",
                pairing.name(), pairing.title(), rounds);
        TextTable table = new TextTable("test", "jglommio ops/s", "p50", "p99", "redis ops/s", "p50", "p99",
                "ratio ops/s", "ratio p99", "CPU jglommio", "CPU redis", "ratio CPU").labelColumns(1);
        for (int w = 0; w < pairing.rows().size(); w++) {
            Row row = pairing.rows().get(w);
            for (int t = 0; t < row.tests().size(); t++) {
                String test = row.tests().get(t);
                Result[] ours = results[w][t][0];
                Result[] theirs = results[w][t][1];
                double[] ourRps = field(ours, Result::rps);
                double[] theirRps = field(theirs, Result::rps);
                double ratio = Medians.medianOfRatios(ourRps, theirRps);
                double p99Ratio = Medians.medianOfRatios(field(ours, Result::p99Ms), field(theirs, Result::p99Ms));
                String label = test.toUpperCase(Locale.ROOT) + " " + row.label();
                table.add(label,
                        String.format(Locale.ROOT, "%,.0f", Medians.median(ourRps)),
                        ms(Medians.median(field(ours, Result::p50Ms))),
                        ms(Medians.median(field(ours, Result::p99Ms))),
                        String.format(Locale.ROOT, "%,.0f", Medians.median(theirRps)),
                        ms(Medians.median(field(theirs, Result::p50Ms))),
                        ms(Medians.median(field(theirs, Result::p99Ms))),
                        String.format(Locale.ROOT, "%.2fx", ratio),
                        String.format(Locale.ROOT, "%.2fx", p99Ratio),
                        String.format(Locale.ROOT, "%.2f", Medians.median(cpuUs[w][t][0])),
                        String.format(Locale.ROOT, "%.2f", Medians.median(cpuUs[w][t][1])),
                        String.format(Locale.ROOT, "%.2fx", Medians.medianOfRatios(cpuUs[w][t][0], cpuUs[w][t][1])));
                checkTargets(pairing, row, test, label, ratio, p99Ratio);
            }
        }
        table.print(out, "  ");
    }

    /** The targets of issue 13, checked on this run's figures. */
    private void checkTargets(Pairing pairing, Row row, String test, String label, double ratio, double p99Ratio) {
        if (test.equals(TxLoad.TEST)) {
            return; // issue 14's row: shown, no target
        }
        switch (pairing.name()) {
            case "default" -> {
                double needed = row.keyspace() > 0 && row.clients() == 50 ? 1.0 : 0.8;
                target(pairing.name() + " " + label + " ops/s", ratio, needed, true);
                if (test.equals("set")) {
                    target(pairing.name() + " " + label + " p99", p99Ratio, 1.5, false);
                }
            }
            case "nopersist" -> {
                if (row.pipeline() > 1) {
                    target(pairing.name() + " " + label + " ops/s", ratio, 1.0, true);
                }
            }
            default -> {
                // extra rows: no target
            }
        }
    }

    private void target(String what, double value, double bound, boolean atLeast) {
        boolean met = atLeast ? value >= bound : value <= bound;
        targets.add(String.format(Locale.ROOT, "  %-4s %-45s %.2fx (target %s %.1fx)", met ? "met" : "MISS", what,
                value, atLeast ? ">=" : "<=", bound));
    }

    private void printTargets() {
        if (!targets.isEmpty()) {
            out.println();
            out.println("targets (ratios jglommio/redis of this run):");
            targets.forEach(out::println);
        }
    }

    private static String ms(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static double[] field(Result[] rs, java.util.function.ToDoubleFunction<Result> f) {
        return Arrays.stream(rs).mapToDouble(r -> r == null ? Double.NaN : f.applyAsDouble(r)).toArray();
    }

    private void killAll() {
        for (Process p : children) {
            p.destroyForcibly();
        }
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
