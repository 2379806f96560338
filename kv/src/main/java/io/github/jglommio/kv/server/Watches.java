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
 * or FLUSHDB finds it present.
 *
 * <p>Threading: the shard's executor only. The cost to a shard that nobody watches is one
 * {@link #isEmpty()} check per write.
 */
final class Watches {
    private final Map<Key, List<WatchState>> byKey = new HashMap<>();

    /** @return whether no key of this shard is watched */
    boolean isEmpty() {
        return byKey.isEmpty();
    }

    /** Registers {@code w} for {@code key}, noting when the key, if live, expires. */
    void watch(byte[] key, WatchState w, Keyspace ks) {
        long expireAt = ks.expireAt(key); // expires a dead key first: it is missing, not expiring
        if (expireAt >= 0) {
            w.expiresAt(expireAt);
        }
        List<WatchState> l = byKey.computeIfAbsent(new Key(key), k -> new ArrayList<>(2));
        if (!l.contains(w)) {
            l.add(w);
        }
    }

    /** Forgets {@code w} for {@code key}. */
    void unwatch(byte[] key, WatchState w) {
        Key k = new Key(key);
        List<WatchState> l = byKey.get(k);
        if (l != null && l.remove(w) && l.isEmpty()) {
            byKey.remove(k);
        }
    }

    /** {@code key} changed (or expired). */
    void touched(byte[] key) {
        List<WatchState> l = byKey.get(new Key(key));
        if (l != null) {
            for (WatchState w : l) {
                w.touch();
            }
        }
    }

    /** Every key that {@code logged} (a log record) names changed. */
    void touched(Command logged) {
        int[] keys = CommandTable.keyIndexesOf(logged);
        if (keys == null) {
            return;
        }
        for (int k : keys) {
            touched(logged.arg(k));
        }
    }

    /** FLUSHALL/FLUSHDB is about to empty {@code ks}: every watched key present in it changes. */
    void flushing(Keyspace ks) {
        for (Map.Entry<Key, List<WatchState>> e : byKey.entrySet()) {
            if (ks.exists(e.getKey().bytes())) {
                for (WatchState w : e.getValue()) {
                    w.touch();
                }
            }
        }
    }
}
