package io.github.jglommio.kv.server;

import io.github.jglommio.kv.command.CommandSpec;
import io.github.jglommio.kv.command.CommandTable;
import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The commands the server answers itself, without a keyspace ({@code Routing.SERVER}): PING, ECHO,
 * QUIT, AUTH, HELLO, SELECT, CLIENT, CONFIG, INFO, COMMAND. Error texts
 * are Redis 7's. Runs on the connection's task.
 */
final class ServerCommands {

    /** What INFO and HELLO report as the Redis version: the protocol level this server speaks. */
    static final String REDIS_VERSION = "7.0.0";
    static final String JGLOMMIO_VERSION = "0.1.0";

    private ServerCommands() {
    }

    static void execute(Connection conn, CommandSpec spec, Command c, RespWriter out) {
        switch (spec.name()) {
            case "ping" -> {
                if (c.argCount() > 1) {
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
            case "hello" -> hello(conn, c, out);
            case "select" -> {
                String db = text(c, 1);
                if (db.equals("0")) {
                    out.ok();
                } else if (isInteger(db)) {
                    out.error("ERR DB index is out of range");
                } else {
                    out.error("ERR value is not an integer or out of range");
                }
            }
            case "client" -> client(conn, c, out);
            case "config" -> config(conn, c, out);
            case "info" -> info(conn, c, out);
            case "command" -> command(c, out);
            case "bgrewriteaof" -> {
                if (!conn.shard.server.config.appendOnly()) {
                    out.error("ERR Append only file is off: start the server with --appendonly yes");
                } else {
                    // Each shard compacts its own log in its background queue; nothing here waits for it.
                    conn.shard.server.onEveryShard(sh -> sh.log.rewrite());
                    out.simpleString("Background append only file rewriting started");
                }
            }
            default -> out.error("ERR unknown command '" + spec.name() + "'");
        }
    }

    private static void auth(Connection conn, Command c, RespWriter out) {
        String pass = conn.shard.server.config.requirePass();
        if (c.argCount() > 3) {
            out.error("ERR syntax error");
            return;
        }
        if (pass == null) {
            out.error("ERR AUTH <password> called without any password configured for the default user. "
                    + "Are you sure your configuration is correct?");
            return;
        }
        boolean userOk = c.argCount() == 2 || text(c, 1).equals("default");
        if (userOk && text(c, c.argCount() - 1).equals(pass)) {
            conn.authenticated = true;
            out.ok();
        } else {
            out.error("WRONGPASS invalid username-password pair or user is disabled.");
        }
    }

    /** HELLO [2 [AUTH user pass] [SETNAME name]]: RESP2 only. */
    private static void hello(Connection conn, Command c, RespWriter out) {
        int i = 1;
        if (c.argCount() > 1) {
            String version = text(c, 1);
            if (!isInteger(version)) {
                out.error("ERR Protocol version is not an integer or out of range");
                return;
            }
            if (!version.equals("2")) {
                out.error("NOPROTO unsupported protocol version");
                return;
            }
            i = 2;
        }
        for (; i < c.argCount(); i++) {
            String opt = text(c, i).toLowerCase(Locale.ROOT);
            if (opt.equals("auth") && i + 2 < c.argCount()) {
                String pass = conn.shard.server.config.requirePass();
                if (pass == null || !text(c, i + 1).equals("default") || !text(c, i + 2).equals(pass)) {
                    out.error("WRONGPASS invalid username-password pair or user is disabled.");
                    return;
                }
                conn.authenticated = true;
                i += 2;
            } else if (opt.equals("setname") && i + 1 < c.argCount()) {
                conn.name = text(c, ++i);
            } else {
                out.error("ERR Syntax error in HELLO option '" + text(c, i) + "'");
                return;
            }
        }
        if (!conn.authenticated) {
            out.error("NOAUTH HELLO must be called with the client already authenticated, otherwise the "
                    + "HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and "
                    + "select the RESP protocol version at the same time");
            return;
        }
        out.arrayHeader(14);
        out.bulk(bytes("server")).bulk(bytes("redis"));
        out.bulk(bytes("version")).bulk(bytes(REDIS_VERSION));
        out.bulk(bytes("proto")).integer(2);
        out.bulk(bytes("id")).integer(conn.id);
        out.bulk(bytes("mode")).bulk(bytes("standalone"));
        out.bulk(bytes("role")).bulk(bytes("master"));
        out.bulk(bytes("modules")).arrayHeader(0);
    }

    private static void client(Connection conn, Command c, RespWriter out) {
        String sub = text(c, 1).toLowerCase(Locale.ROOT);
        switch (sub) {
            case "setname" -> {
                if (c.argCount() != 3) {
                    out.error("ERR wrong number of arguments for 'client|setname' command");
                    return;
                }
                String name = text(c, 2);
                for (int i = 0; i < name.length(); i++) {
                    char ch = name.charAt(i);
                    if (ch < '!' || ch > '~') {
                        out.error("ERR Client names cannot contain spaces, newlines or special characters.");
                        return;
                    }
                }
                conn.name = name;
                out.ok();
            }
            case "getname" -> {
                if (conn.name.isEmpty()) {
                    out.nullBulk();
                } else {
                    out.bulk(bytes(conn.name));
                }
            }
            case "id" -> out.integer(conn.id);
            case "info" -> out.bulk(bytes(clientLine(conn) + "\n"));
            case "reply" -> clientReply(conn, c, out);
            case "setinfo", "no-evict", "no-touch" -> out.ok();
            default -> out.error("ERR unknown subcommand '" + text(c, 1)
                    + "'. Try CLIENT HELP.");
        }
    }

    /** CLIENT REPLY ON|OFF|SKIP; the connection drops the replies (see Connection#ownReply). */
    private static void clientReply(Connection conn, Command c, RespWriter out) {
        if (c.argCount() != 3) {
            out.error("ERR wrong number of arguments for 'client|reply' command");
            return;
        }
        String mode = text(c, 2).toLowerCase(java.util.Locale.ROOT);
        switch (mode) {
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

    private static String clientLine(Connection conn) {
        long age = (System.currentTimeMillis() - conn.createdMillis) / 1000;
        return "id=" + conn.id + " addr=" + address(conn) + " name=" + conn.name + " age=" + age + " db=0 shard="
                + conn.shard.id + " cmd-count=" + conn.commands;
    }

    private static String address(Connection conn) {
        try {
            return String.valueOf(conn.stream.peerAddr()).replace("/", "");
        } catch (RuntimeException | java.io.IOException e) {
            return "?";
        }
    }

    /** The settings CONFIG GET reports, by redis.conf name. */
    private static Map<String, String> settings(KvConfig k) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("bind", k.bind().getHostAddress());
        m.put("port", Integer.toString(k.port()));
        m.put("dir", k.dir().toAbsolutePath().toString());
        m.put("appendonly", k.appendOnly() ? "yes" : "no");
        m.put("appendfsync", k.appendFsync());
        m.put("save", "");
        m.put("databases", "1");
        m.put("maxclients", Integer.toString(k.maxClients()));
        m.put("proto-max-bulk-len", Long.toString(k.protoMaxBulkLen()));
        m.put("requirepass", k.requirePass() == null ? "" : k.requirePass());
        m.put("maxmemory", "0");
        m.put("maxmemory-policy", "noeviction");
        m.put("timeout", "0");
        m.put("tcp-keepalive", "0");
        m.put("shards", Integer.toString(k.shards()));
        return m;
    }

    private static void config(Connection conn, Command c, RespWriter out) {
        String sub = text(c, 1).toLowerCase(Locale.ROOT);
        switch (sub) {
            case "get" -> {
                if (c.argCount() < 3) {
                    out.error("ERR wrong number of arguments for 'config|get' command");
                    return;
                }
                Map<String, String> all = settings(conn.shard.server.config);
                Map<String, String> found = new LinkedHashMap<>();
                for (int i = 2; i < c.argCount(); i++) {
                    String pattern = text(c, i).toLowerCase(Locale.ROOT);
                    all.forEach((name, value) -> {
                        if (glob(pattern, name)) {
                            found.put(name, value);
                        }
                    });
                }
                out.arrayHeader(found.size() * 2);
                found.forEach((name, value) -> out.bulk(bytes(name)).bulk(bytes(value)));
            }
            case "resetstat", "rewrite" -> out.ok();
            case "set" -> out.error("ERR CONFIG SET is not supported by this server; restart it with the option");
            default -> out.error("ERR unknown subcommand '" + text(c, 1) + "'. Try CONFIG HELP.");
        }
    }

    /** A glob match for CONFIG GET patterns: {@code *}, {@code ?} and literal characters. */
    static boolean glob(String pattern, String s) {
        return glob(pattern, 0, s, 0);
    }

    private static boolean glob(String p, int pi, String s, int si) {
        while (pi < p.length()) {
            char ch = p.charAt(pi);
            if (ch == '*') {
                for (int k = si; k <= s.length(); k++) {
                    if (glob(p, pi + 1, s, k)) {
                        return true;
                    }
                }
                return false;
            }
            if (si >= s.length() || (ch != '?' && ch != s.charAt(si))) {
                return false;
            }
            pi++;
            si++;
        }
        return si == s.length();
    }

    /** COMMAND, COMMAND COUNT, COMMAND INFO name..., COMMAND DOCS (empty): what clients ask at start. */
    private static void command(Command c, RespWriter out) {
        List<CommandSpec> all = CommandTable.all();
        if (c.argCount() == 1) {
            out.arrayHeader(all.size());
            all.forEach(s -> commandInfo(s, out));
            return;
        }
        String sub = text(c, 1).toLowerCase(Locale.ROOT);
        switch (sub) {
            case "count" -> out.integer(all.size());
            case "docs" -> out.arrayHeader(0);
            case "info" -> {
                out.arrayHeader(c.argCount() - 2);
                for (int i = 2; i < c.argCount(); i++) {
                    CommandSpec s = CommandTable.lookup(Command.of(c.arg(i)));
                    if (s == null) {
                        out.nullArray();
                    } else {
                        commandInfo(s, out);
                    }
                }
            }
            default -> out.error("ERR unknown subcommand '" + text(c, 1) + "'. Try COMMAND HELP.");
        }
    }

    private static void commandInfo(CommandSpec s, RespWriter out) {
        CommandTable.writeInfo(s, out);
    }

    // ---------------------------------------------------------------- INFO

    private static void info(Connection conn, Command c, RespWriter out) {
        List<String> sections = new ArrayList<>();
        for (int i = 1; i < c.argCount(); i++) {
            sections.add(text(c, i).toLowerCase(Locale.ROOT));
        }
        out.bulk(Info.render(conn, sections).getBytes(StandardCharsets.UTF_8));
    }

    static String text(Command c, int i) {
        return new String(c.arg(i), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static boolean isInteger(String s) {
        try {
            Long.parseLong(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
