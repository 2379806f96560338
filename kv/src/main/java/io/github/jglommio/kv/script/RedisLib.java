package io.github.jglommio.kv.script;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code redis} table of one engine: {@code call}, {@code pcall}, {@code error_reply},
 * {@code status_reply}, {@code sha1hex}, {@code log} and the {@code LOG_*} levels,
 * {@code setresp}, {@code set_repl} and the {@code REPL_*} constants, {@code replicate_commands},
 * {@code breakpoint} and {@code debug} (no-ops, as in Redis without the debugger),
 * {@code REDIS_VERSION} and {@code REDIS_VERSION_NUM}. While FUNCTION LOAD runs a library, scripts
 * see a smaller table with {@code register_function} ({@link #loading}). Threading: the engine's.
 */
final class RedisLib {
    static final String REDIS_VERSION = "7.0.15";
    static final int REDIS_VERSION_NUM = 0x07000f;

    final LuaTable full;
    private final ScriptEngine engine;
    private final System.Logger logger;

    RedisLib(ScriptEngine engine, System.Logger logger) {
        this.engine = engine;
        this.logger = logger;
        LuaTable t = new LuaTable();
        t.rawset("call", fn(a -> engine.call(a, true)));
        t.rawset("pcall", fn(a -> engine.call(a, false)));
        common(t);
        t.rawset("setresp", fn(a -> {
            if (a.narg() != 1) {
                throw new LuaError(ScriptEngine.errTable("ERR redis.setresp() requires one argument."));
            }
            int v = a.arg1().type() == LuaValue.TNUMBER ? (int) a.arg1().todouble() : -1;
            if (v != 2 && v != 3) {
                throw new LuaError(ScriptEngine.errTable("ERR RESP version must be 2 or 3."));
            }
            engine.resp = v;
            return LuaValue.NIL;
        }));
        t.rawset("set_repl", fn(a -> {
            if (a.narg() != 1) {
                throw new LuaError(ScriptEngine.errTable("ERR redis.set_repl() requires one argument."));
            }
            int v = a.arg1().type() == LuaValue.TNUMBER ? (int) a.arg1().todouble() : -1;
            if (v < 0 || v > 3) {
                throw new LuaError(ScriptEngine.errTable("ERR Invalid replication flags. Use REPL_AOF, REPL_REPLICA,"
                        + " REPL_ALL or REPL_NONE."));
            }
            return LuaValue.NIL; // effects always go to the log: see package-info
        }));
        t.rawset("replicate_commands", fn(a -> LuaValue.TRUE));
        t.rawset("breakpoint", fn(a -> LuaValue.FALSE));
        t.rawset("debug", fn(a -> LuaValue.NIL));
        t.rawset("REPL_NONE", LuaValue.valueOf(0));
        t.rawset("REPL_AOF", LuaValue.valueOf(1));
        t.rawset("REPL_SLAVE", LuaValue.valueOf(2));
        t.rawset("REPL_REPLICA", LuaValue.valueOf(2));
        t.rawset("REPL_ALL", LuaValue.valueOf(3));
        this.full = LuaSandbox.readonly(t);
    }

    /** The functions of both tables. */
    private void common(LuaTable t) {
        t.rawset("error_reply", fn(a -> {
            if (a.narg() != 1 || a.arg1().type() != LuaValue.TSTRING) {
                throw new LuaError(ScriptEngine.errTable("ERR wrong number or type of arguments"));
            }
            String s = a.arg1().tojstring();
            LuaTable r = new LuaTable();
            r.rawset(LuaReplies.ERR, LuaValue.valueOf(s.startsWith("-") ? s.substring(1) : s));
            return r;
        }));
        t.rawset("status_reply", fn(a -> {
            if (a.narg() != 1 || a.arg1().type() != LuaValue.TSTRING) {
                throw new LuaError(ScriptEngine.errTable("ERR wrong number or type of arguments"));
            }
            LuaTable r = new LuaTable();
            r.rawset(LuaReplies.OK, a.arg1());
            return r;
        }));
        t.rawset("sha1hex", fn(a -> {
            if (a.narg() != 1) {
                throw new LuaError(ScriptEngine.errTable("ERR wrong number of arguments"));
            }
            LuaValue v = a.arg1();
            byte[] b = v.isstring() ? LuaReplies.bytes(v.checkstring()) : new byte[0];
            return LuaValue.valueOf(Sha1.hex(b));
        }));
        t.rawset("log", fn(a -> {
            if (a.narg() < 2) {
                throw new LuaError(ScriptEngine.errTable("ERR redis.log() requires two arguments or more."));
            }
            if (a.arg1().type() != LuaValue.TNUMBER) {
                throw new LuaError(ScriptEngine.errTable("ERR First argument must be a number (log level)."));
            }
            int level = (int) a.arg1().todouble();
            if (level < 0 || level > 3) {
                throw new LuaError(ScriptEngine.errTable("ERR Invalid debug level."));
            }
            StringBuilder sb = new StringBuilder();
            for (int i = 2; i <= a.narg(); i++) {
                if (i > 2) {
                    sb.append(' ');
                }
                sb.append(a.arg(i).tojstring());
            }
            System.Logger.Level l = switch (level) {
                case 0 -> System.Logger.Level.DEBUG;
                case 1 -> System.Logger.Level.DEBUG;
                case 2 -> System.Logger.Level.INFO;
                default -> System.Logger.Level.WARNING;
            };
            logger.log(l, sb.toString());
            return LuaValue.NIL;
        }));
        t.rawset("LOG_DEBUG", LuaValue.valueOf(0));
        t.rawset("LOG_VERBOSE", LuaValue.valueOf(1));
        t.rawset("LOG_NOTICE", LuaValue.valueOf(2));
        t.rawset("LOG_WARNING", LuaValue.valueOf(3));
        t.rawset("REDIS_VERSION", LuaValue.valueOf(REDIS_VERSION));
        t.rawset("REDIS_VERSION_NUM", LuaValue.valueOf(REDIS_VERSION_NUM));
    }

    /** The table FUNCTION LOAD's code sees: {@code register_function} feeds {@code registrar}. */
    LuaTable loading(ScriptEngine.Registrar registrar) {
        LuaTable t = new LuaTable();
        common(t);
        t.rawset("register_function", fn(a -> {
            register(a, registrar);
            return LuaValue.NIL;
        }));
        return LuaSandbox.strict(t);
    }

    private static void register(Varargs a, ScriptEngine.Registrar registrar) {
        String name;
        LuaValue callback;
        String description = null;
        List<String> flags = new ArrayList<>();
        if (a.narg() == 1 && a.arg1().istable()) {
            LuaTable t = (LuaTable) a.arg1();
            LuaValue nameV = LuaValue.NIL;
            callback = LuaValue.NIL;
            for (Varargs e = t.next(LuaValue.NIL); !e.arg1().isnil(); e = t.next(e.arg1())) {
                String k = e.arg1().tojstring();
                LuaValue v = e.arg(2);
                switch (k) {
                    case "function_name" -> nameV = v;
                    case "callback" -> callback = v;
                    case "description" -> {
                        if (v.type() != LuaValue.TSTRING) {
                            throw err("ERR description argument given to redis.register_function must be a string");
                        }
                        description = v.tojstring();
                    }
                    case "flags" -> flags = flags(v);
                    default -> throw err("ERR unknown argument given to redis.register_function");
                }
            }
            if (nameV.isnil()) {
                throw err("ERR redis.register_function must get a function name argument");
            }
            if (!nameV.isstring()) {
                throw err("ERR function_name argument given to redis.register_function must be a string");
            }
            if (callback.isnil()) {
                throw err("ERR redis.register_function must get a callback argument");
            }
            if (!ScriptEngine.isFunction(callback)) {
                throw err("ERR callback argument given to redis.register_function must be a function");
            }
            name = nameV.tojstring();
        } else if (a.narg() == 1) {
            throw err("ERR calling redis.register_function with a single argument is only applicable to Lua table"
                    + " (representing named arguments).");
        } else if (a.narg() == 2) {
            if (!a.arg1().isstring()) {
                throw err("ERR first argument to redis.register_function must be a string");
            }
            if (!ScriptEngine.isFunction(a.arg(2))) {
                throw err("ERR second argument to redis.register_function must be a function");
            }
            name = a.arg1().tojstring();
            callback = a.arg(2);
        } else {
            throw err("ERR wrong number of arguments to redis.register_function");
        }
        if (!Shebang.validName(name)) {
            throw err("ERR Library names can only contain letters, numbers, or underscores(_) and must be at least"
                    + " one character long");
        }
        registrar.register(new FunctionLibraries.Function(name, description, List.copyOf(flags)), callback);
    }

    private static List<String> flags(LuaValue v) {
        if (!v.istable()) {
            throw err("ERR flags argument to redis.register_function must be a table representing function flags");
        }
        List<String> flags = new ArrayList<>();
        LuaTable t = (LuaTable) v;
        for (int i = 1; !t.rawget(i).isnil(); i++) {
            LuaValue f = t.rawget(i);
            if (f.type() != LuaValue.TSTRING || !Shebang.FLAGS.contains(f.tojstring())) {
                throw err("ERR unknown flag given");
            }
            if (!flags.contains(f.tojstring())) {
                flags.add(f.tojstring());
            }
        }
        return flags;
    }

    private static LuaError err(String text) {
        return new LuaError(ScriptEngine.errTable(text));
    }

    private interface Body {
        LuaValue apply(Varargs a);
    }

    private static VarArgFunction fn(Body body) {
        return new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return body.apply(args);
            }
        };
    }

    static LuaString str(String s) {
        return LuaString.valueOf(s.getBytes(StandardCharsets.UTF_8));
    }
}
