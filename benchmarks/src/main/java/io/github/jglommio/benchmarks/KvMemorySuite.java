package io.github.jglommio.benchmarks;

import io.github.jglommio.kv.server.KvMain;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code kvmem} suite: what the kv server's memory does, against {@code redis-server} 7, each a
 * child process whose resident set is read from {@code /proc/PID/status}:
 * <ul>
 *   <li>idle connections: RSS before and after N connections (10,000 by default) that each sent one
 *       PING and then wait, after a settling time (the demo's G1 runs a periodic collection after 5
 *       idle seconds); KiB per connection = the difference over N;</li>
 *   <li>a 100 MB value: RSS with it, and some seconds after its DEL.</li>
 * </ul>
 * The jglommio server runs as {@code ./jglommio demo} starts it ({@link KvMain#DEMO_JVM_FLAGS}, its
 * defaults but for port, directory and {@code maxclients}); Redis with {@code --save ''
 * --appendonly no}. This JVM and both servers need N + 100 open files ({@code ulimit -n}).
 *
 * <p>Threading: the calling thread; the servers are child processes, stopped at the end.
 */
final class KvMemorySuite {

    static final String USAGE = """
            options:
              --connections N   idle connections to open (default 10000)
              --settle S        seconds to wait before reading RSS (default 8)
              --redis PATH      redis-server binary (default: redis-server on the PATH)""";

    private static final String MAIN_CLASS = "io.github.jglommio.kv.server.KvMain";
    private static final int VALUE_BYTES = 100 << 20;

    private KvMemorySuite() {
    }

    /** The figures of one server. */
    private record Figures(long baseKb, long idleKb, long withValueKb, long afterDelKb) {
    }

    static int run(PrintStream out, List<String> args) throws IOException, InterruptedException {
        int connections = 10_000;
        int settle = 8;
        String redis = "redis-server";
        try {
            for (int i = 0; i < args.size(); i++) {
                switch (args.get(i)) {
                    case "--help", "-h" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    case "--connections" -> connections = Integer.parseInt(value(args, ++i));
                    case "--settle" -> settle = Integer.parseInt(value(args, ++i));
                    case "--redis" -> redis = value(args, ++i);
                    default -> throw new IllegalArgumentException("unknown option '" + args.get(i) + "'");
                }
            }
            if (connections < 1 || settle < 0) {
                throw new IllegalArgumentException("--connections must be positive, --settle not negative");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("kvmem: " + e.getMessage());
            System.err.println(USAGE);
            return 2;
        }
        if (!RedisBenchmark.onPath(redis)) {
            System.err.println("kvmem: '" + redis + "' not found; install redis-server (apt-get install redis-server)");
            return 1;
        }
        long files = openFilesLimit();
        if (files < connections + 100L) {
            System.err.printf("kvmem: %d connections need %d open files, the limit is %d: raise it ('ulimit -n %d')"
                    + " or pass --connections%n", connections, connections + 100, files, connections + 100);
            return 1;
        }
        Path dir = Files.createTempDirectory("jglommio-bench-kvmem-");
        Path log = dir.resolve("servers.log");
        int ourPort = RedisBenchmark.freePort();
        List<String> ours = new ArrayList<>(List.of(javaBinary(), ForkArgs.ADD_OPENS, ForkArgs.NATIVE_ACCESS));
        ours.addAll(KvMain.DEMO_JVM_FLAGS);
        ours.addAll(List.of("-cp", System.getProperty("java.class.path"), MAIN_CLASS, "--port", Integer.toString(ourPort),
                "--dir", dir.resolve("kv").toString(), "--maxclients", Integer.toString(connections + 100)));
        int redisPort = RedisBenchmark.freePort();
        List<String> theirs = List.of(redis, "--port", Integer.toString(redisPort), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--daemonize", "no", "--dir", dir.toString(), "--maxclients",
                Integer.toString(connections + 100));
        out.printf("kvmem: %d idle connections, then a %d MiB value, against each server in turn; RSS from"
                + " /proc after %d s; logs in %s%n  jglommio: %s%n  redis:    %s%n", connections, VALUE_BYTES >> 20,
                settle, dir, String.join(" ", ours.subList(3, ours.size())), String.join(" ", theirs));
        Figures ourFigures = measure(out, "jglommio", ours, ourPort, log, connections, settle);
        Figures redisFigures = measure(out, "redis", theirs, redisPort, log, connections, settle);
        if (ourFigures == null || redisFigures == null) {
            return 1;
        }
        TextTable table = new TextTable("measure", "jglommio", "redis", "ratio").labelColumns(1);
        double ourPer = (double) (ourFigures.idleKb - ourFigures.baseKb) / connections;
        double redisPer = (double) (redisFigures.idleKb - redisFigures.baseKb) / connections;
        table.add("KiB per idle connection (" + connections + ")", fmt(ourPer), fmt(redisPer),
                String.format(Locale.ROOT, "%.2fx", ourPer / redisPer));
        table.add("RSS before the connections, MiB", mib(ourFigures.baseKb), mib(redisFigures.baseKb), "");
        table.add("RSS with " + connections + " idle connections, MiB", mib(ourFigures.idleKb),
                mib(redisFigures.idleKb), "");
        table.add("RSS with a " + (VALUE_BYTES >> 20) + " MiB value, MiB", mib(ourFigures.withValueKb),
                mib(redisFigures.withValueKb), "");
        table.add("RSS " + settle + " s after its DEL, MiB", mib(ourFigures.afterDelKb), mib(redisFigures.afterDelKb), "");
        out.println();
        table.print(out, "  ");
        return 0;
    }

    /** Starts one server, measures it, stops it; null when it failed. */
    private static Figures measure(PrintStream out, String name, List<String> cmd, int port, Path log, int connections,
                                   int settle) throws IOException, InterruptedException {
        Process p = RedisBenchmark.start(cmd, log);
        try {
            RedisBenchmark.awaitPing(port, p, name, log);
            Thread.sleep(2000);
            long base = rssKb(p);
            List<Socket> idle = new ArrayList<>(connections);
            long idleKb;
            try {
                byte[] ping = "PING\r\n".getBytes(StandardCharsets.US_ASCII);
                for (int i = 0; i < connections; i++) {
                    Socket s = new Socket("127.0.0.1", port);
                    idle.add(s);
                    s.getOutputStream().write(ping);
                }
                for (Socket s : idle) {
                    byte[] pong = s.getInputStream().readNBytes(7);
                    if (!new String(pong, StandardCharsets.US_ASCII).equals("+PONG\r\n")) {
                        out.println(name + ": a connection did not get +PONG; its output is in " + log);
                        return null;
                    }
                }
                Thread.sleep(settle * 1000L);
                idleKb = rssKb(p);
            } finally {
                for (Socket s : idle) {
                    s.close();
                }
            }
            out.printf("  %s: %d idle connections measured%n", name, connections);
            long withValue;
            try (Socket s = new Socket("127.0.0.1", port)) {
                OutputStream o = s.getOutputStream();
                InputStream in = s.getInputStream();
                o.write(("*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$" + VALUE_BYTES + "\r\n").getBytes(StandardCharsets.US_ASCII));
                byte[] chunk = new byte[1 << 20];
                java.util.Arrays.fill(chunk, (byte) 'x');
                for (int i = 0; i < VALUE_BYTES / chunk.length; i++) {
                    o.write(chunk);
                }
                o.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                expect(in, "+OK\r\n");
                Thread.sleep(1000);
                withValue = rssKb(p);
                o.write("DEL big\r\n".getBytes(StandardCharsets.US_ASCII));
                expect(in, ":1\r\n");
            }
            Thread.sleep(settle * 1000L);
            return new Figures(base, idleKb, withValue, rssKb(p));
        } finally {
            RedisBenchmark.stop(p);
        }
    }

    private static void expect(InputStream in, String reply) throws IOException {
        String got = new String(in.readNBytes(reply.length()), StandardCharsets.US_ASCII);
        if (!got.equals(reply)) {
            throw new IOException("expected " + reply.strip() + ", got " + got.strip());
        }
    }

    private static long rssKb(Process p) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + p.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS for process " + p.pid());
    }

    /** This process's soft limit of open files (children inherit it). */
    private static long openFilesLimit() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                String soft = line.substring("Max open files".length()).strip().split("\\s+")[0];
                return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
            }
        }
        return Long.MAX_VALUE;
    }

    private static String fmt(double kb) {
        return String.format(Locale.ROOT, "%.1f", kb);
    }

    private static String mib(long kb) {
        return String.format(Locale.ROOT, "%,d", kb / 1024);
    }

    private static String value(List<String> args, int i) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(args.get(i - 1) + " needs a value");
        }
        return args.get(i);
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
