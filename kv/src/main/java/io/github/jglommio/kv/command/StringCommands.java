package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.kv.store.Keyspace;
import io.github.jglommio.kv.store.WrongTypeException;

/** String commands; each appends one reply and returns the command to log or null. */
final class StringCommands {
    private static final long MAX_STRING = 512L * 1024 * 1024;

    private StringCommands() {
    }

    static void register(Registry r) {
        r.key("get", 2, "readonly fast", (c, ks, out, x) -> get(c, ks, out));
        r.key("set", -3, "write denyoom", (c, ks, out, x) -> set(c, ks, out));
        r.key("setnx", 3, "write denyoom fast", (c, ks, out, x) -> setnx(c, ks, out));
        r.key("setex", 4, "write denyoom", (c, ks, out, x) -> setex(c, ks, out, 1000));
        r.key("psetex", 4, "write denyoom", (c, ks, out, x) -> setex(c, ks, out, 1));
        r.key("getset", 3, "write denyoom fast", (c, ks, out, x) -> getset(c, ks, out));
        r.key("getdel", 2, "write fast", (c, ks, out, x) -> getdel(c, ks, out));
        r.key("append", 3, "write denyoom fast", (c, ks, out, x) -> append(c, ks, out));
        r.key("strlen", 2, "readonly fast", (c, ks, out, x) -> strlen(c, ks, out));
        r.key("incr", 2, "write denyoom fast", (c, ks, out, x) -> incrBy(c, ks, out, 1));
        r.key("decr", 2, "write denyoom fast", (c, ks, out, x) -> incrBy(c, ks, out, -1));
        r.key("incrby", 3, "write denyoom fast", (c, ks, out, x) -> incrBy(c, ks, out, Args.longArg(c, 2)));
        r.key("decrby", 3, "write denyoom fast", (c, ks, out, x) -> decrBy(c, ks, out));
        r.keys("mget", -2, "readonly fast", 1, Routing.KEYS_ARRAY, (c, ks, out, x) -> mget(c, ks, out));
        r.keys("mset", -3, "write denyoom", 2, Routing.KEYS_OK, (c, ks, out, x) -> mset(c, ks, out));
        r.keys("msetnx", -3, "write denyoom", 2, Routing.KEYS_MSETNX, (c, ks, out, x) -> msetnx(c, ks, out));
    }

    static Command get(Command c, Keyspace ks, RespWriter out) {
        byte[] v = ks.getString(c.arg(1));
        if (v == null) {
            out.nullBulk();
        } else {
            out.bulk(v);
        }
        return null;
    }

    static Command set(Command c, Keyspace ks, RespWriter out) {
        boolean nx = false;
        boolean xx = false;
        boolean get = false;
        boolean keepTtl = false;
        String unit = null; // "ex", "px", "exat" or "pxat"
        int unitArg = -1;
        for (int j = 3; j < c.argCount(); j++) {
            byte[] opt = c.arg(j);
            boolean hasNext = j + 1 < c.argCount();
            if (Args.is(opt, "nx") && !xx) {
                nx = true;
            } else if (Args.is(opt, "xx") && !nx) {
                xx = true;
            } else if (Args.is(opt, "get")) {
                get = true;
            } else if (Args.is(opt, "keepttl") && unit == null) {
                keepTtl = true;
            } else if (!keepTtl && hasNext && (unit == null || Args.is(opt, unit)) && isUnit(opt)) {
                unit = Args.is(opt, "ex") ? "ex" : Args.is(opt, "px") ? "px" : Args.is(opt, "exat") ? "exat" : "pxat";
                unitArg = ++j;
            } else {
                throw new CommandError(CommandError.SYNTAX);
            }
        }
        long expireAt = Keyspace.NO_EXPIRY;
        if (unit != null) {
            expireAt = expireTime(Args.longArg(c, unitArg), unit.startsWith("e") ? 1000 : 1,
                unit.endsWith("at"), ks, "set");
        }
        byte[] key = c.arg(1);
        // A plain SET needs no look-up of its own: set() finds the key once.
        Object old = nx || xx || get ? ks.get(key) : null;
        if (get && old != null && !(old instanceof byte[])) {
            throw WrongTypeException.INSTANCE;
        }
        boolean apply = !((nx && old != null) || (xx && old == null));
        if (get) {
            if (old == null) {
                out.nullBulk();
            } else {
                out.bulk((byte[]) old);
            }
        } else if (apply) {
            out.ok();
        } else {
            out.nullBulk();
        }
        if (!apply) {
            return null;
        }
        byte[] value = c.arg(2);
        if (keepTtl) {
            ks.setKeepTtl(key, value);
            return Args.command("SET", key, value, Args.ascii("KEEPTTL"));
        }
        ks.set(key, value, expireAt);
        if (expireAt != Keyspace.NO_EXPIRY && !ks.exists(key)) {
            return Args.command("DEL", key); // the expiry was already past: the key is gone
        }
        if (expireAt == Keyspace.NO_EXPIRY) {
            // A plain SET logs as itself: no copy of the command per write.
            return c.argCount() == 3 ? c : Args.command("SET", key, value);
        }
        return Args.command("SET", key, value, Args.ascii("PXAT"), Args.decimal(expireAt));
    }

    private static boolean isUnit(byte[] opt) {
        return Args.is(opt, "ex") || Args.is(opt, "px") || Args.is(opt, "exat") || Args.is(opt, "pxat");
    }

    /**
     * Converts an expire argument to absolute milliseconds with Redis's checks for SET/SETEX:
     * it must be positive and must not overflow.
     */
    static long expireTime(long value, long unitMillis, boolean absolute, Keyspace ks, String command) {
        String invalid = "ERR invalid expire time in '" + command + "' command";
        if (value <= 0 || value > Long.MAX_VALUE / unitMillis) {
            throw new CommandError(invalid);
        }
        long ms = value * unitMillis;
        if (absolute) {
            return ms;
        }
        long now = ks.now();
        if (ms > Long.MAX_VALUE - now) {
            throw new CommandError(invalid);
        }
        return now + ms;
    }

    static Command setnx(Command c, Keyspace ks, RespWriter out) {
        byte[] key = c.arg(1);
        if (ks.exists(key)) {
            out.integer(0);
            return null;
        }
        ks.set(key, c.arg(2), Keyspace.NO_EXPIRY);
        out.integer(1);
        return Args.command("SET", key, c.arg(2));
    }

    static Command setex(Command c, Keyspace ks, RespWriter out, long unitMillis) {
        String name = unitMillis == 1 ? "psetex" : "setex";
        long expireAt = expireTime(Args.longArg(c, 2), unitMillis, false, ks, name);
        byte[] key = c.arg(1);
        byte[] value = c.arg(3);
        ks.set(key, value, expireAt);
        out.ok();
        return Args.command("SET", key, value, Args.ascii("PXAT"), Args.decimal(expireAt));
    }

    static Command getset(Command c, Keyspace ks, RespWriter out) {
        byte[] key = c.arg(1);
        byte[] old = ks.getString(key);
        ks.set(key, c.arg(2), Keyspace.NO_EXPIRY);
        if (old == null) {
            out.nullBulk();
        } else {
            out.bulk(old);
        }
        return Args.command("SET", key, c.arg(2));
    }

    static Command getdel(Command c, Keyspace ks, RespWriter out) {
        byte[] key = c.arg(1);
        byte[] old = ks.getString(key);
        if (old == null) {
            out.nullBulk();
            return null;
        }
        ks.delete(key);
        out.bulk(old);
        return Args.command("DEL", key);
    }

    static Command append(Command c, Keyspace ks, RespWriter out) {
        byte[] key = c.arg(1);
        byte[] old = ks.getString(key);
        byte[] add = c.arg(2);
        if (old == null) {
            ks.set(key, add, Keyspace.NO_EXPIRY);
            out.integer(add.length);
        } else {
            if ((long) old.length + add.length > MAX_STRING) {
                throw new CommandError("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
            }
            byte[] joined = new byte[old.length + add.length];
            System.arraycopy(old, 0, joined, 0, old.length);
            System.arraycopy(add, 0, joined, old.length, add.length);
            ks.setKeepTtl(key, joined);
            out.integer(joined.length);
        }
        return c;
    }

    static Command strlen(Command c, Keyspace ks, RespWriter out) {
        byte[] v = ks.getString(c.arg(1));
        out.integer(v == null ? 0 : v.length);
        return null;
    }

    static Command decrBy(Command c, Keyspace ks, RespWriter out) {
        long by = Args.longArg(c, 2);
        if (by == Long.MIN_VALUE) {
            throw new CommandError("ERR decrement would overflow");
        }
        return incrBy(c, ks, out, -by);
    }

    static Command incrBy(Command c, Keyspace ks, RespWriter out, long by) {
        byte[] key = c.arg(1);
        byte[] old = ks.getString(key);
        long current = old == null ? 0 : Args.longValue(old, CommandError.NOT_INTEGER);
        long next = current + by;
        // Overflow iff both operands have the same sign and the result's sign differs.
        if (((current ^ next) & (by ^ next)) < 0) {
            throw new CommandError(CommandError.OVERFLOW);
        }
        ks.setKeepTtl(key, Args.decimal(next));
        out.integer(next);
        return c;
    }

    static Command mget(Command c, Keyspace ks, RespWriter out) {
        out.arrayHeader(c.argCount() - 1);
        for (int i = 1; i < c.argCount(); i++) {
            Object v = ks.get(c.arg(i));
            if (v instanceof byte[] b) {
                out.bulk(b);
            } else {
                out.nullBulk(); // a missing key and a key of another type both read as nil
            }
        }
        return null;
    }

    static Command mset(Command c, Keyspace ks, RespWriter out) {
        checkPairs(c);
        for (int i = 1; i < c.argCount(); i += 2) {
            ks.set(c.arg(i), c.arg(i + 1), Keyspace.NO_EXPIRY);
        }
        out.ok();
        return c;
    }

    static Command msetnx(Command c, Keyspace ks, RespWriter out) {
        checkPairs(c);
        for (int i = 1; i < c.argCount(); i += 2) {
            if (ks.exists(c.arg(i))) {
                out.integer(0);
                return null;
            }
        }
        for (int i = 1; i < c.argCount(); i += 2) {
            ks.set(c.arg(i), c.arg(i + 1), Keyspace.NO_EXPIRY);
        }
        out.integer(1);
        byte[][] args = c.args().clone();
        args[0] = Args.ascii("MSET");
        return Command.of(args);
    }

    private static void checkPairs(Command c) {
        if (c.argCount() % 2 == 0) {
            throw new CommandError(CommandTable.lookup(c).arityError());
        }
    }
}
