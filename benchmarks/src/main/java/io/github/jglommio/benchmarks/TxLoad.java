package io.github.jglommio.benchmarks;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A transaction load, for what {@code redis-benchmark} cannot send: each client pipelines
 * {@code pipeline} transactions {@code MULTI; INCR tx:<r>; GET tx:<r>; EXEC} (one random key of the
 * keyspace per transaction, so that each transaction's keys live on one shard), waits for all their
 * replies, checks that every EXEC answered its two results, and goes again until the run's
 * transactions are done. Prints one line in {@code redis-benchmark --csv}'s form, test {@code MULTI},
 * with transactions per second and the p50/p99 of the pipeline round trip, so that the kv suite
 * reads it as it reads redis-benchmark's.
 *
 * <p>Run as its own process, pinned like redis-benchmark: {@code TxLoad PORT CLIENTS PIPELINE
 * KEYSPACE TRANSACTIONS}. One virtual thread per client, blocking sockets.
 *
 * <p>Threading: {@link #main} starts the client threads and waits for them.
 */
final class TxLoad {

    static final String TEST = "multi";

    private TxLoad() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: TxLoad PORT CLIENTS PIPELINE KEYSPACE TRANSACTIONS");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        int clients = Integer.parseInt(args[1]);
        int pipeline = Integer.parseInt(args[2]);
        int keyspace = Integer.parseInt(args[3]);
        long total = Long.parseLong(args[4]);
        AtomicLong left = new AtomicLong(total);
        long[][] roundTrips = new long[clients][];
        Throwable[] failures = new Throwable[clients];
        Thread[] threads = new Thread[clients];
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            int me = c;
            threads[c] = Thread.ofVirtual().start(() -> {
                try {
                    roundTrips[me] = client(port, pipeline, keyspace, left, new SplittableRandom(me));
                } catch (IOException | RuntimeException e) {
                    failures[me] = e;
                }
            });
        }
        for (Thread t : threads) {
            t.join(); // join orders each thread's writes to its slots before the reads below
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        for (Throwable f : failures) {
            if (f != null) {
                System.err.println("TxLoad: " + f);
                System.exit(1);
            }
        }
        long[] all = Arrays.stream(roundTrips).flatMapToLong(Arrays::stream).sorted().toArray();
        System.out.println("\"test\",\"rps\",\"avg_latency_ms\",\"min_latency_ms\",\"p50_latency_ms\","
                + "\"p95_latency_ms\",\"p99_latency_ms\",\"max_latency_ms\"");
        System.out.println(String.format(Locale.ROOT, "\"MULTI\",\"%.2f\",\"0\",\"0\",\"%.3f\",\"0\",\"%.3f\",\"0\"",
                total / seconds, percentile(all, 0.50), percentile(all, 0.99)));
    }

    /** One client: pipelines of transactions until none is left; returns its round trips in ns. */
    private static long[] client(int port, int pipeline, int keyspace, AtomicLong left, SplittableRandom random)
            throws IOException {
        long[] rtts = new long[1024];
        int n = 0;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port));
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            InputStream in = new BufferedInputStream(s.getInputStream(), 64 << 10);
            StringBuilder req = new StringBuilder();
            while (true) {
                long got = left.getAndAdd(-pipeline);
                if (got <= 0) {
                    break;
                }
                int count = (int) Math.min(pipeline, got);
                req.setLength(0);
                for (int i = 0; i < count; i++) {
                    String key = "tx:" + random.nextInt(keyspace);
                    req.append("*1\r\n$5\r\nMULTI\r\n");
                    req.append("*2\r\n$4\r\nINCR\r\n$").append(key.length()).append("\r\n").append(key).append("\r\n");
                    req.append("*2\r\n$3\r\nGET\r\n$").append(key.length()).append("\r\n").append(key).append("\r\n");
                    req.append("*1\r\n$4\r\nEXEC\r\n");
                }
                long t0 = System.nanoTime();
                out.write(req.toString().getBytes(StandardCharsets.US_ASCII));
                out.flush();
                for (int i = 0; i < count; i++) {
                    expectLine(in, "+OK");
                    expectLine(in, "+QUEUED");
                    expectLine(in, "+QUEUED");
                    expectLine(in, "*2");
                    expectPrefix(in, ':');
                    skipBulk(in);
                }
                if (n == rtts.length) {
                    rtts = Arrays.copyOf(rtts, n * 2);
                }
                rtts[n++] = System.nanoTime() - t0;
            }
        }
        return Arrays.copyOf(rtts, n);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = in.read()) != '\r') {
            if (b < 0) {
                throw new IOException("the server closed the connection");
            }
            sb.append((char) b);
        }
        if (in.read() != '\n') {
            throw new IOException("a reply line without its LF");
        }
        return sb.toString();
    }

    private static void expectLine(InputStream in, String expected) throws IOException {
        String l = line(in);
        if (!l.equals(expected)) {
            throw new IOException("expected " + expected + ", got " + l);
        }
    }

    private static void expectPrefix(InputStream in, char prefix) throws IOException {
        String l = line(in);
        if (l.isEmpty() || l.charAt(0) != prefix) {
            throw new IOException("expected a reply of type " + prefix + ", got " + l);
        }
    }

    private static void skipBulk(InputStream in) throws IOException {
        String l = line(in);
        if (!l.startsWith("$")) {
            throw new IOException("expected a bulk string, got " + l);
        }
        int len = Integer.parseInt(l.substring(1));
        if (len >= 0) {
            in.skipNBytes(len + 2L);
        }
    }

    private static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1e6;
    }
}
