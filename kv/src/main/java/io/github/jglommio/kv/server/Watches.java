package io.github.jglommio.kv.server;

import io.github.jglommio.kv.command.CommandTable;
import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.store.Key;
import io.github.jglommio.kv.store.Keyspace;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One shard's WATCHed keys: for each, the connections' {@link WatchState}s to mark when it changes.
 * A key counts as changed when a command's log record names it (a write that changed nothing logs
 * nothing, as Redis touches a key only when it really changes), when it expires, or when FLUSHALL
 * or FLUSHDB finds it present. A watch is on a key of one database: the same name in another
 * database is another key.
 *
 * <p>Threading: the shard's executor only. The cost to a shard that nobody watches is one
 * {@link #isEmpty()} check per write.
 */
final class Watches {
    /** Per database (null until a key of it is watched), the watched keys. */
    private final Map<Key, List<WatchState>>[] byDb;
    /** Watched keys over every database. */
    private int size;

    @SuppressWarnings("unchecked")
    Watches(int databases) {
        byDb = new Map[databases];
    }

    /** @return whether no key of this shard is watched */
    boolean isEmpty() {
        return size == 0;
    }

    /** Registers {@code w} for {@code key} of {@code ks}'s database, noting when the key, if live, expires. */
    void watch(byte[] key, WatchState w, Keyspace ks) {
        int db = ks.index();
        if (byDb[db] == null) {
            byDb[db] = new HashMap<>();
        }
        Map<Key, List<WatchState>> byKey = byDb[db];
        long expireAt = ks.expireAt(key); // expires a dead key first: it is missing, not expiring
        if (expireAt >= 0) {
            w.expiresAt(expireAt);
        }
        List<WatchState> l = byKey.get(new Key(key));
        if (l == null) {
            l = new ArrayList<>(2);
            byKey.put(new Key(key), l);
            size++;
        }
        if (!l.contains(w)) {
            l.add(w);
        }
    }

    /** Forgets {@code w} for {@code key} of database {@code db}. */
    void unwatch(int db, byte[] key, WatchState w) {
        Map<Key, List<WatchState>> byKey = byDb[db];
        if (byKey == null) {
            return;
        }
        Key k = new Key(key);
        List<WatchState> l = byKey.get(k);
        if (l != null && l.remove(w) && l.isEmpty()) {
            byKey.remove(k);
            size--;
        }
    }

    /** {@code key} of database {@code db} changed (or expired). */
    void touched(int db, byte[] key) {
        Map<Key, List<WatchState>> byKey = byDb[db];
        if (byKey == null) {
            return;
        }
        List<WatchState> l = byKey.get(new Key(key));
        if (l != null) {
            for (WatchState w : l) {
                w.touch();
            }
        }
    }

    /**
     * Every key that {@code logged} (a log record of database {@code db}) names changed; MOVE's and
     * COPY ... DB's key in the other database too.
     */
    void touched(int db, Command logged) {
        int[] keys = CommandTable.keyIndexesOf(logged);
        if (keys == null) {
            return;
        }
        for (int k : keys) {
            touched(DbKeys.dbOfKey(logged, k, db, byDb.length), logged.arg(k));
        }
        int other = DbKeys.otherDb(logged, byDb.length);
        if (other >= 0) {
            touched(other, logged.arg(1));
        }
    }

    /** FLUSHALL/FLUSHDB is about to empty {@code ks}: every watched key present in it changes. */
    void flushing(Keyspace ks) {
        Map<Key, List<WatchState>> byKey = byDb[ks.index()];
        if (byKey == null) {
            return;
        }
        for (Map.Entry<Key, List<WatchState>> e : byKey.entrySet()) {
            if (ks.exists(e.getKey().bytes())) {
                for (WatchState w : e.getValue()) {
                    w.touch();
                }
            }
        }
    }

    /**
     * SWAPDB {@code a} {@code b} is about to run: a key watched in either database changes if it
     * is present in either (its value is about to be the other database's), as Redis 7.0 decides.
     */
    void swapping(Keyspace a, Keyspace b) {
        touchPresent(a.index(), a, b);
        touchPresent(b.index(), a, b);
    }

    private void touchPresent(int db, Keyspace a, Keyspace b) {
        Map<Key, List<WatchState>> byKey = byDb[db];
        if (byKey == null) {
            return;
        }
        for (Map.Entry<Key, List<WatchState>> e : byKey.entrySet()) {
            byte[] k = e.getKey().bytes();
            if (a.exists(k) || b.exists(k)) {
                for (WatchState w : e.getValue()) {
                    w.touch();
                }
            }
        }
    }
}
