package io.github.jglommio.kv.server;

import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * CLIENT and its subcommands, with Redis 7.0's replies and errors. LIST and KILL reach the
 * connections of every shard, each on its own shard's executor ({@code KvServer.onEveryShard}); a
 * killed connection is closed there, the calling one after its reply.
 *
 * <p>Client-side caching is not implemented: TRACKING OFF is accepted and TRACKING ON refused,
 * and CACHING, GETREDIR and TRACKINGINFO answer as Redis does for a client that does not track.
 * UNBLOCK answers 0: no command of this server blocks yet. Redis 7.0 has no SETINFO nor NO-TOUCH
 * (they came in 7.2), so they are unknown subcommands here too.
 *
 * <p>Threading: the calling connection's task.
 */
final class ClientCommand {

    private ClientCommand() {
    }

    static void execute(Connection conn, Command c, RespWriter out) {
        if (!Subcommands.check(c, out, "client")) {
            return;
        }
        switch (ServerCommands.text(c, 1).toLowerCase(Locale.ROOT)) {
            case "id" -> out.integer(conn.id);
            case "info" -> out.verbatim(bytes(conn.client.line() + "\n"));
            case "list" -> list(conn, c, out);
            case "kill" -> kill(conn, c, out);
            case "setname" -> setName(conn, ServerCommands.text(c, 2), out);
            case "getname" -> {
                if (conn.name.isEmpty()) {
                    out.nullBulk();
                } else {
                    out.bulk(bytes(conn.name));
                }
            }
            case "reply" -> reply(conn, c, out);
            case "pause" -> pause(conn, c, out);
            case "unpause" -> {
                conn.shard.server.admin.pause.unpause();
                out.ok();
            }
            case "no-evict" -> {
                String v = ServerCommands.text(c, 2).toLowerCase(Locale.ROOT);
                if (v.equals("on") || v.equals("off")) {
                    conn.client.noEvict = v.equals("on");
                    out.ok();
                } else {
                    out.error("ERR syntax error");
                }
            }
            case "tracking" -> tracking(c, out);
            case "caching" -> out.error("ERR CLIENT CACHING can be called only when the client is in tracking mode"
                    + " with OPTIN or OPTOUT mode enabled");
            case "getredir" -> out.integer(-1);
            case "trackinginfo" -> {
                out.mapHeader(3);
                out.bulk(bytes("flags")).setHeader(1).bulk(bytes("off"));
                out.bulk(bytes("redirect")).integer(-1);
                out.bulk(bytes("prefixes")).arrayHeader(0);
            }
            case "unblock" -> unblock(conn, c, out);
            case "help" -> help(out);
            default -> Subcommands.unknown(c, out, "CLIENT");
        }
    }

    /** Why a client name was refused. */
    static final String BAD_NAME = "ERR Client names cannot contain spaces, newlines or special characters.";

    private static void setName(Connection conn, String name, RespWriter out) {
        if (!validName(name)) {
            out.error(BAD_NAME);
            return;
        }
        conn.name = name;
        out.ok();
    }

    /** Whether {@code name} is a client name Redis accepts: printable ASCII without spaces (or empty). */
    static boolean validName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch < '!' || ch > '~') {
                return false;
            }
        }
        return true;
    }

    /** CLIENT REPLY ON|OFF|SKIP; the connection drops the replies (see Connection#ownReply). */
    private static void reply(Connection conn, Command c, RespWriter out) {
        switch (ServerCommands.text(c, 2).toLowerCase(Locale.ROOT)) {
            case "on" -> {
                conn.replyOff = false;
                conn.skipNextReply = false;
                conn.ownReply = 1;
                out.ok();
            }
            case "off" -> {
                conn.replyOff = true;
                conn.ownReply = -1;
                out.ok();
            }
            case "skip" -> {
                if (!conn.replyOff) {
                    conn.skipNextReply = true;
                }
                conn.ownReply = -1;
                out.ok();
            }
            default -> out.error("ERR syntax error");
        }
    }

    /** CLIENT LIST [TYPE type] [ID id...]: the lines of every shard's connections, ordered by id. */
    private static void list(Connection conn, Command c, RespWriter out) {
        Predicate<Connection> filter = x -> true;
        if (c.argCount() > 2) {
            String opt = ServerCommands.text(c, 2).toLowerCase(Locale.ROOT);
            if (opt.equals("type") && c.argCount() == 4) {
                String type = ServerCommands.text(c, 3).toLowerCase(Locale.ROOT);
                if (!isType(type)) {
                    out.error("ERR Unknown client type '" + ServerCommands.text(c, 3) + "'");
                    return;
                }
                filter = x -> x.client.type().equals(type.equals("slave") ? "replica" : type);
            } else if (opt.equals("id") && c.argCount() >= 4) {
                List<Long> ids = new ArrayList<>();
                for (int i = 3; i < c.argCount(); i++) {
                    Long id = ServerCommands.integer(c, i);
                    if (id == null) {
                        out.error("ERR Invalid client ID");
                        return;
                    }
                    ids.add(id);
                }
                filter = x -> ids.contains(x.id);
            } else {
                out.error("ERR syntax error");
                return;
            }
        }
        Predicate<Connection> which = filter;
        ConcurrentLinkedQueue<Object[]> lines = new ConcurrentLinkedQueue<>();
        conn.shard.server.onEveryShard(sh -> {
            for (Connection x : sh.clients.all()) {
                if (which.test(x)) {
                    lines.add(new Object[] {x.id, x.client.line()});
                }
            }
        });
        List<Object[]> sorted = new ArrayList<>(lines);
        sorted.sort((a, b) -> Long.compare((Long) a[0], (Long) b[0]));
        StringBuilder sb = new StringBuilder();
        for (Object[] l : sorted) {
            sb.append((String) l[1]).append('\n');
        }
        out.verbatim(bytes(sb.toString()));
    }

    private static boolean isType(String t) {
        return t.equals("normal") || t.equals("master") || t.equals("replica") || t.equals("slave")
                || t.equals("pubsub");
    }

    /**
     * CLIENT KILL ip:port (the old form: +OK or {@code No such client}), or CLIENT KILL with filters
     * ID, ADDR, LADDR, TYPE, USER, SKIPME (the number killed).
     */
    private static void kill(Connection conn, Command c, RespWriter out) {
        if (c.argCount() == 3) {
            String addr = ServerCommands.text(c, 2);
            int killed = killWhere(conn, x -> x.client.addr().equals(addr));
            if (killed == 0) {
                out.error("ERR No such client");
            } else {
                out.ok();
            }
            return;
        }
        if (c.argCount() % 2 != 0) {
            out.error("ERR syntax error");
            return;
        }
        List<Predicate<Connection>> filters = new ArrayList<>();
        boolean skipMe = true;
        for (int i = 2; i < c.argCount(); i += 2) {
            String opt = ServerCommands.text(c, i).toLowerCase(Locale.ROOT);
            String v = ServerCommands.text(c, i + 1);
            switch (opt) {
                case "id" -> {
                    Long id = ServerCommands.integer(c, i + 1);
                    if (id == null || id <= 0) {
                        out.error("ERR client-id should be greater than 0");
                        return;
                    }
                    filters.add(x -> x.id == id);
                }
                case "type" -> {
                    String type = v.toLowerCase(Locale.ROOT);
                    if (!isType(type)) {
                        out.error("ERR Unknown client type '" + v + "'");
                        return;
                    }
                    String t = type.equals("slave") ? "replica" : type;
                    filters.add(x -> x.client.type().equals(t));
                }
                case "addr" -> filters.add(x -> x.client.addr().equals(v));
                case "laddr" -> filters.add(x -> x.client.laddr().equals(v));
                case "user" -> {
                    if (!v.equals("default")) {
                        out.error("ERR No such user '" + v + "'");
                        return;
                    }
                }
                case "skipme" -> {
                    String yn = v.toLowerCase(Locale.ROOT);
                    if (!yn.equals("yes") && !yn.equals("no")) {
                        out.error("ERR syntax error");
                        return;
                    }
                    skipMe = yn.equals("yes");
                }
                default -> {
                    out.error("ERR syntax error");
                    return;
                }
            }
        }
        boolean skip = skipMe;
        out.integer(killWhere(conn, x -> (!skip || x != conn) && filters.stream().allMatch(f -> f.test(x))));
    }

    /**
     * Closes the connections {@code which} selects, on every shard; the caller's own connection, if
     * selected, closes after this reply (QUIT's way). Returns how many were selected.
     */
    private static int killWhere(Connection conn, Predicate<Connection> which) {
        AtomicInteger n = new AtomicInteger();
        conn.shard.server.onEveryShard(sh -> n.addAndGet(sh.clients.kill(which, conn)));
        if (which.test(conn)) {
            conn.quit = true;
        }
        return n.get();
    }

    /** CLIENT PAUSE timeout [WRITE|ALL]. */
    private static void pause(Connection conn, Command c, RespWriter out) {
        if (c.argCount() > 4) {
            Subcommands.unknownOrArity(c, out, "CLIENT");
            return;
        }
        Long ms = ServerCommands.integer(c, 2);
        if (ms == null) {
            out.error("ERR timeout is not an integer or out of range");
            return;
        }
        if (ms < 0) {
            out.error("ERR timeout is negative");
            return;
        }
        boolean all = true;
        if (c.argCount() == 4) {
            String mode = ServerCommands.text(c, 3).toLowerCase(Locale.ROOT);
            if (mode.equals("write")) {
                all = false;
            } else if (!mode.equals("all")) {
                out.error("ERR CLIENT PAUSE mode must be WRITE or ALL");
                return;
            }
        }
        conn.shard.server.admin.pause.pause(ms, all);
        out.ok();
    }

    /** CLIENT TRACKING ON|OFF [options]: only OFF, the state of a client that does not track. */
    private static void tracking(Command c, RespWriter out) {
        String mode = ServerCommands.text(c, 2).toLowerCase(Locale.ROOT);
        if (!mode.equals("on") && !mode.equals("off")) {
            out.error("ERR syntax error");
            return;
        }
        for (int i = 3; i < c.argCount(); i++) {
            String opt = ServerCommands.text(c, i).toLowerCase(Locale.ROOT);
            switch (opt) {
                case "bcast", "optin", "optout", "noloop" -> {
                }
                case "redirect", "prefix" -> {
                    if (++i >= c.argCount()) {
                        out.error("ERR syntax error");
                        return;
                    }
                    if (opt.equals("redirect") && ServerCommands.integer(c, i) == null) {
                        out.error("ERR value is not an integer or out of range");
                        return;
                    }
                }
                default -> {
                    out.error("ERR syntax error");
                    return;
                }
            }
        }
        if (mode.equals("off")) {
            out.ok();
        } else {
            out.error("ERR CLIENT TRACKING ON is not supported by this server (no client-side caching)");
        }
    }

    /** CLIENT UNBLOCK id [TIMEOUT|ERROR]: 1 if the client was blocked in a blocking pop (see {@link BlockedClients}). */
    private static void unblock(Connection conn, Command c, RespWriter out) {
        if (c.argCount() > 4) {
            Subcommands.unknownOrArity(c, out, "CLIENT");
            return;
        }
        Long id = ServerCommands.integer(c, 2);
        if (id == null) {
            out.error("ERR value is not an integer or out of range");
            return;
        }
        boolean error = false;
        if (c.argCount() == 4) {
            String reason = ServerCommands.text(c, 3).toLowerCase(Locale.ROOT);
            if (!reason.equals("timeout") && !reason.equals("error")) {
                out.error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
                return;
            }
            error = reason.equals("error");
        }
        out.integer(conn.shard.server.blocked.unblock(id, error, conn.shard) ? 1 : 0);
    }

    private static void help(RespWriter out) {
        Subcommands.help(out, "CLIENT",
                "CACHING (YES|NO)",
                "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
                "GETREDIR",
                "    Return the client ID we are redirecting to when tracking is enabled.",
                "GETNAME",
                "    Return the name of the current connection.",
                "ID",
                "    Return the ID of the current connection.",
                "INFO",
                "    Return information about the current client connection.",
                "KILL <ip:port>",
                "    Kill connection made from <ip:port>.",
                "KILL <option> <value> [<option> <value> [...]]",
                "    Kill connections. Options are:",
                "    * ADDR (<ip:port>|<unixsocket>:0)",
                "      Kill connections made from the specified address",
                "    * LADDR (<ip:port>|<unixsocket>:0)",
                "      Kill connections made to specified local address",
                "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
                "      Kill connections by type.",
                "    * USER <username>",
                "      Kill connections authenticated by <username>.",
                "    * SKIPME (YES|NO)",
                "      Skip killing current connection (default: yes).",
                "LIST [options ...]",
                "    Return information about client connections. Options:",
                "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
                "      Return clients of specified type.",
                "UNPAUSE",
                "    Stop the current client pause, resuming traffic.",
                "PAUSE <timeout> [WRITE|ALL]",
                "    Suspend all, or just write, clients for <timeout> milliseconds.",
                "REPLY (ON|OFF|SKIP)",
                "    Control the replies sent to the current connection.",
                "SETNAME <name>",
                "    Assign the name <name> to the current connection.",
                "UNBLOCK <clientid> [TIMEOUT|ERROR]",
                "    Unblock the specified blocked client.",
                "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
                "         [OPTIN] [OPTOUT] [NOLOOP]",
                "    Control server assisted client side caching.",
                "TRACKINGINFO",
                "    Report tracking status for the current connection.",
                "NO-EVICT (ON|OFF)",
                "    Protect current client connection from eviction.");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
