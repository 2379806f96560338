package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.kv.store.Key;
import io.github.jglommio.kv.store.Keyspace;

import java.util.HashMap;
import java.util.Map;

/** Hash commands; each appends one reply and returns the command to log or null. */
final class HashCommands {
    private HashCommands() {
    }

    static void register(Registry r) {
        r.key("hset", -4, "write denyoom fast", (c, ks, out, x) -> hset(c, ks, out, false));
        r.key("hmset", -4, "write denyoom fast", (c, ks, out, x) -> hset(c, ks, out, true));
        r.key("hget", 3, "readonly fast", (c, ks, out, x) -> hget(c, ks, out));
        r.key("hgetall", 2, "readonly", (c, ks, out, x) -> hgetall(c, ks, out));
        r.key("hdel", -3, "write fast", (c, ks, out, x) -> hdel(c, ks, out));
        r.key("hlen", 2, "readonly fast", (c, ks, out, x) -> hlen(c, ks, out));
        r.key("hincrby", 4, "write denyoom fast", (c, ks, out, x) -> hincrby(c, ks, out));
    }

    /** HSET (replies the number of new fields) and HMSET (replies OK). */
    static Command hset(Command c, Keyspace ks, RespWriter out, boolean hmset) {
        if (c.argCount() % 2 == 1) {
            throw new CommandError(CommandTable.lookup(c).arityError());
        }
        HashMap<Key, byte[]> hash = ks.getOrCreateHash(c.arg(1));
        int added = 0;
        for (int i = 2; i < c.argCount(); i += 2) {
            if (hash.put(new Key(c.arg(i)), c.arg(i + 1)) == null) {
                added++;
            }
        }
        if (hmset) {
            out.ok();
        } else {
            out.integer(added);
        }
        return c;
    }

    static Command hget(Command c, Keyspace ks, RespWriter out) {
        HashMap<Key, byte[]> hash = ks.getHash(c.arg(1));
        byte[] v = hash == null ? null : hash.get(new Key(c.arg(2)));
        if (v == null) {
            out.nullBulk();
        } else {
            out.bulk(v);
        }
        return null;
    }

    static Command hgetall(Command c, Keyspace ks, RespWriter out) {
        HashMap<Key, byte[]> hash = ks.getHash(c.arg(1));
        if (hash == null) {
            out.arrayHeader(0);
            return null;
        }
        out.arrayHeader(hash.size() * 2);
        for (Map.Entry<Key, byte[]> e : hash.entrySet()) {
            out.bulk(e.getKey().bytes());
            out.bulk(e.getValue());
        }
        return null;
    }

    static Command hdel(Command c, Keyspace ks, RespWriter out) {
        HashMap<Key, byte[]> hash = ks.getHash(c.arg(1));
        int removed = 0;
        if (hash != null) {
            for (int i = 2; i < c.argCount(); i++) {
                if (hash.remove(new Key(c.arg(i))) != null) {
                    removed++;
                }
            }
            ks.removeIfEmpty(c.arg(1));
        }
        out.integer(removed);
        return removed > 0 ? c : null;
    }

    static Command hlen(Command c, Keyspace ks, RespWriter out) {
        HashMap<Key, byte[]> hash = ks.getHash(c.arg(1));
        out.integer(hash == null ? 0 : hash.size());
        return null;
    }

    static Command hincrby(Command c, Keyspace ks, RespWriter out) {
        long by = Args.longArg(c, 3);
        HashMap<Key, byte[]> existing = ks.getHash(c.arg(1));
        Key field = new Key(c.arg(2));
        byte[] old = existing == null ? null : existing.get(field);
        long current = old == null ? 0 : Args.longValue(old, "ERR hash value is not an integer");
        long next = current + by;
        if (((current ^ next) & (by ^ next)) < 0) {
            throw new CommandError(CommandError.OVERFLOW);
        }
        ks.getOrCreateHash(c.arg(1)).put(field, Args.decimal(next));
        out.integer(next);
        return c;
    }
}
