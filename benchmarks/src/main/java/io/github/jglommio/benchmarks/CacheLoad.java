package io.github.jglommio.benchmarks;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A cache load over {@code maxmemory}, for the kv suite's {@code maxmemory} pairing: each client
 * draws keys from a skewed distribution and sends {@code GET key}, then {@code SET key value} when
 * the GET missed, as a look-aside cache does. The hit rate is what the eviction policy earns under
 * the memory bound; the same seeds give both servers the same key sequences.
 *
 * <p>Threading: {@link #run} starts one virtual thread per client and waits for them; the
 * distributions are immutable and shared.
 */
final class CacheLoad {

    /** A key distribution over {@code 0..keys-1}. */
    interface Distribution {
        /** @return the next key index */
        int next(SplittableRandom random);

        /** @return a short name for the table */
        String name();
    }

    /** Zipf with exponent {@code s}: key i has weight {@code 1 / (i + 1)^s}; drawn by binary search of the CDF. */
    static Distribution zipf(int keys, double s) {
        double[] cdf = new double[keys];
        double sum = 0;
        for (int i = 0; i < keys; i++) {
            sum += 1.0 / Math.pow(i + 1, s);
            cdf[i] = sum;
        }
        for (int i = 0; i < keys; i++) {
            cdf[i] /= sum;
        }
        return new Distribution() {
            @Override
            public int next(SplittableRandom random) {
                int i = Arrays.binarySearch(cdf, random.nextDouble());
                return Math.min(keys - 1, i >= 0 ? i : -i - 1);
            }

            @Override
            public String name() {
                return "zipf " + s;
            }
        };
    }

    /** {@code hotShare} of the requests go to the first {@code hotKeys} share of the keys, uniformly; the rest to the others. */
    static Distribution hotCold(int keys, double hotKeys, double hotShare) {
        int hot = Math.max(1, (int) (keys * hotKeys));
        return new Distribution() {
            @Override
            public int next(SplittableRandom random) {
                return random.nextDouble() < hotShare ? random.nextInt(hot) : hot + random.nextInt(keys - hot);
            }

            @Override
            public String name() {
                return String.format(java.util.Locale.ROOT, "hot/cold %.0f%%/%.0f%%", hotShare * 100, hotKeys * 100);
            }
        };
    }

    /** What a run measured: GETs sent, of which hits, and the seconds it took. */
    record Result(long gets, long hits, double seconds) {
        double hitRate() {
            return gets == 0 ? 0 : (double) hits / gets;
        }
    }

    private CacheLoad() {
    }

    /**
     * Runs {@code gets} GETs (and the SETs of the misses) over {@code clients} connections.
     *
     * @param valueBytes the size of each value SET on a miss
     * @param seed the first client's seed; client c uses seed + c
     */
    static Result run(int port, int clients, Distribution dist, int valueBytes, long gets, long seed)
            throws IOException, InterruptedException {
        AtomicLong left = new AtomicLong(gets);
        long[] hits = new long[clients];
        long[] sent = new long[clients];
        IOException[] failures = new IOException[clients];
        Thread[] threads = new Thread[clients];
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            int me = c;
            threads[c] = Thread.ofVirtual().start(() -> {
                try {
                    client(port, dist, valueBytes, left, new SplittableRandom(seed + me), hits, sent, me);
                } catch (IOException e) {
                    failures[me] = e;
                }
            });
        }
        for (Thread t : threads) {
            t.join(); // orders each thread's writes to its slots before the reads below
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        for (IOException f : failures) {
            if (f != null) {
                throw f;
            }
        }
        return new Result(Arrays.stream(sent).sum(), Arrays.stream(hits).sum(), seconds);
    }

    private static void client(int port, Distribution dist, int valueBytes, AtomicLong left, SplittableRandom random,
                               long[] hits, long[] sent, int me) throws IOException {
        byte[] value = new byte[valueBytes];
        Arrays.fill(value, (byte) 'v');
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port));
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            InputStream in = new BufferedInputStream(s.getInputStream(), 64 << 10);
            while (left.getAndDecrement() > 0) {
                byte[] key = ("cache:" + dist.next(random)).getBytes(StandardCharsets.US_ASCII);
                out.write(command(key, null));
                out.flush();
                sent[me]++;
                if (bulk(in) >= 0) {
                    hits[me]++;
                    continue;
                }
                out.write(command(key, value));
                out.flush();
                String ok = line(in);
                if (!ok.equals("+OK")) {
                    throw new IOException("SET answered " + ok);
                }
            }
        }
    }

    /** {@code GET key}, or {@code SET key value} when a value is given. */
    private static byte[] command(byte[] key, byte[] value) {
        StringBuilder sb = new StringBuilder();
        sb.append(value == null ? "*2\r\n$3\r\nGET\r\n" : "*3\r\n$3\r\nSET\r\n");
        sb.append('$').append(key.length).append("\r\n").append(new String(key, StandardCharsets.US_ASCII)).append("\r\n");
        if (value != null) {
            sb.append('$').append(value.length).append("\r\n").append(new String(value, StandardCharsets.US_ASCII))
                    .append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** One command's reply as text: a simple line, or a bulk string's content (null bulk: null). */
    static String call(int port, String... args) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port));
            OutputStream out = s.getOutputStream();
            InputStream in = new BufferedInputStream(s.getInputStream());
            StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
            for (String a : args) {
                sb.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
            }
            out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            String l = line(in);
            if (!l.startsWith("$")) {
                return l;
            }
            int len = Integer.parseInt(l.substring(1));
            if (len < 0) {
                return null;
            }
            byte[] b = in.readNBytes(len);
            in.skipNBytes(2);
            return new String(b, StandardCharsets.UTF_8);
        }
    }

    /** A field of an INFO section, e.g. {@code used_memory}; -1 when absent. */
    static long info(int port, String section, String field) throws IOException {
        String text = call(port, "INFO", section);
        for (String l : text.split("\r\n")) {
            if (l.startsWith(field + ":")) {
                return Long.parseLong(l.substring(field.length() + 1).strip());
            }
        }
        return -1;
    }

    /** Reads a bulk reply, skipping its content; returns its length (-1: null). */
    private static int bulk(InputStream in) throws IOException {
        String l = line(in);
        if (!l.startsWith("$")) {
            throw new IOException("expected a bulk string, got " + l);
        }
        int len = Integer.parseInt(l.substring(1));
        if (len >= 0) {
            in.skipNBytes(len + 2L);
        }
        return len;
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
}
