package io.github.jglommio.io;

import java.util.ArrayList;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.LockSupport;

/**
 * The reads of one {@link ImmutableFile} that are in the kernel right now, so that a read whose
 * aligned range lies inside one of them waits for it instead of issuing its own: Glommio's
 * {@code FileScheduler}, limited to reads in flight.
 *
 * <p>Owner executor only. Every task that touches the table runs on the executor's one carrier
 * thread, one at a time, and none parks while it changes the table, so plain fields suffice.
 */
final class ReadDedup {

    /** One kernel read of the aligned range {@code [start, end)} and the tasks waiting to share it. */
    static final class InFlight {
        final long start;
        final long end;
        final ArrayList<Waiter> waiters = new ArrayList<>(2);
        boolean done;

        InFlight(long start, long end) {
            this.start = start;
            this.end = end;
        }
    }

    /** A task waiting for an {@link InFlight} read; the leader fills in its result. */
    static final class Waiter {
        final Thread thread = Thread.currentThread();
        final long position;
        final int length;
        /** Set by the leader before it wakes the waiter; stays null when the leader's read failed. */
        ReadResult result;

        Waiter(long position, int length) {
            this.position = position;
            this.length = length;
        }
    }

    /** In-flight reads by aligned start; at most one per start (the longest). */
    private final TreeMap<Long, InFlight> inFlight = new TreeMap<>();
    /** The longest read ever registered: a read containing [start, end) starts at or after end - longest. */
    private long longest;

    /** The in-flight read whose range contains {@code [start, end)}, or null. */
    InFlight find(long start, long end) {
        if (inFlight.isEmpty() || end - start > longest) {
            return null; // nothing in flight is long enough to contain it
        }
        for (InFlight f : inFlight.subMap(end - longest, true, start, true).descendingMap().values()) {
            if (f.end >= end) {
                return f;
            }
        }
        return null;
    }

    /**
     * Registers the calling task's read of {@code [start, end)}. It replaces a shorter read with the same
     * start in the table (that one's waiters keep their reference to it).
     */
    InFlight register(long start, long end) {
        InFlight f = new InFlight(start, end);
        inFlight.put(start, f);
        longest = Math.max(longest, end - start);
        return f;
    }

    /** Ends {@code f}: removes it from the table and wakes its waiters (results already handed out). */
    void complete(InFlight f) {
        f.done = true;
        inFlight.remove(f.start, f);
        for (Waiter w : f.waiters) {
            LockSupport.unpark(w.thread);
        }
    }

    /**
     * Parks the calling task until {@code f} completes. Returns the task's slice of the shared buffer
     * (the caller owns it), or null when the leader's read failed and the caller should read again.
     *
     * @throws CancellationException when the calling task is cancelled while waiting
     */
    ReadResult await(InFlight f, long position, int length, Object what) {
        Waiter w = new Waiter(position, length);
        f.waiters.add(w);
        while (!f.done) {
            LockSupport.park(this);
            if (!f.done && Thread.currentThread().isInterrupted()) {
                f.waiters.remove(w);
                throw new CancellationException("task was cancelled while waiting for a shared read of " + what);
            }
        }
        return w.result;
    }

    /** Reads in flight (tests). */
    int size() {
        return inFlight.size();
    }
}
