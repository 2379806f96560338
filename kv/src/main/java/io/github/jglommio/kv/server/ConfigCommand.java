package io.github.jglommio.kv.server;

import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.kv.store.Glob;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CONFIG GET, SET, RESETSTAT, REWRITE and HELP over the parameters of {@link ConfigParams}, as
 * Redis 7.0 answers them: GET takes several patterns (a glob matches names and aliases, any case; a
 * plain name answers under the spelling asked), SET several pairs, all or none. REWRITE answers as
 * a Redis started without a config file does: this server does not write its settings back.
 *
 * <p>Threading: the calling connection's task.
 */
final class ConfigCommand {

    private ConfigCommand() {
    }

    static void execute(Connection conn, Command c, RespWriter out) {
        if (!Subcommands.check(c, out, "config")) {
            return;
        }
        Admin admin = conn.shard.server.admin;
        switch (ServerCommands.text(c, 1).toLowerCase(Locale.ROOT)) {
            case "get" -> get(admin.config, c, out);
            case "set" -> set(conn.shard.server, c, out);
            case "resetstat" -> {
                resetStats(conn.shard.server);
                out.ok();
            }
            case "rewrite" -> out.error("ERR The server is running without a config file");
            case "help" -> Subcommands.help(out, "CONFIG",
                    "GET <pattern>",
                    "    Return parameters matching the glob-like <pattern> and their values.",
                    "SET <directive> <value>",
                    "    Set the configuration <directive> to <value>.",
                    "RESETSTAT",
                    "    Reset statistics reported by the INFO command.",
                    "REWRITE",
                    "    Rewrite the configuration file.");
            default -> Subcommands.unknown(c, out, "CONFIG");
        }
    }

    private static void get(LiveConfig config, Command c, RespWriter out) {
        // Keyed by lower-case name, so that a parameter asked twice is answered once, under its first spelling.
        Map<String, String[]> found = new LinkedHashMap<>();
        for (int i = 2; i < c.argCount(); i++) {
            String pattern = ServerCommands.text(c, i);
            boolean glob = pattern.indexOf('*') >= 0 || pattern.indexOf('?') >= 0 || pattern.indexOf('[') >= 0;
            if (!glob) {
                ConfigParam p = ConfigParams.lookup(pattern);
                if (p != null) {
                    found.putIfAbsent(pattern.toLowerCase(Locale.ROOT), new String[] {pattern, p.display(config.get(p))});
                }
                continue;
            }
            byte[] lower = pattern.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
            for (ConfigParam p : ConfigParams.ALL) {
                for (String name : p.alias() == null ? List.of(p.name()) : List.of(p.name(), p.alias())) {
                    if (Glob.matches(lower, name.getBytes(StandardCharsets.UTF_8))) {
                        found.putIfAbsent(name, new String[] {name, p.display(config.get(p))});
                    }
                }
            }
        }
        out.mapHeader(found.size());
        for (String[] nv : found.values()) {
            out.bulk(bytes(nv[0])).bulk(bytes(nv[1]));
        }
    }

    private static void set(KvServer server, Command c, RespWriter out) {
        LiveConfig config = server.admin.config;
        if ((c.argCount() - 2) % 2 != 0) {
            out.error("ERR syntax error");
            return;
        }
        List<String> pairs = new ArrayList<>();
        for (int i = 2; i < c.argCount(); i++) {
            pairs.add(ServerCommands.text(c, i));
        }
        String oldBind = config.get("bind");
        int oldPort = server.port();
        String error = config.set(pairs);
        if (error != null) {
            out.error(error);
            return;
        }
        boolean rebind = false;
        boolean memory = false;
        String rebindFailure = null;
        for (int i = 0; i < pairs.size(); i += 2) {
            String name = ConfigParams.lookup(pairs.get(i)).name();
            if (name.equals("appendfsync")) {
                String policy = config.get("appendfsync");
                server.onEveryShard(sh -> sh.log.setFsyncPolicy(policy));
            } else if (name.startsWith("maxmemory") || name.startsWith("lfu-")) {
                memory = true;
            } else if (name.equals("notify-keyspace-events")) {
                int flags = io.github.jglommio.kv.store.KeyspaceEvents.parse(config.get(name));
                server.onEveryShard(sh -> sh.notifier.setFlags(flags));
            } else if (name.equals("port") || name.equals("bind")) {
                rebind = true;
                // Redis names the parameter whose apply failed; with both, bind is checked first.
                rebindFailure = rebindFailure == null || name.equals("bind") ? name : rebindFailure;
            }
        }
        if (memory) {
            server.onEveryShard(Shard::applyMemorySettings); // a lowered bound evicts at once, as in Redis
        }
        if (rebind) {
            int port = config.requestedPort(oldPort);
            config.restore("port", null); // from now on the port bound is the value
            String bind = config.get("bind");
            if (port != oldPort || !bind.equals(oldBind)) {
                String reason = Listeners.rebind(server, Listeners.address(bind), port,
                        rebindFailure.equals("bind") ? Listeners.BIND_FAILED : Listeners.PORT_FAILED);
                if (reason != null) {
                    config.restore("bind", oldBind);
                    out.error("ERR CONFIG SET failed (possibly related to argument '" + rebindFailure + "') - " + reason);
                    return;
                }
            }
        }
        out.ok();
    }

    /**
     * CONFIG RESETSTAT: what Redis resets (commands processed, connections received and rejected,
     * commandstats and errorstats), on every shard.
     */
    static void resetStats(KvServer server) {
        server.onEveryShard(sh -> {
            sh.stats.reset();
            sh.commandsProcessed = 0;
            sh.commands.resetLazyFreed();
            sh.connectionsReceived = 0;
            sh.rejectedConnections = 0;
            sh.remoteBatches = 0;
            sh.remoteMessages = 0;
            sh.dbs.memory().resetStats();
        });
        server.rejectedConnections.set(0);
        server.outputLimitDisconnections.set(0);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
