package io.github.jglommio.kv.server;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The clients blocked in a blocking pop, server-wide: for INFO clients ({@code blocked_clients},
 * {@code clients_in_timeout_table}) and CLIENT UNBLOCK, which may run on any shard.
 *
 * <p>Threading: any thread (a concurrent map and atomic counters).
 */
final class BlockedClients {
    private final ConcurrentHashMap<Long, Waiter> byClient = new ConcurrentHashMap<>();
    private final AtomicInteger withTimeout = new AtomicInteger();

    /** Client {@code w.owner} blocks; {@code timed}: with a timeout. */
    void add(Waiter w, boolean timed) {
        byClient.put(w.owner.id, w);
        if (timed) {
            withTimeout.incrementAndGet();
        }
    }

    /** The client of {@code w} no longer blocks. */
    void remove(Waiter w, boolean timed) {
        byClient.remove(w.owner.id, w);
        if (timed) {
            withTimeout.decrementAndGet();
        }
    }

    /** @return how many clients are blocked */
    int count() {
        return byClient.size();
    }

    /** @return how many blocked clients have a timeout */
    int timed() {
        return withTimeout.get();
    }

    /**
     * CLIENT UNBLOCK: ends client {@code id}'s wait with the timeout's reply, or with the UNBLOCKED
     * error; {@code here} is the caller's shard. Returns whether the client was blocked (and is no more).
     */
    boolean unblock(long id, boolean error, Shard here) {
        Waiter w = byClient.get(id);
        if (w == null || !w.claim(error ? Waiter.UNBLOCKED : Waiter.TIMED_OUT)) {
            return false;
        }
        w.wakeFrom(here);
        return true;
    }
}
