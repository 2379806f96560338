package io.github.jglommio.kv.script;

import io.github.jglommio.kv.command.CommandSpec;
import io.github.jglommio.kv.command.CommandTable;
import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.DebugLib;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One shard's Lua: runs EVAL, EVALSHA, EVAL_RO, EVALSHA_RO, FCALL and FCALL_RO in its own
 * {@link LuaSandbox}, with the {@code redis} table ({@link RedisLib}) bound to the
 * {@link ScriptHost} of the command that runs; compiles the scripts of the server-wide
 * {@link ScriptCache} and the libraries of the server-wide {@link FunctionLibraries} on first use.
 *
 * <p>A script runs to its end on the caller's task; the engine does not park. Past the busy
 * threshold ({@code busy-reply-threshold}, read through the supplier) it calls
 * {@link ScriptHost#busy} every {@value #HOOK_EVERY} instructions, where the server lets its other
 * tasks run (and answer {@code -BUSY}); {@link #kill} (SCRIPT KILL, FUNCTION KILL, from any thread)
 * makes the next such check end the script with an error that {@code pcall} cannot catch, unless it
 * has written already.
 *
 * <p>Threading: one executor, except {@link #kill} and {@link #running}.
 */
public final class ScriptEngine {
    /** Instructions between two checks of the clock and the kill flag. */
    static final int HOOK_EVERY = 10_000;
    private static final Pattern LOCATION = Pattern.compile("^@?(user_\\w+):(\\d+) ");

    private final ScriptCache cache;
    private final FunctionLibraries libraries;
    private final LongSupplier busyThresholdMillis;
    private final System.Logger logger;
    private final LuaSandbox lua;
    final RedisLib redis;
    private final Map<String, LuaValue> compiled = new HashMap<>();
    private long compiledFlushes;
    /** The functions of every library, as this Lua state has them, and the registry version they are of. */
    private final Map<String, LoadedFunction> functions = new HashMap<>();
    private long functionsVersion = -1;

    // The script running now (written on the executor, read by kill() and running() elsewhere).
    private volatile Running current;
    private volatile boolean killRequested;
    private int ticks;

    /** A function of a library in this Lua state. */
    private record LoadedFunction(FunctionLibraries.Function meta, LuaValue callback) {
    }

    /**
     * What runs now, for FUNCTION STATS, SCRIPT KILL and the BUSY error.
     *
     * @param name the script's SHA-1 or the function's name
     * @param command the command that runs it, with its arguments
     * @param isFunction whether it is a function (FCALL)
     */
    public record Running(String name, List<String> command, boolean isFunction, long startedNanos) {
    }

    /**
     * Creates a shard's engine.
     *
     * @param cache the server's EVAL scripts
     * @param libraries the server's function libraries
     * @param busyThresholdMillis the current busy-reply-threshold
     * @param logger where {@code redis.log} writes
     */
    public ScriptEngine(ScriptCache cache, FunctionLibraries libraries, LongSupplier busyThresholdMillis,
                        System.Logger logger) {
        this.cache = cache;
        this.libraries = libraries;
        this.busyThresholdMillis = busyThresholdMillis;
        this.logger = logger;
        this.redis = new RedisLib(this, logger);
        this.lua = new LuaSandbox(hook, redis.full);
    }

    /**
     * The debug library, kept for its call stack, and the instruction hook; it also keeps the line
     * of the last Lua instruction run, which an error raised from Java (redis.call, even as a tail
     * call whose Lua frame is gone) is reported at.
     */
    private final class Hook extends DebugLib {
        private final java.util.ArrayDeque<Object> frames = new java.util.ArrayDeque<>();
        private static final Object JAVA = new Object();

        @Override
        public void onCall(LuaFunction f) {
            super.onCall(f);
            frames.push(JAVA);
        }

        @Override
        public void onCall(org.luaj.vm2.LuaClosure c, Varargs varargs, LuaValue[] stack) {
            super.onCall(c, varargs, stack);
            frames.push(c);
        }

        @Override
        public void onReturn() {
            super.onReturn();
            frames.poll();
        }

        @Override
        public void onInstruction(int pc, Varargs v, int top) {
            super.onInstruction(pc, v, top);
            if (frames.peek() instanceof org.luaj.vm2.LuaClosure c) {
                int[] lines = c.p.lineinfo;
                if (lines != null && pc < lines.length) {
                    lastLine = lines[pc];
                    lastSource = c.p.source.tojstring();
                }
            }
            if (++ticks >= HOOK_EVERY) {
                ticks = 0;
                check();
            }
        }

        void reset() {
            frames.clear();
        }
    }

    private final Hook hook = new Hook();
    /** How long FUNCTION LOAD lets a library's code run (Redis's 500 ms). */
    private static final long LOAD_TIMEOUT_NS = 500_000_000L;
    private boolean loadingLibrary;
    private int lastLine = -1;
    private String lastSource;

    /** Thrown to end a killed script: an Error, so that Lua's pcall does not catch it. */
    static final class Killed extends Error {
        Killed() {
            super("killed", null, false, false);
        }
    }

    // ---------------------------------------------------------------- state of the running script

    private ScriptHost host;
    private boolean busyReported;
    /** The script's redis.setresp version. */
    int resp = 2;
    boolean readOnly;
    boolean wrote;
    /** A script without flags that started out of memory: its denyoom commands are refused. */
    boolean oomAtStart;

    private void check() {
        Running r = current;
        if (r == null) {
            return;
        }
        if (host == null) {
            // FUNCTION LOAD: a library's code gets half a second, as in Redis, and never yields.
            if (loadingLibrary && System.nanoTime() - r.startedNanos() > LOAD_TIMEOUT_NS) {
                throw new Killed();
            }
            return;
        }
        long ms = (System.nanoTime() - r.startedNanos()) / 1_000_000;
        long threshold = busyThresholdMillis.getAsLong();
        if (threshold > 0 && ms >= threshold) {
            boolean first = !busyReported;
            busyReported = true;
            host.busy(first);
        }
        if (killRequested) {
            killRequested = false;
            throw new Killed();
        }
    }

    /** The script or function that runs now on this engine, or null. Any thread. */
    public Running running() {
        return current;
    }

    /** Whether the script that runs now has been past the busy threshold. Any thread (a hint). */
    public boolean isBusy() {
        return current != null && busyReported;
    }

    /**
     * SCRIPT KILL or FUNCTION KILL: asks the running script to end. Any thread.
     *
     * @return null once asked; else Redis's error (nothing runs, or it wrote already)
     */
    public String kill(boolean function) {
        Running r = current;
        if (r == null || !busyReported) {
            return "NOTBUSY No scripts in execution right now.";
        }
        if (r.isFunction() != function) {
            return "BUSY Redis is busy running a script. You can only call "
                    + (r.isFunction() ? "FUNCTION KILL" : "SCRIPT KILL") + " or SHUTDOWN NOSAVE.";
        }
        if (wrote) {
            return "UNKILLABLE Sorry the script already executed write commands against the dataset. You can either"
                    + " wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE"
                    + " command.";
        }
        killRequested = true;
        return null;
    }

    // ---------------------------------------------------------------- EVAL

    /**
     * SCRIPT LOAD: compiles {@code body} here and keeps it in the cache.
     *
     * @return the SHA-1, or Redis's error (starting with {@code ERR})
     */
    public String load(byte[] body, boolean[] failed) {
        syncCache();
        String sha = Sha1.hex(body);
        if (!compiled.containsKey(sha)) {
            String error = compile(sha, body);
            if (error != null) {
                failed[0] = true;
                return error;
            }
        }
        cache.put(body);
        return sha;
    }

    private void syncCache() {
        long f = cache.flushCount();
        if (f != compiledFlushes) {
            compiled.clear();
            compiledFlushes = f;
        }
    }

    /** Compiles script {@code sha}; returns the error or null. */
    private String compile(String sha, byte[] body) {
        Shebang sb = Shebang.ofScript(body);
        if (sb.error != null) {
            return sb.error;
        }
        try {
            compiled.put(sha, lua.compile(sb.code, "@user_script", lua.env));
            return null;
        } catch (LuaError e) {
            return "ERR Error compiling script (new function): " + compileMessage(e);
        }
    }

    private static String compileMessage(LuaError e) {
        String m = e.getMessage();
        int tb = m.indexOf("\nstack traceback:");
        return tb >= 0 ? m.substring(0, tb) : m;
    }

    /** Redis's error for work refused while the server is out of memory. */
    private static final String OOM = "OOM command not allowed when used memory > 'maxmemory'.";

    /**
     * Runs EVAL, EVALSHA, EVAL_RO, EVALSHA_RO, FCALL or FCALL_RO {@code c} through {@code host},
     * writing its one reply to {@code out} (in {@code out}'s protocol).
     */
    public void run(CommandSpec spec, Command c, ScriptHost host, RespWriter out) {
        oomAtStart = false;
        String name = spec.name();
        boolean isFunction = name.startsWith("fcall");
        LoadedFunction function = null;
        if (isFunction) {
            syncFunctions();
            // Function names, like Redis's, are case-insensitive.
            function = functions.get(new String(c.arg(1), StandardCharsets.UTF_8).toLowerCase(java.util.Locale.ROOT));
            if (function == null) {
                out.error("ERR Function not found"); // Redis looks the function up first
                return;
            }
        }
        long numkeys;
        try {
            numkeys = Long.parseLong(new String(c.arg(2), StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            out.error(isFunction ? "ERR Bad number of keys provided" : "ERR value is not an integer or out of range");
            return;
        }
        if (numkeys > c.argCount() - 3) {
            out.error("ERR Number of keys can't be greater than number of args");
            return;
        }
        if (numkeys < 0) {
            out.error("ERR Number of keys can't be negative");
            return;
        }
        boolean ro = name.endsWith("_ro");
        LuaValue fn;
        String scriptName;
        boolean strictReadOnly;
        if (isFunction) {
            LoadedFunction f = function;
            if (ro && !f.meta().readOnly()) {
                out.error("ERR Can not execute a script with write flag using *_ro command.");
                return;
            }
            if (!f.meta().readOnly() && !f.meta().allowOom() && host.outOfMemory()) {
                out.error(OOM);
                return;
            }
            fn = f.callback();
            scriptName = f.meta().name();
            strictReadOnly = f.meta().readOnly();
        } else {
            syncCache();
            byte[] body;
            String sha;
            if (name.startsWith("evalsha")) {
                sha = new String(c.arg(1), StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
                body = sha.length() == 40 ? cache.get(sha) : null;
                if (body == null) {
                    out.error("NOSCRIPT No matching script. Please use EVAL.");
                    return;
                }
            } else {
                body = c.arg(1);
                sha = Sha1.hex(body);
            }
            if (!compiled.containsKey(sha)) {
                String error = compile(sha, body);
                if (error != null) {
                    out.error(error);
                    return;
                }
            }
            cache.put(body);
            Shebang sb = Shebang.ofScript(body);
            if (sb.shebang && ro && !sb.flags.contains("no-writes")) {
                out.error("ERR Can not execute a script with write flag using *_ro command.");
                return;
            }
            boolean oom = false;
            if (!sb.flags.contains("no-writes") && !sb.flags.contains("allow-oom")) {
                oom = host.outOfMemory();
                if (oom && sb.shebang) {
                    out.error(OOM);
                    return;
                }
            }
            fn = compiled.get(sha);
            scriptName = sha;
            strictReadOnly = sb.flags.contains("no-writes");
            oomAtStart = oom; // without flags: each denyoom command it calls is refused (see call)
        }
        int n = (int) numkeys;
        LuaTable keys = new LuaTable(n, 0);
        for (int i = 0; i < n; i++) {
            keys.rawset(i + 1, LuaString.valueOf(c.arg(3 + i)));
        }
        LuaTable argv = new LuaTable(c.argCount() - 3 - n, 0);
        for (int i = 3 + n; i < c.argCount(); i++) {
            argv.rawset(i - 2 - n, LuaString.valueOf(c.arg(i)));
        }
        List<String> command = new java.util.ArrayList<>();
        for (int i = 0; i < c.argCount(); i++) {
            command.add(new String(c.arg(i), StandardCharsets.UTF_8));
        }
        execute(fn, isFunction, scriptName, command, keys, argv, ro || strictReadOnly, host, out);
    }

    private void execute(LuaValue fn, boolean isFunction, String scriptName, List<String> command, LuaTable keys,
                         LuaTable argv, boolean readOnly, ScriptHost host, RespWriter out) {
        this.host = host;
        this.resp = 2;
        this.readOnly = readOnly;
        this.wrote = false;
        this.busyReported = false;
        this.killRequested = false;
        this.ticks = 0;
        this.lastLine = -1;
        hook.reset();
        this.current = new Running(scriptName, command, isFunction, System.nanoTime());
        try {
            LuaValue result;
            if (isFunction) {
                result = fn.call(keys, argv);
            } else {
                lua.globals.rawset("KEYS", keys);
                lua.globals.rawset("ARGV", argv);
                result = fn.call();
            }
            LuaReplies.write(result, resp, out);
        } catch (LuaError e) {
            out.error(failure(e, scriptName, lastLine < 0 ? null : "@" + stripAt(lastSource) + ":" + lastLine));
        } catch (Killed k) {
            String where = lastLine < 0 ? "" : ", on @" + stripAt(lastSource) + ":" + lastLine;
            out.error("ERR Script killed by user with SCRIPT KILL... script: " + scriptName + where + ".");
        } catch (StackOverflowError e) {
            out.error("ERR Error running script, stack overflow (" + scriptName + ")");
        } finally {
            this.current = null;
            this.host = null;
            this.killRequested = false;
            if (!isFunction) {
                lua.globals.rawset("KEYS", LuaValue.NIL);
                lua.globals.rawset("ARGV", LuaValue.NIL);
            }
        }
    }

    /** The error reply of a script that raised {@code e}: the message, then which script and where. */
    private static String stripAt(String source) {
        return source != null && source.startsWith("@") ? source.substring(1) : source;
    }

    private static String failure(LuaError e, String scriptName, String lastWhere) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        int tb = message.indexOf("\nstack traceback:");
        if (tb >= 0) {
            message = message.substring(0, tb);
        }
        Matcher m = LOCATION.matcher(message);
        String where = lastWhere;
        String plain = message;
        if (m.find()) {
            where = "@" + m.group(1) + ":" + m.group(2);
            plain = m.group(1) + ":" + m.group(2) + ": " + message.substring(m.end());
        }
        LuaValue v = e.getMessageObject();
        String text;
        if (v != null && v.istable() && v.get(LuaReplies.ERR).isstring()) {
            text = v.get(LuaReplies.ERR).tojstring();
        } else {
            text = "ERR " + plain;
        }
        text = LuaReplies.errorLine(text);
        return where == null ? text + " script: " + scriptName : text + " script: " + scriptName + ", on " + where + ".";
    }

    // ---------------------------------------------------------------- redis.call

    /** redis.call (raise) and redis.pcall: runs one command, converts its reply. */
    LuaValue call(Varargs args, boolean raise) {
        int n = args.narg();
        if (n == 0) {
            return fail(raise, "ERR Please specify at least one argument for this redis lib call");
        }
        byte[][] argv = new byte[n][];
        for (int i = 0; i < n; i++) {
            LuaValue a = args.arg(i + 1);
            if (a.type() == LuaValue.TSTRING) {
                argv[i] = LuaReplies.bytes(a.checkstring());
            } else if (a.type() == LuaValue.TNUMBER) {
                argv[i] = CJson.formatG(a.todouble(), 14).getBytes(StandardCharsets.US_ASCII);
            } else {
                return fail(raise, "ERR Lua redis lib command arguments must be strings or integers");
            }
        }
        Command c = Command.of(argv);
        CommandSpec spec = CommandTable.lookup(c);
        if (spec == null) {
            return fail(raise, "ERR Unknown Redis command called from script");
        }
        if (!spec.acceptsArgCount(n)) {
            return fail(raise, "ERR Wrong number of args calling Redis command from script");
        }
        if (spec.flags().contains("noscript")) {
            return fail(raise, "ERR This Redis command is not allowed from script");
        }
        if (spec.isWrite() && readOnly) {
            return fail(raise, "ERR Write commands are not allowed from read-only scripts.");
        }
        if (oomAtStart && spec.isDenyOom()) {
            return fail(raise, OOM);
        }
        RespWriter w = new RespWriter(64);
        w.protocol(resp);
        host.call(spec, c, w);
        if (spec.isWrite()) {
            wrote = true;
        }
        byte[] r = w.array();
        String err = LuaReplies.errorText(r, 0, w.size());
        if (err != null) {
            return fail(raise, err);
        }
        return LuaReplies.toLua(r, 0, w.size());
    }

    /** An error of redis.call: raised as an error table; for redis.pcall, returned as one. */
    static LuaValue fail(boolean raise, String text) {
        LuaTable t = new LuaTable();
        t.rawset(LuaReplies.ERR, LuaValue.valueOf(text));
        if (raise) {
            throw new LuaError(t);
        }
        return t;
    }

    // ---------------------------------------------------------------- functions

    /**
     * FUNCTION LOAD's checks and registration run: parses the shebang, runs the code with
     * {@code redis.register_function} and returns the library; throws {@link IllegalArgumentException}
     * with Redis's error text when the code is refused.
     */
    public FunctionLibraries.Library compileLibrary(byte[] code) {
        Shebang sb = Shebang.ofLibrary(code);
        if (sb.error != null) {
            throw new IllegalArgumentException(sb.error);
        }
        Map<String, LoadedFunction> registered = new java.util.LinkedHashMap<>();
        runLibrary(sb.code, registered);
        List<FunctionLibraries.Function> fs = new java.util.ArrayList<>();
        for (LoadedFunction f : registered.values()) {
            fs.add(f.meta());
        }
        return new FunctionLibraries.Library(sb.name, new String(code, StandardCharsets.UTF_8), fs);
    }

    private void runLibrary(byte[] code, Map<String, LoadedFunction> into) {
        LuaTable[] loadingRedis = new LuaTable[1];
        LuaTable env = LuaSandbox.protectedEnv(lua.globals, loadingRedis);
        LuaValue chunk;
        try {
            chunk = lua.compile(code, "@user_function", env);
        } catch (LuaError e) {
            throw new IllegalArgumentException("ERR Error compiling function: " + compileMessage(e));
        }
        boolean[] loading = {true};
        loadingRedis[0] = redis.loading((meta, callback) -> {
            if (!loading[0]) {
                throw new LuaError(errTable("ERR redis.register_function can only be called on FUNCTION LOAD command"));
            }
            String key = meta.name().toLowerCase(java.util.Locale.ROOT);
            if (into.containsKey(key)) {
                throw new LuaError(errTable("ERR Function already exists in the library"));
            }
            into.put(key, new LoadedFunction(meta, callback));
        });
        this.current = new Running("FUNCTION LOAD", List.of(), true, System.nanoTime());
        loadingLibrary = true;
        try {
            chunk.call();
        } catch (LuaError e) {
            LuaValue v = e.getMessageObject();
            String text;
            if (v != null && v.istable() && v.get(LuaReplies.ERR).isstring()) {
                text = v.get(LuaReplies.ERR).tojstring();
            } else {
                String m = e.getMessage();
                int tb = m.indexOf("\nstack traceback:");
                m = tb >= 0 ? m.substring(0, tb) : m;
                Matcher mm = LOCATION.matcher(m);
                text = "ERR " + (mm.find() ? mm.group(1) + ":" + mm.group(2) + ": " + m.substring(mm.end()) : m);
            }
            throw new IllegalArgumentException("ERR Error registering functions: " + text);
        } catch (Killed k) {
            throw new IllegalArgumentException("ERR Error registering functions: ERR FUNCTION LOAD timeout");
        } finally {
            loadingLibrary = false;
            this.current = null;
            loadingRedis[0] = null;
            loading[0] = false;
        }
        if (into.isEmpty()) {
            throw new IllegalArgumentException("ERR No functions registered");
        }
    }

    static LuaTable errTable(String text) {
        LuaTable t = new LuaTable();
        t.rawset(LuaReplies.ERR, LuaValue.valueOf(text));
        return t;
    }

    /** Loads the registry's libraries into this Lua state if they changed since the last time. */
    private void syncFunctions() {
        long v = libraries.version();
        if (v == functionsVersion) {
            return;
        }
        functions.clear();
        for (FunctionLibraries.Library lib : libraries.all()) {
            Shebang sb = Shebang.ofLibrary(lib.code().getBytes(StandardCharsets.UTF_8));
            Map<String, LoadedFunction> into = new java.util.LinkedHashMap<>();
            try {
                runLibrary(sb.code, into);
            } catch (IllegalArgumentException e) {
                logger.log(System.Logger.Level.WARNING, "library " + lib.name() + " does not load: " + e.getMessage());
            }
            functions.putAll(into);
        }
        functionsVersion = v;
    }

    /** The callback type of register_function. */
    interface Registrar {
        void register(FunctionLibraries.Function meta, LuaValue callback);
    }

    /** Whether {@code f} is a Lua function value. */
    static boolean isFunction(LuaValue f) {
        return f instanceof LuaFunction;
    }
}
