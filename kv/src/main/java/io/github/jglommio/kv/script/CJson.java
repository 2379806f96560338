package io.github.jglommio.kv.script;

import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaUserdata;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.OneArgFunction;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;

/**
 * The {@code cjson} library scripts find in Redis: {@code cjson.encode}, {@code cjson.decode} and
 * {@code cjson.null}, with lua-cjson's defaults (numbers as {@code %.14g}, {@code /} escaped, a
 * table is an array when its keys are exactly 1..n, an empty table is {@code {}}). Stateless; the
 * functions may be shared by every Lua state of one executor.
 */
final class CJson {
    /** cjson.null: what JSON's null decodes to. */
    static final LuaValue NULL = new LuaUserdata(new Object());
    private static final int MAX_DEPTH = 1000;

    private CJson() {
    }

    /** The library table. */
    static LuaTable library() {
        LuaTable t = new LuaTable();
        int[] encodeDepth = {MAX_DEPTH};
        int[] decodeDepth = {MAX_DEPTH};
        t.rawset("encode", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue v) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                encode(v, out, 0, encodeDepth[0]);
                return LuaString.valueOf(out.toByteArray());
            }
        });
        t.rawset("decode", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue v) {
                byte[] b = LuaReplies.bytes(v.checkstring());
                Decoder d = new Decoder(b, decodeDepth[0]);
                d.skipSpace();
                LuaValue r = d.value(0);
                d.skipSpace();
                if (d.pos != b.length) {
                    throw d.error("the end");
                }
                return r;
            }
        });
        t.rawset("null", NULL);
        t.rawset("encode_max_depth", depthSetting(encodeDepth));
        t.rawset("decode_max_depth", depthSetting(decodeDepth));
        // lua-cjson's other settings: accepted; this encoder keeps its defaults (they are Redis's).
        for (String setting : new String[] {"encode_keep_buffer", "encode_number_precision", "encode_sparse_array",
                "encode_invalid_numbers", "decode_invalid_numbers"}) {
            t.rawset(setting, new org.luaj.vm2.lib.VarArgFunction() {
                @Override
                public Varargs invoke(Varargs a) {
                    return a;
                }
            });
        }
        return t;
    }

    /** {@code cjson.encode_max_depth(n)} and {@code decode_max_depth(n)}: set (1..2^31-1) and return the limit. */
    private static LuaValue depthSetting(int[] holder) {
        return new org.luaj.vm2.lib.VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                if (!a.isnoneornil(1)) {
                    int n = a.checkint(1);
                    if (n < 1) {
                        throw new org.luaj.vm2.LuaError("bad argument #1 to '?' (expected integer between 1 and"
                                + " 2147483647)");
                    }
                    holder[0] = n;
                }
                return LuaValue.valueOf(holder[0]);
            }
        };
    }

    private static void encode(LuaValue v, ByteArrayOutputStream out, int depth, int max) {
        switch (v.type()) {
            case LuaValue.TSTRING -> string(LuaReplies.bytes(v.checkstring()), out);
            case LuaValue.TNUMBER -> number(v.todouble(), out);
            case LuaValue.TBOOLEAN -> ascii(v.toboolean() ? "true" : "false", out);
            case LuaValue.TNIL -> ascii("null", out);
            case LuaValue.TTABLE -> {
                if (depth + 1 > max) {
                    throw new org.luaj.vm2.LuaError("Cannot serialise, excessive nesting (" + (depth + 1) + ")");
                }
                table((LuaTable) v, out, depth, max);
            }
            default -> {
                if (v == NULL) {
                    ascii("null", out);
                } else {
                    throw new org.luaj.vm2.LuaError("Cannot serialise " + v.typename() + ": type not supported");
                }
            }
        }
    }

    private static void table(LuaTable t, ByteArrayOutputStream out, int depth, int maxDepth) {
        int max = 0;
        int count = 0;
        boolean array = true;
        for (Varargs e = t.next(LuaValue.NIL); !e.arg1().isnil(); e = t.next(e.arg1())) {
            LuaValue k = e.arg1();
            count++;
            if (k.type() == LuaValue.TNUMBER && k.todouble() == Math.floor(k.todouble()) && k.todouble() >= 1) {
                max = Math.max(max, (int) k.todouble());
            } else {
                array = false;
            }
        }
        if (array && count > 0 && max == count) {
            out.write('[');
            for (int i = 1; i <= max; i++) {
                if (i > 1) {
                    out.write(',');
                }
                encode(t.rawget(i), out, depth + 1, maxDepth);
            }
            out.write(']');
            return;
        }
        out.write('{');
        boolean first = true;
        for (Varargs e = t.next(LuaValue.NIL); !e.arg1().isnil(); e = t.next(e.arg1())) {
            LuaValue k = e.arg1();
            if (!first) {
                out.write(',');
            }
            first = false;
            if (k.type() == LuaValue.TSTRING) {
                string(LuaReplies.bytes(k.checkstring()), out);
            } else if (k.type() == LuaValue.TNUMBER) {
                out.write('"');
                number(k.todouble(), out);
                out.write('"');
            } else {
                throw new org.luaj.vm2.LuaError("Cannot serialise " + k.typename() + ": table key must be a number or string");
            }
            out.write(':');
            encode(e.arg(2), out, depth + 1, maxDepth);
        }
        out.write('}');
    }

    private static void number(double d, ByteArrayOutputStream out) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new org.luaj.vm2.LuaError("Cannot serialise number: must not be NaN or Inf");
        }
        ascii(formatG(d, 14), out);
    }

    private static void string(byte[] s, ByteArrayOutputStream out) {
        out.write('"');
        for (byte b : s) {
            int c = b & 0xff;
            switch (c) {
                case '"' -> ascii("\\\"", out);
                case '\\' -> ascii("\\\\", out);
                case '/' -> ascii("\\/", out);
                case '\b' -> ascii("\\b", out);
                case '\f' -> ascii("\\f", out);
                case '\n' -> ascii("\\n", out);
                case '\r' -> ascii("\\r", out);
                case '\t' -> ascii("\\t", out);
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        ascii(String.format("\\u%04x", c), out);
                    } else {
                        out.write(c);
                    }
                }
            }
        }
        out.write('"');
    }

    private static void ascii(String s, ByteArrayOutputStream out) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** C's {@code %.<digits>g}. */
    static String formatG(double d, int digits) {
        if (d == 0) {
            return (1 / d < 0) ? "-0" : "0";
        }
        BigDecimal bd = new BigDecimal(d).round(new MathContext(digits));
        int exp = bd.precision() - bd.scale() - 1;
        if (exp < -4 || exp >= digits) {
            BigDecimal mant = bd.movePointLeft(exp).stripTrailingZeros();
            String m = mant.toPlainString();
            String sign = exp < 0 ? "-" : "+";
            int a = Math.abs(exp);
            return m + "e" + sign + (a < 10 ? "0" : "") + a;
        }
        String s = bd.stripTrailingZeros().toPlainString();
        return s;
    }

    /** A JSON reader over bytes. */
    private static final class Decoder {
        final byte[] b;
        final int maxDepth;
        int pos;

        Decoder(byte[] b, int maxDepth) {
            this.b = b;
            this.maxDepth = maxDepth;
        }

        org.luaj.vm2.LuaError error(String expected) {
            String found = pos < b.length ? "'" + (char) b[pos] + "'" : "the end";
            return new org.luaj.vm2.LuaError("Expected " + expected + " but found invalid token at character " + (pos + 1)
                    + (found.isEmpty() ? "" : ""));
        }

        void skipSpace() {
            while (pos < b.length && (b[pos] == ' ' || b[pos] == '\t' || b[pos] == '\n' || b[pos] == '\r')) {
                pos++;
            }
        }

        LuaValue value(int depth) {
            skipSpace();
            if (pos < b.length && (b[pos] == '{' || b[pos] == '[') && depth + 1 > maxDepth) {
                throw new org.luaj.vm2.LuaError("Found too many nested data structures (" + (depth + 1)
                        + ") at character " + (pos + 1));
            }
            if (pos >= b.length) {
                throw error("value");
            }
            byte c = b[pos];
            switch (c) {
                case '{' -> {
                    pos++;
                    LuaTable t = new LuaTable();
                    skipSpace();
                    if (pos < b.length && b[pos] == '}') {
                        pos++;
                        return t;
                    }
                    while (true) {
                        skipSpace();
                        if (pos >= b.length || b[pos] != '"') {
                            throw error("object key string");
                        }
                        LuaValue k = string();
                        skipSpace();
                        if (pos >= b.length || b[pos] != ':') {
                            throw error("colon");
                        }
                        pos++;
                        t.rawset(k, value(depth + 1));
                        skipSpace();
                        if (pos < b.length && b[pos] == ',') {
                            pos++;
                        } else if (pos < b.length && b[pos] == '}') {
                            pos++;
                            return t;
                        } else {
                            throw error("comma or object end");
                        }
                    }
                }
                case '[' -> {
                    pos++;
                    LuaTable t = new LuaTable();
                    skipSpace();
                    if (pos < b.length && b[pos] == ']') {
                        pos++;
                        return t;
                    }
                    for (int i = 1; ; i++) {
                        t.rawset(i, value(depth + 1));
                        skipSpace();
                        if (pos < b.length && b[pos] == ',') {
                            pos++;
                        } else if (pos < b.length && b[pos] == ']') {
                            pos++;
                            return t;
                        } else {
                            throw error("comma or array end");
                        }
                    }
                }
                case '"' -> {
                    return string();
                }
                default -> {
                    if (match("true")) {
                        return LuaValue.TRUE;
                    }
                    if (match("false")) {
                        return LuaValue.FALSE;
                    }
                    if (match("null")) {
                        return NULL;
                    }
                    int start = pos;
                    while (pos < b.length && "+-0123456789.eE".indexOf(b[pos]) >= 0) {
                        pos++;
                    }
                    try {
                        return LuaValue.valueOf(Double.parseDouble(new String(b, start, pos - start,
                                StandardCharsets.US_ASCII)));
                    } catch (NumberFormatException e) {
                        pos = start;
                        throw error("value");
                    }
                }
            }
        }

        boolean match(String word) {
            byte[] w = word.getBytes(StandardCharsets.US_ASCII);
            if (pos + w.length > b.length) {
                return false;
            }
            for (int i = 0; i < w.length; i++) {
                if (b[pos + i] != w[i]) {
                    return false;
                }
            }
            pos += w.length;
            return true;
        }

        LuaValue string() {
            pos++; // the opening quote
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                if (pos >= b.length) {
                    throw error("string end");
                }
                byte c = b[pos++];
                if (c == '"') {
                    return LuaString.valueOf(out.toByteArray());
                }
                if (c != '\\') {
                    out.write(c);
                    continue;
                }
                if (pos >= b.length) {
                    throw error("escape");
                }
                byte e = b[pos++];
                switch (e) {
                    case 'b' -> out.write('\b');
                    case 'f' -> out.write('\f');
                    case 'n' -> out.write('\n');
                    case 'r' -> out.write('\r');
                    case 't' -> out.write('\t');
                    case 'u' -> {
                        if (pos + 4 > b.length) {
                            throw error("unicode escape");
                        }
                        int cp = Integer.parseInt(new String(b, pos, 4, StandardCharsets.US_ASCII), 16);
                        pos += 4;
                        if (cp >= 0xd800 && cp < 0xdc00 && pos + 6 <= b.length && b[pos] == '\\' && b[pos + 1] == 'u') {
                            int lo = Integer.parseInt(new String(b, pos + 2, 4, StandardCharsets.US_ASCII), 16);
                            pos += 6;
                            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                        }
                        out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                    }
                    default -> out.write(e);
                }
            }
        }
    }
}
