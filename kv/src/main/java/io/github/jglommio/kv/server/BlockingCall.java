package io.github.jglommio.kv.server;

import io.github.jglommio.Task;
import io.github.jglommio.kv.command.BlockingPops;
import io.github.jglommio.kv.command.CommandSpec;
import io.github.jglommio.kv.command.CommandTable;
import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.sync.Semaphore;
import io.github.jglommio.timer.TimerActionOnce;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Function;

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
            conn.shard.execute(spec, c, out, conn.db); // the handler answers the error, counted as any other
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
        Semaphore answered = new Semaphore(0);
        int asked = 0;
        for (int s = 0; s < n; s++) {
            report[s] = -1;
            if (involved[s] && s != shard.id) {
                ask(shard, s, answered, report, sh -> sh.waits.probe(w));
                asked++;
            }
        }
        if (involved[shard.id]) {
            report[shard.id] = shard.waits.probe(w);
        }
        answered.acquire(asked);
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
            if (first == shard.id) {
                report[first] = shard.waits.serveFrom(w, keyArg);
            } else {
                ask(shard, first, answered, report, sh -> sh.waits.serveFrom(w, keyArg));
                answered.acquire(1);
            }
        }
    }

    /**
     * Runs {@code work} on shard {@code s} and stores its answer in {@code report[s]} back on this
     * shard, then signals {@code answered}. The connection parks on the semaphore, never on a
     * future: a join would hold this executor while the other shard may be waiting for it.
     */
    private static void ask(Shard here, int s, Semaphore answered, int[] report, Function<Shard, Integer> work) {
        here.server.onShard(s, sh -> {
            int r = work.apply(sh);
            here.server.onShard(here.id, back -> {
                report[s] = r; // on the connection's executor, before the signal it waits for
                answered.signal(1);
                return null;
            });
            return null;
        });
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
        conn.blockedOn = w;
        try {
            if (timed) {
                timer = TimerActionOnce.doIn(Duration.ofNanos(Math.max(0, deadlineNs - System.nanoTime())), () -> {
                    if (w.claim(Waiter.TIMED_OUT)) {
                        w.wake();
                    }
                });
            }
            if (!conn.watchingSocket) {
                conn.watchingSocket = true;
                Task.local(() -> watchSocket(conn)).detach();
            }
            w.awaitWake();
            return w.state();
        } finally {
            if (w.claim(Waiter.CLOSED)) {
                w.wake(); // the task is being cancelled (shutdown): no shard may pop for it now
            }
            if (timer != null) {
                timer.cancel();
            }
            conn.blockedOn = null;
            conn.client.blocked = false;
            blocked.remove(w, timed);
        }
    }

    /**
     * Watches the socket while the client waits: a disconnect claims the waiter it waits in then,
     * so that no shard pops an element for a client that is gone. It peeks, so bytes the client
     * sends meanwhile stay for the connection, and the watch ends when they come; it is never
     * cancelled (a read cancelled while parked loses the next wake-up of the connection's own
     * read), so a watch left from an earlier wait serves the next one.
     */
    private static void watchSocket(Connection conn) {
        byte[] one = new byte[1];
        int n;
        try {
            n = conn.stream.peek(one, 0, 1);
        } catch (IOException | RuntimeException e) {
            n = -1; // reset or closed: gone as well
        } finally {
            conn.watchingSocket = false;
        }
        Waiter w = conn.blockedOn;
        if (n < 0 && w != null && w.claim(Waiter.CLOSED)) {
            w.wake();
        }
    }
}
