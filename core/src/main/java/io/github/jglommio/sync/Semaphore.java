package io.github.jglommio.sync;

import io.github.jglommio.reactor.WaitList;

import io.github.jglommio.reactor.Reactor;

/**
 * A counting semaphore for the tasks of one executor: Glommio's {@code sync::Semaphore}. No
 * helper threads, no atomics: waiting parks only the calling task.
 *
 * {@snippet :
 * Semaphore inflight = new Semaphore(64);              // at most 64 concurrent requests
 * for (Request r : requests) {
 *     Semaphore.Permit p = inflight.acquirePermit(1);  // parks while 64 are in flight
 *     Task.local(() -> {
 *         try (p) {
 *             return handle(r);
 *         }                                            // the permit goes back here
 *     }).detach();
 * }
 * }
 *
 * <p>Fairness: strictly first come, first served. A request that cannot be met at once waits
 * behind every request already waiting, and a large request at the head of the queue holds back
 * smaller ones behind it until enough permits are available for it; so a large request is never
 * starved by a stream of small ones. ({@link #tryAcquire} likewise fails while anyone waits, as in
 * Glommio; Glommio's wake-up loop, though, skips a head request that does not fit and wakes
 * smaller ones behind it.)
 *
 * <p>Cancellation: a task cancelled while parked in {@link #acquire} leaves the queue and gets
 * {@link java.util.concurrent.CancellationException}, with its interrupt flag still set; if the
 * permits had already been handed to it, it gives them back. Waiters behind it move up.
 *
 * <p>Closing: {@link #close} fails every current and later acquisition with {@link ClosedException},
 * including tasks that were handed permits but have not run yet. {@link #signal} and
 * {@link Permit#close()} still work after close, so permits held at that moment can be returned.
 *
 * <p>Threading: a semaphore belongs to the executor of the task that created it; every method
 * throws {@link WrongThreadException} when called from anywhere else.
 */
public final class Semaphore {

    /* Implementation overview
     *
     * A FIFO of waiters (WaitList). Permits are handed over, not competed for: whoever makes
     * permits available (signal, Permit.close, a cancelled waiter) grants them to the head waiters
     * in order while the head's request fits, subtracting them from `available` before the waiter
     * runs. Newcomers take the fast path only when nobody waits, so a granted waiter can never be
     * overtaken and never has to re-queue.
     */

    private final Reactor owner;
    private final WaitList waiters = new WaitList();
    private long available;
    private boolean closed;

    /**
     * Creates a semaphore with {@code permits} available, bound to the calling task's executor.
     *
     * {@snippet :
     * Semaphore mutex = new Semaphore(1);
     * }
     *
     * @throws IllegalArgumentException when {@code permits} is negative
     * @throws IllegalStateException    outside a jglommio task
     */
    public Semaphore(long permits) {
        Owner.checkNotNegative(permits, "permits");
        this.owner = Owner.bind("new Semaphore(...)");
        this.available = permits;
    }

    /**
     * Takes {@code permits} permits, parking the calling task until they are available and every
     * earlier waiter has been served. Acquiring 0 permits returns at once unless someone waits.
     * The caller must give them back with {@link #signal}; {@link #acquirePermit} does that for you.
     *
     * {@snippet :
     * sem.acquire(2);
     * try {
     *     work();
     * } finally {
     *     sem.signal(2);
     * }
     * }
     *
     * @throws IllegalArgumentException when {@code permits} is negative
     * @throws ClosedException          when the semaphore is or gets closed
     * @throws java.util.concurrent.CancellationException when the task is cancelled while parked
     * @throws WrongThreadException     outside the semaphore's executor
     */
    public void acquire(long permits) {
        Owner.checkNotNegative(permits, "permits");
        Owner.check(owner, "Semaphore.acquire");
        if (closed) {
            throw closedException("acquire", permits);
        }
        if (waiters.isEmpty() && available >= permits) {
            available -= permits;
            return;
        }
        WaitList.Node w = waiters.add(permits, false);
        int state = waiters.await(w, this);
        if (state == WaitList.WAITING) {
            grant(); // a large request leaving the head may let smaller ones behind it through
            throw Owner.cancelled("Semaphore.acquire");
        }
        if (state == WaitList.CLOSED) {
            throw closedException("acquire", permits);
        }
        // Granted: the permits are ours, unless we were cancelled or closed before we could run.
        if (Thread.currentThread().isInterrupted() || closed) {
            release(permits);
            throw closed ? closedException("acquire", permits) : Owner.cancelled("Semaphore.acquire");
        }
    }

    /**
     * {@link #acquire}s {@code permits} permits and returns them as a {@link Permit} that gives them
     * back when closed: the safe way to hold permits across code that may throw. Glommio's
     * {@code acquire_permit} (and {@code acquire_static_permit}: a Java permit may outlive any scope).
     *
     * {@snippet :
     * try (Semaphore.Permit p = sem.acquirePermit(1)) {
     *     work();
     * }
     * }
     *
     * @throws IllegalArgumentException when {@code permits} is negative
     * @throws ClosedException          when the semaphore is or gets closed
     * @throws java.util.concurrent.CancellationException when the task is cancelled while parked
     * @throws WrongThreadException     outside the semaphore's executor
     */
    public Permit acquirePermit(long permits) {
        acquire(permits);
        return new Permit(this, permits);
    }

    /**
     * Takes {@code permits} permits if they are available now and nobody is waiting; never parks.
     * The caller must give them back with {@link #signal}.
     *
     * {@snippet :
     * if (sem.tryAcquire(1)) {
     *     try {
     *         work();
     *     } finally {
     *         sem.signal(1);
     *     }
     * } else {
     *     shed();                                          // back-pressure: a return value
     * }
     * }
     *
     * @return whether the permits were taken
     * @throws IllegalArgumentException when {@code permits} is negative
     * @throws ClosedException          when the semaphore is closed
     * @throws WrongThreadException     outside the semaphore's executor
     */
    public boolean tryAcquire(long permits) {
        Owner.checkNotNegative(permits, "permits");
        Owner.check(owner, "Semaphore.tryAcquire");
        if (closed) {
            throw closedException("tryAcquire", permits);
        }
        if (waiters.isEmpty() && available >= permits) {
            available -= permits;
            return true;
        }
        return false;
    }

    /**
     * {@link #tryAcquire}, returning the permits as a {@link Permit}, or {@code null} when they are
     * not available now (try-with-resources accepts a {@code null} resource).
     *
     * {@snippet :
     * try (Semaphore.Permit p = sem.tryAcquirePermit(1)) {
     *     if (p == null) {
     *         return Response.busy();
     *     }
     *     return work();
     * }
     * }
     *
     * @throws IllegalArgumentException when {@code permits} is negative
     * @throws ClosedException          when the semaphore is closed
     * @throws WrongThreadException     outside the semaphore's executor
     */
    public Permit tryAcquirePermit(long permits) {
        return tryAcquire(permits) ? new Permit(this, permits) : null;
    }

    /**
     * Adds {@code permits} permits and wakes the waiters they satisfy, in arrival order. The count
     * may grow beyond the initial one. Pair it with {@link #acquire}; permits taken as a
     * {@link Permit} are returned by {@link Permit#close()} instead. Allowed after {@link #close}.
     *
     * {@snippet :
     * Semaphore ready = new Semaphore(0);
     * Task<Void> worker = Task.local(() -> ready.acquire(1));   // parks
     * ready.signal(1);                                         // wakes it
     * }
     *
     * @throws IllegalArgumentException when {@code permits} is negative or the count would overflow
     * @throws WrongThreadException     outside the semaphore's executor
     */
    public void signal(long permits) {
        Owner.checkNotNegative(permits, "permits");
        Owner.check(owner, "Semaphore.signal");
        if (permits > Long.MAX_VALUE - available) {
            throw new IllegalArgumentException("signal(" + permits + ") would overflow the " + available
                    + " permits available");
        }
        release(permits);
    }

    private void release(long permits) {
        // Saturates: only reachable if signal() pushed the count to the brink while these were out.
        available = permits > Long.MAX_VALUE - available ? Long.MAX_VALUE : available + permits;
        grant();
    }

    /** Hands permits to the head waiters while the head's request fits. */
    private void grant() {
        if (closed) {
            return;
        }
        WaitList.Node head;
        while ((head = waiters.peek()) != null && head.units <= available) {
            available -= head.units;
            waiters.grant(head);
        }
    }

    /**
     * The permits available now. Waiters may be parked even when this is positive: the head's
     * request is larger.
     *
     * @throws WrongThreadException outside the semaphore's executor
     */
    public long available() {
        Owner.check(owner, "Semaphore.available");
        return available;
    }

    /**
     * The number of tasks parked in {@link #acquire} (not counting those already handed their
     * permits).
     *
     * @throws WrongThreadException outside the semaphore's executor
     */
    public int waiters() {
        Owner.check(owner, "Semaphore.waiters");
        return waiters.size();
    }

    /**
     * Closes the semaphore: every parked task and every later {@link #acquire}, {@link #tryAcquire}
     * and their permit variants throw {@link ClosedException}. Idempotent.
     *
     * {@snippet :
     * sem.close();                                         // shutdown: release every waiter
     * }
     *
     * @throws WrongThreadException outside the semaphore's executor
     */
    public void close() {
        Owner.check(owner, "Semaphore.close");
        closed = true;
        waiters.closeAll();
    }

    /**
     * Whether {@link #close} was called.
     *
     * @throws WrongThreadException outside the semaphore's executor
     */
    public boolean isClosed() {
        Owner.check(owner, "Semaphore.isClosed");
        return closed;
    }

    private ClosedException closedException(String op, long permits) {
        return new ClosedException("Semaphore." + op + "(" + permits + "): the semaphore is closed");
    }

    /** A racy summary, for logs and debuggers; any thread. */
    @Override
    public String toString() {
        return "Semaphore[available=" + available + ", waiters=" + waiters.size() + (closed ? ", closed]" : "]");
    }

    /**
     * Permits taken from a {@link Semaphore}, given back by {@link #close()}: Glommio's
     * {@code Permit}/{@code StaticPermit}. May be handed to another task of the same executor.
     *
     * {@snippet :
     * try (Semaphore.Permit p = sem.acquirePermit(4)) {
     *     assert p.permits() == 4;
     * }
     * }
     */
    public static final class Permit implements AutoCloseable {

        private final Semaphore semaphore;
        private final long permits;
        private boolean released;

        private Permit(Semaphore semaphore, long permits) {
            this.semaphore = semaphore;
            this.permits = permits;
        }

        /** The number of permits this holds. Any thread. */
        public long permits() {
            return permits;
        }

        /**
         * Gives the permits back to the semaphore (waking the waiters they satisfy). Idempotent:
         * only the first call returns them.
         *
         * @throws WrongThreadException outside the semaphore's executor
         */
        @Override
        public void close() {
            Owner.check(semaphore.owner, "Semaphore.Permit.close");
            if (released) {
                return;
            }
            released = true;
            semaphore.release(permits);
        }

        /** A racy summary, for logs and debuggers; any thread. */
        @Override
        public String toString() {
            return "Permit[" + permits + (released ? ", released]" : "]");
        }
    }
}
