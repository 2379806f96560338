package io.github.jglommio.sync;

import io.github.jglommio.reactor.WaitList;

import io.github.jglommio.reactor.Reactor;

/**
 * A reader-writer lock holding a value, for the tasks of one executor: Glommio's
 * {@code sync::RwLock}. Any number of readers, or one writer; waiting parks only the calling task.
 *
 * {@snippet :
 * RwLock<Map<String, String>> config = new RwLock<>(new HashMap<>());
 * try (RwLock.ReadGuard<Map<String, String>> r = config.read()) {
 *     String port = r.get().get("port");                   // many readers at once
 * }
 * try (RwLock.WriteGuard<Map<String, String>> w = config.write()) {
 *     w.set(Map.of("port", "8080"));                      // one writer, no readers
 * }
 * }
 *
 * <p>Why a lock on one thread: a task that parks (I/O, a timer) while in a critical section lets
 * other tasks of the executor run, so a multi-step update that spans a park needs a lock exactly as
 * with threads. Code that does not park between the steps needs none.
 *
 * <p>Fairness: strictly first come, first served, as Glommio documents. A waiting writer holds back
 * every reader that arrives after it, even while readers hold the lock, so writers are never
 * starved; when the writer is done, the readers queued behind it enter together. (Glommio's read
 * fast path lets a new reader in past a queued writer; this lock does not.) The lock is not
 * reentrant: a task that holds it and asks again waits for itself.
 *
 * <p>Cancellation: a task cancelled while parked in {@link #read} or {@link #write} leaves the
 * queue and gets {@link java.util.concurrent.CancellationException} (its interrupt flag stays set);
 * if the lock had already been handed to it, it releases it.
 *
 * <p>Closing: {@link #close} fails every parked and later {@link #read}/{@link #write} with
 * {@link ClosedException}. Guards held at that moment stay valid until they are closed. (Glommio
 * refuses to close a held lock; here close is the way to release the waiters queued behind a holder.)
 *
 * <p>Threading: a lock belongs to the executor of the task that created it; every method of the lock
 * and of its guards throws {@link WrongThreadException} when called from anywhere else. A guard may be
 * passed to, and closed by, another task of that executor.
 *
 * @param <T> the type of the protected value
 */
public final class RwLock<T> {

    /* Implementation overview
     *
     * `readers` counts read holders, `writing` marks the write holder. Waiters queue in one FIFO
     * (WaitList) and are granted the lock in order by whoever releases it: a run of readers at the
     * head enters together; a writer at the head enters alone once nobody holds the lock and stops
     * the scan. Newcomers take the fast path only when the queue is empty, which is what makes a
     * queued writer block later readers.
     */

    private final Reactor owner;
    private final WaitList waiters = new WaitList();
    private T value;
    private int readers;
    private boolean writing;
    private boolean closed;

    /**
     * Creates a lock holding {@code value} ({@code null} allowed), bound to the calling task's executor.
     *
     * @throws IllegalStateException outside a jglommio task
     */
    public RwLock(T value) {
        this.owner = Owner.bind("new RwLock(...)");
        this.value = value;
    }

    /**
     * Takes the lock for reading, parking while a writer holds it or anyone waits ahead.
     *
     * {@snippet :
     * try (var r = lock.read()) {
     *     use(r.get());
     * }
     * }
     *
     * @throws ClosedException      when the lock is or gets closed
     * @throws java.util.concurrent.CancellationException when the task is cancelled while parked
     * @throws WrongThreadException outside the lock's executor
     */
    public ReadGuard<T> read() {
        Owner.check(owner, "RwLock.read");
        checkOpen("read");
        if (!writing && waiters.isEmpty()) {
            readers++;
            return new ReadGuard<>(this);
        }
        await(waiters.add(0, false), "read");
        return new ReadGuard<>(this);
    }

    /**
     * Takes the lock for writing, parking while anyone holds it or waits ahead.
     *
     * {@snippet :
     * try (var w = counter.write()) {
     *     w.set(w.get() + 1);
     * }
     * }
     *
     * @throws ClosedException      when the lock is or gets closed
     * @throws java.util.concurrent.CancellationException when the task is cancelled while parked
     * @throws WrongThreadException outside the lock's executor
     */
    public WriteGuard<T> write() {
        Owner.check(owner, "RwLock.write");
        checkOpen("write");
        if (!writing && readers == 0 && waiters.isEmpty()) {
            writing = true;
            return new WriteGuard<>(this);
        }
        await(waiters.add(0, true), "write");
        return new WriteGuard<>(this);
    }

    /**
     * Takes the lock for reading if that is possible without waiting; never parks.
     *
     * {@snippet :
     * try (var r = lock.tryRead()) {
     *     return r == null ? cached : r.get();
     * }
     * }
     *
     * @return the guard, or {@code null} when a writer holds the lock or anyone waits
     * @throws ClosedException      when the lock is closed
     * @throws WrongThreadException outside the lock's executor
     */
    public ReadGuard<T> tryRead() {
        Owner.check(owner, "RwLock.tryRead");
        checkOpen("tryRead");
        if (!writing && waiters.isEmpty()) {
            readers++;
            return new ReadGuard<>(this);
        }
        return null;
    }

    /**
     * Takes the lock for writing if nobody holds it or waits; never parks.
     *
     * {@snippet :
     * try (var w = lock.tryWrite()) {
     *     if (w != null) {
     *         w.set(next);
     *     }
     * }
     * }
     *
     * @return the guard, or {@code null} when the lock is held or anyone waits
     * @throws ClosedException      when the lock is closed
     * @throws WrongThreadException outside the lock's executor
     */
    public WriteGuard<T> tryWrite() {
        Owner.check(owner, "RwLock.tryWrite");
        checkOpen("tryWrite");
        if (!writing && readers == 0 && waiters.isEmpty()) {
            writing = true;
            return new WriteGuard<>(this);
        }
        return null;
    }

    /**
     * Closes the lock: tasks parked in {@link #read}/{@link #write} and every later call to them
     * (and to {@link #tryRead}, {@link #tryWrite}, {@link #intoInner}) throw {@link ClosedException}.
     * Guards already held stay usable until closed. Idempotent.
     *
     * @throws WrongThreadException outside the lock's executor
     */
    public void close() {
        Owner.check(owner, "RwLock.close");
        closed = true;
        waiters.closeAll();
    }

    /**
     * Whether {@link #close} (or {@link #intoInner}) was called.
     *
     * @throws WrongThreadException outside the lock's executor
     */
    public boolean isClosed() {
        Owner.check(owner, "RwLock.isClosed");
        return closed;
    }

    /**
     * Closes the lock and returns the value it held: Glommio's {@code into_inner}.
     *
     * {@snippet :
     * RwLock<StringBuilder> lock = new RwLock<>(new StringBuilder());
     * try (var w = lock.write()) {
     *     w.get().append("modified");
     * }
     * StringBuilder sb = lock.intoInner();                    // the lock is closed now
     * }
     *
     * @throws IllegalStateException when a guard is still open (the lock is held)
     * @throws ClosedException       when the lock is already closed
     * @throws WrongThreadException  outside the lock's executor
     */
    public T intoInner() {
        Owner.check(owner, "RwLock.intoInner");
        checkOpen("intoInner");
        if (writing || readers > 0) {
            throw new IllegalStateException("RwLock.intoInner: the lock is still held ("
                    + (writing ? "by a writer" : "by " + readers + " reader(s)") + ")");
        }
        closed = true;
        T v = value;
        value = null;
        return v;
    }

    /** A racy summary, for logs and debuggers; any thread. */
    @Override
    public String toString() {
        return "RwLock[readers=" + readers + ", writing=" + writing + ", waiters=" + waiters.size()
                + (closed ? ", closed]" : "]");
    }

    // ---------------------------------------------------------------- internals

    private void checkOpen(String op) {
        if (closed) {
            throw new ClosedException("RwLock." + op + ": the lock is closed");
        }
    }

    /** Parks until {@code w} is granted the lock; on failure, leaves nothing held. */
    private void await(WaitList.Node w, String op) {
        int state = waiters.await(w, this);
        if (state == WaitList.WAITING) {
            grant(); // a writer leaving the head may let the readers behind it in
            throw Owner.cancelled("RwLock." + op);
        }
        if (state == WaitList.CLOSED) {
            throw new ClosedException("RwLock." + op + ": the lock was closed while waiting");
        }
        // Granted: the lock is ours, unless we were cancelled or closed before we could run.
        if (Thread.currentThread().isInterrupted() || closed) {
            release(w.exclusive);
            throw closed ? new ClosedException("RwLock." + op + ": the lock was closed while waiting")
                    : Owner.cancelled("RwLock." + op);
        }
    }

    private void release(boolean exclusive) {
        if (exclusive) {
            writing = false;
        } else {
            readers--;
        }
        grant();
    }

    /** Hands the lock to the head waiters: a run of readers, or one writer once the lock is free. */
    private void grant() {
        if (closed) {
            return;
        }
        WaitList.Node head;
        while ((head = waiters.peek()) != null && !writing) {
            if (head.exclusive) {
                if (readers == 0) {
                    writing = true;
                    waiters.grant(head);
                }
                return;
            }
            readers++;
            waiters.grant(head);
        }
    }

    private T value(String what) {
        Owner.check(owner, what);
        return value;
    }

    /**
     * Shared access to the value of an {@link RwLock}, released by {@link #close()}: Glommio's
     * {@code RwLockReadGuard}.
     *
     * {@snippet :
     * try (RwLock.ReadGuard<Config> r = lock.read()) {
     *     return r.get().port();
     * }
     * }
     *
     * @param <T> the type of the protected value
     */
    public static final class ReadGuard<T> implements AutoCloseable {

        private final RwLock<T> lock;
        private boolean released;

        private ReadGuard(RwLock<T> lock) {
            this.lock = lock;
        }

        /**
         * The protected value. Do not modify it: other readers may be looking at it.
         *
         * @throws IllegalStateException after {@link #close()}
         * @throws WrongThreadException  outside the lock's executor
         */
        public T get() {
            T v = lock.value("RwLock.ReadGuard.get");
            if (released) {
                throw new IllegalStateException("RwLock.ReadGuard.get: the read guard was already closed");
            }
            return v;
        }

        /**
         * Releases the read lock, letting a waiting writer in when this was the last reader.
         * Idempotent.
         *
         * @throws WrongThreadException outside the lock's executor
         */
        @Override
        public void close() {
            Owner.check(lock.owner, "RwLock.ReadGuard.close");
            if (released) {
                return;
            }
            released = true;
            lock.release(false);
        }
    }

    /**
     * Exclusive access to the value of an {@link RwLock}, released by {@link #close()}: Glommio's
     * {@code RwLockWriteGuard}.
     *
     * {@snippet :
     * try (RwLock.WriteGuard<Integer> w = counter.write()) {
     *     w.set(w.get() + 1);
     * }
     * }
     *
     * @param <T> the type of the protected value
     */
    public static final class WriteGuard<T> implements AutoCloseable {

        private final RwLock<T> lock;
        private boolean released;

        private WriteGuard(RwLock<T> lock) {
            this.lock = lock;
        }

        /**
         * The protected value, which this guard may modify in place.
         *
         * @throws IllegalStateException after {@link #close()}
         * @throws WrongThreadException  outside the lock's executor
         */
        public T get() {
            T v = lock.value("RwLock.WriteGuard.get");
            checkHeld("get");
            return v;
        }

        /**
         * Replaces the protected value ({@code null} allowed).
         *
         * @throws IllegalStateException after {@link #close()}
         * @throws WrongThreadException  outside the lock's executor
         */
        public void set(T value) {
            Owner.check(lock.owner, "RwLock.WriteGuard.set");
            checkHeld("set");
            lock.value = value;
        }

        private void checkHeld(String op) {
            if (released) {
                throw new IllegalStateException("RwLock.WriteGuard." + op + ": the write guard was already closed");
            }
        }

        /**
         * Releases the write lock, letting the next waiters in. Idempotent.
         *
         * @throws WrongThreadException outside the lock's executor
         */
        @Override
        public void close() {
            Owner.check(lock.owner, "RwLock.WriteGuard.close");
            if (released) {
                return;
            }
            released = true;
            lock.release(true);
        }
    }
}
