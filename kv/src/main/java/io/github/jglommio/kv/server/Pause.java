package io.github.jglommio.kv.server;

import io.github.jglommio.kv.command.CommandSpec;
import io.github.jglommio.timer.Timer;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * CLIENT PAUSE and UNPAUSE: until the pause ends, a client's command that the pause covers waits
 * before it runs (the commands before it in its pipeline are answered first), as in Redis: with
 * {@code ALL} every command, with {@code WRITE} the writes, the commands that may replicate (EVAL,
 * PUBLISH...) and an EXEC whose transaction writes. A second pause keeps the stricter mode and the
 * later end. A waiting client re-checks every {@value #POLL_MS} ms, so UNPAUSE frees it within that
 * time.
 *
 * <p>Threading: any thread; {@link #blocks} is one volatile read while nothing is paused.
 */
final class Pause {

    private static final long POLL_MS = 10;

    private volatile long untilMillis;
    private volatile boolean all;
    /** Clients waiting for the pause to end: Redis counts them in blocked_clients. */
    private final AtomicInteger waiting = new AtomicInteger();

    /** Pauses for {@code millis}: every command ({@code all}) or the writes only. */
    synchronized void pause(long millis, boolean everything) {
        long now = System.currentTimeMillis();
        long end = millis > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + millis;
        boolean active = untilMillis > now;
        all = everything || (active && all);
        untilMillis = active ? Math.max(untilMillis, end) : end;
    }

    /** Ends the pause. */
    synchronized void unpause() {
        untilMillis = 0;
        all = false;
    }

    /** Whether {@code spec}, sent by {@code conn}, must wait now. */
    boolean blocks(CommandSpec spec, Connection conn) {
        long until = untilMillis;
        if (until == 0 || System.currentTimeMillis() >= until) {
            return false;
        }
        if (all) {
            return true;
        }
        if (spec.isWrite() || spec.flags().contains("may_replicate")) {
            return true;
        }
        if (spec.name().equals("exec") && conn.tx.active) {
            for (CommandSpec queued : conn.tx.specs) {
                if (queued.isWrite()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Parks the connection's task until {@code spec} may run. */
    void await(CommandSpec spec, Connection conn) {
        conn.client.blocked = true;
        waiting.incrementAndGet();
        try {
            while (blocks(spec, conn)) {
                long left = untilMillis - System.currentTimeMillis();
                Timer.sleep(Duration.ofMillis(Math.max(1, Math.min(POLL_MS, left))));
            }
        } finally {
            conn.client.blocked = false;
            waiting.decrementAndGet();
        }
    }

    /** @return how many clients wait for the pause to end now (INFO's blocked_clients counts them) */
    int waiting() {
        return waiting.get();
    }
}
