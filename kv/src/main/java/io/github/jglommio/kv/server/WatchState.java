package io.github.jglommio.kv.server;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What one connection's WATCH has seen so far: whether any watched key was changed, and the
 * earliest time at which a watched key that was live when watched expires (EXEC aborts from then
 * on, as in Redis 7.0, where an expired watched key counts as changed).
 *
 * <p>Threading: made by the connection; every shard that owns a watched key writes it from its own
 * executor (the flag only ever goes from false to true, the deadline only down), and the shard that
 * runs the EXEC reads it. The volatile flag and the atomic deadline make a change that a shard made
 * before it answered some client visible to any EXEC that starts after that answer.
 */
final class WatchState {
    private volatile boolean dirty;
    private final AtomicLong earliestExpiryMillis = new AtomicLong(Long.MAX_VALUE);

    /** A watched key was changed. */
    void touch() {
        dirty = true;
    }

    /** A watched key, live when watched, expires at {@code expireAtMillis}. */
    void expiresAt(long expireAtMillis) {
        earliestExpiryMillis.accumulateAndGet(expireAtMillis, Math::min);
    }

    /** @return whether EXEC must abort at {@code nowMillis}: a watched key changed or expired */
    boolean isDirty(long nowMillis) {
        return dirty || earliestExpiryMillis.get() <= nowMillis;
    }
}
