package io.github.jglommio.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The kv suite's {@code maxmemory} pairing: both servers bounded by the same {@code maxmemory}
 * serve a look-aside cache load ({@link CacheLoad}: GET, then SET on a miss) over a keyspace several
 * times larger than the bound, for each eviction policy and key distribution. Prints, per
 * combination, both hit rates (medians over the rounds), what each server reports as used_memory
 * against its maxmemory, the keys each holds at the end and the keys each evicted.
 *
 * <p>Each combination starts from an empty cache (FLUSHALL, CONFIG RESETSTAT), fills it with a
 * warm-up of half the run's GETs, then measures. The two servers run one after the other, the order
 * reversed every other round. The used_memory figures differ in kind: Redis's is its allocator's
 * count (with about 0.9 MB of its own overhead), ours the shards' estimate of their keys and values
 * (kv/README.md, "Memory"), so at the same bound the servers hold different numbers of keys.
 *
 * <p>Threading: the calling thread; the load runs on virtual threads in this JVM.
 */
final class CacheSuite {
    /** The bound both servers get. */
    static final String MAXMEMORY = "4mb";
    private static final int KEYS = 200_000;
    private static final int VALUE_BYTES = 100;
    private static final int CLIENTS = 8;

    private record Combo(String policy, CacheLoad.Distribution dist) {
    }

    private CacheSuite() {
    }

    /** The servers' options of the pairing (both alike). */
    static List<String> serverOptions() {
        return List.of("--appendonly", "no", "--maxmemory", MAXMEMORY, "--maxmemory-policy", "allkeys-lru");
    }

    static int run(PrintStream out, int[] ports, int rounds, long gets) throws IOException, InterruptedException {
        CacheLoad.Distribution zipf = CacheLoad.zipf(KEYS, 0.99);
        CacheLoad.Distribution hotCold = CacheLoad.hotCold(KEYS, 0.1, 0.9);
        List<Combo> combos = List.of(new Combo("allkeys-lru", zipf), new Combo("allkeys-lfu", zipf),
                new Combo("allkeys-random", zipf), new Combo("allkeys-lru", hotCold), new Combo("allkeys-lfu", hotCold));
        // [combo][peer][round]
        double[][][] hitRates = new double[combos.size()][2][rounds];
        double[][][] rps = new double[combos.size()][2][rounds];
        long[][][] last = new long[combos.size()][2][]; // used_memory, maxmemory, keys, evicted_keys
        for (int r = 0; r < rounds; r++) {
            out.printf("  round %d/%d:", r + 1, rounds);
            for (int c = 0; c < combos.size(); c++) {
                Combo combo = combos.get(c);
                for (int k = 0; k < 2; k++) {
                    int peer = r % 2 == 0 ? k : 1 - k;
                    int port = ports[peer];
                    CacheLoad.call(port, "CONFIG", "SET", "maxmemory-policy", combo.policy());
                    CacheLoad.call(port, "FLUSHALL");
                    CacheLoad.call(port, "CONFIG", "RESETSTAT");
                    CacheLoad.run(port, CLIENTS, combo.dist(), VALUE_BYTES, gets / 2, 1000L * r + 7);
                    CacheLoad.Result res = CacheLoad.run(port, CLIENTS, combo.dist(), VALUE_BYTES, gets, 1000L * r + 99);
                    hitRates[c][peer][r] = res.hitRate();
                    rps[c][peer][r] = res.gets() / res.seconds();
                    last[c][peer] = new long[] {CacheLoad.info(port, "memory", "used_memory"),
                            CacheLoad.info(port, "memory", "maxmemory"),
                            Long.parseLong(CacheLoad.call(port, "DBSIZE").substring(1)),
                            CacheLoad.info(port, "stats", "evicted_keys")};
                }
                out.print(".");
            }
            out.println();
        }
        out.printf("%nkv, pairing maxmemory: a look-aside cache (GET, SET of %d bytes on a miss) over %,d keys, %d"
                + " clients, maxmemory %s on both; hit rates are medians of %d rounds of %,d GETs after a warm-up of"
                + " %,d; memory, keys and evictions as the last round left them%n", VALUE_BYTES, KEYS, CLIENTS,
                MAXMEMORY, rounds, gets, gets / 2);
        TextTable table = new TextTable("policy", "keys drawn", "hit rate jglommio", "hit rate redis",
                "used_memory jglommio", "used_memory redis", "keys jglommio", "keys redis", "evicted jglommio",
                "evicted redis", "GET/s jglommio", "GET/s redis").labelColumns(2);
        for (int c = 0; c < combos.size(); c++) {
            Combo combo = combos.get(c);
            long[] ours = last[c][0];
            long[] theirs = last[c][1];
            table.add(combo.policy(), combo.dist().name(),
                    percent(Medians.median(hitRates[c][0])), percent(Medians.median(hitRates[c][1])),
                    memory(ours[0], ours[1]), memory(theirs[0], theirs[1]),
                    String.format(Locale.ROOT, "%,d", ours[2]), String.format(Locale.ROOT, "%,d", theirs[2]),
                    String.format(Locale.ROOT, "%,d", ours[3]), String.format(Locale.ROOT, "%,d", theirs[3]),
                    String.format(Locale.ROOT, "%,.0f", Medians.median(rps[c][0])),
                    String.format(Locale.ROOT, "%,.0f", Medians.median(rps[c][1])));
        }
        table.print(out, "  ");
        List<String> over = new ArrayList<>();
        for (int c = 0; c < combos.size(); c++) {
            if (last[c][0][0] > last[c][0][1]) {
                over.add(combos.get(c).policy() + " " + combos.get(c).dist().name());
            }
        }
        out.println(over.isEmpty() ? "  jglommio held used_memory <= maxmemory in every combination"
                : "  jglommio OVER its maxmemory in: " + String.join(", ", over));
        return over.isEmpty() ? 0 : 1;
    }

    private static String percent(double v) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    private static String memory(long used, long max) {
        return String.format(Locale.ROOT, "%.1f/%.1f MB", used / 1048576.0, max / 1048576.0);
    }
}
