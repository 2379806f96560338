package io.github.jglommio.kv.server;

import io.github.jglommio.kv.command.BlockingPops;
import io.github.jglommio.kv.command.CommandTable;
import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.store.Key;
import io.github.jglommio.kv.store.ListValue;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * One shard's clients blocked on its keys (BLPOP, BZPOPMIN, BLMOVE...): per key, a FIFO of
 * {@link Waiter}s. After every write ({@link Shard#execute}) the keys it touched that have waiters
 * become ready; {@link #drain} then serves them as Redis does after a command: the longest waiter
 * of a key first, one pop each while the key can serve, each pop run through the shard (so it is
 * logged as the matching non-blocking command and WATCH sees it). Inside a transaction the keys
 * only collect ({@link #hold}), and are served after it.
 *
 * <p>A waiter may sit on several shards; the one that wins its claim serves it, and the others drop
 * it when they meet it. Waiters that ended elsewhere (timeout, another shard, a disconnect) are
 * not removed by message: each queue drops them as it goes, and a sweep over all queues runs
 * whenever the entries have doubled since the last one, so they cannot pile up.
 *
 * <p>Threading: the shard's executor only; any of its tasks. Nothing here parks but
 * {@link #probe}, which waits while a cross-shard transaction holds one of the keys.
 */
final class WaitQueues {
    private static final int MIN_SWEEP = 256;

    private final Shard shard;
    private final Map<WaitKey, ArrayDeque<Waiter>> queues = new HashMap<>();
    private final ArrayDeque<WaitKey> ready = new ArrayDeque<>();
    private final Set<WaitKey> readySet = new HashSet<>();

    /** A key of one database: waiters wait on a key of the database they selected. */
    private record WaitKey(int db, Key key) {
    }
    private int holds;
    private boolean draining;
    private int entries;
    private int sweepAt = MIN_SWEEP;

    WaitQueues(Shard shard) {
        this.shard = shard;
    }

    /** @return whether no client waits on a key here: the one check a write pays */
    boolean isEmpty() {
        return queues.isEmpty();
    }

    /**
     * The first look of a blocking pop at this shard's keys: serves it at once if its first
     * existing key is here and every key before it is too (then known empty), else registers it on
     * all its keys here. Returns the argument index of this shard's first existing key when it did
     * not serve (the owner decides, knowing every shard's answer), or -1.
     */
    int probe(Waiter w) {
        awaitTransactions(w);
        if (!w.isWaiting()) {
            return -1;
        }
        boolean foreignBefore = false;
        for (int i = 0; i < w.keyArgs.length; i++) {
            if (w.keyShards[i] != shard.id) {
                foreignBefore = true;
                continue;
            }
            if (shard.keyspace(w.db).exists(w.command.arg(w.keyArgs[i]))) {
                if (!foreignBefore) {
                    serve(w, w.keyArgs[i]);
                    return -1;
                }
                register(w);
                return w.keyArgs[i];
            }
        }
        register(w);
        return -1;
    }

    /**
     * The owner found that {@code keyArg}, here, is the first key that had a value when the shards
     * were probed: serves the waiter from it if it still has one, else returns the next key here
     * that has a value (argument index), or -1.
     */
    int serveFrom(Waiter w, int keyArg) {
        awaitTransactions(w);
        if (!w.isWaiting()) {
            return -1;
        }
        if (shard.keyspace(w.db).exists(w.command.arg(keyArg))) {
            serve(w, keyArg);
            return -1;
        }
        for (int i = 0; i < w.keyArgs.length; i++) {
            if (w.keyArgs[i] > keyArg && w.keyShards[i] == shard.id
                    && shard.keyspace(w.db).exists(w.command.arg(w.keyArgs[i]))) {
                return w.keyArgs[i];
            }
        }
        return -1;
    }

    /** Parks while a cross-shard transaction holds a key the waiter would touch here. */
    private void awaitTransactions(Waiter w) {
        while (shard.txs.anyActive() && shard.txs.blocks(w.spec, w.command)) {
            shard.txs.awaitRelease();
        }
    }

    private void register(Waiter w) {
        for (int i = 0; i < w.keyArgs.length; i++) {
            if (w.keyShards[i] != shard.id) {
                continue;
            }
            WaitKey k = new WaitKey(w.db, new Key(w.command.arg(w.keyArgs[i])));
            ArrayDeque<Waiter> q = queues.computeIfAbsent(k, x -> new ArrayDeque<>(2));
            if (!q.contains(w)) { // a key named twice waits once
                q.addLast(w);
                entries++;
            }
        }
        if (entries > sweepAt) {
            sweep();
        }
    }

    /** Drops every waiter that ended elsewhere; the next sweep comes when the entries doubled. */
    private void sweep() {
        int live = 0;
        for (Iterator<ArrayDeque<Waiter>> it = queues.values().iterator(); it.hasNext(); ) {
            ArrayDeque<Waiter> q = it.next();
            q.removeIf(w -> !w.isWaiting());
            if (q.isEmpty()) {
                it.remove();
            }
            live += q.size();
        }
        entries = live;
        sweepAt = Math.max(MIN_SWEEP, 2 * live);
    }

    /** A write in database {@code db} logged {@code logged}: its keys that have waiters become ready. */
    void touched(int db, Command logged) {
        int[] idx = CommandTable.keyIndexesOf(logged);
        if (idx == null) {
            return;
        }
        for (int i : idx) {
            touched(db, logged.arg(i));
        }
    }

    /** {@code key} of database {@code db} changed: if it has waiters, it is ready to be looked at. */
    void touched(int db, byte[] key) {
        WaitKey k = new WaitKey(db, new Key(key));
        if (queues.containsKey(k) && readySet.add(k)) {
            ready.addLast(k);
        }
    }

    /**
     * Databases {@code a} and {@code b} swapped places (SWAPDB): every key waited on in either may
     * now hold a value, as Redis sees it; the next {@link #drain} serves them.
     */
    void swapped(int a, int b) {
        for (WaitKey k : queues.keySet()) {
            if ((k.db() == a || k.db() == b) && readySet.add(k)) {
                ready.addLast(k);
            }
        }
    }

    /** A transaction runs: the ready keys wait until it ends ({@link #release}). */
    void hold() {
        holds++;
    }

    /** The transaction ended: serves the keys it made ready. */
    void release() {
        holds--;
        drain();
    }

    /** Serves the waiters of the ready keys, including keys the serving itself makes ready (a move's destination). */
    void drain() {
        if (draining || holds > 0 || ready.isEmpty()) {
            return;
        }
        draining = true;
        try {
            WaitKey k;
            while ((k = ready.pollFirst()) != null) {
                readySet.remove(k);
                serveKey(k);
            }
        } finally {
            draining = false;
        }
    }

    /** Serves the waiters of {@code k} in the order they came, while its value can serve them. */
    private void serveKey(WaitKey k) {
        ArrayDeque<Waiter> q = queues.get(k);
        if (q == null) {
            return;
        }
        int reserved = 0; // elements left for cross-shard moves that run themselves
        for (Iterator<Waiter> it = q.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            if (!w.isWaiting()) {
                it.remove();
                entries--;
                continue;
            }
            Object v = shard.keyspace(k.db()).get(k.key().bytes());
            if (v == null) {
                break;
            }
            if (!BlockingPops.isReady(w.spec, v) || (reserved > 0 && v instanceof ListValue l && l.size() <= reserved)) {
                continue; // another type's waiter, or every element is spoken for
            }
            int arg = argOf(w, k.key());
            if (shard.txs.anyActive() && shard.txs.blocks(w.spec, BlockingPops.narrowed(w.spec, w.command, arg))) {
                continue; // a transaction holds its destination: served by a later write
            }
            if (w.crossMove) {
                reserved++;
            }
            serve(w, arg);
            it.remove();
            entries--;
        }
        if (q.isEmpty()) {
            queues.remove(k);
        }
    }

    private static int argOf(Waiter w, Key k) {
        for (int a : w.keyArgs) {
            if (java.util.Arrays.equals(w.command.arg(a), k.bytes())) {
                return a;
            }
        }
        throw new IllegalStateException("waiter not on " + k);
    }

    /**
     * Claims the waiter and answers it from {@code keyArg}: runs the narrowed command through the
     * shard (so it is logged and seen by WATCH), or, for a cross-shard move, only tells the owner.
     * The owner is woken once the pop is durable. False if another claimed it first.
     */
    private boolean serve(Waiter w, int keyArg) {
        if (w.crossMove) {
            if (!w.claim(Waiter.MOVE_READY)) {
                return false;
            }
            w.wakeFrom(shard);
            return true;
        }
        if (!w.claim(Waiter.SERVED)) {
            return false;
        }
        Connection was = shard.executing;
        shard.executing = w.owner;
        long token;
        try {
            token = shard.execute(w.spec, BlockingPops.narrowed(w.spec, w.command, keyArg), w.reply, w.db);
        } finally {
            shard.executing = was;
        }
        if (token == 0 || !shard.log.whenDurable(token, durable -> answered(w, durable))) {
            answered(w, token == 0 || shard.log.awaitDurable(token));
        }
        return true;
    }

    private void answered(Waiter w, boolean durable) {
        if (!durable) {
            w.reply.clear();
            w.reply.error(shard.log.writeError());
        }
        w.wakeFrom(shard);
    }
}
