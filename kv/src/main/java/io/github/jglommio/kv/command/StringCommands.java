package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.kv.store.Keyspace;
import io.github.jglommio.kv.store.KeyspaceEvents;
import io.github.jglommio.kv.store.WrongTypeException;

import java.util.Arrays;

/**
 * String commands; each appends one reply and returns the command to log or null. Stored strings
 * are never modified in place (the keyspace keeps argument arrays by reference): a command that
 * changes a string stores a new array. The counters are in {@link StringCounters}, LCS in
 * {@link Lcs}, the bit commands in {@link BitCommands}.
 */
final class StringCommands {
    /** Redis's proto-max-bulk-len default: the longest string a command may build. */
    static final long MAX_STRING = 512L * 1024 * 1024;
    static final String TOO_LONG = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
    private static final byte[] EMPTY = new byte[0];

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
        r.key("getex", -2, "write fast", (c, ks, out, x) -> getex(c, ks, out));
        r.key("append", 3, "write denyoom fast", (c, ks, out, x) -> append(c, ks, out));
        r.key("strlen", 2, "readonly fast", (c, ks, out, x) -> strlen(c, ks, out));
        r.key("getrange", 4, "readonly", (c, ks, out, x) -> getrange(c, ks, out));
        r.key("substr", 4, "readonly", (c, ks, out, x) -> getrange(c, ks, out));
        r.key("setrange", 4, "write denyoom", (c, ks, out, x) -> setrange(c, ks, out));
        StringCounters.register(r);
        r.keys("mget", -2, "readonly fast", 1, Routing.KEYS_ARRAY, (c, ks, out, x) -> mget(c, ks, out));
        r.keys("mset", -3, "write denyoom", 2, Routing.KEYS_OK, (c, ks, out, x) -> mset(c, ks, out));
        r.keys("msetnx", -3, "write denyoom", 2, Routing.KEYS_MSETNX, (c, ks, out, x) -> msetnx(c, ks, out));
        r.atomic("lcs", -3, "readonly", 1, 2, 1, (c, ks, out, x) -> Lcs.lcs(c, ks, out));
    }

    static Command get(Command c, Keyspace ks, RespWriter out) {
        bulkOrNil(ks.getString(c.arg(1)), out);
        return null;
    }

    private static void bulkOrNil(byte[] v, RespWriter out) {
        if (v == null) {
            out.nullBulk();
        } else {
            out.bulk(v);
        }
    }

    static Command set(Command c, Keyspace ks, RespWriter out) {
        byte[] key = c.arg(1);
        byte[] value = c.arg(2);
        if (c.argCount() == 3) {
            // The common plain SET: no option, no look-up of its own, logged as it was sent.
            ks.set(key, value, Keyspace.NO_EXPIRY);
            ks.notify(KeyspaceEvents.STRING, "set", key);
            out.ok();
            return c;
        }
        SetOptions o = SetOptions.parse(c, true);
        long expireAt = o.unit == null ? Keyspace.NO_EXPIRY : o.expireAt(c, ks, "set");
        Object old = o.nx || o.xx || o.get ? ks.get(key) : null;
        if (o.get && old != null && !(old instanceof byte[])) {
            throw WrongTypeException.INSTANCE;
        }
        boolean apply = !((o.nx && old != null) || (o.xx && old == null));
        if (o.get) {
            bulkOrNil((byte[]) old, out); // GET replies the old value even when NX/XX stop the write
        } else if (apply) {
            out.ok();
        } else {
            out.nullBulk();
        }
        if (!apply) {
            return null;
        }
        if (o.keepTtl) {
            ks.setKeepTtl(key, value);
            ks.notify(KeyspaceEvents.STRING, "set", key);
            return Args.command("SET", key, value, Args.ascii("KEEPTTL"));
        }
        ks.set(key, value, expireAt);
        ks.notify(KeyspaceEvents.STRING, "set", key);
        if (expireAt == Keyspace.NO_EXPIRY) {
            return Args.command("SET", key, value);
        }
        ks.notify(KeyspaceEvents.GENERIC, "expire", key);
        if (!ks.exists(key)) {
            ks.notify(KeyspaceEvents.EXPIRED, "expired", key); // as Redis's next look at it would
            return Args.command("DEL", key); // the expiry was already past: the key is gone
        }
        return Args.command("SET", key, value, Args.ascii("PXAT"), Args.decimal(expireAt));
    }

    static Command setnx(Command c, Keyspace ks, RespWriter out) {
        byte[] key = c.arg(1);
        if (ks.exists(key)) {
            out.integer(0);
            return null;
        }
        ks.set(key, c.arg(2), Keyspace.NO_EXPIRY);
        ks.notify(KeyspaceEvents.STRING, "set", key);
        out.integer(1);
        return Args.command("SET", key, c.arg(2));
    }

    static Command setex(Command c, Keyspace ks, RespWriter out, long unitMillis) {
        String name = unitMillis == 1 ? "psetex" : "setex";
        long expireAt = SetOptions.expireTime(Args.longArg(c, 2), unitMillis, false, ks, name);
        byte[] key = c.arg(1);
        byte[] value = c.arg(3);
        ks.set(key, value, expireAt);
        ks.notify(KeyspaceEvents.STRING, "set", key);
        ks.notify(KeyspaceEvents.GENERIC, "expire", key);
        out.ok();
        return Args.command("SET", key, value, Args.ascii("PXAT"), Args.decimal(expireAt));
    }

    static Command getset(Command c, Keyspace ks, RespWriter out) {
        byte[] key = c.arg(1);
        byte[] old = ks.getString(key);
        ks.set(key, c.arg(2), Keyspace.NO_EXPIRY);
        ks.notify(KeyspaceEvents.STRING, "set", key);
        bulkOrNil(old, out);
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
        ks.notify(KeyspaceEvents.GENERIC, "del", key);
        out.bulk(old);
        return Args.command("DEL", key);
    }

    /**
     * GETEX: as Redis, a missing key answers nil before its expiry argument is checked, a relative
     * expiry logs PEXPIREAT, an absolute one already past deletes the key and logs DEL.
     */
    static Command getex(Command c, Keyspace ks, RespWriter out) {
        SetOptions o = SetOptions.parse(c, false);
        byte[] key = c.arg(1);
        byte[] v = ks.getString(key);
        if (v == null) {
            out.nullBulk();
            return null;
        }
        long expireAt = o.unit == null ? Keyspace.NO_EXPIRY : o.expireAt(c, ks, "getex");
        out.bulk(v);
        if (o.unit != null) {
            if (o.absolute() && expireAt <= ks.now() && !ks.isLoading()) {
                ks.delete(key);
                ks.notify(KeyspaceEvents.GENERIC, "del", key);
                return Args.command("DEL", key);
            }
            ks.setExpireAt(key, expireAt);
            ks.notify(KeyspaceEvents.GENERIC, "expire", key);
            return Args.command("PEXPIREAT", key, Args.decimal(expireAt));
        }
        if (o.persist && ks.persist(key)) {
            ks.notify(KeyspaceEvents.GENERIC, "persist", key);
            return Args.command("PERSIST", key);
        }
        return null;
    }

    static Command append(Command c, Keyspace ks, RespWriter out) {
        byte[] key = c.arg(1);
        byte[] old = ks.getString(key);
        byte[] add = c.arg(2);
        if (old == null) {
            ks.set(key, add, Keyspace.NO_EXPIRY);
            out.integer(add.length);
        } else {
            checkLength(old.length, add.length);
            byte[] joined = Arrays.copyOf(old, old.length + add.length);
            System.arraycopy(add, 0, joined, old.length, add.length);
            ks.setKeepTtl(key, joined);
            ks.setEncodingMark(key, ObjectCommands.RAW); // appended in place: Redis makes it raw
            out.integer(joined.length);
        }
        ks.notify(KeyspaceEvents.STRING, "append", key);
        return c;
    }

    /** Refuses a string of {@code offset + length} bytes beyond proto-max-bulk-len, as Redis. */
    static void checkLength(long offset, long length) {
        if (offset > MAX_STRING - length) {
            throw new CommandError(TOO_LONG);
        }
    }

    static Command strlen(Command c, Keyspace ks, RespWriter out) {
        byte[] v = ks.getString(c.arg(1));
        out.integer(v == null ? 0 : v.length);
        return null;
    }

    /**
     * GETRANGE and SUBSTR: both indexes inclusive, negative ones from the end; as Redis, a
     * negative index before the start clamps to 0, so {@code -100 -50} of "hello" is "h".
     */
    static Command getrange(Command c, Keyspace ks, RespWriter out) {
        long start = Args.longArg(c, 2);
        long end = Args.longArg(c, 3);
        byte[] v = ks.getString(c.arg(1));
        long len = v == null ? 0 : v.length;
        if (start < 0 && end < 0 && start > end) {
            out.bulk(EMPTY);
            return null;
        }
        if (start < 0) {
            start = Math.max(0, len + start);
        }
        if (end < 0) {
            end = Math.max(0, len + end);
        }
        end = Math.min(end, len - 1);
        if (start > end || len == 0) {
            out.bulk(EMPTY);
        } else {
            out.bulk(v, (int) start, (int) (end - start + 1));
        }
        return null;
    }

    /** SETRANGE: pads with zero bytes up to the offset; an empty value changes nothing. */
    static Command setrange(Command c, Keyspace ks, RespWriter out) {
        long offset = Args.longArg(c, 2);
        if (offset < 0) {
            throw new CommandError("ERR offset is out of range");
        }
        byte[] key = c.arg(1);
        byte[] value = c.arg(3);
        byte[] old = ks.getString(key);
        int oldLength = old == null ? 0 : old.length;
        if (value.length == 0) {
            out.integer(oldLength);
            return null;
        }
        checkLength(offset, value.length);
        int end = (int) offset + value.length;
        byte[] next = old == null ? new byte[end] : Arrays.copyOf(old, Math.max(oldLength, end));
        System.arraycopy(value, 0, next, (int) offset, value.length);
        ks.setKeepTtl(key, next);
        ks.setEncodingMark(key, ObjectCommands.RAW); // written in place (or made so): raw
        ks.notify(KeyspaceEvents.STRING, "setrange", key);
        out.integer(next.length);
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
            ks.notify(KeyspaceEvents.STRING, "set", c.arg(i));
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
            ks.notify(KeyspaceEvents.STRING, "set", c.arg(i));
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
