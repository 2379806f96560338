package io.github.jglommio.kv.script;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.BaseLib;
import org.luaj.vm2.lib.CoroutineLib;
import org.luaj.vm2.lib.DebugLib;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.StringLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.ThreeArgFunction;
import org.luaj.vm2.lib.TwoArgFunction;
import org.luaj.vm2.lib.VarArgFunction;
import org.luaj.vm2.lib.jse.JseMathLib;

import java.io.ByteArrayInputStream;

/**
 * One Lua state set up as Redis 7.0 sets up its scripting one: the libraries it loads (base
 * without the file functions, table, string, math, coroutine, {@code bit}, {@code cjson}), Lua 5.1's
 * {@code unpack}, {@code loadstring} and {@code table.getn} on top of LuaJ's Lua 5.2, no
 * {@code os}, {@code io}, {@code require}, {@code dofile}, {@code loadfile}, {@code print} or
 * {@code debug}; and the protection of globals: scripts see an environment that refuses new
 * globals ("Attempt to modify a readonly table") and names the global a script reads that does not
 * exist ("Script attempted to access nonexistent global variable"); the library tables refuse
 * writes the same way.
 *
 * <p>LuaJ's debug library stays loaded, hidden from scripts: it keeps the call stack that error
 * messages name lines from, and its {@link DebugLib#onInstruction} is the engine's hook for the
 * busy threshold and SCRIPT KILL ({@link ScriptEngine}).
 *
 * <p>Threading: one executor; a Lua state is not thread-safe.
 */
final class LuaSandbox {
    static final LuaString INDEX = LuaString.valueOf("__index");
    static final LuaString NEWINDEX = LuaString.valueOf("__newindex");
    static final LuaString METATABLE = LuaString.valueOf("__metatable");

    /** The Lua state; its table holds the real globals (scripts never see it directly). */
    final Globals globals = new Globals();
    /** The environment of EVAL scripts: reads the globals, refuses writes. */
    final LuaTable env;

    /** Refuses a write to a protected table. */
    static final LuaValue READONLY = new ThreeArgFunction() {
        @Override
        public LuaValue call(LuaValue t, LuaValue k, LuaValue v) {
            throw new LuaError("Attempt to modify a readonly table");
        }
    };

    LuaSandbox(DebugLib hook, LuaTable redis) {
        globals.load(new BaseLib());
        globals.load(new PackageLib());
        globals.load(new TableLib());
        globals.load(new StringLib());
        globals.load(new JseMathLib());
        globals.load(new CoroutineLib());
        globals.load(hook);
        LoadState.install(globals);
        LuaC.install(globals);
        for (String name : new String[] {"package", "require", "module", "dofile", "loadfile", "print", "debug",
                "collectgarbage"}) {
            globals.rawset(name, LuaValue.NIL);
        }
        LuaTable table = (LuaTable) globals.rawget("table");
        globals.rawset("unpack", table.rawget("unpack"));
        table.rawset("getn", new org.luaj.vm2.lib.OneArgFunction() {
            @Override
            public LuaValue call(LuaValue t) {
                return LuaValue.valueOf(t.checktable().length());
            }
        });
        // Lua 5.1 writes numbers as %.14g (0.0003, 1e+20); LuaJ as Java does (3.0E-4): tostring and
        // table.concat write them as Lua 5.1 does (the .. operator stays LuaJ's).
        LuaValue tostring = globals.rawget("tostring");
        globals.rawset("tostring", new org.luaj.vm2.lib.OneArgFunction() {
            @Override
            public LuaValue call(LuaValue v) {
                return v.type() == LuaValue.TNUMBER ? LuaValue.valueOf(number(v)) : tostring.call(v);
            }
        });
        table.rawset("concat", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                LuaTable t = a.checktable(1);
                LuaString sep = a.isnoneornil(2) ? LuaString.valueOf("") : a.checkstring(2);
                int i = a.isnoneornil(3) ? 1 : a.checkint(3);
                int j = a.isnoneornil(4) ? t.length() : a.checkint(4);
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                for (int k = i; k <= j; k++) {
                    LuaValue v = t.get(k);
                    if (v.type() == LuaValue.TNUMBER) {
                        out.writeBytes(number(v).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    } else if (v.type() == LuaValue.TSTRING) {
                        out.writeBytes(LuaReplies.bytes(v.checkstring()));
                    } else {
                        throw new LuaError("invalid value (at index " + k + ") in table for 'concat'");
                    }
                    if (k < j) {
                        out.writeBytes(LuaReplies.bytes(sep));
                    }
                }
                return LuaString.valueOf(out.toByteArray());
            }
        });
        LuaTable math = (LuaTable) globals.rawget("math");
        math.rawset("mod", math.rawget("fmod"));
        globals.rawset("bit", BitLib.library());
        globals.rawset("cjson", CJson.library());
        globals.rawset("redis", redis);
        env = protectedEnv(globals, null);
        globals.rawset("_G", env);
        LuaValue loadstring = new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                LuaString code = args.checkstring(1);
                String chunk = args.optjstring(2, "=(load)");
                try {
                    return globals.load(new ByteArrayInputStream(LuaReplies.bytes(code)), chunk, "t", env);
                } catch (LuaError e) {
                    return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(e.getMessage()));
                }
            }
        };
        globals.rawset("loadstring", loadstring);
        globals.rawset("load", loadstring);
        for (String lib : new String[] {"string", "table", "math", "coroutine", "bit", "cjson"}) {
            globals.rawset(lib, readonly((LuaTable) globals.rawget(lib)));
        }
    }

    /**
     * An environment over {@code real}: its reads go to {@code real} (a missing name is an error),
     * its writes are refused; {@code redisWhileLoading}, when not null, is what {@code redis} names
     * instead of the real table while {@link #loading} is set (FUNCTION LOAD).
     */
    static LuaTable protectedEnv(LuaTable real, LuaTable[] redisOverride) {
        LuaTable env;
        if (real instanceof Globals g) {
            // A Globals, not a plain table: LuaJ runs the debug hooks of a closure only when its
            // environment is one (LuaClosure keeps "env instanceof Globals").
            Globals e = new Globals();
            e.debuglib = g.debuglib;
            e.running = g.running;
            e.baselib = g.baselib;
            e.loader = g.loader;
            e.compiler = g.compiler;
            e.undumper = g.undumper;
            env = e;
        } else {
            env = new LuaTable();
        }
        LuaTable mt = new LuaTable();
        mt.rawset(INDEX, new TwoArgFunction() {
            @Override
            public LuaValue call(LuaValue t, LuaValue k) {
                if (redisOverride != null && redisOverride[0] != null) {
                    // FUNCTION LOAD runs the library with nothing but its own redis table.
                    if (k.isstring() && k.tojstring().equals("redis")) {
                        return redisOverride[0];
                    }
                    throw new LuaError("Script attempted to access nonexistent global variable '" + k.tojstring() + "'");
                }
                LuaValue v = real.rawget(k);
                if (v.isnil()) {
                    throw new LuaError("Script attempted to access nonexistent global variable '" + k.tojstring() + "'");
                }
                return v;
            }
        });
        mt.rawset(NEWINDEX, READONLY);
        mt.rawset(METATABLE, LuaValue.FALSE);
        env.setmetatable(mt);
        return env;
    }

    /** As {@link #readonly}, and reading a missing name is an error, as for a global. */
    static LuaTable strict(LuaTable t) {
        return protectedEnv(t, null);
    }

    /** A number as Lua 5.1 writes it ({@code %.14g}; inf, -inf, nan and -nan as C prints them). */
    static String number(LuaValue v) {
        double d = v.todouble();
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        return CJson.formatG(d, 14);
    }

    /** A read-only view of {@code t}: reads go to it, writes are refused. */
    static LuaTable readonly(LuaTable t) {
        LuaTable proxy = new LuaTable();
        LuaTable mt = new LuaTable();
        mt.rawset(INDEX, t);
        mt.rawset(NEWINDEX, READONLY);
        mt.rawset(METATABLE, LuaValue.FALSE);
        proxy.setmetatable(mt);
        return proxy;
    }

    /**
     * Compiles {@code code} as chunk {@code name} (e.g. {@code @user_script}) in {@code env}.
     *
     * @throws LuaError with the compiler's message when it does not compile
     */
    LuaValue compile(byte[] code, String name, LuaTable env) {
        return globals.load(new ByteArrayInputStream(code), name, "t", env);
    }
}
