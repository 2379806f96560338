package io.github.jglommio.kv.server;

import io.github.jglommio.CpuSet;
import io.github.jglommio.IoUring;

import java.io.IOException;
import java.util.List;

/**
 * {@code ./jglommio demo}: starts the server with the command line's settings ({@link KvConfig}),
 * prints how to reach it, and serves until SIGINT or SIGTERM. Exit status 2 for bad options, 1
 * when the server cannot start.
 */
public final class KvMain {

    /**
     * The garbage collector settings {@code ./jglommio demo} starts this JVM with (the script's
     * {@code KV_JVM_FLAGS}; keep the two in step), chosen by measurement (README, "Memory"): G1,
     * which by itself gives nothing back after a 100 MB value is deleted (RSS stayed at 1 GB), with a
     * concurrent cycle after 5 s without a collection, which uncommits the free heap (RSS back to
     * 86-107 MB, measured with a 2 s interval), and a heap kept at most 30% free after it, so that idle memory follows the live data.
     * ZGC with {@code -XX:ZUncommitDelay=5} kept 980 MB: an idle server runs no ZGC cycle that would
     * uncommit.
     */
    public static final List<String> DEMO_JVM_FLAGS = List.of("-XX:+UseG1GC", "-XX:G1PeriodicGCInterval=5000",
            "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30");

    private KvMain() {
    }

    public static void main(String[] args) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.print(KvConfig.usage());
            return;
        }
        KvConfig config;
        try {
            config = KvConfig.parse(args);
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("jglommio kv: " + e.getMessage());
            System.err.print(KvConfig.usage());
            System.exit(2);
            return;
        }
        if (!IoUring.isAvailable()) {
            System.err.println("jglommio kv cannot run here: " + IoUring.unavailabilityCause().orElseThrow().getMessage());
            System.exit(1);
            return;
        }
        KvServer server;
        try {
            server = KvServer.start(config);
        } catch (IOException | RuntimeException e) {
            System.err.println("jglommio kv: could not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        server.shutdownOnExit();
        String host = config.bind().getHostAddress();
        System.out.printf("jglommio kv %s (Redis %s protocol) listening on %s:%d: %d shard(s), one executor each%s%n",
                ServerCommands.JGLOMMIO_VERSION, ServerCommands.REDIS_VERSION, host, server.port(), config.shards(),
                pinning(config));
        System.out.println(config.appendOnly()
                ? "persistence: an append-only log per shard in " + config.dir().toAbsolutePath() + ", appendfsync "
                        + config.appendFsync()
                : "persistence: off (appendonly no)");
        String hostArg = host.equals("127.0.0.1") ? "" : " -h " + host;
        System.out.printf("try:  redis-cli%s -p %d        (then: set hello world, get hello, info shards)%n", hostArg, server.port());
        System.out.printf("      redis-benchmark%s -p %d -t set,get -P 16 -q%n", hostArg, server.port());
        System.out.println("Ctrl-C (SIGINT) or SIGTERM stops it: listeners close, connections finish, logs are synced and closed.");
        server.awaitTermination();
    }

    /** What the banner says of pinning: KvServer pins only when every shard gets a CPU of its own. */
    static String pinning(KvConfig config) {
        int cpus = CpuSet.online().size();
        if (!config.pin()) {
            return ", unpinned";
        }
        return config.shards() <= cpus ? ", pinned one per CPU"
                : ", unpinned: " + config.shards() + " shards for " + cpus + " CPUs cannot be pinned one per CPU";
    }
}
