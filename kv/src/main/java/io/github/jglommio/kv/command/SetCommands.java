package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.kv.store.Key;
import io.github.jglommio.kv.store.Keyspace;

import java.util.HashSet;
import java.util.Iterator;
import java.util.SplittableRandom;

/** Set commands; each appends one reply and returns the command to log or null. */
final class SetCommands {
    private SetCommands() {
    }

    static void register(Registry r) {
        r.key("sadd", -3, "write denyoom fast", (c, ks, out, x) -> sadd(c, ks, out));
        r.key("srem", -3, "write fast", (c, ks, out, x) -> srem(c, ks, out));
        r.key("smembers", 2, "readonly", (c, ks, out, x) -> smembers(c, ks, out));
        r.key("sismember", 3, "readonly fast", (c, ks, out, x) -> sismember(c, ks, out));
        r.key("scard", 2, "readonly fast", (c, ks, out, x) -> scard(c, ks, out));
        r.key("spop", -2, "write fast", (c, ks, out, x) -> spop(c, ks, out, x.random()));
    }

    static Command sadd(Command c, Keyspace ks, RespWriter out) {
        HashSet<Key> set = ks.getOrCreateSet(c.arg(1));
        int added = 0;
        for (int i = 2; i < c.argCount(); i++) {
            if (set.add(new Key(c.arg(i)))) {
                added++;
            }
        }
        out.integer(added);
        return added > 0 ? c : null;
    }

    static Command srem(Command c, Keyspace ks, RespWriter out) {
        HashSet<Key> set = ks.getSet(c.arg(1));
        int removed = 0;
        if (set != null) {
            for (int i = 2; i < c.argCount(); i++) {
                if (set.remove(new Key(c.arg(i)))) {
                    removed++;
                }
            }
            ks.removeIfEmpty(c.arg(1));
        }
        out.integer(removed);
        return removed > 0 ? c : null;
    }

    static Command smembers(Command c, Keyspace ks, RespWriter out) {
        HashSet<Key> set = ks.getSet(c.arg(1));
        if (set == null) {
            out.arrayHeader(0);
            return null;
        }
        out.arrayHeader(set.size());
        for (Key k : set) {
            out.bulk(k.bytes());
        }
        return null;
    }

    static Command sismember(Command c, Keyspace ks, RespWriter out) {
        HashSet<Key> set = ks.getSet(c.arg(1));
        out.integer(set != null && set.contains(new Key(c.arg(2))) ? 1 : 0);
        return null;
    }

    static Command scard(Command c, Keyspace ks, RespWriter out) {
        HashSet<Key> set = ks.getSet(c.arg(1));
        out.integer(set == null ? 0 : set.size());
        return null;
    }

    /** SPOP key [count]: pops random members and logs them as an explicit SREM. */
    static Command spop(Command c, Keyspace ks, RespWriter out, SplittableRandom random) {
        if (c.argCount() > 3) {
            throw new CommandError(CommandError.SYNTAX);
        }
        long count = Args.optionalCount(c, 2);
        boolean hasCount = count >= 0;
        if (!hasCount) {
            count = 1;
        }
        byte[] key = c.arg(1);
        HashSet<Key> set = ks.getSet(key);
        if (set == null || count == 0) {
            if (hasCount) {
                out.arrayHeader(0);
            } else {
                out.nullBulk();
            }
            return null;
        }
        int n = (int) Math.min(count, set.size());
        Key[] picked = pick(set, n, random);
        if (hasCount) {
            out.arrayHeader(n);
        }
        byte[][] log = new byte[n + 2][];
        log[0] = Args.ascii("SREM");
        log[1] = key;
        for (int i = 0; i < n; i++) {
            set.remove(picked[i]);
            out.bulk(picked[i].bytes());
            log[i + 2] = picked[i].bytes();
        }
        ks.removeIfEmpty(key);
        return Command.of(log);
    }

    /** Chooses n distinct members uniformly in one pass (selection sampling, Knuth's algorithm S). */
    private static Key[] pick(HashSet<Key> set, int n, SplittableRandom random) {
        Key[] out = new Key[n];
        int remaining = set.size();
        int chosen = 0;
        Iterator<Key> it = set.iterator();
        while (chosen < n) {
            Key k = it.next();
            if (random.nextInt(remaining) < n - chosen) {
                out[chosen++] = k;
            }
            remaining--;
        }
        return out;
    }
}
