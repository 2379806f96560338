package io.github.jglommio.reactor;

import io.github.jglommio.sys.IoUringParams;
import io.github.jglommio.sys.Ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * How the reactor blocks in {@code io_uring_enter(GETEVENTS)}: for one completion, or with a
 * timeout ({@code IORING_ENTER_EXT_ARG}, 5.11+), and with completion batching ({@code min_wait_usec},
 * 6.12+): wait for {@code batchCompletions} completions, or for one once the batch delay has passed.
 * Kernels without EXT_ARG need a {@code TIMEOUT} SQE instead, which the reactor queues
 * ({@link #needsTimeoutSqe}).
 *
 * <p>Threading: owner thread only.
 */
final class RingWait {

    private final Ring ring;
    private final boolean extArg;
    private final boolean minTimeout;
    /** {@code struct io_uring_getevents_arg}, reused. */
    private final MemorySegment waitArg;
    /** {@code struct __kernel_timespec}, reused: the wait's timeout, or the TIMEOUT SQE's. */
    private final MemorySegment timespec;
    /** Completions a wait asks for before {@link #batchDelayUs} has passed; 1 = no batching. */
    private int batchCompletions = 1;
    private int batchDelayUs;

    /** Allocates the argument structs from {@code arena}, which must outlive the ring's waits. */
    RingWait(Ring ring, Arena arena) {
        this.ring = ring;
        this.extArg = ring.hasFeature(IoUringParams.FEAT_EXT_ARG);
        this.minTimeout = extArg && ring.hasFeature(IoUringParams.FEAT_MIN_TIMEOUT);
        this.waitArg = arena.allocate(IoUringParams.GETEVENTS_ARG);
        this.timespec = arena.allocate(IoUringParams.TIMESPEC);
    }

    /** See {@link Reactor#completionBatching}. */
    boolean completionBatching(int completions, int maxDelayUs) {
        if (completions < 1 || maxDelayUs < 0) {
            throw new IllegalArgumentException("completionBatching needs completions >= 1 and maxDelayUs >= 0, got "
                    + completions + " and " + maxDelayUs);
        }
        if (completions > 1 && !minTimeout) {
            return false;
        }
        this.batchCompletions = completions;
        this.batchDelayUs = completions == 1 ? 0 : maxDelayUs;
        return true;
    }

    /** True when a wait of {@code timeoutNs} needs a TIMEOUT SQE: a timeout on a kernel before 5.11. */
    boolean needsTimeoutSqe(long timeoutNs) {
        return timeoutNs != Long.MAX_VALUE && !extArg;
    }

    /** The timespec of a TIMEOUT SQE for {@code timeoutNs} (valid until the next wait). */
    MemorySegment timeoutSqeTimespec(long timeoutNs) {
        setTimespec(timeoutNs);
        return timespec;
    }

    /**
     * Submits {@code toSubmit} SQEs and waits for completions, until {@code timeoutNs}
     * ({@link Long#MAX_VALUE}: none); returns io_uring_enter's result. Requires
     * {@code !needsTimeoutSqe(timeoutNs)}.
     */
    int enter(int toSubmit, long timeoutNs) {
        if (timeoutNs == Long.MAX_VALUE && batchCompletions == 1) {
            return ring.enter(toSubmit, 1, IoUringParams.ENTER_GETEVENTS, 0, 0);
        }
        long ts = 0; // null: no timeout
        long minWaitUs = batchDelayUs;
        if (timeoutNs != Long.MAX_VALUE) {
            long t = setTimespec(timeoutNs);
            ts = timespec.address();
            // The kernel waits out min_wait before it looks at the timeout: a timer due sooner
            // than the batch delay shortens the batch wait.
            minWaitUs = Math.min(minWaitUs, (t + 999) / 1000);
        }
        int waitFor = minWaitUs == 0 ? 1 : batchCompletions;
        waitArg.set(JAVA_LONG, 0, 0L);                                            // sigmask: none
        waitArg.set(JAVA_INT, IoUringParams.GETEVENTS_ARG_SIGMASK_SZ, 8);          // _NSIG / 8
        waitArg.set(JAVA_INT, IoUringParams.GETEVENTS_ARG_MIN_WAIT_USEC, (int) minWaitUs);
        waitArg.set(JAVA_LONG, IoUringParams.GETEVENTS_ARG_TS, ts);
        return ring.enter(toSubmit, waitFor, IoUringParams.ENTER_GETEVENTS | IoUringParams.ENTER_EXT_ARG,
                waitArg.address(), waitArg.byteSize());
    }

    /** Writes {@code max(0, timeoutNs)} into the timespec; returns it. */
    private long setTimespec(long timeoutNs) {
        long t = Math.max(0, timeoutNs);
        timespec.set(JAVA_LONG, 0, t / 1_000_000_000L);
        timespec.set(JAVA_LONG, 8, t % 1_000_000_000L);
        return t;
    }
}
