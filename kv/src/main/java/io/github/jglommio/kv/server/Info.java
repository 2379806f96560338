package io.github.jglommio.kv.server;

import io.github.jglommio.ExecutorStats;
import io.github.jglommio.IoStats;
import io.github.jglommio.kv.command.CommandSpec;
import io.github.jglommio.kv.command.CommandTable;
import io.github.jglommio.kv.store.Keyspace;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The text of INFO, with Redis 7.0's section and field names, in Redis's section order; sections
 * asked for by name (any case, several at once), or the groups {@code default}, {@code all} and
 * {@code everything}. Beside Redis's, a {@code shards} section (in every group) gives each shard's
 * executor figures ({@code LocalExecutor.stats()}), and a few fields carry this server's own figures
 * ({@code shardN_clients}, {@code shardN_aof}, {@code cross_shard_*}, {@code jvm_*}).
 *
 * <p>What the figures mean here: {@code used_memory} is the JVM heap in use (all shards share one
 * heap; Redis counts its allocator's bytes), {@code used_memory_peak} the most seen by INFO,
 * {@code used_memory_rss} the process's resident set; commandstats time is measured around each
 * command's execution on its shard, so it leaves out parsing and the hop between shards; the
 * keyspace line's {@code avg_ttl} is exact, not sampled. Fields Redis has for things this server
 * does not do (RDB fork, replication backlog, Lua) are left out or carry their idle values.
 *
 * <p>Threading: the calling connection's task; per-shard figures are taken on each shard.
 */
final class Info {

    private static final List<String> ORDER = List.of("server", "clients", "memory", "persistence", "stats",
            "replication", "cpu", "modules", "commandstats", "errorstats", "cluster", "keyspace", "shards");
    private static final List<String> DEFAULT = List.of("server", "clients", "memory", "persistence", "stats",
            "replication", "cpu", "modules", "errorstats", "cluster", "keyspace", "shards");
    /** Redis reports a run id and a replication id: random per start. */
    private static final String RUN_ID = randomHex();
    private static final String REPL_ID = randomHex();
    private static long peakUsedMemory;

    private Info() {
    }

    /** The sections to print for INFO's arguments (lower case), in Redis's order. */
    static List<String> sections(List<String> asked) {
        Set<String> want = new LinkedHashSet<>();
        if (asked.isEmpty()) {
            want.addAll(DEFAULT);
        }
        for (String a : asked) {
            switch (a) {
                case "default" -> want.addAll(DEFAULT);
                case "all", "everything" -> want.addAll(ORDER);
                default -> want.add(a);
            }
        }
        List<String> out = new ArrayList<>();
        for (String s : ORDER) {
            if (want.contains(s)) {
                out.add(s);
            }
        }
        return out;
    }

    static String render(Connection conn, List<String> asked) {
        List<String> sections = sections(asked);
        KvServer server = conn.shard.server;
        Figures f = new Figures(server, sections);
        List<String> parts = new ArrayList<>();
        for (String section : sections) {
            StringBuilder sb = new StringBuilder();
            switch (section) {
                case "server" -> server(sb, server);
                case "clients" -> clients(sb, server, f.snaps.get());
                case "memory" -> memory(sb, server, f.snaps.get());
                case "persistence" -> persistence(sb, server, f.snaps.get());
                case "stats" -> stats(sb, f.snaps.get(), f.commands.get(), server.pubsubCounts,
                        server.outputLimitDisconnections.get());
                case "replication" -> replication(sb);
                case "cpu" -> cpu(sb);
                case "modules" -> sb.append("# Modules\r\n");
                case "commandstats" -> commandstats(sb, f.commands.get());
                case "errorstats" -> errorstats(sb, f.commands.get());
                case "cluster" -> sb.append("# Cluster\r\n").append("cluster_enabled:0\r\n");
                case "keyspace" -> keyspace(sb, f.keyspace.get());
                case "shards" -> shards(sb, f.snaps.get());
                default -> {
                }
            }
            parts.add(sb.toString());
        }
        return String.join("\r\n", parts);
    }

    /** The per-shard figures, each gathered once and only if a section needs it. */
    private static final class Figures {
        final Supplier<List<Shard.Snapshot>> snaps;
        final Supplier<CommandStats.Snapshot> commands;
        /** Per database: keys, expires, sum of the remaining TTLs in ms. */
        final Supplier<long[][]> keyspace;

        Figures(KvServer server, List<String> sections) {
            snaps = memo(server::snapshots);
            commands = memo(() -> CommandStats.gather(server));
            keyspace = memo(() -> {
                long[][] sum = new long[server.config.databases()][3];
                server.onEveryShard(sh -> {
                    long now = System.currentTimeMillis();
                    long[][] mine = new long[sum.length][3];
                    for (int db = 0; db < sum.length; db++) {
                        Keyspace ks = sh.dbs.peek(db);
                        if (ks == null) {
                            continue;
                        }
                        long[] one = mine[db];
                        ks.forEachLive((key, value, expireAt) -> {
                            one[0]++;
                            if (expireAt != Keyspace.NO_EXPIRY) {
                                one[1]++;
                                one[2] += Math.max(0, expireAt - now);
                            }
                        });
                    }
                    synchronized (sum) {
                        for (int db = 0; db < sum.length; db++) {
                            for (int i = 0; i < 3; i++) {
                                sum[db][i] += mine[db][i];
                            }
                        }
                    }
                });
                return sum;
            });
        }

        private static <T> Supplier<T> memo(Supplier<T> s) {
            return new Supplier<>() {
                private T value;

                @Override
                public T get() {
                    if (value == null) {
                        value = s.get();
                    }
                    return value;
                }
            };
        }
    }

    private static void server(StringBuilder sb, KvServer server) {
        long now = System.currentTimeMillis();
        long uptime = (now - server.startMillis) / 1000;
        Admin admin = server.admin;
        sb.append("# Server\r\n");
        line(sb, "redis_version", ServerCommands.REDIS_VERSION);
        line(sb, "redis_git_sha1", "00000000");
        line(sb, "redis_git_dirty", "0");
        line(sb, "redis_mode", "standalone");
        line(sb, "os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        line(sb, "arch_bits", "64");
        line(sb, "monotonic_clock", "System.nanoTime");
        line(sb, "multiplexing_api", "io_uring");
        line(sb, "process_id", Long.toString(ProcessHandle.current().pid()));
        line(sb, "process_supervised", "no");
        line(sb, "run_id", RUN_ID);
        line(sb, "tcp_port", Integer.toString(server.port()));
        line(sb, "server_time_usec", Long.toString(now * 1000));
        line(sb, "uptime_in_seconds", Long.toString(uptime));
        line(sb, "uptime_in_days", Long.toString(uptime / 86400));
        line(sb, "hz", admin.config.get("hz"));
        line(sb, "configured_hz", admin.config.get("hz"));
        line(sb, "executable", ProcessHandle.current().info().command().orElse(""));
        line(sb, "config_file", "");
        line(sb, "io_threads_active", "0");
        line(sb, "jglommio_version", ServerCommands.JGLOMMIO_VERSION);
        line(sb, "java_version", System.getProperty("java.version"));
        line(sb, "shards", Integer.toString(server.shards()));
        line(sb, "shard_hash", "crc16(key) % shards");
    }

    private static void clients(StringBuilder sb, KvServer server, List<Shard.Snapshot> snaps) {
        sb.append("# Clients\r\n");
        line(sb, "connected_clients", Integer.toString(server.clients.get()));
        line(sb, "cluster_connections", "0");
        line(sb, "maxclients", Long.toString(server.admin.config.maxClients()));
        line(sb, "client_recent_max_input_buffer", "0");
        line(sb, "client_recent_max_output_buffer", "0");
        line(sb, "blocked_clients", Integer.toString(server.blocked.count() + server.admin.pause.waiting()));
        line(sb, "tracking_clients", "0");
        line(sb, "clients_in_timeout_table", Integer.toString(server.blocked.timed()));
        for (Shard.Snapshot s : snaps) {
            line(sb, "shard" + s.shard() + "_clients", Integer.toString(s.connectedClients()));
        }
    }

    /**
     * used_memory is what maxmemory bounds: the shards' estimates of their keys and values
     * ({@link io.github.jglommio.kv.store.Keyspace#usedBytes()}), not the JVM heap, which the
     * jvm_heap_* lines give; the peak is of used_memory since the process started.
     */
    private static void memory(StringBuilder sb, KvServer server, List<Shard.Snapshot> snaps) {
        Runtime rt = Runtime.getRuntime();
        long heapUsed = rt.totalMemory() - rt.freeMemory();
        long used = 0;
        for (Shard.Snapshot s : snaps) {
            used += s.usedMemory();
        }
        long peak;
        synchronized (Info.class) {
            peakUsedMemory = Math.max(peakUsedMemory, used);
            peak = peakUsedMemory;
        }
        long rss = residentSetBytes();
        long total = totalSystemMemory();
        String maxmemory = server.admin.config.get("maxmemory");
        sb.append("# Memory\r\n");
        line(sb, "used_memory", Long.toString(used));
        line(sb, "used_memory_human", human(used));
        line(sb, "used_memory_rss", Long.toString(rss));
        line(sb, "used_memory_rss_human", human(rss));
        line(sb, "used_memory_peak", Long.toString(peak));
        line(sb, "used_memory_peak_human", human(peak));
        line(sb, "used_memory_peak_perc", String.format(Locale.ROOT, "%.2f%%", peak == 0 ? 0 : 100.0 * used / peak));
        line(sb, "used_memory_dataset", Long.toString(used));
        line(sb, "used_memory_dataset_perc", used == 0 ? "0.00%" : "100.00%");
        line(sb, "total_system_memory", Long.toString(total));
        line(sb, "total_system_memory_human", human(total));
        line(sb, "maxmemory", maxmemory);
        line(sb, "maxmemory_human", human(Long.parseUnsignedLong(maxmemory)));
        line(sb, "maxmemory_policy", server.admin.config.get("maxmemory-policy"));
        line(sb, "mem_fragmentation_ratio", String.format(Locale.ROOT, "%.2f", used == 0 ? 0 : (double) rss / used));
        line(sb, "mem_not_counted_for_evict", "0");
        line(sb, "mem_allocator", "jvm");
        long lazyFreed = 0;
        for (Shard.Snapshot s : snaps) {
            lazyFreed += s.lazyFreed();
        }
        // Nothing waits to be freed: values Redis would free in the background are the collector's at once.
        line(sb, "lazyfree_pending_objects", "0");
        line(sb, "lazyfreed_objects", Long.toString(lazyFreed));
        line(sb, "jvm_heap_used", Long.toString(heapUsed));
        line(sb, "jvm_heap_committed", Long.toString(rt.totalMemory()));
        line(sb, "jvm_heap_max", Long.toString(rt.maxMemory()));
        for (Shard.Snapshot s : snaps) {
            line(sb, "shard" + s.shard() + "_used_memory", Long.toString(s.usedMemory()));
        }
    }

    private static void persistence(StringBuilder sb, KvServer server, List<Shard.Snapshot> snaps) {
        int rewriting = 0;
        long rewrites = 0;
        long changes = 0;
        for (Shard.Snapshot s : snaps) {
            changes += s.changesSinceSave();
            rewriting += field(s.log(), "rewrite_in_progress");
            rewrites += field(s.log(), "rewrites");
        }
        boolean aof = server.config.appendOnly();
        sb.append("# Persistence\r\n");
        line(sb, "loading", "0");
        line(sb, "async_loading", "0");
        line(sb, "rdb_changes_since_last_save", Long.toString(changes));
        line(sb, "rdb_bgsave_in_progress", "0");
        line(sb, "rdb_last_save_time", Long.toString(server.admin.lastSaveSeconds));
        line(sb, "rdb_last_bgsave_status", "ok");
        line(sb, "rdb_saves", "0");
        line(sb, "aof_enabled", aof ? "1" : "0");
        line(sb, "aof_rewrite_in_progress", rewriting > 0 ? "1" : "0");
        line(sb, "aof_rewrite_scheduled", "0");
        line(sb, "aof_last_bgrewrite_status", "ok");
        line(sb, "aof_rewrites", Long.toString(rewrites));
        line(sb, "aof_last_write_status", server.diskError() == null ? "ok" : "err");
        line(sb, "appendfsync", server.admin.config.get("appendfsync"));
        for (Shard.Snapshot s : snaps) {
            line(sb, "shard" + s.shard() + "_aof", s.log());
        }
    }

    /** A number from a shard log's description ({@code name=N}), 0 when absent. */
    private static long field(String description, String name) {
        for (String part : description.split(",")) {
            if (part.startsWith(name + "=")) {
                try {
                    return Long.parseLong(part.substring(name.length() + 1));
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    private static void stats(StringBuilder sb, List<Shard.Snapshot> snaps, CommandStats.Snapshot commands,
                              PubSubCounts pubsub, long outputLimitDisconnections) {
        long connections = 0;
        long rejected = 0;
        long remote = 0;
        long messages = 0;
        long evicted = 0;
        for (Shard.Snapshot s : snaps) {
            evicted += s.evictedKeys();
            connections += s.connectionsReceived();
            rejected += s.rejectedConnections();
            remote += s.remoteBatches();
            messages += s.remoteMessages();
        }
        sb.append("# Stats\r\n");
        line(sb, "total_connections_received", Long.toString(connections));
        line(sb, "total_commands_processed", Long.toString(commands.totalCalls()));
        line(sb, "rejected_connections", Long.toString(rejected));
        line(sb, "evicted_keys", Long.toString(evicted));
        line(sb, "evicted_clients", "0");
        line(sb, "pubsub_channels", Integer.toString(pubsub.size(SubscriptionKind.CHANNEL)));
        line(sb, "pubsub_patterns", Integer.toString(pubsub.size(SubscriptionKind.PATTERN)));
        line(sb, "pubsubshard_channels", Integer.toString(pubsub.size(SubscriptionKind.SHARD)));
        line(sb, "total_error_replies", Long.toString(commands.errorReplies()));
        line(sb, "cross_shard_batches", Long.toString(remote));
        line(sb, "cross_shard_messages", Long.toString(messages));
        // Not in Redis 7.0 (later Redis versions count the same under this name).
        line(sb, "client_output_buffer_limit_disconnections", Long.toString(outputLimitDisconnections));
    }

    private static void replication(StringBuilder sb) {
        sb.append("# Replication\r\n");
        line(sb, "role", "master");
        line(sb, "connected_slaves", "0");
        line(sb, "master_failover_state", "no-failover");
        line(sb, "master_replid", REPL_ID);
        line(sb, "master_replid2", "0".repeat(40));
        line(sb, "master_repl_offset", "0");
        line(sb, "second_repl_offset", "-1");
        line(sb, "repl_backlog_active", "0");
        line(sb, "repl_backlog_size", "1048576");
        line(sb, "repl_backlog_first_byte_offset", "0");
        line(sb, "repl_backlog_histlen", "0");
    }

    private static void cpu(StringBuilder sb) {
        double[] userSys = cpuSeconds();
        sb.append("# CPU\r\n");
        line(sb, "used_cpu_sys", String.format(Locale.ROOT, "%.6f", userSys[1]));
        line(sb, "used_cpu_user", String.format(Locale.ROOT, "%.6f", userSys[0]));
        line(sb, "used_cpu_sys_children", "0.000000");
        line(sb, "used_cpu_user_children", "0.000000");
    }

    private static void commandstats(StringBuilder sb, CommandStats.Snapshot s) {
        sb.append("# Commandstats\r\n");
        Map<String, long[]> rows = new TreeMap<>();
        List<CommandSpec> all = CommandTable.all();
        for (int i = 0; i < all.size(); i++) {
            if (s.calls()[i] + s.rejected()[i] + s.failed()[i] > 0) {
                rows.put(all.get(i).name(), new long[] {s.calls()[i], s.nanos()[i], s.rejected()[i], s.failed()[i]});
            }
        }
        s.subcommands().forEach((name, v) -> rows.put(name, v.clone()));
        rows.forEach((name, v) -> {
            long usec = v[1] / 1000;
            line(sb, "cmdstat_" + name, String.format(Locale.ROOT,
                    "calls=%d,usec=%d,usec_per_call=%.2f,rejected_calls=%d,failed_calls=%d",
                    v[0], usec, v[0] == 0 ? 0.0 : (double) usec / v[0], v[2], v[3]));
        });
    }

    private static void errorstats(StringBuilder sb, CommandStats.Snapshot s) {
        sb.append("# Errorstats\r\n");
        new TreeMap<>(s.errors()).forEach((code, n) -> line(sb, "errorstat_" + code, "count=" + n));
    }

    private static void keyspace(StringBuilder sb, long[][] dbs) {
        sb.append("# Keyspace\r\n");
        for (int db = 0; db < dbs.length; db++) {
            long[] k = dbs[db];
            if (k[0] > 0) {
                line(sb, "db" + db, "keys=" + k[0] + ",expires=" + k[1] + ",avg_ttl=" + (k[1] == 0 ? 0 : k[2] / k[1]));
            }
        }
    }

    private static void shards(StringBuilder sb, List<Shard.Snapshot> snaps) {
        sb.append("# Shards\r\n");
        for (Shard.Snapshot s : snaps) {
            ExecutorStats st = s.stats();
            IoStats io = st.io();
            line(sb, "shard" + s.shard(), String.format(Locale.ROOT,
                    "executor=%s,cpu=%s,keys=%d,clients=%d,commands=%d,cross_shard_batches_in=%d,completion_batch=%d,"
                            + "tasks_spawned=%d,"
                            + "task_runs=%d,scheduler_runs=%d,preemptions=%d,busy_ms=%d,sleep_ms=%d,sleeps=%d,"
                            + "ring_submissions=%d,ring_completions=%d,ring_inflight=%d",
                    s.executor(), s.cpu() < 0 ? "unpinned" : Integer.toString(s.cpu()), s.keys(), s.connectedClients(),
                    s.commandsProcessed(), s.remoteBatches(), s.completionBatch(), st.tasksSpawned(), st.taskRuns(),
                    st.schedulerRuns(), st.preemptions(), st.busyTime().toMillis(), st.sleepTime().toMillis(),
                    st.sleeps(), io.submissions(), io.completions(), io.inflight()));
        }
    }

    // ---------------------------------------------------------------- figures of the process

    /** Redis's human-readable size: bytes, then K, M, G... with two decimals. */
    static String human(long n) {
        if (n < 1024) {
            return n + "B";
        }
        String units = "KMGTPE";
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length() - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.2f%c", v, units.charAt(u));
    }

    private static long residentSetBytes() {
        try {
            String[] statm = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
            return Long.parseLong(statm[1]) * 4096;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static long totalSystemMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return 0;
    }

    /** {user, system} CPU seconds of the process, from /proc/self/stat (clock ticks of 1/100 s). */
    private static double[] cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // After the command: state is field 3, utime field 14, stime field 15 (1-based in proc(5)).
            return new double[] {Long.parseLong(f[11]) / 100.0, Long.parseLong(f[12]) / 100.0};
        } catch (IOException | RuntimeException e) {
            return new double[] {0, 0};
        }
    }

    private static String randomHex() {
        java.security.SecureRandom r = new java.security.SecureRandom();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            sb.append(Character.forDigit(r.nextInt(16), 16));
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, String name, String value) {
        sb.append(name).append(':').append(value).append("\r\n");
    }
}
