package io.github.jglommio.kv.server;

import io.github.jglommio.Task;
import io.github.jglommio.kv.command.BlockingPops;
import io.github.jglommio.kv.command.CommandSpec;
import io.github.jglommio.kv.command.CommandTable;
import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.timer.TimerActionOnce;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * A blocking pop outside MULTI (BLPOP, BZPOPMIN, BLMOVE...), run by the connection that received
 * it, after everything before it was answered; nothing after it runs until it is answered, as in
 * Redis.
 *
 * <ol>
 * <li><b>Probe.</b> Every shard that owns one of its keys looks at them and registers a
 *     {@link Waiter} in its {@link WaitQueues}, all at once; a shard that sees the first existing
 *     key in argument order (every key before it its own and empty) serves it there. Otherwise
 *     each answers its first existing key, and the owner asks the shard of the lowest one to serve
 *     from it (again, until one serves or none has anything): so the reply comes from the first
 *     non-empty key, as the non-blocking command's would.</li>
 * <li><b>Wait.</b> Registered everywhere, the owner parks until a shard serves it after a write
 *     (the first shard to claim the waiter wins; the others drop it), the timeout, CLIENT UNBLOCK
 *     or the client's disconnect, each of which claims it the same way.</li>
 * </ol>
 *
 * A move whose destination is on another shard than its source runs as a cross-shard LMOVE
 * ({@link CrossShard}); its waiter is only told that the source got an element, and the owner runs
 * the move then, and waits again if another client took the element first.
 *
 * <p>Known difference: a waiter is registered before the owner knows whether some key already
 * had a value, so a write in that short window may serve it from a later key.
 *
 * <p>Threading: the connection's task; it parks while the shards answer and while it waits.
 */
final class BlockingCall {
    private static final String UNBLOCKED = "UNBLOCKED client unblocked via CLIENT UNBLOCK";
    private static final CommandSpec LMOVE = CommandTable.lookup("lmove");
    private static final byte[] NULL_BULK = "$-1\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private BlockingCall() {
    }

    /** Runs blocking pop {@code c} for {@code conn}; appends exactly one reply to {@code out}. */
    static void run(Connection conn, CommandSpec spec, Command c, RespWriter out) {
        long timeoutMs = BlockingPops.timeoutMillis(spec, c);
        if (timeoutMs < 0) {
            conn.shard.execute(spec, c, out); // the handler answers the error, counted as any other
            return;
        }
        long deadlineNs = timeoutMs == 0 ? 0 : System.nanoTime() + timeoutMs * 1_000_000L;
        int n = conn.shard.shards;
        boolean crossMove = BlockingPops.isMove(spec)
            && KeyHash.shardOf(c.arg(1), n) != KeyHash.shardOf(c.arg(2), n);
        int[] keys = Waiter.waitedKeys(spec, c);
        while (true) {
            if (crossMove) {
                RespWriter moved = new RespWriter(64);
                conn.runCrossShard(LMOVE, BlockingPops.asMove(c), moved);
                if (!isNullBulk(moved)) {
                    out.raw(moved.array(), 0, moved.size());
                    return;
                }
            }
            Waiter w = new Waiter(conn, spec, c, keys, crossMove);
            probe(conn, w);
            int outcome = await(conn, w, deadlineNs);
            switch (outcome) {
                case Waiter.SERVED -> {
                    out.raw(w.reply.array(), 0, w.reply.size());
                    return;
                }
                case Waiter.MOVE_READY -> {
                    // the source has an element: move it (or wait again if it went to someone else)
                }
                case Waiter.UNBLOCKED -> {
                    out.error(UNBLOCKED);
                    return;
                }
                case Waiter.CLOSED -> {
                    conn.quit = true; // the client left: nothing more to read
                    BlockingPops.nullReply(spec, out);
                    return;
                }
                default -> {
                    BlockingPops.nullReply(spec, out);
                    return;
                }
            }
        }
    }

    private static boolean isNullBulk(RespWriter r) {
        return java.util.Arrays.equals(r.array(), 0, r.size(), NULL_BULK, 0, NULL_BULK.length);
    }

    /** Step 1: probes every shard with keys at once, then asks the one with the first existing key to serve. */
    private static void probe(Connection conn, Waiter w) {
        Shard shard = conn.shard;
        int n = shard.shards;
        int[] report = new int[n];
        boolean[] involved = new boolean[n];
        for (int s : w.keyShards) {
            involved[s] = true;
        }
        List<CompletableFuture<Integer>> futures = new ArrayList<>();
        int[] futureShard = new int[n];
        for (int s = 0; s < n; s++) {
            report[s] = -1;
            if (involved[s] && s != shard.id) {
                futureShard[futures.size()] = s;
                futures.add(shard.server.onShard(s, sh -> sh.waits.probe(w)));
            }
        }
        if (involved[shard.id]) {
            report[shard.id] = shard.waits.probe(w);
        }
        for (int f = 0; f < futures.size(); f++) {
            report[futureShard[f]] = futures.get(f).join();
        }
        while (w.isWaiting()) {
            int first = -1;
            for (int s = 0; s < n; s++) {
                if (report[s] > 0 && (first < 0 || report[s] < report[first])) {
                    first = s;
                }
            }
            if (first < 0) {
                return;
            }
            int keyArg = report[first];
            report[first] = first == shard.id ? shard.waits.serveFrom(w, keyArg)
                : shard.server.onShard(first, sh -> sh.waits.serveFrom(w, keyArg)).join();
        }
    }

    /**
     * Step 2: parks until the waiter is claimed, with the timeout and a watch on the socket
     * armed while it waits; returns how it ended.
     */
    private static int await(Connection conn, Waiter w, long deadlineNs) {
        if (!w.isWaiting()) {
            w.awaitWake(); // claimed during the probe: the claimer wakes it, once its pop is durable
            return w.state();
        }
        boolean timed = deadlineNs != 0;
        BlockedClients blocked = conn.shard.server.blocked;
        blocked.add(w, timed);
        conn.client.blocked = true;
        TimerActionOnce<Void> timer = null;
        Task<Void> watch = null;
        try {
            if (timed) {
                timer = TimerActionOnce.doIn(Duration.ofNanos(Math.max(0, deadlineNs - System.nanoTime())), () -> {
                    if (w.claim(Waiter.TIMED_OUT)) {
                        w.wake();
                    }
                });
            }
            watch = Task.local(() -> watchSocket(conn, w));
            w.awaitWake();
            return w.state();
        } finally {
            if (w.claim(Waiter.CLOSED)) {
                w.wake(); // the task is being cancelled (shutdown): no shard may pop for it now
            }
            if (timer != null) {
                timer.cancel();
            }
            if (watch != null) {
                watch.cancel();
                watch.detach();
            }
            conn.client.blocked = false;
            blocked.remove(w, timed);
        }
    }

    /**
     * Watches the socket while the client waits: a disconnect claims the waiter, so that no shard
     * pops an element for a client that is gone. Bytes the client sends meanwhile stay in the socket,
     * read once it is answered (the watch then ends).
     */
    private static void watchSocket(Connection conn, Waiter w) {
        byte[] one = new byte[1];
        try {
            if (conn.stream.peek(one, 0, 1) >= 0) {
                return;
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof CancellationException) {
                return; // the wait ended
            }
        }
        if (w.claim(Waiter.CLOSED)) {
            w.wake();
        }
    }
}
