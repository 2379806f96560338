package io.github.jglommio.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * The {@code net} suite: a plain Java harness that compares TCP servers on 127.0.0.1, jglommio
 * against Netty 4.2 (io_uring and epoll transports, one event loop) and JDK virtual threads over
 * blocking sockets.
 *
 * <p>Placement (BENCHMARKING.md: the load generator must not steal the server's core unnoticed):
 * every server is a child JVM under {@code taskset -c 1} ({@link NetServerProcess}); the load
 * generators run under {@code taskset -c 0}: {@code echoload}, a C epoll program compiled at bench
 * time ({@link NetLoad}), for echo, and wrk for HTTP. The four children start once, are warmed up,
 * and stay up (idle between their runs); the table shows each side's CPU so that a saturated
 * generator is visible.
 *
 * <p>Method: per workload ({@link NetWorkload}), R rounds that run every peer once, interleaved,
 * the order reversed every other round; each run a short unmeasured ramp then a measured window.
 * Figures are medians over the rounds; a ratio is the median of the per-round ratios. The target is
 * jglommio ahead of Netty io_uring in requests per second at every point.
 *
 * <p>Options: {@code --full} (the whole matrix), {@code --rounds N}, {@code --seconds S},
 * {@code --peers a,b}, {@code --no-http}. Threading: the calling thread; children and generators are
 * processes, killed at the end and from a shutdown hook.
 */
final class NetSuite {

    static final String USAGE = """
            options:
              --full         64 B and 4 KiB x 1/16/64/256 connections x ping-pong/pipelined x16, wrk at 16/64/256
                             (default: 64 B x 1/64/256 ping-pong, 64 B x 64 pipelined, 4 KiB x 64 ping-pong, wrk -c64)
              --rounds N     interleaved rounds per workload (default 3)
              --seconds S    measured seconds per run (default 3; echo runs add a 0.5 s ramp)
              --peers LIST   comma-separated subset of jglommio,netty-io_uring,netty-epoll,jdk
              --no-http      skip the wrk part
              --workloads L  comma-separated subset: SIZExCONNS (ping-pong), SIZExCONNSpDEPTH (pipelined), httpCONNS;
                             e.g. 64x64,64x64p16,4096x64,http64
              --jglommio-spin-us N   the jglommio server's spinBeforePark in us (default 50: every server has
                                     a CPU of its own here; 0 = park at once, as Netty's loops do)
              --jglommio-jvm OPT     probe: an extra JVM option for the jglommio server (repeatable)""";

    /**
     * The jglommio server's default spinBeforePark, in microseconds: each server owns CPU 1 here, so
     * staying awake briefly after the last event costs nothing and saves a cross-CPU wake-up per
     * quiet gap (Glommio's spin_before_park for dedicated cores; the JDK's carrier threads also spin).
     */
    static final long SPIN_US_DEFAULT = 50;
    private static final int SERVER_CPU = 1;
    private static final int LOAD_CPU = 0;
    private static final double TARGET = 1.0;
    private static final Duration RAMP = Duration.ofMillis(500);

    private final PrintStream out;
    private final List<NetPeer> peers;
    private final List<NetWorkload> workloads;
    private final int rounds;
    private final Duration measure;
    private final NetLoad load;
    private final Optional<Path> wrk;
    /** Extra JVM options of the jglommio child (the {@code --jglommio-spin-us} probe). */
    private final List<String> jglommioOptions;
    private final Map<NetPeer, NetServerProcess> servers = new EnumMap<>(NetPeer.class);
    private final Map<NetWorkload, Map<NetPeer, NetRun[]>> results = new LinkedHashMap<>();
    private int failures;

    private NetSuite(PrintStream out, List<NetPeer> peers, List<NetWorkload> workloads, int rounds, Duration measure,
                     NetLoad load, Optional<Path> wrk, List<String> jglommioOptions) {
        this.out = out;
        this.peers = peers;
        this.workloads = workloads;
        this.rounds = rounds;
        this.measure = measure;
        this.load = load;
        this.wrk = wrk;
        this.jglommioOptions = jglommioOptions;
    }

    /** Runs the suite with command-line {@code args}; 0, 1 when a run failed, 2 for bad options. */
    static int run(PrintStream out, List<String> args) throws IOException, InterruptedException {
        boolean full = false;
        boolean http = true;
        int rounds = 3;
        Duration measure = Duration.ofSeconds(3);
        List<NetPeer> peers = List.of(NetPeer.values());
        List<String> jglommioOptions = List.of();
        long spinUs = SPIN_US_DEFAULT;
        List<NetWorkload> only = null;
        try {
            for (int i = 0; i < args.size(); i++) {
                switch (args.get(i)) {
                    case "--help", "-h" -> {
                        out.println("usage: ./jglommio bench net [OPTIONS]");
                        out.println(USAGE);
                        return 0;
                    }
                    case "--full" -> full = true;
                    case "--no-http" -> http = false;
                    case "--jglommio-spin-us" -> spinUs = Long.parseLong(value(args, ++i));
                    case "--jglommio-jvm" -> jglommioOptions = append(jglommioOptions, value(args, ++i));
                    case "--rounds" -> rounds = Integer.parseInt(value(args, ++i));
                    case "--seconds" -> measure = Duration.ofMillis((long) (Double.parseDouble(value(args, ++i)) * 1000));
                    case "--workloads" -> only = List.of(value(args, ++i).split(",")).stream()
                            .map(NetWorkload::parse).toList();
                    case "--peers" -> peers = List.of(value(args, ++i).split(",")).stream().map(NetPeer::byId).toList();
                    default -> throw new IllegalArgumentException("unknown option '" + args.get(i) + "'");
                }
            }
            if (rounds < 1 || measure.toMillis() < 1000) {
                throw new IllegalArgumentException("--rounds must be >= 1 and --seconds >= 1");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("net: " + e.getMessage());
            System.err.println(USAGE);
            return 2;
        }
        if (Runtime.getRuntime().availableProcessors() < 2) {
            out.println("net: needs 2 CPUs (server on CPU 1, load generator on CPU 0); this JVM sees "
                    + Runtime.getRuntime().availableProcessors());
            return 1;
        }
        Path tmp = Files.createTempDirectory("jglommio-net-");
        NetLoad load;
        try {
            load = NetLoad.compile(tmp, LOAD_CPU);
        } catch (IOException e) {
            out.println("net: cannot build the load generator: " + e.getMessage());
            return 1;
        }
        Optional<Path> wrk = NetLoad.findWrk();
        List<NetWorkload> w = only != null ? only : full ? NetWorkload.full(http) : NetWorkload.quick(http);
        jglommioOptions = append(jglommioOptions, "-D" + JglommioNetServer.SPIN_US_PROP_NAME + "=" + spinUs);
        NetSuite suite = new NetSuite(out, peers, w, rounds, measure, load, wrk, jglommioOptions);
        Thread hook = new Thread(() -> suite.servers.values().forEach(NetServerProcess::kill));
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return suite.run(tmp);
        } finally {
            for (NetServerProcess s : suite.servers.values()) {
                s.close();
            }
            Runtime.getRuntime().removeShutdownHook(hook);
        }
    }

    private static List<String> append(List<String> list, String item) {
        List<String> l = new ArrayList<>(list);
        l.add(item);
        return List.copyOf(l);
    }

    private static String value(List<String> args, int i) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(args.get(i - 1) + " needs a value");
        }
        return args.get(i);
    }

    private int run(Path tmp) throws IOException, InterruptedException {
        long start = System.nanoTime();
        printHeader(tmp);
        Path log = tmp.resolve("servers.log");
        for (NetPeer p : peers) {
            servers.put(p, NetServerProcess.start(p, SERVER_CPU, log,
                    p == NetPeer.JGLOMMIO ? jglommioOptions : List.of()));
        }
        warmUp();
        for (NetWorkload w : workloads) {
            if (w.http() && wrk.isEmpty()) {
                continue;
            }
            Map<NetPeer, NetRun[]> byPeer = new EnumMap<>(NetPeer.class);
            peers.forEach(p -> byPeer.put(p, new NetRun[rounds]));
            results.put(w, byPeer);
            out.println(w.label());
            for (int round = 0; round < rounds; round++) {
                List<NetPeer> order = new ArrayList<>(peers);
                if (round % 2 == 1) {
                    Collections.reverse(order);
                }
                for (NetPeer p : order) {
                    byPeer.get(p)[round] = measure(w, p, round);
                }
            }
            out.println();
        }
        printTable();
        out.printf(Locale.ROOT, "%nwhole suite: %.0f s; servers' stderr: %s%n", (System.nanoTime() - start) / 1e9, log);
        return failures == 0 ? 0 : 1;
    }

    private void printHeader(Path tmp) {
        int echo = (int) workloads.stream().filter(w -> !w.http()).count();
        int http = workloads.size() - echo;
        out.println("suite net: TCP echo and HTTP/1.1 servers on 127.0.0.1, jglommio vs Netty 4.2 and JDK virtual threads");
        out.printf(Locale.ROOT, "    servers: child JVMs under 'taskset -c %d' (-Xmx256m); load: 'taskset -c %d', %s%n",
                SERVER_CPU, LOAD_CPU, "echoload (C, epoll, compiled into " + tmp + ")");
        out.println("    jglommio: 1 executor pinned, TcpListener, a task per connection, read(byte[4096]) + writeAll"
                + (jglommioOptions.isEmpty() ? "" : "; " + String.join(" ", jglommioOptions)));
        out.println("    Netty io_uring / epoll: MultiThreadIoEventLoopGroup(1), echo = write(msg) + flush on readComplete");
        out.println("    JDK: ServerSocket/Socket, a virtual thread per connection, default scheduler (1 CPU)");
        out.println("    HTTP: the same CRLFCRLF scanner and fixed 'Hello, World!' response (Content-Length, keep-alive) in"
                + " every server: transports, not codecs");
        out.printf(Locale.ROOT, "    %d echo + %d HTTP workloads x %d rounds x %d peers, runs of %.1f s + %.1f s ramp (echo);"
                        + " peers interleaved, order reversed every other round%n", echo, http, rounds, peers.size(),
                measure.toMillis() / 1e3, RAMP.toMillis() / 1e3);
        if (http > 0 && wrk.isEmpty()) {
            out.println("    wrk: NOT FOUND on PATH; the HTTP workloads are skipped (apt-get install -y wrk)");
        }
        out.println();
    }

    /** Discarded runs so that the JIT has compiled every server's hot path before round 1. */
    private void warmUp() throws InterruptedException {
        out.print("warm-up (discarded): 64 B x 64 ping-pong and pipelined, 4 KiB x 16, each peer ... ");
        out.flush();
        try {
            for (NetPeer p : peers) {
                int port = servers.get(p).echoPort;
                load.echo(port, NetWorkload.echo(64, 64, 1), RAMP, Duration.ofSeconds(1));
                load.echo(port, NetWorkload.echo(64, 64, NetWorkload.PIPELINE_DEPTH), RAMP, Duration.ofSeconds(1));
                load.echo(port, NetWorkload.echo(4096, 16, 4), RAMP, Duration.ofSeconds(1));
                if (wrk.isPresent()) {
                    load.wrk(wrk.get(), servers.get(p).httpPort, NetWorkload.http(64), Duration.ofSeconds(1));
                }
            }
            out.println("done");
        } catch (IOException e) {
            out.println("FAILED: " + e.getMessage());
        }
    }

    private NetRun measure(NetWorkload w, NetPeer p, int round) throws InterruptedException {
        String prefix = String.format(Locale.ROOT, "    round %d/%d  %-20s", round + 1, rounds, p.label);
        NetServerProcess server = servers.get(p);
        try {
            server.stats();
            double cpu0 = server.cpuSeconds();
            long t0 = System.nanoTime();
            NetLoad.Report r = w.http() ? load.wrk(wrk.orElseThrow(), server.httpPort, w, measure)
                    : load.echo(server.echoPort, w, RAMP, measure);
            double wall = (System.nanoTime() - t0) / 1e9;
            double serverCpu = 100 * (server.cpuSeconds() - cpu0) / wall;
            String loop = p == NetPeer.JGLOMMIO ? perRequest(server.stats(), r.totalRequests()) : "";
            NetRun run = new NetRun(r.rps(), r.p50Us(), r.p99Us(), serverCpu, 100 * r.cpuSeconds() / wall, loop);
            out.printf(Locale.ROOT, "%s %10s req/s  p50 %8s us  p99 %8s us  server CPU %4.0f%%  load CPU %4s%%%s%n",
                    prefix, whole(run.rps()), oneDecimal(run.p50Us()), oneDecimal(run.p99Us()), run.serverCpuPct(),
                    whole(run.loadCpuPct()), loop.isEmpty() ? "" : "  [per request: " + loop + "]");
            return run;
        } catch (IOException | RuntimeException e) {
            failures++;
            out.println(prefix + " FAILED: " + e.getMessage() + (server.isAlive() ? "" : " (the server died)"));
            return null;
        }
    }

    /** The jglommio loop counters of a run divided by its requests (ramp included on both sides). */
    private static String perRequest(String stats, long requests) {
        List<String> parts = new ArrayList<>();
        for (String word : stats.split(" ")) {
            int eq = word.indexOf('=');
            if (eq < 0 || requests <= 0) {
                continue;
            }
            String key = word.substring(0, eq);
            double v = Long.parseLong(word.substring(eq + 1)) / (double) requests;
            parts.add(key.equals("busyNs") ? String.format(Locale.ROOT, "busy %.2f us", v / 1e3)
                    : String.format(Locale.ROOT, "%s %.2f", key, v));
        }
        return String.join(", ", parts);
    }

    private void printTable() {
        out.println("results: medians over " + rounds + " round(s); 'x peer' = median of the per-round ratios"
                + " jglommio req/s / peer req/s");
        TextTable table = new TextTable("workload", "peer", "req/s", "p50 us", "p99 us", "srv CPU%", "load CPU%",
                "jglommio x peer", "target: > Netty io_uring").labelColumns(2);
        int met = 0;
        int judged = 0;
        for (Map.Entry<NetWorkload, Map<NetPeer, NetRun[]>> e : results.entrySet()) {
            Map<NetPeer, NetRun[]> byPeer = e.getValue();
            double[] ours = byPeer.containsKey(NetPeer.JGLOMMIO) ? figure(byPeer.get(NetPeer.JGLOMMIO), NetRun::rps) : null;
            boolean first = true;
            for (NetPeer p : peers) {
                NetRun[] runs = byPeer.get(p);
                double[] rps = figure(runs, NetRun::rps);
                String ratio = "";
                String verdict = "";
                if (ours != null && p != NetPeer.JGLOMMIO) {
                    double r = Medians.medianOfRatios(ours, rps);
                    ratio = Double.isNaN(r) ? "-" : String.format(Locale.ROOT, "%.2fx", r);
                    if (p == NetPeer.NETTY_IO_URING && !Double.isNaN(r)) {
                        judged++;
                        met += r > TARGET ? 1 : 0;
                        verdict = r > TARGET ? "MEETS" : "BELOW";
                    }
                }
                table.add(first ? e.getKey().label() : "", p.label, whole(Medians.median(rps)),
                        oneDecimal(Medians.median(figure(runs, NetRun::p50Us))),
                        oneDecimal(Medians.median(figure(runs, NetRun::p99Us))),
                        whole(Medians.median(figure(runs, NetRun::serverCpuPct))),
                        whole(Medians.median(figure(runs, NetRun::loadCpuPct))), ratio, verdict);
                first = false;
            }
        }
        table.print(out, "");
        out.println();
        if (judged > 0) {
            out.printf(Locale.ROOT, "jglommio ahead of Netty io_uring in %d of %d workloads%s%n", met, judged,
                    met == judged ? "" : " (see the BELOW rows)");
        }
    }

    private static double[] figure(NetRun[] runs, ToDoubleFunction<NetRun> f) {
        double[] v = new double[runs.length];
        for (int i = 0; i < runs.length; i++) {
            v[i] = runs[i] == null ? Double.NaN : f.applyAsDouble(runs[i]);
        }
        return v;
    }

    private static String whole(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String oneDecimal(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%,.1f", v);
    }
}
