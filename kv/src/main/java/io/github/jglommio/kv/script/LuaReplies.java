package io.github.jglommio.kv.script;

import io.github.jglommio.kv.resp.RespWriter;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.nio.charset.StandardCharsets;

/**
 * The conversions between RESP and Lua values that Redis 7.0 defines for scripts: a command's
 * reply as {@code redis.call} returns it ({@link #toLua}), and a script's result as the client gets
 * it ({@link #write}). Stateless.
 *
 * <p>RESP to Lua: integer to number, bulk string to string, array to table, status to
 * {@code {ok=...}}, error to {@code {err=...}}, a null bulk or null array to {@code false}; under
 * {@code redis.setresp(3)} also map to {@code {map={...}}}, set to {@code {set={member=true}}},
 * null to nil, double to {@code {double=n}}, boolean to boolean, big number to
 * {@code {big_number=s}} and verbatim text to {@code {verbatim_string={format=, string=}}}.
 *
 * <p>Lua to RESP: string to bulk, number to integer (truncated), table to array (up to the first
 * nil) unless it has one of the fields above, {@code true} to 1 and {@code false} to null (under
 * RESP 3 scripts: booleans), anything else to null. The writer's protocol (the client's) then
 * downgrades RESP3 types for a RESP2 client, as Redis does.
 */
final class LuaReplies {
    /** Redis's limit on the nesting of a script's reply (deeper tables are cut). */
    private static final int MAX_DEPTH = 1000;
    static final LuaString OK = LuaString.valueOf("ok");
    static final LuaString ERR = LuaString.valueOf("err");
    private static final LuaString DOUBLE = LuaString.valueOf("double");
    private static final LuaString BIG_NUMBER = LuaString.valueOf("big_number");
    private static final LuaString MAP = LuaString.valueOf("map");
    private static final LuaString SET = LuaString.valueOf("set");
    private static final LuaString VERBATIM = LuaString.valueOf("verbatim_string");
    private static final LuaString FORMAT = LuaString.valueOf("format");
    private static final LuaString STRING = LuaString.valueOf("string");

    private LuaReplies() {
    }

    /** A cursor over one RESP reply. */
    private static final class Cursor {
        final byte[] b;
        int pos;
        final int end;

        Cursor(byte[] b, int pos, int end) {
            this.b = b;
            this.pos = pos;
            this.end = end;
        }

        String line() {
            int start = pos;
            while (b[pos] != '\r') {
                pos++;
            }
            String s = new String(b, start, pos - start, StandardCharsets.UTF_8);
            pos += 2;
            return s;
        }

        LuaString lineBytes() {
            int start = pos;
            while (b[pos] != '\r') {
                pos++;
            }
            LuaString s = LuaString.valueOf(java.util.Arrays.copyOfRange(b, start, pos));
            pos += 2;
            return s;
        }
    }

    /** Whether the reply in {@code b[from, to)} is an error, and its text (without the '-'); else null. */
    static String errorText(byte[] b, int from, int to) {
        if (to > from && b[from] == '-') {
            return new String(b, from + 1, to - from - 3, StandardCharsets.UTF_8);
        }
        return null;
    }

    /** The one reply in {@code b[from, to)} as the Lua value {@code redis.call} returns. */
    static LuaValue toLua(byte[] b, int from, int to) {
        return parse(new Cursor(b, from, to));
    }

    private static LuaValue parse(Cursor c) {
        byte type = c.b[c.pos++];
        switch (type) {
            case '+' -> {
                LuaTable t = new LuaTable();
                t.rawset(OK, c.lineBytes());
                return t;
            }
            case '-' -> {
                LuaTable t = new LuaTable();
                t.rawset(ERR, c.lineBytes());
                return t;
            }
            case ':' -> {
                return LuaValue.valueOf((double) Long.parseLong(c.line()));
            }
            case '$', '=' -> {
                int n = Integer.parseInt(c.line());
                if (n < 0) {
                    return LuaValue.FALSE;
                }
                byte[] v = java.util.Arrays.copyOfRange(c.b, c.pos, c.pos + n);
                c.pos += n + 2;
                if (type == '$') {
                    return LuaString.valueOf(v);
                }
                LuaTable inner = new LuaTable();
                inner.rawset(FORMAT, LuaString.valueOf(java.util.Arrays.copyOf(v, 3)));
                inner.rawset(STRING, LuaString.valueOf(java.util.Arrays.copyOfRange(v, 4, v.length)));
                LuaTable t = new LuaTable();
                t.rawset(VERBATIM, inner);
                return t;
            }
            case '*', '>' -> {
                int n = Integer.parseInt(c.line());
                if (n < 0) {
                    return LuaValue.FALSE;
                }
                LuaTable t = new LuaTable(n, 0);
                for (int i = 1; i <= n; i++) {
                    LuaValue v = parse(c);
                    if (!v.isnil()) {
                        t.rawset(i, v);
                    }
                }
                return t;
            }
            case '%' -> {
                int n = Integer.parseInt(c.line());
                LuaTable m = new LuaTable();
                for (int i = 0; i < n; i++) {
                    LuaValue k = parse(c);
                    LuaValue v = parse(c);
                    if (!k.isnil()) {
                        m.rawset(k, v);
                    }
                }
                LuaTable t = new LuaTable();
                t.rawset(MAP, m);
                return t;
            }
            case '~' -> {
                int n = Integer.parseInt(c.line());
                LuaTable s = new LuaTable();
                for (int i = 0; i < n; i++) {
                    LuaValue k = parse(c);
                    if (!k.isnil()) {
                        s.rawset(k, LuaValue.TRUE);
                    }
                }
                LuaTable t = new LuaTable();
                t.rawset(SET, s);
                return t;
            }
            case '_' -> {
                c.line();
                return LuaValue.NIL;
            }
            case ',' -> {
                String s = c.line();
                double d = switch (s) {
                    case "inf" -> Double.POSITIVE_INFINITY;
                    case "-inf" -> Double.NEGATIVE_INFINITY;
                    case "nan", "-nan" -> Double.NaN;
                    default -> Double.parseDouble(s);
                };
                LuaTable t = new LuaTable();
                t.rawset(DOUBLE, LuaValue.valueOf(d));
                return t;
            }
            case '#' -> {
                return c.line().equals("t") ? LuaValue.TRUE : LuaValue.FALSE;
            }
            case '(' -> {
                LuaTable t = new LuaTable();
                t.rawset(BIG_NUMBER, c.lineBytes());
                return t;
            }
            default -> throw new IllegalStateException("unexpected reply type " + (char) type);
        }
    }

    /**
     * Writes a script's result {@code v} to {@code out} as Redis does; {@code resp} is the script's
     * {@code redis.setresp} version (it decides how booleans convert).
     */
    static void write(LuaValue v, int resp, RespWriter out) {
        write(v, resp, out, 0);
    }

    private static void write(LuaValue v, int resp, RespWriter out, int depth) {
        switch (v.type()) {
            case LuaValue.TSTRING -> out.bulk(bytes(v.checkstring()));
            case LuaValue.TBOOLEAN -> {
                if (resp == 3) {
                    out.bool(v.toboolean());
                } else if (v.toboolean()) {
                    out.integer(1);
                } else {
                    out.nullBulk();
                }
            }
            case LuaValue.TNUMBER -> out.integer(truncate(v.todouble()));
            case LuaValue.TTABLE -> writeTable((LuaTable) v, resp, out, depth);
            default -> out.nullBulk();
        }
    }

    /** C's conversion of a double to long long as Redis gets it on x86-64: out of range gives the minimum. */
    static long truncate(double d) {
        if (Double.isNaN(d) || d >= 0x1p63 || d < -0x1p63) {
            return Long.MIN_VALUE;
        }
        return (long) d;
    }

    private static void writeTable(LuaTable t, int resp, RespWriter out, int depth) {
        if (depth >= MAX_DEPTH) {
            out.error("ERR reached lua stack limit");
            return;
        }
        LuaValue err = t.rawget(ERR);
        if (err.type() == LuaValue.TSTRING) {
            out.error(errorLine(err.tojstring()));
            return;
        }
        LuaValue ok = t.rawget(OK);
        if (ok.type() == LuaValue.TSTRING) {
            out.simpleString(ok.tojstring().replace('\r', ' ').replace('\n', ' '));
            return;
        }
        LuaValue dbl = t.rawget(DOUBLE);
        if (dbl.type() == LuaValue.TNUMBER) {
            out.doubleValue(formatDouble(dbl.todouble()));
            return;
        }
        LuaValue big = t.rawget(BIG_NUMBER);
        if (big.type() == LuaValue.TSTRING) {
            if (out.protocol() == 3) {
                out.raw(("(" + big.tojstring() + "\r\n").getBytes(StandardCharsets.UTF_8));
            } else {
                out.bulk(bytes(big.checkstring()));
            }
            return;
        }
        LuaValue map = t.rawget(MAP);
        if (map.istable()) {
            LuaTable m = (LuaTable) map;
            int n = 0;
            for (Varargs e = m.next(LuaValue.NIL); !e.arg1().isnil(); e = m.next(e.arg1())) {
                n++;
            }
            out.mapHeader(n);
            for (Varargs e = m.next(LuaValue.NIL); !e.arg1().isnil(); e = m.next(e.arg1())) {
                write(e.arg1(), resp, out, depth + 1);
                write(e.arg(2), resp, out, depth + 1);
            }
            return;
        }
        LuaValue set = t.rawget(SET);
        if (set.istable()) {
            LuaTable s = (LuaTable) set;
            int n = 0;
            for (Varargs e = s.next(LuaValue.NIL); !e.arg1().isnil(); e = s.next(e.arg1())) {
                n++;
            }
            out.setHeader(n);
            for (Varargs e = s.next(LuaValue.NIL); !e.arg1().isnil(); e = s.next(e.arg1())) {
                write(e.arg1(), resp, out, depth + 1);
            }
            return;
        }
        LuaValue verbatim = t.rawget(VERBATIM);
        if (verbatim.istable()) {
            LuaValue format = verbatim.get(FORMAT);
            LuaValue string = verbatim.get(STRING);
            if (format.isstring() && string.isstring()) {
                if (out.protocol() == 3) {
                    byte[] f = bytes(format.checkstring());
                    byte[] s = bytes(string.checkstring());
                    byte[] all = new byte[4 + s.length];
                    System.arraycopy(f, 0, all, 0, Math.min(3, f.length));
                    all[3] = ':';
                    System.arraycopy(s, 0, all, 4, s.length);
                    out.raw(("=" + all.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.raw(all);
                    out.raw(new byte[] {'\r', '\n'});
                } else {
                    out.bulk(bytes(string.checkstring()));
                }
                return;
            }
        }
        int n = 0;
        while (!t.rawget(n + 1).isnil()) {
            n++;
        }
        out.arrayHeader(n);
        for (int i = 1; i <= n; i++) {
            write(t.rawget(i), resp, out, depth + 1);
        }
    }

    /** An error reply's line: CR and LF become spaces, as Redis writes them. */
    static String errorLine(String text) {
        return text.replace('\r', ' ').replace('\n', ' ');
    }

    /** Redis's {@code %.17g} for a double reply. */
    static byte[] formatDouble(double d) {
        if (Double.isInfinite(d)) {
            return (d > 0 ? "inf" : "-inf").getBytes(StandardCharsets.US_ASCII);
        }
        if (Double.isNaN(d)) {
            return "nan".getBytes(StandardCharsets.US_ASCII);
        }
        return CJson.formatG(d, 17).getBytes(StandardCharsets.US_ASCII);
    }

    /** The bytes of a Lua string (a copy). */
    static byte[] bytes(LuaString s) {
        byte[] b = new byte[s.m_length];
        System.arraycopy(s.m_bytes, s.m_offset, b, 0, s.m_length);
        return b;
    }
}
