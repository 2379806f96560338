package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.kv.store.Key;
import io.github.jglommio.kv.store.Keyspace;
import io.github.jglommio.kv.store.KeyspaceEvents;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Hash commands; each appends one reply and returns the command to log or null.
 *
 * <p>Order. Redis keeps a small hash (at most {@value #LISTPACK_ENTRIES} fields, none and no
 * value longer than {@value #LISTPACK_VALUE} bytes) in a listpack, which HGETALL, HKEYS, HVALS,
 * HSCAN and HRANDFIELD read in insertion order; hashes made here are {@link LinkedHashMap}s (a
 * {@code HashMap}, as the keyspace expects) so that those replies match byte for byte. Larger
 * hashes are hash tables in Redis, whose order nobody can rely on.
 */
final class HashCommands {
    /** Redis's {@code hash-max-listpack-entries} default. */
    static final int LISTPACK_ENTRIES = 128;
    /** Redis's {@code hash-max-listpack-value} default. */
    static final int LISTPACK_VALUE = 64;

    private HashCommands() {
    }

    static void register(Registry r) {
        r.key("hset", -4, "write denyoom fast", (c, ks, out, x) -> hset(c, ks, out, false));
        r.key("hmset", -4, "write denyoom fast", (c, ks, out, x) -> hset(c, ks, out, true));
        r.key("hsetnx", 4, "write denyoom fast", (c, ks, out, x) -> hsetnx(c, ks, out));
        r.key("hget", 3, "readonly fast", (c, ks, out, x) -> hget(c, ks, out));
        r.key("hmget", -3, "readonly fast", (c, ks, out, x) -> hmget(c, ks, out));
        r.key("hgetall", 2, "readonly", (c, ks, out, x) -> hgetall(c, ks, out, true, true));
        r.key("hkeys", 2, "readonly", (c, ks, out, x) -> hgetall(c, ks, out, true, false));
        r.key("hvals", 2, "readonly", (c, ks, out, x) -> hgetall(c, ks, out, false, true));
        r.key("hdel", -3, "write fast", (c, ks, out, x) -> hdel(c, ks, out));
        r.key("hlen", 2, "readonly fast", (c, ks, out, x) -> hlen(c, ks, out));
        r.key("hexists", 3, "readonly fast", (c, ks, out, x) -> hexists(c, ks, out));
        r.key("hstrlen", 3, "readonly fast", (c, ks, out, x) -> hstrlen(c, ks, out));
        r.key("hincrby", 4, "write denyoom fast", (c, ks, out, x) -> hincrby(c, ks, out));
        r.key("hincrbyfloat", 4, "write denyoom fast", (c, ks, out, x) -> hincrbyfloat(c, ks, out));
        r.key("hrandfield", -2, "readonly", (c, ks, out, x) -> hrandfield(c, ks, out, x.random()));
        r.key("hscan", -3, "readonly", (c, ks, out, x) -> hscan(c, ks, out));
    }

    /** The hash at {@code key} for a write, created (insertion-ordered, see the class comment) if absent. */
    private static HashMap<Key, byte[]> forWrite(Keyspace ks, byte[] key) {
        HashMap<Key, byte[]> hash = ks.getHash(key);
        if (hash == null) {
            hash = new LinkedHashMap<>();
            ks.set(key, hash, Keyspace.NO_EXPIRY);
        }
        return hash;
    }

    /** HSET (replies the number of new fields) and HMSET (replies OK). */
    static Command hset(Command c, Keyspace ks, RespWriter out, boolean hmset) {
        if (c.argCount() % 2 == 1) {
            throw new CommandError(CommandTable.lookup(c).arityError());
        }
        HashMap<Key, byte[]> hash = forWrite(ks, c.arg(1));
        int added = 0;
        for (int i = 2; i < c.argCount(); i += 2) {
            if (hash.put(new Key(c.arg(i)), c.arg(i + 1)) == null) {
                added++;
            }
        }
        ks.notify(KeyspaceEvents.HASH, "hset", c.arg(1));
        if (hmset) {
            out.ok();
        } else {
            out.integer(added);
        }
        return c;
    }

    static Command hsetnx(Command c, Keyspace ks, RespWriter out) {
        HashMap<Key, byte[]> hash = forWrite(ks, c.arg(1));
        boolean added = hash.putIfAbsent(new Key(c.arg(2)), c.arg(3)) == null;
        out.integer(added ? 1 : 0);
        if (!added) {
            return null;
        }
        ks.notify(KeyspaceEvents.HASH, "hset", c.arg(1));
        return c;
    }

    static Command hget(Command c, Keyspace ks, RespWriter out) {
        HashMap<Key, byte[]> hash = ks.getHash(c.arg(1));
        byte[] v = hash == null ? null : hash.get(new Key(c.arg(2)));
        bulkOrNull(out, v);
        return null;
    }

    static Command hmget(Command c, Keyspace ks, RespWriter out) {
        HashMap<Key, byte[]> hash = ks.getHash(c.arg(1));
        out.arrayHeader(c.argCount() - 2);
        for (int i = 2; i < c.argCount(); i++) {
            bulkOrNull(out, hash == null ? null : hash.get(new Key(c.arg(i))));
        }
        return null;
    }

    private static void bulkOrNull(RespWriter out, byte[] v) {
        if (v == null) {
            out.nullBulk();
        } else {
            out.bulk(v);
        }
    }

    /** HGETALL, HKEYS and HVALS: the fields and/or values in the hash's order. */
    static Command hgetall(Command c, Keyspace ks, RespWriter out, boolean fields, boolean values) {
        HashMap<Key, byte[]> hash = ks.getHash(c.arg(1));
        int size = hash == null ? 0 : hash.size();
        if (fields && values) {
            out.mapHeader(size);
        } else {
            out.arrayHeader(size);
        }
        if (hash == null) {
            return null;
        }
        for (Map.Entry<Key, byte[]> e : hash.entrySet()) {
            if (fields) {
                out.bulk(e.getKey().bytes());
            }
            if (values) {
                out.bulk(e.getValue());
            }
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
            if (removed > 0) {
                ks.notify(KeyspaceEvents.HASH, "hdel", c.arg(1));
                ks.deleteIfEmpty(c.arg(1));
            }
        }
        out.integer(removed);
        return removed > 0 ? c : null;
    }

    static Command hlen(Command c, Keyspace ks, RespWriter out) {
        HashMap<Key, byte[]> hash = ks.getHash(c.arg(1));
        out.integer(hash == null ? 0 : hash.size());
        return null;
    }

    static Command hexists(Command c, Keyspace ks, RespWriter out) {
        HashMap<Key, byte[]> hash = ks.getHash(c.arg(1));
        out.integer(hash != null && hash.containsKey(new Key(c.arg(2))) ? 1 : 0);
        return null;
    }

    static Command hstrlen(Command c, Keyspace ks, RespWriter out) {
        HashMap<Key, byte[]> hash = ks.getHash(c.arg(1));
        byte[] v = hash == null ? null : hash.get(new Key(c.arg(2)));
        out.integer(v == null ? 0 : v.length);
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
        forWrite(ks, c.arg(1)).put(field, Args.decimal(next));
        ks.notify(KeyspaceEvents.HASH, "hincrby", c.arg(1));
        out.integer(next);
        return c;
    }

    /**
     * HINCRBYFLOAT in Redis's long double arithmetic (see {@link LongDouble}); logs the resulting
     * {@code HSET key field value}, as Redis propagates it, so replay needs no float arithmetic.
     */
    static Command hincrbyfloat(Command c, Keyspace ks, RespWriter out) {
        LongDouble by = LongDouble.parse(c.arg(3));
        if (by == null) {
            throw new CommandError(CommandError.NOT_FLOAT);
        }
        if (!by.isFinite()) {
            throw new CommandError("ERR value is NaN or Infinity");
        }
        byte[] key = c.arg(1);
        HashMap<Key, byte[]> existing = ks.getHash(key);
        Key field = new Key(c.arg(2));
        byte[] old = existing == null ? null : existing.get(field);
        LongDouble current = old == null ? LongDouble.ZERO : LongDouble.parse(old);
        if (current == null) {
            throw new CommandError("ERR hash value is not a float");
        }
        LongDouble next = current.plus(by);
        if (next == null) {
            throw new CommandError("ERR increment would produce NaN or Infinity");
        }
        byte[] text = next.humanText();
        forWrite(ks, key).put(field, text);
        ks.notify(KeyspaceEvents.HASH, "hincrbyfloat", key);
        out.bulk(text);
        return Args.command("HSET", key, field.bytes(), text);
    }

    /** HRANDFIELD key [count [WITHVALUES]]: read-only, so its random choices are not logged. */
    static Command hrandfield(Command c, Keyspace ks, RespWriter out, SplittableRandom random) {
        byte[] key = c.arg(1);
        if (c.argCount() == 2) {
            HashMap<Key, byte[]> hash = ks.getHash(key);
            bulkOrNull(out, hash == null ? null : Sampling.one(hash.keySet(), random).bytes());
            return null;
        }
        long count = Sampling.count(c, 2);
        if (c.argCount() > 4 || (c.argCount() == 4 && !Args.is(c.arg(3), "withvalues"))) {
            throw new CommandError(CommandError.SYNTAX);
        }
        boolean withValues = c.argCount() == 4;
        // Redis doubles the count for the RESP2 reply and refuses what would overflow.
        if (withValues && (count < -Long.MAX_VALUE / 2 || count > Long.MAX_VALUE / 2)) {
            throw new CommandError("ERR value is out of range");
        }
        HashMap<Key, byte[]> hash = ks.getHash(key);
        if (hash == null || count == 0) {
            out.arrayHeader(0);
            return null;
        }
        int width = withValues ? 2 : 1;
        if (count < 0) {
            Sampling.replySize(-count * width);
            entries(out, (int) -count, withValues);
            Sampling.withRepetition(hash.entrySet(), -count, random, e -> entry(out, e, withValues));
        } else if (count >= hash.size()) {
            entries(out, hash.size(), withValues);
            for (Map.Entry<Key, byte[]> e : hash.entrySet()) {
                entry(out, e, withValues);
            }
        } else {
            List<Map.Entry<Key, byte[]>> picked = Sampling.distinct(hash.entrySet(), (int) count, random);
            entries(out, picked.size(), withValues);
            for (Map.Entry<Key, byte[]> e : picked) {
                entry(out, e, withValues);
            }
        }
        return null;
    }

    /** HRANDFIELD's array of {@code n} fields, or of {@code n} field/value pairs (nested under RESP3). */
    private static void entries(RespWriter out, int n, boolean withValues) {
        if (withValues) {
            out.pairsHeader(n);
        } else {
            out.arrayHeader(n);
        }
    }

    private static void entry(RespWriter out, Map.Entry<Key, byte[]> e, boolean withValue) {
        if (withValue) {
            out.pair();
        }
        out.bulk(e.getKey().bytes());
        if (withValue) {
            out.bulk(e.getValue());
        }
    }

    /**
     * HSCAN key cursor [MATCH pattern] [COUNT count]. A hash Redis would keep in a listpack is
     * returned whole with cursor 0, in order, as Redis does; a larger one in steps (see
     * {@link CollectionScan}).
     */
    static Command hscan(Command c, Keyspace ks, RespWriter out) {
        long cursor = CollectionScan.parseCursor(c.arg(2));
        HashMap<Key, byte[]> hash = ks.getHash(c.arg(1));
        if (hash == null) {
            CollectionScan.empty(out);
            return null;
        }
        CollectionScan.Options opts = CollectionScan.options(c, 3);
        List<byte[]> found = new ArrayList<>();
        long next = 0;
        if (isListpack(hash)) {
            for (Map.Entry<Key, byte[]> e : hash.entrySet()) {
                addIfMatches(found, e, opts);
            }
        } else if (CollectionScan.inSpace(cursor)) {
            long end = CollectionScan.stepEnd(cursor, opts.count(), hash.size());
            for (Map.Entry<Key, byte[]> e : hash.entrySet()) {
                long p = CollectionScan.position(e.getKey());
                if (p >= cursor && p < end) {
                    addIfMatches(found, e, opts);
                }
            }
            next = end < CollectionScan.SPACE ? end : 0;
        }
        CollectionScan.reply(out, next, found);
        return null;
    }

    private static void addIfMatches(List<byte[]> found, Map.Entry<Key, byte[]> e, CollectionScan.Options opts) {
        if (opts.matches(e.getKey().bytes())) {
            found.add(e.getKey().bytes());
            found.add(e.getValue());
        }
    }

    /** Whether Redis, from the same contents, would hold this hash as a listpack. */
    static boolean isListpack(HashMap<Key, byte[]> hash) {
        if (hash.size() > LISTPACK_ENTRIES) {
            return false;
        }
        for (Map.Entry<Key, byte[]> e : hash.entrySet()) {
            if (e.getKey().bytes().length > LISTPACK_VALUE || e.getValue().length > LISTPACK_VALUE) {
                return false;
            }
        }
        return true;
    }
}
