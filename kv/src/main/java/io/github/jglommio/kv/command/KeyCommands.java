package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.kv.store.Key;
import io.github.jglommio.kv.store.Databases;
import io.github.jglommio.kv.store.Keyspace;
import io.github.jglommio.kv.store.KeyspaceEvents;
import io.github.jglommio.kv.store.ListValue;
import io.github.jglommio.kv.store.ScanResult;
import io.github.jglommio.kv.store.ValueType;
import io.github.jglommio.kv.store.ZSet;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;

/**
 * Generic key and keyspace commands: DEL, UNLINK, EXISTS, TOUCH, the EXPIRE and TTL families,
 * PERSIST, TYPE, RENAME, RENAMENX, COPY, DBSIZE, FLUSHALL, FLUSHDB, KEYS, SCAN and RANDOMKEY; it
 * registers SORT ({@link SortCommand}) and OBJECT ({@link ObjectCommands}) too. Each handler
 * appends one reply and returns the command to log. Stateless.
 */
final class KeyCommands {
    private KeyCommands() {
    }

    static void register(Registry r) {
        r.keys("del", -2, "write", 1, Routing.KEYS_SUM, (c, ks, out, x) -> del(c, ks, out));
        r.keys("unlink", -2, "write fast", 1, Routing.KEYS_SUM, (c, ks, out, x) -> unlink(c, ks, out, x));
        r.keys("exists", -2, "readonly fast", 1, Routing.KEYS_SUM, (c, ks, out, x) -> exists(c, ks, out));
        // TOUCH counts like EXISTS, but as an access (its LRU clock or LFU counter moves).
        r.keys("touch", -2, "readonly fast", 1, Routing.KEYS_SUM, (c, ks, out, x) -> touch(c, ks, out));
        r.key("expire", -3, "write fast", (c, ks, out, x) -> expire(c, ks, out, 1000, false));
        r.key("pexpire", -3, "write fast", (c, ks, out, x) -> expire(c, ks, out, 1, false));
        r.key("expireat", -3, "write fast", (c, ks, out, x) -> expire(c, ks, out, 1000, true));
        r.key("pexpireat", -3, "write fast", (c, ks, out, x) -> expire(c, ks, out, 1, true));
        r.key("ttl", 2, "readonly fast", (c, ks, out, x) -> ttl(c, ks, out, 1000, false));
        r.key("pttl", 2, "readonly fast", (c, ks, out, x) -> ttl(c, ks, out, 1, false));
        r.key("expiretime", 2, "readonly fast", (c, ks, out, x) -> ttl(c, ks, out, 1000, true));
        r.key("pexpiretime", 2, "readonly fast", (c, ks, out, x) -> ttl(c, ks, out, 1, true));
        r.key("persist", 2, "write fast", (c, ks, out, x) -> persist(c, ks, out));
        r.key("type", 2, "readonly fast", (c, ks, out, x) -> type(c, ks, out));
        r.atomic("rename", 3, "write", 1, 2, 1, (c, ks, out, x) -> rename(c, ks, out, false));
        r.atomic("renamenx", 3, "write fast", 1, 2, 1, (c, ks, out, x) -> rename(c, ks, out, true));
        r.atomic("copy", -3, "write denyoom", 1, 2, 1, (c, ks, out, x) -> copy(c, ks, out));
        r.all("dbsize", 1, "readonly fast", Routing.ALL_SUM, (c, ks, out, x) -> dbsize(ks, out));
        r.all("flushall", -1, "write", Routing.ALL_OK, (c, ks, out, x) -> flush(c, ks, out, true, x));
        r.all("flushdb", -1, "write", Routing.ALL_OK, (c, ks, out, x) -> flush(c, ks, out, false, x));
        r.key("move", 3, "write fast", (c, ks, out, x) -> move(c, ks, out));
        r.all("keys", 2, "readonly", Routing.ALL_ARRAY, (c, ks, out, x) -> keys(c, ks, out));
        r.all("scan", -2, "readonly", Routing.ALL_SCAN, (c, ks, out, x) -> scan(c, ks, out));
        r.all("randomkey", 1, "readonly", Routing.ALL_RANDOM, (c, ks, out, x) -> randomKey(ks, out));
        SortCommand.register(r);
        ObjectCommands.register(r);
    }

    static Command del(Command c, Keyspace ks, RespWriter out) {
        byte[][] deleted = null;
        int n = 0;
        for (int i = 1; i < c.argCount(); i++) {
            if (ks.delete(c.arg(i))) {
                ks.notify(KeyspaceEvents.GENERIC, "del", c.arg(i));
                if (deleted == null) {
                    deleted = new byte[c.argCount()][];
                    deleted[0] = Args.ascii("DEL");
                }
                deleted[++n] = c.arg(i);
            }
        }
        out.integer(n);
        if (n == 0) {
            return null;
        }
        return Command.of(Arrays.copyOf(deleted, n + 1));
    }

    /** TOUCH: counts the keys that exist, each counted as an access (EXISTS is not one, as in Redis). */
    static Command touch(Command c, Keyspace ks, RespWriter out) {
        int n = 0;
        for (int i = 1; i < c.argCount(); i++) {
            if (ks.get(c.arg(i)) != null) {
                n++;
            }
        }
        out.integer(n);
        return null;
    }

    /** UNLINK: DEL, counting the values Redis would free in the background (see {@link KeyspaceCommands#lazyFreed}). */
    private static Command unlink(Command c, Keyspace ks, RespWriter out, KeyspaceCommands x) {
        for (int i = 1; i < c.argCount(); i++) {
            Object v = ks.peek(c.arg(i));
            if (v != null && ObjectCommands.freeEffort(v, ks.encodingMark(c.arg(i)), x.limits()) > LAZYFREE_THRESHOLD) {
                x.lazilyFreed(1);
            }
        }
        return del(c, ks, out);
    }

    /** Redis frees a value in the background when freeing it takes more steps than this. */
    private static final int LAZYFREE_THRESHOLD = 64;

    static Command exists(Command c, Keyspace ks, RespWriter out) {
        int n = 0;
        for (int i = 1; i < c.argCount(); i++) {
            if (ks.exists(c.arg(i))) {
                n++;
            }
        }
        out.integer(n);
        return null;
    }

    /**
     * EXPIRE, PEXPIRE, EXPIREAT and PEXPIREAT with the NX/XX/GT/LT options. As in Redis, the
     * options are checked before the time, and the time before the key.
     */
    static Command expire(Command c, Keyspace ks, RespWriter out, long unitMillis, boolean absolute) {
        boolean nx = false;
        boolean xx = false;
        boolean gt = false;
        boolean lt = false;
        for (int i = 3; i < c.argCount(); i++) {
            byte[] opt = c.arg(i);
            if (Args.is(opt, "nx")) {
                nx = true;
            } else if (Args.is(opt, "xx")) {
                xx = true;
            } else if (Args.is(opt, "gt")) {
                gt = true;
            } else if (Args.is(opt, "lt")) {
                lt = true;
            } else {
                throw new CommandError("ERR Unsupported option " + new String(opt, StandardCharsets.UTF_8));
            }
        }
        if (nx && (xx || gt || lt)) {
            throw new CommandError("ERR NX and XX, GT or LT options at the same time are not compatible");
        }
        if (gt && lt) {
            throw new CommandError("ERR GT and LT options at the same time are not compatible");
        }
        long when = Args.longArg(c, 2);
        String invalid = "ERR invalid expire time in '" + c.name() + "' command";
        if (unitMillis > 1) {
            if (when > Long.MAX_VALUE / unitMillis || when < Long.MIN_VALUE / unitMillis) {
                throw new CommandError(invalid);
            }
            when *= unitMillis;
        }
        if (!absolute) {
            long now = ks.now();
            if (when > Long.MAX_VALUE - now) {
                throw new CommandError(invalid);
            }
            when += now;
        }
        byte[] key = c.arg(1);
        long current = ks.expireAt(key);
        if (current == Keyspace.MISSING) {
            out.integer(0);
            return null;
        }
        boolean hasTtl = current != Keyspace.NO_EXPIRY;
        // A key without a TTL counts as an infinite TTL for GT and LT.
        if ((nx && hasTtl) || (xx && !hasTtl) || (gt && (!hasTtl || when <= current))
                || (lt && hasTtl && when >= current)) {
            out.integer(0);
            return null;
        }
        ks.setExpireAt(key, when);
        out.integer(1);
        if (!ks.exists(key)) {
            ks.notify(KeyspaceEvents.GENERIC, "del", key);
            return Args.command("DEL", key);
        }
        ks.notify(KeyspaceEvents.GENERIC, "expire", key);
        return Args.command("PEXPIREAT", key, Args.decimal(when));
    }

    /**
     * TTL and PTTL ({@code absolute} false: the time left) or EXPIRETIME and PEXPIRETIME (the
     * expiry time itself); seconds are rounded to the nearest, as Redis rounds them.
     */
    static Command ttl(Command c, Keyspace ks, RespWriter out, long unitMillis, boolean absolute) {
        long at = ks.expireAt(c.arg(1));
        if (at < 0) {
            out.integer(at); // MISSING = -2, NO_EXPIRY = -1, as TTL replies them
        } else {
            long t = Math.max(0, absolute ? at : at - ks.now());
            out.integer(unitMillis == 1 ? t : (t + 500) / 1000);
        }
        return null;
    }

    static Command persist(Command c, Keyspace ks, RespWriter out) {
        boolean done = ks.persist(c.arg(1));
        if (done) {
            ks.notify(KeyspaceEvents.GENERIC, "persist", c.arg(1));
        }
        out.integer(done ? 1 : 0);
        return done ? c : null;
    }

    static Command type(Command c, Keyspace ks, RespWriter out) {
        ValueType t = ks.type(c.arg(1));
        out.simpleString(t == null ? "none" : t.typeName());
        return null;
    }

    /**
     * RENAME and RENAMENX: the value moves with its expiry time; a key renamed onto itself is
     * left as it is (but must exist). Logged as given: replay finds the same source.
     */
    static Command rename(Command c, Keyspace ks, RespWriter out, boolean nx) {
        byte[] src = c.arg(1);
        byte[] dst = c.arg(2);
        Object value = ks.get(src);
        if (value == null) {
            throw new CommandError("ERR no such key");
        }
        if (Arrays.equals(src, dst)) {
            if (nx) {
                out.integer(0);
            } else {
                out.ok();
            }
            return null;
        }
        if (nx && ks.exists(dst)) {
            out.integer(0);
            return null;
        }
        long expireAt = ks.expireAt(src);
        int mark = ks.encodingMark(src);
        ks.delete(src);
        ks.delete(dst); // as Redis: the destination is added anew ('n' events)
        ks.set(dst, value, expireAt);
        ks.setEncodingMark(dst, mark);
        ks.notify(KeyspaceEvents.GENERIC, "rename_from", src);
        ks.notify(KeyspaceEvents.GENERIC, "rename_to", dst);
        if (nx) {
            out.integer(1);
        } else {
            out.ok();
        }
        return c;
    }

    /**
     * COPY source destination [DB index] [REPLACE], into database {@code index} of {@code ks}'s
     * {@link Databases} (a keyspace that stands alone has only database 0). The copy keeps the
     * source's expiry time; logged as given.
     */
    static Command copy(Command c, Keyspace ks, RespWriter out) {
        boolean replace = false;
        Keyspace target = ks;
        for (int i = 3; i < c.argCount(); i++) {
            if (Args.is(c.arg(i), "replace")) {
                replace = true;
            } else if (Args.is(c.arg(i), "db") && i + 1 < c.argCount()) {
                long db = Args.longArg(c, ++i);
                if (db < Integer.MIN_VALUE || db > Integer.MAX_VALUE) {
                    throw new CommandError("ERR value is out of range, value must between "
                            + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE);
                }
                target = database(ks, db);
            } else {
                throw new CommandError(CommandError.SYNTAX);
            }
        }
        byte[] src = c.arg(1);
        byte[] dst = c.arg(2);
        if (target == ks && Arrays.equals(src, dst)) {
            throw new CommandError("ERR source and destination objects are the same");
        }
        Object value = ks.get(src);
        if (value == null) {
            out.integer(0);
            return null;
        }
        long expireAt = ks.expireAt(src);
        if (target.exists(dst) && !replace) {
            out.integer(0);
            return null;
        }
        int mark = ks.encodingMark(src);
        if (value instanceof byte[] && mark != ObjectCommands.RAW && mark != ObjectCommands.NOT_INT) {
            mark = ObjectCommands.UNSHARED; // Redis duplicates the string: a copy of a shared integer is its own
        }
        target.delete(dst); // REPLACE: as Redis, the destination is added anew ('n' events)
        target.set(dst, deepCopy(value), expireAt);
        target.setEncodingMark(dst, mark);
        target.notify(KeyspaceEvents.GENERIC, "copy_to", dst);
        out.integer(1);
        return c;
    }

    /** A copy of a stored value that shares no mutable part with it (member arrays are immutable). */
    @SuppressWarnings("unchecked")
    static Object deepCopy(Object value) {
        return switch (value) {
            case byte[] s -> s.clone();
            case ListValue list -> list.copy();
            case HashSet<?> set -> new HashSet<>((HashSet<Key>) set);
            case HashMap<?, ?> hash -> new HashMap<>((HashMap<Key, byte[]>) hash);
            case ZSet zset -> {
                ZSet copy = new ZSet();
                for (Iterator<ZSet.Item> it = zset.ascending(); it.hasNext(); ) {
                    ZSet.Item item = it.next();
                    copy.put(item.member(), item.score());
                }
                yield copy;
            }
            default -> throw new IllegalArgumentException("not a keyspace value: " + value.getClass());
        };
    }

    static Command dbsize(Keyspace ks, RespWriter out) {
        out.integer(ks.size());
        return null;
    }

    /** FLUSHALL (every database) or FLUSHDB (this one) [ASYNC|SYNC]: both free at once here. */
    static Command flush(Command c, Keyspace ks, RespWriter out, boolean all, KeyspaceCommands x) {
        if (c.argCount() > 2 || (c.argCount() == 2 && !Args.is(c.arg(1), "async") && !Args.is(c.arg(1), "sync"))) {
            throw new CommandError(CommandError.SYNTAX);
        }
        if (c.argCount() == 2 && Args.is(c.arg(1), "async")) {
            // Redis hands every key of the flushed databases to its background thread.
            long keys = ks.size();
            if (all && ks.databases() != null) {
                keys = 0;
                for (int db = 0; db < ks.databases().count(); db++) {
                    Keyspace each = ks.databases().peek(db);
                    keys += each == null ? 0 : each.size();
                }
            }
            x.lazilyFreed(keys);
        }
        boolean changed;
        if (all && ks.databases() != null) {
            changed = ks.databases().clearAll();
        } else {
            changed = ks.size() > 0;
            ks.clear();
        }
        out.ok();
        return changed ? Args.command(all ? "FLUSHALL" : "FLUSHDB") : null;
    }

    /**
     * MOVE key db: the key and its expiry go to database {@code db} unless a key of that name is
     * there; logged as given (it replays in the same database, onto the same state).
     */
    static Command move(Command c, Keyspace ks, RespWriter out) {
        long db = Args.longArg(c, 2);
        if (db < Integer.MIN_VALUE || db > Integer.MAX_VALUE) {
            throw new CommandError("ERR value is out of range, value must between "
                    + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE);
        }
        Keyspace target = database(ks, db);
        if (target == ks) {
            throw new CommandError("ERR source and destination objects are the same");
        }
        byte[] key = c.arg(1);
        Object value = ks.get(key);
        if (value == null || target.exists(key)) {
            out.integer(0);
            return null;
        }
        long expireAt = ks.expireAt(key);
        int mark = ks.encodingMark(key);
        ks.delete(key);
        target.set(key, value, expireAt);
        target.setEncodingMark(key, mark);
        ks.notify(KeyspaceEvents.GENERIC, "move_from", key);
        target.notify(KeyspaceEvents.GENERIC, "move_to", key);
        out.integer(1);
        return c;
    }

    /** Database {@code db} of {@code ks}'s databases (only 0, itself, for a keyspace that stands alone). */
    private static Keyspace database(Keyspace ks, long db) {
        Databases dbs = ks.databases();
        if (dbs == null) {
            if (db != 0) {
                throw new CommandError("ERR DB index is out of range");
            }
            return ks;
        }
        if (!dbs.isValid(db)) {
            throw new CommandError("ERR DB index is out of range");
        }
        return dbs.get((int) db);
    }

    static Command keys(Command c, Keyspace ks, RespWriter out) {
        writeKeys(ks.keys(c.arg(1)), out);
        return null;
    }

    /** SCAN cursor [MATCH pattern] [COUNT count] [TYPE type], over this shard's cursor space. */
    static Command scan(Command c, Keyspace ks, RespWriter out) {
        byte[] cursorArg = c.arg(1);
        long cursor = io.github.jglommio.kv.resp.Ascii.parseOr(cursorArg, 0, cursorArg.length, -1);
        if (cursor < 0) {
            throw new CommandError("ERR invalid cursor");
        }
        byte[] pattern = null;
        long count = 10;
        String type = null;
        for (int i = 2; i < c.argCount(); i += 2) {
            if (i + 1 >= c.argCount()) {
                throw new CommandError(CommandError.SYNTAX);
            }
            byte[] opt = c.arg(i);
            if (Args.is(opt, "match")) {
                pattern = c.arg(i + 1);
            } else if (Args.is(opt, "count")) {
                count = Args.longArg(c, i + 1);
                if (count < 1) {
                    throw new CommandError(CommandError.SYNTAX);
                }
            } else if (Args.is(opt, "type")) {
                type = new String(c.arg(i + 1), StandardCharsets.UTF_8);
            } else {
                throw new CommandError(CommandError.SYNTAX);
            }
        }
        ScanResult r = ks.scan(cursor, pattern, (int) Math.min(count, 1 << 20), type);
        out.arrayHeader(2);
        out.bulk(Args.decimal(r.cursor()));
        writeKeys(r.keys(), out);
        return null;
    }

    static Command randomKey(Keyspace ks, RespWriter out) {
        byte[] k = ks.randomKey();
        if (k == null) {
            out.nullBulk();
        } else {
            out.bulk(k);
        }
        return null;
    }

    private static void writeKeys(List<byte[]> keys, RespWriter out) {
        out.arrayHeader(keys.size());
        for (byte[] k : keys) {
            out.bulk(k);
        }
    }
}
