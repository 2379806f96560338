package io.github.jglommio.kv.server;

import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.kv.script.FunctionDump;
import io.github.jglommio.kv.script.FunctionLibraries;
import io.github.jglommio.kv.script.ScriptEngine;
import io.github.jglommio.kv.store.Glob;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * SCRIPT and FUNCTION, answered by the connection's task: the script cache and the function
 * libraries are server-wide ({@link KvServer#scripts}, {@link KvServer#functions}); SCRIPT LOAD
 * and FUNCTION LOAD compile with the connection's shard's engine, and KILL asks every shard's
 * engine (its kill flag may be set from any thread).
 */
final class Scripting {
    private Scripting() {
    }

    /** SCRIPT subcommand ... */
    static void script(Connection conn, Command c, RespWriter out) {
        if (!Subcommands.check(c, out, "script")) {
            return;
        }
        KvServer server = conn.shard.server;
        switch (ServerCommands.text(c, 1).toLowerCase(Locale.ROOT)) {
            case "help" -> Subcommands.help(out, "SCRIPT",
                    "DEBUG (YES|SYNC|NO)",
                    "    Set the debug mode for subsequent scripts executed.",
                    "EXISTS <sha1> [<sha1> ...]",
                    "    Return information about the existence of the scripts in the script cache.",
                    "FLUSH [ASYNC|SYNC]",
                    "    Flush the Lua scripts cache. Very dangerous on replicas.",
                    "    When called without the optional mode argument, the behavior is determined by the",
                    "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
                    "    * ASYNC: Asynchronously flush the scripts cache.",
                    "    * SYNC: Synchronously flush the scripts cache.",
                    "KILL",
                    "    Kill the currently executing Lua script.",
                    "LOAD <script>",
                    "    Load a script into the scripts cache without executing it.");
            case "exists" -> {
                out.arrayHeader(c.argCount() - 2);
                for (int i = 2; i < c.argCount(); i++) {
                    out.integer(server.scripts.exists(ServerCommands.text(c, i)) ? 1 : 0);
                }
            }
            case "load" -> {
                boolean[] failed = {false};
                String r = conn.shard.scripts.load(c.arg(2), failed);
                if (failed[0]) {
                    out.error(r);
                } else {
                    out.bulk(r.getBytes(StandardCharsets.US_ASCII));
                }
            }
            case "flush" -> {
                if (!flushMode(c)) {
                    out.error("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
                    return;
                }
                server.scripts.flush();
                out.ok();
            }
            case "kill" -> out.raw(kill(server, false));
            case "debug" -> {
                String mode = ServerCommands.text(c, 2).toLowerCase(Locale.ROOT);
                switch (mode) {
                    case "no" -> out.ok();
                    case "yes", "sync" -> out.error("ERR this server has no Lua debugger (SCRIPT DEBUG NO only)");
                    default -> out.error("ERR Use SCRIPT DEBUG YES/SYNC/NO");
                }
            }
            default -> Subcommands.unknown(c, out, "SCRIPT");
        }
    }

    private static boolean flushMode(Command c) {
        if (c.argCount() == 2) {
            return true;
        }
        if (c.argCount() != 3) {
            return false;
        }
        String m = ServerCommands.text(c, 2).toLowerCase(Locale.ROOT);
        return m.equals("sync") || m.equals("async");
    }

    /** SCRIPT KILL / FUNCTION KILL: the reply, from the shard whose script is busy. */
    private static byte[] kill(KvServer server, boolean function) {
        String error = "NOTBUSY No scripts in execution right now.";
        for (int s = 0; s < server.shardCount(); s++) {
            ScriptEngine e = server.shard(s).scripts;
            ScriptEngine.Running r = e.running();
            if (r == null || !e.isBusy()) {
                continue;
            }
            String refusal = e.kill(function);
            if (refusal == null) {
                return "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
            }
            error = refusal;
        }
        return ("-" + error + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** FUNCTION subcommand ... */
    static void function(Connection conn, Command c, RespWriter out) {
        if (!Subcommands.check(c, out, "function")) {
            return;
        }
        KvServer server = conn.shard.server;
        FunctionLibraries libs = server.functions;
        String sub = ServerCommands.text(c, 1).toLowerCase(Locale.ROOT);
        if ((sub.equals("load") || sub.equals("restore")) && server.memoryFull()) {
            out.error(Shard.OOM); // denyoom subcommands, refused before they parse, as in Redis
            return;
        }
        switch (sub) {
            case "help" -> functionHelp(out);
            case "load" -> {
                boolean replace = false;
                int i = 2;
                for (; i < c.argCount() - 1; i++) {
                    String opt = ServerCommands.text(c, i);
                    if (opt.equalsIgnoreCase("replace")) {
                        replace = true;
                    } else {
                        out.error("ERR Unknown option given: " + opt);
                        return;
                    }
                }
                if (i >= c.argCount()) {
                    out.error("ERR Function code was not given");
                    return;
                }
                try {
                    FunctionLibraries.Library lib = conn.shard.scripts.compileLibrary(c.arg(i));
                    String error = libs.add(lib, replace);
                    if (error != null) {
                        out.error(error);
                    } else {
                        out.bulk(lib.name().getBytes(StandardCharsets.UTF_8));
                    }
                } catch (IllegalArgumentException e) {
                    out.error(e.getMessage());
                }
            }
            case "delete" -> {
                if (libs.delete(ServerCommands.text(c, 2))) {
                    out.ok();
                } else {
                    out.error("ERR Library not found");
                }
            }
            case "flush" -> {
                if (c.argCount() > 3) {
                    Subcommands.unknownOrArity(c, out, "FUNCTION");
                    return;
                }
                if (!flushMode(c)) {
                    out.error("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
                    return;
                }
                libs.flush();
                out.ok();
            }
            case "list" -> list(c, libs, out);
            case "stats" -> stats(server, libs, out);
            case "kill" -> out.raw(kill(server, true));
            case "dump" -> out.bulk(FunctionDump.dump(libs.all()));
            case "restore" -> restore(conn, c, libs, out);
            default -> Subcommands.unknown(c, out, "FUNCTION");
        }
    }

    private static void list(Command c, FunctionLibraries libs, RespWriter out) {
        byte[] pattern = null;
        boolean withCode = false;
        for (int i = 2; i < c.argCount(); i++) {
            String a = ServerCommands.text(c, i);
            if (a.equalsIgnoreCase("withcode") && !withCode) {
                withCode = true;
            } else if (a.equalsIgnoreCase("libraryname") && pattern == null) {
                if (i + 1 >= c.argCount()) {
                    out.error("ERR library name argument was not given");
                    return;
                }
                pattern = c.arg(++i);
            } else {
                out.error("ERR Unknown argument " + a);
                return;
            }
        }
        List<FunctionLibraries.Library> shown = new ArrayList<>();
        for (FunctionLibraries.Library l : libs.all()) {
            if (pattern == null || Glob.matches(pattern, l.name().getBytes(StandardCharsets.UTF_8))) {
                shown.add(l);
            }
        }
        out.arrayHeader(shown.size());
        for (FunctionLibraries.Library l : shown) {
            out.mapHeader(withCode ? 4 : 3);
            out.bulk(bytes("library_name")).bulk(bytes(l.name()));
            out.bulk(bytes("engine")).bulk(bytes("LUA"));
            out.bulk(bytes("functions")).arrayHeader(l.functions().size());
            for (FunctionLibraries.Function f : l.functions()) {
                out.mapHeader(3);
                out.bulk(bytes("name")).bulk(bytes(f.name()));
                out.bulk(bytes("description"));
                if (f.description() == null) {
                    out.nullBulk();
                } else {
                    out.bulk(bytes(f.description()));
                }
                out.bulk(bytes("flags")).setHeader(f.flags().size());
                for (String flag : f.flags()) {
                    out.simpleString(flag);
                }
            }
            if (withCode) {
                out.bulk(bytes("library_code")).bulk(bytes(l.code()));
            }
        }
    }

    private static void stats(KvServer server, FunctionLibraries libs, RespWriter out) {
        out.mapHeader(2);
        out.bulk(bytes("running_script"));
        ScriptEngine.Running running = null;
        for (int s = 0; s < server.shardCount() && running == null; s++) {
            ScriptEngine.Running r = server.shard(s).scripts.running();
            if (r != null && r.isFunction() && r.command().size() > 0) {
                running = r;
            }
        }
        if (running == null) {
            out.nullBulk();
        } else {
            out.mapHeader(3);
            out.bulk(bytes("name")).bulk(bytes(running.name()));
            out.bulk(bytes("command")).arrayHeader(running.command().size());
            for (String a : running.command()) {
                out.bulk(bytes(a));
            }
            out.bulk(bytes("duration_ms")).integer((System.nanoTime() - running.startedNanos()) / 1_000_000);
        }
        List<FunctionLibraries.Library> all = libs.all();
        int functions = 0;
        for (FunctionLibraries.Library l : all) {
            functions += l.functions().size();
        }
        out.bulk(bytes("engines")).mapHeader(1);
        out.bulk(bytes("LUA")).mapHeader(2);
        out.bulk(bytes("libraries_count")).integer(all.size());
        out.bulk(bytes("functions_count")).integer(functions);
    }

    private static void restore(Connection conn, Command c, FunctionLibraries libs, RespWriter out) {
        String policy = "append";
        if (c.argCount() > 4) {
            Subcommands.unknownOrArity(c, out, "FUNCTION");
            return;
        }
        if (c.argCount() == 4) {
            policy = ServerCommands.text(c, 3).toLowerCase(Locale.ROOT);
            if (!policy.equals("flush") && !policy.equals("append") && !policy.equals("replace")) {
                out.error("ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
                return;
            }
        }
        List<byte[]> codes = FunctionDump.parse(c.arg(2));
        if (codes == null) {
            out.error("ERR DUMP payload version or checksum are wrong");
            return;
        }
        List<FunctionLibraries.Library> restored = new ArrayList<>();
        try {
            for (byte[] code : codes) {
                restored.add(conn.shard.scripts.compileLibrary(code));
            }
        } catch (IllegalArgumentException e) {
            out.error(e.getMessage());
            return;
        }
        String error = libs.restore(restored, policy);
        if (error != null) {
            out.error(error);
        } else {
            out.ok();
        }
    }

    private static void functionHelp(RespWriter out) {
        Subcommands.help(out, "FUNCTION",
                "LOAD [REPLACE] <FUNCTION CODE>",
                "    Create a new library with the given library name and code.",
                "DELETE <LIBRARY NAME>",
                "    Delete the given library.",
                "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
                "    Return general information on all the libraries:",
                "    * Library name",
                "    * The engine used to run the Library",
                "    * Library description",
                "    * Functions list",
                "    * Library code (if WITHCODE is given)",
                "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
                "STATS",
                "    Return information about the current function running:",
                "    * Function name",
                "    * Command used to run the function",
                "    * Duration in MS that the function is running",
                "    If no function is running, return nil",
                "    In addition, returns a list of available engines.",
                "KILL",
                "    Kill the current running function.",
                "FLUSH [ASYNC|SYNC]",
                "    Delete all the libraries.",
                "    When called without the optional mode argument, the behavior is determined by the",
                "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
                "    * ASYNC: Asynchronously flush the libraries.",
                "    * SYNC: Synchronously flush the libraries.",
                "DUMP",
                "    Return a serialized payload representing the current libraries, can be restored using FUNCTION"
                        + " RESTORE command",
                "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
                "    Restore the libraries represented by the given payload, it is possible to give a restore policy"
                        + " to",
                "    control how to handle existing libraries (default APPEND):",
                "    * FLUSH: delete all existing libraries.",
                "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
                "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the"
                        + " old",
                "      libraries with the new libraries (notice that even on this option there is a chance of"
                        + " failure",
                "      in case of functions name collision with another library).");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
