package io.github.jglommio.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One load of the {@code net} suite: echo messages of {@code size} bytes over {@code connections}
 * connections with {@code depth} outstanding on each (1: ping-pong), or HTTP/1.1 keep-alive GETs
 * from wrk over {@code connections} connections ({@code size} and {@code depth} unused, 0).
 */
record NetWorkload(boolean http, int size, int connections, int depth) {

    /** Messages in flight per connection when pipelined. */
    static final int PIPELINE_DEPTH = 16;

    /** The default subset: about 5 minutes with 4 peers, 3 rounds of 3 s. */
    static List<NetWorkload> quick(boolean withHttp) {
        List<NetWorkload> w = new ArrayList<>(List.of(
                echo(64, 1, 1), echo(64, 64, 1), echo(64, 256, 1),
                echo(64, 64, PIPELINE_DEPTH), echo(4096, 64, 1)));
        if (withHttp) {
            w.add(http(64));
        }
        return w;
    }

    /** {@code --full}: 64 B and 4 KiB x 1, 16, 64, 256 connections x ping-pong and pipelined; HTTP at 16, 64, 256. */
    static List<NetWorkload> full(boolean withHttp) {
        List<NetWorkload> w = new ArrayList<>();
        for (int size : new int[] {64, 4096}) {
            for (int depth : new int[] {1, PIPELINE_DEPTH}) {
                for (int c : new int[] {1, 16, 64, 256}) {
                    w.add(echo(size, c, depth));
                }
            }
        }
        if (withHttp) {
            for (int c : new int[] {16, 64, 256}) {
                w.add(http(c));
            }
        }
        return w;
    }

    static NetWorkload echo(int size, int connections, int depth) {
        return new NetWorkload(false, size, connections, depth);
    }

    static NetWorkload http(int connections) {
        return new NetWorkload(true, 0, connections, 0);
    }

    /** Parses a {@code --workloads} item: {@code SIZExCONNS}, {@code SIZExCONNSpDEPTH} or {@code httpCONNS}. */
    static NetWorkload parse(String spec) {
        try {
            if (spec.startsWith("http")) {
                return http(Integer.parseInt(spec.substring(4)));
            }
            int x = spec.indexOf('x');
            int p = spec.indexOf('p');
            int size = Integer.parseInt(spec.substring(0, x));
            int conns = Integer.parseInt(spec.substring(x + 1, p < 0 ? spec.length() : p));
            int depth = p < 0 ? 1 : Integer.parseInt(spec.substring(p + 1));
            if (size < 1 || conns < 1 || depth < 1) {
                throw new NumberFormatException("not positive");
            }
            return echo(size, conns, depth);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("bad workload '" + spec
                    + "': expected SIZExCONNS, SIZExCONNSpDEPTH or httpCONNS, e.g. 64x64, 64x64p16, http64");
        }
    }

    String label() {
        if (http) {
            return String.format(Locale.ROOT, "http wrk -t1 -c%d", connections);
        }
        String bytes = size >= 1024 && size % 1024 == 0 ? size / 1024 + " KiB" : size + " B";
        return String.format(Locale.ROOT, "echo %s x %d conn%s, %s", bytes, connections, connections == 1 ? "" : "s",
                depth == 1 ? "ping-pong" : "pipelined x" + depth);
    }
}
