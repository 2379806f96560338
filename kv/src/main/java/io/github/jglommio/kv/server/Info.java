package io.github.jglommio.kv.server;

import io.github.jglommio.ExecutorStats;
import io.github.jglommio.IoStats;

import java.util.List;
import java.util.Locale;

/**
 * The text of INFO: Redis's sections (server, clients, stats, persistence, keyspace) with the
 * fields clients and tools read, plus a {@code shards} section with every shard's executor figures
 * ({@code LocalExecutor.stats()}: tasks, busy and sleep time, ring submissions and completions).
 * The figures are taken on each shard's own executor. Runs on a connection's task.
 */
final class Info {

    private static final List<String> DEFAULT = List.of("server", "clients", "stats", "persistence", "keyspace", "shards");

    private Info() {
    }

    static String render(Connection conn, List<String> asked) {
        List<String> sections = asked.isEmpty() || asked.contains("all") || asked.contains("everything")
                || asked.contains("default") ? DEFAULT : asked;
        KvServer server = conn.shard.server;
        List<Shard.Snapshot> snaps = server.snapshots();
        StringBuilder sb = new StringBuilder();
        for (String section : sections) {
            int before = sb.length();
            switch (section) {
                case "server" -> server(sb, server);
                case "clients" -> clients(sb, server, snaps);
                case "stats" -> stats(sb, snaps);
                case "persistence" -> persistence(sb, server, snaps);
                case "keyspace" -> keyspace(sb, snaps);
                case "shards" -> shards(sb, snaps);
                default -> {
                    // Redis answers unknown sections with nothing
                }
            }
            if (sb.length() > before) {
                sb.append("\r\n");
            }
        }
        return sb.toString();
    }

    private static void server(StringBuilder sb, KvServer server) {
        long uptime = (System.currentTimeMillis() - server.startMillis) / 1000;
        sb.append("# Server\r\n");
        line(sb, "redis_version", ServerCommands.REDIS_VERSION);
        line(sb, "jglommio_version", ServerCommands.JGLOMMIO_VERSION);
        line(sb, "redis_mode", "standalone");
        line(sb, "os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        line(sb, "arch_bits", "64");
        line(sb, "multiplexing_api", "io_uring");
        line(sb, "java_version", System.getProperty("java.version"));
        line(sb, "process_id", Long.toString(ProcessHandle.current().pid()));
        line(sb, "tcp_port", Integer.toString(server.port()));
        line(sb, "uptime_in_seconds", Long.toString(uptime));
        line(sb, "uptime_in_days", Long.toString(uptime / 86400));
        line(sb, "shards", Integer.toString(server.shards()));
        line(sb, "shard_hash", "crc16(key) % shards");
    }

    private static void clients(StringBuilder sb, KvServer server, List<Shard.Snapshot> snaps) {
        sb.append("# Clients\r\n");
        line(sb, "connected_clients", Integer.toString(server.clients.get()));
        line(sb, "maxclients", Integer.toString(server.config.maxClients()));
        for (Shard.Snapshot s : snaps) {
            line(sb, "shard" + s.shard() + "_clients", Integer.toString(s.connectedClients()));
        }
    }

    private static void stats(StringBuilder sb, List<Shard.Snapshot> snaps) {
        long commands = 0;
        long connections = 0;
        long rejected = 0;
        long remote = 0;
        long messages = 0;
        for (Shard.Snapshot s : snaps) {
            commands += s.commandsProcessed();
            connections += s.connectionsReceived();
            rejected += s.rejectedConnections();
            remote += s.remoteBatches();
            messages += s.remoteMessages();
        }
        sb.append("# Stats\r\n");
        line(sb, "total_connections_received", Long.toString(connections));
        line(sb, "total_commands_processed", Long.toString(commands));
        line(sb, "rejected_connections", Long.toString(rejected));
        line(sb, "cross_shard_batches", Long.toString(remote));
        line(sb, "cross_shard_messages", Long.toString(messages));
    }

    private static void persistence(StringBuilder sb, KvServer server, List<Shard.Snapshot> snaps) {
        sb.append("# Persistence\r\n");
        line(sb, "loading", "0");
        line(sb, "aof_enabled", server.config.appendOnly() ? "1" : "0");
        line(sb, "appendfsync", server.config.appendFsync());
        line(sb, "aof_last_write_status", server.diskError() == null ? "ok" : "err");
        for (Shard.Snapshot s : snaps) {
            line(sb, "shard" + s.shard() + "_aof", s.log());
        }
    }

    private static void keyspace(StringBuilder sb, List<Shard.Snapshot> snaps) {
        long keys = 0;
        long expires = 0;
        for (Shard.Snapshot s : snaps) {
            keys += s.keys();
            expires += s.expires();
        }
        sb.append("# Keyspace\r\n");
        if (keys > 0) {
            line(sb, "db0", "keys=" + keys + ",expires=" + expires + ",avg_ttl=0");
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
                    s.commandsProcessed(), s.remoteBatches(), s.completionBatch(), st.tasksSpawned(), st.taskRuns(), st.schedulerRuns(),
                    st.preemptions(), st.busyTime().toMillis(), st.sleepTime().toMillis(), st.sleeps(),
                    io.submissions(), io.completions(), io.inflight()));
        }
    }

    private static void line(StringBuilder sb, String name, String value) {
        sb.append(name).append(':').append(value).append("\r\n");
    }
}
