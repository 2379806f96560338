package io.github.jglommio.kv.script;

import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * The {@code bit} library (LuaBitOp) that Redis loads: 32-bit operations on numbers, results as
 * signed 32-bit integers ({@code bit.bnot(0) == -1}), unlike Lua 5.2's {@code bit32}. Stateless.
 */
final class BitLib {
    private BitLib() {
    }

    /** LuaBitOp's conversion: the number modulo 2^32, as a signed 32-bit integer. */
    static int tobit(LuaValue v) {
        double d = v.checkdouble();
        double m = d % 4294967296.0;
        return (int) (long) Math.rint(m);
    }

    private interface Op {
        int apply(Varargs a);
    }

    private static VarArgFunction fn(Op op) {
        return new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return LuaValue.valueOf(op.apply(args));
            }
        };
    }

    static LuaTable library() {
        LuaTable t = new LuaTable();
        t.rawset("tobit", fn(a -> tobit(a.arg1())));
        t.rawset("bnot", fn(a -> ~tobit(a.arg1())));
        t.rawset("band", fn(a -> {
            int r = tobit(a.arg1());
            for (int i = 2; i <= a.narg(); i++) {
                r &= tobit(a.arg(i));
            }
            return r;
        }));
        t.rawset("bor", fn(a -> {
            int r = tobit(a.arg1());
            for (int i = 2; i <= a.narg(); i++) {
                r |= tobit(a.arg(i));
            }
            return r;
        }));
        t.rawset("bxor", fn(a -> {
            int r = tobit(a.arg1());
            for (int i = 2; i <= a.narg(); i++) {
                r ^= tobit(a.arg(i));
            }
            return r;
        }));
        t.rawset("lshift", fn(a -> tobit(a.arg1()) << (tobit(a.arg(2)) & 31)));
        t.rawset("rshift", fn(a -> tobit(a.arg1()) >>> (tobit(a.arg(2)) & 31)));
        t.rawset("arshift", fn(a -> tobit(a.arg1()) >> (tobit(a.arg(2)) & 31)));
        t.rawset("rol", fn(a -> Integer.rotateLeft(tobit(a.arg1()), tobit(a.arg(2)) & 31)));
        t.rawset("ror", fn(a -> Integer.rotateRight(tobit(a.arg1()), tobit(a.arg(2)) & 31)));
        t.rawset("bswap", fn(a -> Integer.reverseBytes(tobit(a.arg1()))));
        t.rawset("tohex", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                int x = tobit(a.arg1());
                int n = a.isnoneornil(2) ? 8 : tobit(a.arg(2));
                boolean upper = n < 0;
                n = Math.min(8, Math.abs(n));
                String hex = String.format(upper ? "%08X" : "%08x", x);
                return LuaValue.valueOf(hex.substring(8 - n));
            }
        });
        return t;
    }
}
