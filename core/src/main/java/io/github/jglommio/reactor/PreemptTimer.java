package io.github.jglommio.reactor;

import io.github.jglommio.sys.CompletionQueue;
import io.github.jglommio.sys.Errno;
import io.github.jglommio.sys.Ring;
import io.github.jglommio.sys.Sqe;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Cooperative preemption through a small "latency" ring, Glommio's trick: a {@code TIMEOUT} armed on
 * this ring for the end of the time slice (or the next timer, if earlier) completes while a task runs
 * without making syscalls, and the kernel advances this ring's CQ tail from the timer interrupt. So
 * {@link #needPreempt()} is two loads of shared memory: no syscall, no clock read.
 *
 * <p>The ring is created without {@code DEFER_TASKRUN}: with it, completions only appear inside
 * {@code io_uring_enter} and a spinning task would never see the timer. Owner thread only.
 */
final class PreemptTimer implements CompletionQueue.Handler, AutoCloseable {

    private static final long USER_DATA_TIMEOUT = 1;
    private static final long USER_DATA_UPDATE = 2;

    private final Ring ring;
    private final CompletionQueue cq;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment timespec = arena.allocate(16, 8);
    private boolean armed;
    private long armedDeadlineNs;
    private long fired;

    PreemptTimer() throws IOException {
        this.ring = Ring.create(8, 0);
        this.cq = ring.cq();
    }

    /** True when the armed deadline has passed: the running task queue should yield. */
    boolean needPreempt() {
        return cq.hasCompletions();
    }

    /**
     * Makes sure the timer fires no later than {@code deadlineNs} ({@link System#nanoTime()} units,
     * CLOCK_MONOTONIC). Costs a syscall only when nothing is armed or the armed deadline is later.
     */
    void armBefore(long deadlineNs) {
        if (armed && armedDeadlineNs <= deadlineNs) {
            return;
        }
        timespec.set(JAVA_LONG, 0, deadlineNs / 1_000_000_000L);
        timespec.set(JAVA_LONG, 8, deadlineNs % 1_000_000_000L);
        long sqe = ring.sq().next();
        if (sqe < 0) {
            return; // never with this usage (at most two SQEs per turn); preemption is best effort
        }
        MemorySegment sqes = ring.sq().sqes();
        if (armed) {
            // IORING_OP_TIMEOUT_REMOVE + IORING_TIMEOUT_UPDATE: move the armed timeout; addr names it,
            // off (addr2) points at the new timespec. No CQE on success (IOSQE_CQE_SKIP_SUCCESS), so
            // the update itself cannot look like an expiry.
            Sqe.prepare(sqes, sqe, Sqe.OP_TIMEOUT_REMOVE, -1, USER_DATA_TIMEOUT, 0, timespec.address(),
                    USER_DATA_UPDATE);
            Sqe.opFlags(sqes, sqe, Sqe.TIMEOUT_UPDATE | Sqe.TIMEOUT_ABS);
            Sqe.sqeFlags(sqes, sqe, Sqe.FLAG_CQE_SKIP_SUCCESS);
        } else {
            // count 0 (off): a pure timer. The kernel copies the timespec at submission.
            Sqe.prepare(sqes, sqe, Sqe.OP_TIMEOUT, -1, timespec.address(), 1, 0, USER_DATA_TIMEOUT);
            Sqe.opFlags(sqes, sqe, Sqe.TIMEOUT_ABS);
        }
        ring.sq().publish();
        int r = ring.enter(1, 0, 0, 0, 0);
        if (r >= 0) {
            armed = true;
            armedDeadlineNs = deadlineNs;
        } else if (r != -Errno.EINTR && r != -Errno.EAGAIN && r != -Errno.EBUSY) {
            throw new IllegalStateException("arming the preempt timer failed: " + Errno.describe(r));
        }
    }

    /** Reaps the latency ring: an expiry disarms the timer, so the next turn arms a fresh one. */
    void consume() {
        if (cq.hasCompletions()) {
            cq.reap(this, Integer.MAX_VALUE);
        }
    }

    @Override
    public void complete(long userData, int res, int flags) {
        if (userData == USER_DATA_TIMEOUT) {
            armed = false;
            if (res == -Errno.ETIME) {
                fired++;
            }
        }
        // USER_DATA_UPDATE only completes on failure (the timeout had already fired): nothing to do,
        // the expiry CQE disarms.
    }

    CompletionQueue cq() {
        return cq;
    }

    /** The CQ head after the last {@link #consume()}. */
    int head() {
        return cq.head();
    }

    /** How many time slices expired (the timer fired). */
    long fired() {
        return fired;
    }

    @Override
    public void close() {
        ring.close();
        arena.close();
    }
}
