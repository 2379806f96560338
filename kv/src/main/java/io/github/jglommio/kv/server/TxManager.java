package io.github.jglommio.kv.server;

import io.github.jglommio.kv.command.CommandSpec;
import io.github.jglommio.kv.command.Routing;
import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.store.Key;
import io.github.jglommio.sync.Semaphore;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * One shard's side of cross-shard transactions (see {@link CrossShard}): which transactions are
 * scheduled here, in what order, and which keys they hold. A very light lock manager in the
 * manner of VLL: each key has a queue of the transactions that want it; a transaction holds its
 * keys ("is active") once it heads the queue of every one of them here; the commands of other
 * clients run freely unless they touch a held key, and then wait until it is released.
 *
 * <p>Deadlock freedom: transactions get their ids from one global counter, and a shard schedules a
 * transaction only if its id is higher than every id it scheduled before ({@link #schedule}
 * refuses it otherwise, and the coordinator retries with a new id). So on every shard the queues
 * are in id order, the lowest pending id heads every queue it is in, and it always progresses.
 *
 * <p>A transaction on the whole keyspace (SWAPDB: see {@link DbCommands}) is scheduled with no
 * keys: it holds everything once every transaction scheduled before it here has finished, and
 * every transaction scheduled after it waits until it has; while it holds, every keyspace command
 * here waits, but those of the connection that owns it ({@link HeldRun}), and no blocked client
 * is served ({@link #onGlobalHold}). The id order makes it as deadlock-free as the others.
 *
 * <p>Threading: the shard's executor only; any of its tasks.
 */
final class TxManager {
    /** A scheduled transaction's entry here. */
    private static final class Entry {
        final long txid;
        /** Null for a whole-keyspace transaction. */
        final Key[] keys;
        final Runnable onActive;
        /** For a whole-keyspace transaction, the connection whose commands it lets through, or null. */
        final Object owner;
        boolean active;

        Entry(long txid, Key[] keys, Runnable onActive, Object owner) {
            this.txid = txid;
            this.keys = keys;
            this.onActive = onActive;
            this.owner = owner;
        }
    }

    private final Map<Key, ArrayDeque<Entry>> queues = new HashMap<>();
    private final java.util.TreeMap<Long, Entry> byTx = new java.util.TreeMap<>();
    /** The whole-keyspace transactions scheduled here, in id order. */
    private final ArrayDeque<Entry> globals = new ArrayDeque<>();
    private long maxScheduled;
    /** The lowest transaction released without all its parts durable (see {@link #horizon}). */
    private long undecidedFloor = Long.MAX_VALUE;
    private int active;
    /** Tasks parked in {@link #awaitRelease} and the semaphore they park on. */
    private int waiters;
    private final Semaphore released = new Semaphore(0);
    /** Other shards' batches stopped at a held key, resumed after a release. */
    private final List<ShardBatch> parked = new ArrayList<>();
    private Runnable resumeParked = () -> { };
    /** Run when a whole-keyspace transaction starts to hold, and when it lets go (the blocked clients wait meanwhile). */
    private Runnable globalHeld = () -> { };
    private Runnable globalReleased = () -> { };

    /** Sets what resumes the parked batches after a release (the shard's resumer task). */
    void onParkedReleased(Runnable resume) {
        this.resumeParked = resume;
    }

    /** Sets what runs when a whole-keyspace transaction starts to hold here, and when it lets go. */
    void onGlobalHold(Runnable held, Runnable released) {
        this.globalHeld = held;
        this.globalReleased = released;
    }

    /** @return whether any transaction holds keys here: the one check ordinary commands pay */
    boolean anyActive() {
        return active > 0;
    }

    /**
     * Schedules transaction {@code txid} on {@code keys}; {@code onActive} runs once it holds them
     * all (at once, inside this call, if nothing earlier wants them). False, scheduling nothing,
     * if a transaction with a higher id was scheduled here before.
     */
    boolean schedule(long txid, byte[][] keys, Runnable onActive) {
        return schedule(txid, keys, null, onActive);
    }

    /**
     * As {@link #schedule(long, byte[][], Runnable)}; with {@code keys} null, a whole-keyspace
     * transaction that lets the commands of {@code owner} (a connection, or null) through while it
     * holds: an EXEC holding a SWAPDB runs its block under it (see {@link DbCommands}).
     */
    boolean schedule(long txid, byte[][] keys, Object owner, Runnable onActive) {
        if (txid <= maxScheduled) {
            return false;
        }
        maxScheduled = txid;
        if (keys == null) {
            Entry g = new Entry(txid, null, onActive, owner);
            byTx.put(txid, g);
            globals.addLast(g);
            activateIfHead(g);
            return true;
        }
        LinkedHashSet<Key> distinct = new LinkedHashSet<>();
        for (byte[] k : keys) {
            distinct.add(new Key(k));
        }
        Entry e = new Entry(txid, distinct.toArray(new Key[0]), onActive, null);
        byTx.put(txid, e);
        for (Key k : e.keys) {
            queues.computeIfAbsent(k, x -> new ArrayDeque<>(2)).addLast(e);
        }
        activateIfHead(e);
        return true;
    }

    /**
     * The log's transaction horizon (see {@code AppendOnlyLogBuilder.withTransactions}): every
     * transaction up to it that was scheduled here has finished here. A transaction with parts on
     * several shards finishes only once every part is durable, so every part at or below it that
     * this shard logged is durable on every shard; {@link #undecided} keeps it below the ones
     * released without that.
     */
    long horizon() {
        long h = byTx.isEmpty() ? maxScheduled : byTx.firstKey() - 1;
        return Math.min(h, undecidedFloor - 1);
    }

    /** Transaction {@code txid} is released without every part durable: the horizon stays below it. */
    void undecided(long txid) {
        undecidedFloor = Math.min(undecidedFloor, txid);
    }

    /** Ends transaction {@code txid} here (done or given up): its keys go to the next in line. */
    void finish(long txid) {
        Entry e = byTx.remove(txid);
        if (e == null) {
            return;
        }
        boolean globalEnds = e.active && e.keys == null;
        if (e.active) {
            active--;
        }
        List<Entry> next = new ArrayList<>();
        if (e.keys == null) {
            globals.remove(e);
            next.addAll(byTx.values()); // whatever waited behind it may go now
        } else if (!globals.isEmpty()) {
            next.add(globals.peekFirst()); // it may have been the last one before a global
        }
        for (Key k : e.keys == null ? new Key[0] : e.keys) {
            ArrayDeque<Entry> q = queues.get(k);
            q.remove(e);
            if (q.isEmpty()) {
                queues.remove(k);
            } else {
                next.add(q.peekFirst());
            }
        }
        for (Entry n : next) {
            activateIfHead(n);
        }
        if (waiters > 0) {
            int n = waiters;
            waiters = 0;
            released.signal(n);
        }
        if (!parked.isEmpty()) {
            resumeParked.run();
        }
        if (globalEnds) {
            globalReleased.run();
        }
    }

    private void activateIfHead(Entry e) {
        if (e.active || !byTx.containsKey(e.txid)) {
            return;
        }
        if (e.keys == null) {
            if (byTx.firstKey() != e.txid) {
                return; // an earlier transaction still runs here
            }
        } else if (!globals.isEmpty() && globals.peekFirst().txid < e.txid) {
            return; // behind a whole-keyspace transaction
        }
        for (Key k : e.keys == null ? new Key[0] : e.keys) {
            if (queues.get(k).peekFirst() != e) {
                return;
            }
        }
        e.active = true;
        active++;
        if (e.keys == null) {
            globalHeld.run();
        }
        e.onActive.run();
    }

    /**
     * Whether command {@code c} must wait: it touches a key an active transaction holds, or it
     * works on the whole keyspace (KEYS, SCAN, DBSIZE, FLUSHALL...) while any transaction holds keys.
     */
    boolean blocks(CommandSpec spec, Command c) {
        return blocks(spec, c, null);
    }

    /**
     * As {@link #blocks(CommandSpec, Command)}, for a command of connection {@code from}, which a
     * whole-keyspace transaction it owns lets through.
     */
    boolean blocks(CommandSpec spec, Command c, Object from) {
        if (active == 0 || spec == null) {
            return false;
        }
        if (spec.routing() == Routing.SERVER) {
            return false;
        }
        if (!globals.isEmpty() && globals.peekFirst().active) {
            Object owner = globals.peekFirst().owner;
            return owner == null || owner != from; // nothing else holds keys meanwhile
        }
        if (spec.routing().isWholeKeyspace()) {
            return true;
        }
        int[] keys = spec.keyIndexes(c);
        if (keys == null) {
            return false;
        }
        for (int k : keys) {
            ArrayDeque<Entry> q = queues.get(new Key(c.arg(k)));
            if (q != null && q.peekFirst().active) {
                return true;
            }
        }
        return false;
    }

    /** Parks the calling task until the next release here (then it checks again). */
    void awaitRelease() {
        waiters++;
        released.acquire(1);
    }

    /** Keeps another shard's batch that stopped at a held key until a release. */
    void park(ShardBatch b) {
        parked.add(b);
    }

    /** Takes every parked batch, to resume them. */
    List<ShardBatch> takeParked() {
        List<ShardBatch> l = new ArrayList<>(parked);
        parked.clear();
        return l;
    }
}
