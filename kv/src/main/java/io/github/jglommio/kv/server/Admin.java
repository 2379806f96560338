package io.github.jglommio.kv.server;

import io.github.jglommio.kv.command.CommandSpec;
import io.github.jglommio.kv.resp.Command;

/**
 * The server-wide state behind the server commands: the configuration as CONFIG SET leaves it, the
 * slow log, the latency monitor, the MONITOR clients, CLIENT PAUSE, the time of the last save, and
 * the hooks the connections call around each command ({@link #refusal}, {@link #mustWait},
 * {@link #planned}). One per {@link KvServer}.
 *
 * <p>Threading: any thread; each part says how it is guarded.
 */
final class Admin {

    final KvServer server;
    final LiveConfig config;
    final SlowLog slowlog;
    final LatencyMonitor latency;
    final Monitors monitors = new Monitors();
    final Pause pause = new Pause();
    /** Unix seconds of the last successful save (SAVE, BGSAVE): the start time until one happened, as in Redis. */
    volatile long lastSaveSeconds = System.currentTimeMillis() / 1000;

    Admin(KvServer server, KvConfig config) {
        this.server = server;
        this.config = new LiveConfig(config, server::port);
        this.slowlog = new SlowLog(this.config);
        this.latency = new LatencyMonitor(this.config);
    }

    /**
     * Checked for a command that passed authentication and arity: the error it gets instead of
     * running, or null. A MONITOR client may not touch the keyspace, as a Redis replica may not.
     */
    String refusal(Connection conn, CommandSpec spec) {
        if (conn.client.monitor != null && (spec.isWrite() || spec.flags().contains("readonly")
                || spec.flags().contains("may_replicate"))) {
            return "ERR Replica can't interact with the keyspace";
        }
        return null;
    }

    /** Whether {@code spec} must wait for a CLIENT PAUSE; the connection answers what came before, then {@link Pause#await}s. */
    boolean mustWait(Connection conn, CommandSpec spec) {
        return pause.blocks(spec, conn);
    }

    /** {@code c} is about to run for {@code conn}: CLIENT LIST's cmd field and the MONITOR feed. */
    void planned(Connection conn, CommandSpec spec, Command c) {
        conn.client.command(spec, c);
        conn.shard.stats.planned(spec);
        if (monitors.active()) {
            monitors.feed(conn, spec, c);
        }
    }
}
