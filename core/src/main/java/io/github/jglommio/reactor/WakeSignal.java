package io.github.jglommio.reactor;

import io.github.jglommio.sys.Errno;
import io.github.jglommio.sys.RingSetupException;
import io.github.jglommio.sys.Sqe;
import io.github.jglommio.sys.Syscalls;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The reactor's cross-thread sleep/wake protocol: an eventfd whose read is kept armed on the ring, so
 * that a write to it ends the owner's {@code io_uring_enter} wait.
 *
 * <p>Threading: {@link #wakeIfSleeping()} may be called from any thread and is lock-free and
 * allocation-free; everything else is owner thread only.
 */
final class WakeSignal {

    /* Implementation overview
     *
     * Seastar/Glommio pattern: the owner stores sleeping=1, then re-checks its inbox, then blocks in
     * io_uring_enter. A foreign thread publishes to the inbox, then reads sleeping; both sides use
     * volatile accesses (plus a full fence each), so at least one sees the other. The eventfd write
     * only happens when the owner sleeps and no write is pending, so busy executors cost their peers
     * nothing. wakePending is cleared when the armed read completes, just before it is re-armed.
     */

    private static final VarHandle SLEEPING;
    private static final VarHandle WAKE_PENDING;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            SLEEPING = l.findVarHandle(WakeSignal.class, "sleeping", int.class);
            WAKE_PENDING = l.findVarHandle(WakeSignal.class, "wakePending", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int eventFd;
    /** The armed read's 8-byte target; lives in the reactor's arena, which outlives the ring. */
    private final MemorySegment readBuffer;
    private boolean armed;
    private long wakeups;
    private boolean closed;

    @SuppressWarnings("unused") // accessed through SLEEPING
    private volatile int sleeping;
    @SuppressWarnings("unused") // accessed through WAKE_PENDING
    private volatile int wakePending;

    /**
     * Creates the eventfd and allocates the read buffer from {@code arena}.
     *
     * @throws RingSetupException when the eventfd cannot be created
     */
    WakeSignal(Arena arena) throws RingSetupException {
        this.readBuffer = arena.allocate(JAVA_LONG); // first: nothing to undo if it fails
        int efd = Syscalls.eventfd(0, Syscalls.EFD_CLOEXEC);
        if (efd < 0) {
            throw new RingSetupException(-efd, "eventfd() failed: " + Errno.describe(efd));
        }
        this.eventFd = efd;
    }

    /** Fills the SQE at {@code sqe} with the eventfd read, tagged {@code userData}. Owner thread. */
    void arm(MemorySegment sqes, long sqe, long userData) {
        Sqe.prepare(sqes, sqe, Sqe.OP_READ, eventFd, readBuffer.address(), 8, 0, userData);
        armed = true;
    }

    /** True while the eventfd read is in flight. Owner thread. */
    boolean isArmed() {
        return armed;
    }

    /**
     * Handles the eventfd read's completion: a wake-up was consumed, so the next one may write again.
     * Returns whether to re-arm the read (false once {@link #shutdown()} ran). Owner thread.
     */
    boolean completed() {
        armed = false;
        WAKE_PENDING.setVolatile(this, 0);
        return !closed;
    }

    /** Announces that the owner is about to sleep; afterwards re-check every source of work. */
    void prepareToSleep() {
        SLEEPING.setVolatile(this, 1);
        VarHandle.fullFence();
    }

    /** Announces that the owner is awake again. */
    void endSleep() {
        SLEEPING.setVolatile(this, 0);
    }

    /**
     * Wakes the owner if it sleeps or is about to. Any thread; call after publishing the work the
     * owner must see.
     */
    void wakeIfSleeping() {
        VarHandle.fullFence();
        if ((int) SLEEPING.getVolatile(this) == 1 && WAKE_PENDING.compareAndSet(this, 0, 1)) {
            wakeups++;
            int r = Syscalls.eventfdWrite(eventFd);
            if (r < 0 && !closed) {
                throw new IllegalStateException("eventfd write failed: " + Errno.describe(r));
            }
        }
    }

    /** Cross-thread wake-ups written to the eventfd. */
    long wakeups() {
        return wakeups;
    }

    /**
     * The reactor is closing: the read is no longer re-armed, and a failed write (the eventfd is about
     * to close) is no error. Owner thread.
     */
    void shutdown() {
        closed = true;
    }

    /** Closes the eventfd; after the ring is gone. Owner thread. */
    void close() {
        Syscalls.close(eventFd);
    }
}
