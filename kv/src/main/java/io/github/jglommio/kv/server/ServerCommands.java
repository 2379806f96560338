package io.github.jglommio.kv.server;

import io.github.jglommio.kv.command.CommandSpec;
import io.github.jglommio.kv.resp.Ascii;
import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.timer.Timer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The commands the server answers itself, without a keyspace ({@code Routing.SERVER}): the
 * connection commands (PING, ECHO, QUIT, AUTH, HELLO, SELECT, RESET), the containers (CONFIG,
 * CLIENT, COMMAND, SLOWLOG, LATENCY, each in its own class), INFO, and TIME, LASTSAVE, ROLE, WAIT,
 * SAVE, BGSAVE, BGREWRITEAOF, SHUTDOWN, MONITOR, DEBUG, LOLWUT. Error texts are Redis 7.0's. Each
 * call is counted in the shard's {@link CommandStats} (under its subcommand for a container).
 *
 * <p>Persistence is the shards' append-only logs: there is no RDB file. With {@code appendonly yes},
 * SAVE and BGSAVE compact every shard's log (the log then holds the dataset as of now, in its most
 * compact form) in the background and answer as Redis does, and LASTSAVE says when the last one was
 * asked; with {@code appendonly no} there is nothing to save to, and both answer an error.
 *
 * <p>Threading: the connection's task.
 */
final class ServerCommands {

    /** What INFO and HELLO report as the Redis version: the protocol level this server speaks. */
    static final String REDIS_VERSION = "7.0.0";
    static final String JGLOMMIO_VERSION = "0.1.0";

    private static final String NO_LOG = "ERR This server keeps no snapshot: its data is only in its append-only logs,"
            + " and appendonly is no";

    private ServerCommands() {
    }

    static void execute(Connection conn, CommandSpec spec, Command c, RespWriter out) {
        long started = System.nanoTime();
        int mark = out.size();
        String sub = subcommand(spec, c);
        run(conn, spec, c, out);
        boolean refused = sub == null ? CommandInfo.isContainer(spec) && c.argCount() > 1
                : !arityFits(CommandInfo.entry(sub).arity(), c.argCount());
        conn.shard.stats.ranServer(spec, sub, c, started, out, mark, conn, refused);
    }

    private static boolean arityFits(int arity, int n) {
        return arity >= 0 ? n == arity : n >= -arity;
    }

    /** {@code config|get} for a container's known subcommand, else null. */
    private static String subcommand(CommandSpec spec, Command c) {
        if (c.argCount() < 2 || !CommandInfo.isContainer(spec)) {
            return null;
        }
        String name = spec.name() + "|" + text(c, 1).toLowerCase(Locale.ROOT);
        return CommandInfo.entry(name) == null ? null : name;
    }

    private static void run(Connection conn, CommandSpec spec, Command c, RespWriter out) {
        Admin admin = conn.shard.server.admin;
        switch (spec.name()) {
            case "ping" -> {
                if (c.argCount() > 2) {
                    out.error(spec.arityError());
                } else if (conn.subscribedMode()) {
                    PubSubCommands.pong(c, out);
                } else if (c.argCount() > 1) {
                    out.bulk(c.arg(1));
                } else {
                    out.simpleString("PONG");
                }
            }
            case "echo" -> out.bulk(c.arg(1));
            case "quit" -> {
                out.ok();
                conn.quit = true;
            }
            case "auth" -> auth(conn, c, out);
            case "unwatch" -> out.ok(); // queued inside MULTI: EXEC ends the watches anyway
            case "hello" -> Hello.execute(conn, c, out);
            case "select" -> DbCommands.select(conn, c, out);
            case "swapdb" -> DbCommands.swapDb(conn, c, out);
            case "reset" -> {
                conn.resetClient();
                out.simpleString("RESET");
            }
            case "client" -> ClientCommand.execute(conn, c, out);
            case "config" -> ConfigCommand.execute(conn, c, out);
            case "info" -> info(conn, c, out);
            case "command" -> CommandCommand.execute(c, out);
            case "slowlog" -> admin.slowlog.execute(c, out);
            case "latency" -> {
                if (c.argCount() >= 2 && text(c, 1).equalsIgnoreCase("histogram")) {
                    LatencyHistogram.write(CommandStats.gather(conn.shard.server), c, out);
                } else {
                    admin.latency.execute(c, out);
                }
            }
            case "time" -> {
                Instant now = Instant.now();
                out.arrayHeader(2).bulk(now.getEpochSecond()).bulk(now.getNano() / 1000);
            }
            case "lastsave" -> out.integer(admin.lastSaveSeconds);
            case "role" -> out.arrayHeader(3).bulk(bytes("master")).integer(0).arrayHeader(0);
            case "wait" -> waitReplicas(c, out);
            case "bgrewriteaof" -> {
                if (!conn.shard.server.config.appendOnly()) {
                    out.error("ERR Append only file is off: start the server with --appendonly yes");
                } else {
                    compact(conn.shard.server);
                    out.simpleString("Background append only file rewriting started");
                }
            }
            case "save", "bgsave" -> save(conn, spec, c, out);
            case "shutdown" -> shutdown(conn, c, out);
            case "monitor" -> monitor(conn, out);
            case "debug" -> debug(conn, c, out);
            case "subscribe", "unsubscribe", "psubscribe", "punsubscribe", "ssubscribe", "sunsubscribe" ->
                    PubSubCommands.subscription(conn, spec, c, out);
            case "pubsub" -> PubSubCommands.pubsub(conn, c, out);
            case "script" -> Scripting.script(conn, c, out);
            case "function" -> Scripting.function(conn, c, out);
            // Planned as a PUBLISH entry per shard; only a queued one (inside MULTI) comes here.
            case "publish", "spublish" -> conn.queuedPublish().run(spec, c, out);
            case "lolwut" -> out.verbatim(bytes("jglommio kv " + JGLOMMIO_VERSION + ". Redis ver. " + REDIS_VERSION + "\n"));
            default -> out.error("ERR unknown command '" + spec.name() + "'");
        }
    }

    private static void auth(Connection conn, Command c, RespWriter out) {
        String pass = conn.shard.server.admin.config.requirePass();
        if (c.argCount() > 3) {
            out.error("ERR syntax error");
            return;
        }
        boolean userOk = c.argCount() == 2 || text(c, 1).equals("default");
        if (pass == null) {
            // The default user has no password: AUTH default <anything> succeeds, as in Redis.
            if (c.argCount() == 2) {
                out.error("ERR AUTH <password> called without any password configured for the default user. "
                        + "Are you sure your configuration is correct?");
            } else if (userOk) {
                conn.authenticated = true;
                out.ok();
            } else {
                out.error("WRONGPASS invalid username-password pair or user is disabled.");
            }
            return;
        }
        if (userOk && text(c, c.argCount() - 1).equals(pass)) {
            conn.authenticated = true;
            out.ok();
        } else {
            out.error("WRONGPASS invalid username-password pair or user is disabled.");
        }
    }

    private static void info(Connection conn, Command c, RespWriter out) {
        List<String> sections = new ArrayList<>();
        for (int i = 1; i < c.argCount(); i++) {
            sections.add(text(c, i).toLowerCase(Locale.ROOT));
        }
        out.verbatim(Info.render(conn, sections).getBytes(StandardCharsets.UTF_8));
    }

    /** WAIT numreplicas timeout: there are no replicas, so 0 at once. */
    private static void waitReplicas(Command c, RespWriter out) {
        if (integer(c, 1) == null) {
            out.error("ERR value is not an integer or out of range");
            return;
        }
        Long timeout = integer(c, 2);
        if (timeout == null) {
            out.error("ERR timeout is not an integer or out of range");
        } else if (timeout < 0) {
            out.error("ERR timeout is negative");
        } else {
            out.integer(0);
        }
    }

    /** SAVE, BGSAVE [SCHEDULE]: a compaction of every shard's log; see the class comment. */
    private static void save(Connection conn, CommandSpec spec, Command c, RespWriter out) {
        boolean background = spec.name().equals("bgsave");
        if (background && c.argCount() > 1 && (c.argCount() > 2 || !text(c, 1).equalsIgnoreCase("schedule"))) {
            out.error("ERR syntax error");
            return;
        }
        KvServer server = conn.shard.server;
        if (!server.config.appendOnly()) {
            out.error(NO_LOG);
            return;
        }
        compact(server);
        server.admin.lastSaveSeconds = System.currentTimeMillis() / 1000;
        if (background) {
            out.simpleString("Background saving started");
        } else {
            out.ok();
        }
    }

    private static void compact(KvServer server) {
        // Each shard compacts its own log in its background queue; nothing here waits for it.
        server.onEveryShard(sh -> {
            sh.log.rewrite();
            sh.dirtyAtSave = sh.dirty; // rdb_changes_since_last_save starts over, as after Redis's SAVE
        });
    }

    /**
     * SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] | SHUTDOWN ABORT: the server stops as {@link KvServer#close}
     * stops it (every log synced and closed, whatever NOSAVE says: the log is not a snapshot to skip),
     * from a thread of its own, since a shard cannot wait for itself to stop. No reply: the connection
     * closes, as with Redis.
     */
    private static void shutdown(Connection conn, Command c, RespWriter out) {
        boolean save = false;
        boolean nosave = false;
        boolean abort = false;
        boolean other = false;
        for (int i = 1; i < c.argCount(); i++) {
            switch (text(c, i).toLowerCase(Locale.ROOT)) {
                case "save" -> save = true;
                case "nosave" -> nosave = true;
                case "abort" -> abort = true;
                case "now", "force" -> other = true;
                default -> {
                    out.error("ERR syntax error");
                    return;
                }
            }
        }
        if ((save && nosave) || (abort && (save || nosave || other))) {
            out.error("ERR syntax error");
            return;
        }
        if (abort) {
            out.error("ERR No shutdown in progress.");
            return;
        }
        conn.quit = true;
        conn.ownReply = -1; // nothing is sent: the connection just closes
        out.simpleString("OK");
        KvServer server = conn.shard.server;
        Thread.ofPlatform().name("kv-shutdown").start(server::close);
    }

    /** MONITOR: from now on the connection gets every command's line (see {@link Monitor}). */
    private static void monitor(Connection conn, RespWriter out) {
        if (conn.client.monitor == null) {
            Monitor m = new Monitor();
            conn.client.monitor = m;
            conn.shard.server.admin.monitors.add(m);
        }
        out.ok();
    }

    /** DEBUG: refused unless {@code enable-debug-command} allows it; then SLEEP and HELP only. */
    private static void debug(Connection conn, Command c, RespWriter out) {
        boolean local = conn.client.addr().startsWith("127.") || conn.client.addr().startsWith("::1");
        if (!conn.shard.server.admin.config.debugCommand(local)) {
            out.error("ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can"
                    + " run it from a local connection, otherwise you need to set this option in the configuration"
                    + " file, and then restart the server.");
            return;
        }
        String sub = text(c, 1).toLowerCase(Locale.ROOT);
        if (sub.equals("sleep") && c.argCount() == 3) {
            double seconds;
            try {
                seconds = Double.parseDouble(text(c, 2));
            } catch (NumberFormatException e) {
                out.error("ERR value is not a valid float");
                return;
            }
            // Parks this connection only; other clients of the shard go on, unlike Redis, which stops.
            Timer.sleep(Duration.ofNanos((long) (Math.max(0, seconds) * 1e9)));
            out.ok();
        } else if (sub.equals("help")) {
            Subcommands.help(out, "DEBUG", "SLEEP <seconds>", "    Stop the connection for <seconds>; decimals allowed.");
        } else {
            Subcommands.unknown(c, out, "DEBUG");
        }
    }

    static String text(Command c, int i) {
        return new String(c.arg(i), StandardCharsets.UTF_8);
    }

    /** Argument {@code i} as a canonical integer, or null. */
    static Long integer(Command c, int i) {
        byte[] a = c.arg(i);
        long v = Ascii.parseOr(a, 0, a.length, Long.MIN_VALUE);
        if (v == Long.MIN_VALUE && !text(c, i).equals(Long.toString(Long.MIN_VALUE))) {
            return null;
        }
        return v;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
