package io.github.jglommio.reactor;

import io.github.jglommio.sys.BufferRing;
import io.github.jglommio.sys.CompletionQueue;
import io.github.jglommio.sys.Cqe;
import io.github.jglommio.sys.Errno;
import io.github.jglommio.sys.IoUringParams;
import io.github.jglommio.sys.Ring;
import io.github.jglommio.sys.RingSetupException;
import io.github.jglommio.sys.Sqe;
import io.github.jglommio.sys.SubmissionQueue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/**
 * The I/O engine of one executor: a ring, the table of in-flight operations, the timer heap and the
 * sleep/wake protocol. See the package documentation for the threading model.
 *
 * <p>Operations are submitted by tasks with {@link #submitAndAwait} (or {@link #newOperation} +
 * {@link #prepare} + {@link #await} when extra SQE fields are needed); the executor loop drives
 * {@link #poll()}, {@link #fireTimers(long)} and {@link #sleep(long)}.
 */
public final class Reactor implements CompletionQueue.Handler, AutoCloseable {

    /* Implementation overview
     *
     * user_data layout: bits 63..56 = kind; the rest belongs to the kind's table. KIND_TASK:
     * 55..32 = slot generation, 31..0 = slot index (OperationTable, which explains the slot states).
     * KIND_MULTISHOT: 31..0 = handler id (MultishotTable). KIND_WAKE: the eventfd read that ends a
     * sleep (WakeSignal, which explains the sleep/wake ordering). How a sleep blocks in
     * io_uring_enter (timeouts, completion batching): RingWait.
     */

    private static final ScopedValue<Reactor> CURRENT = ScopedValue.newInstance();

    private static final long KIND_TASK = 1L << 56;
    private static final long KIND_WAKE = 2L << 56;
    private static final long KIND_IGNORE = 3L << 56;
    private static final long KIND_TIMEOUT = 4L << 56;
    private static final long KIND_MULTISHOT = 5L << 56;

    private final Object owner;
    private final Thread ownerThread;
    private final Ring ring;
    private final SubmissionQueue sq;
    private final CompletionQueue cq;
    private final MemorySegment sqes;
    private final boolean deferTaskrun;
    private final Arena arena = Arena.ofShared();
    private final RingWait waits;
    private final WakeSignal wake;
    private final TimerService timers = new TimerService();
    private final PreemptTimer preempt;
    private final MemorySegment latencyCq;
    private final long latencyTailOffset;
    /** The latency ring's CQ head as of the last consume: {@link #needPreempt()} compares the tail with it. */
    private int latencyHead;
    private static final VarHandle INT = java.lang.foreign.ValueLayout.JAVA_INT.varHandle();
    private final BufferPool buffers;
    private final SmallBlocks smallBlocks = new SmallBlocks();
    private final IoCounters counters;
    private final OperationTable operations = new OperationTable();
    private final MultishotTable multishots = new MultishotTable();
    private final ReceiveBufferRing recvBuffers;

    /** CQEs still expected from the kernel (operations, cancels, the armed wake read). */
    private int inflight;
    /** Queued SQEs that make a parking task submit at once (Integer.MAX_VALUE: only at the turn's end). */
    private int submitBatch = Integer.MAX_VALUE;
    private long submissions;
    private long completions;
    private boolean closed;

    /**
     * Creates the reactor on the calling thread, which becomes its owner.
     *
     * @param owner    the object {@link #owner()} returns (the executor)
     * @param ringDepth SQ entries requested (the kernel rounds up to a power of two)
     * @throws IOException when the ring or the eventfd cannot be created; the message says why
     */
    public Reactor(Object owner, int ringDepth) throws IOException {
        this(owner, ringDepth, 0, null, null);
    }

    /**
     * Creates the reactor on the calling thread, which becomes its owner.
     *
     * @param ioMemory        bytes of buffers to register with the ring (0: none)
     * @param readLatencyUs   receives each file read's latency in microseconds, or null not to record them
     * @param writeLatencyUs  the same for writes
     */
    public Reactor(Object owner, int ringDepth, long ioMemory, LongConsumer readLatencyUs, LongConsumer writeLatencyUs)
            throws IOException {
        this.owner = owner;
        this.ownerThread = Thread.currentThread();
        this.ring = Ring.create(ringDepth, IoUringParams.SETUP_SINGLE_ISSUER | IoUringParams.SETUP_DEFER_TASKRUN
                | IoUringParams.SETUP_SUBMIT_ALL | IoUringParams.SETUP_COOP_TASKRUN);
        try {
            this.wake = new WakeSignal(arena);
        } catch (RingSetupException e) {
            ring.close();
            arena.close();
            throw e;
        }
        try {
            this.preempt = new PreemptTimer();
        } catch (IOException | RuntimeException e) {
            wake.close();
            ring.close();
            arena.close();
            throw e;
        }
        this.sq = ring.sq();
        this.cq = ring.cq();
        this.latencyCq = preempt.cq().ringMemory();
        this.latencyTailOffset = preempt.cq().tailOffset();
        this.latencyHead = preempt.head();
        this.sqes = sq.sqes();
        this.deferTaskrun = (ring.setupFlags() & IoUringParams.SETUP_DEFER_TASKRUN) != 0;
        this.waits = new RingWait(ring, arena);
        this.buffers = new BufferPool(ring, ioMemory);
        this.counters = new IoCounters(readLatencyUs, writeLatencyUs);
        this.recvBuffers = new ReceiveBufferRing(ring);
        armWake();
    }

    /** The reactor of the calling task, or {@code null} when the caller is not a jglommio task. */
    public static Reactor current() {
        return CURRENT.isBound() ? CURRENT.get() : null;
    }

    /**
     * The reactor of the calling task, for an operation that needs one.
     *
     * @param what the operation, as its message names it ({@code "DmaFile.open"})
     * @throws IllegalStateException when the caller is not a jglommio task
     */
    public static Reactor currentOrThrow(String what) {
        Reactor r = current();
        if (r == null) {
            throw new IllegalStateException(what + " must be called from a jglommio task, not from "
                    + Thread.currentThread());
        }
        return r;
    }

    /** The key tasks bind to this reactor; used by the executor when it starts a task. */
    public static ScopedValue<Reactor> key() {
        return CURRENT;
    }

    /** The executor that owns this reactor. */
    public Object owner() {
        return owner;
    }

    /** The executor's platform thread. */
    public Thread ownerThread() {
        return ownerThread;
    }

    /** The executor's I/O buffer pool. Owner thread. */
    public BufferPool buffers() {
        return buffers;
    }

    /** Small native blocks for timespecs and socket addresses. Owner thread. */
    public SmallBlocks smallBlocks() {
        return smallBlocks;
    }

    /** The executor's file I/O counters. Owner thread writes. */
    public IoCounters counters() {
        return counters;
    }

    /** The ring, for feature and opcode queries. */
    public Ring ring() {
        return ring;
    }

    // ---------------------------------------------------------------- operations (called by tasks)

    /**
     * Runs one operation to completion: fills an SQE, parks the calling task until its CQE, and
     * returns {@code cqe.res} ({@code >= 0}, or {@code -errno}). {@code keepAlive} (buffers, path
     * strings) stays reachable until the CQE arrives.
     *
     * @throws CancellationException when the task was interrupted (cancelled) before or while the
     *                               operation ran and the kernel cancelled it
     */
    public int submitAndAwait(byte opcode, int fd, long addr, int len, long off, int opFlags, Object keepAlive) {
        int slot = newOperation(keepAlive);
        long sqe = prepare(slot, opcode, fd, addr, len, off);
        if (opFlags != 0) {
            Sqe.opFlags(sqes, sqe, opFlags);
        }
        return await(slot);
    }

    /**
     * Runs an operation that releases a resource (a close) to completion even when the calling task
     * was cancelled: interrupts neither refuse nor cancel it, and the task's interrupt status is kept.
     */
    public int submitUninterruptibly(byte opcode, int fd, long addr, int len, long off, int opFlags, Object keep) {
        boolean interrupted = Thread.interrupted();
        try {
            int slot = newOperation(keep);
            long sqe = prepare(slot, opcode, fd, addr, len, off);
            if (opFlags != 0) {
                Sqe.opFlags(sqes, sqe, opFlags);
            }
            while (!operations.isDone(slot)) {
                LockSupport.park(this);
                interrupted |= Thread.interrupted();
            }
            int res = operations.result(slot);
            operations.release(slot);
            return res;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Reserves a slot for an operation of the calling task. Throws {@link CancellationException}
     * (and submits nothing) when the task is already cancelled.
     */
    public int newOperation(Object keep) {
        Thread caller = Thread.currentThread();
        if (caller.isInterrupted()) {
            throw new CancellationException("task was cancelled");
        }
        return operations.acquire(caller, keep);
    }

    /**
     * {@link #newOperation} for an operation no task parks on yet (a write-behind send): its CQE wakes
     * nobody, and a later {@link #await} by any task of this executor collects the result and frees the
     * slot. Until then the slot keeps {@code keep} reachable.
     */
    public int newDetachedOperation(Object keep) {
        int slot = newOperation(keep);
        operations.waiter(slot, null);
        return slot;
    }

    /**
     * Reserves and fills the SQE for {@code slot}; returns its offset in {@link #sqes()} so the caller
     * can set extra fields with {@link Sqe} before {@link #await}.
     */
    public long prepare(int slot, byte opcode, int fd, long addr, int len, long off) {
        long sqe = nextSqe();
        Sqe.prepare(sqes, sqe, opcode, fd, addr, len, off, userData(slot));
        inflight++;
        return sqe;
    }

    /** The SQE array, for callers of {@link #prepare}. */
    public MemorySegment sqes() {
        return sqes;
    }

    /** Whether {@code slot}'s operation has completed, so that {@link #await} would not park. */
    public boolean isDone(int slot) {
        return operations.isDone(slot);
    }

    /** What {@link #awaitFor} returns when the operation did not complete in time. */
    public static final int TIMED_OUT = Integer.MIN_VALUE;

    /**
     * Like {@link #await}, but gives up after {@code timeoutNs} (or at an interrupt, whose status is
     * kept) and then returns {@link #TIMED_OUT} with the operation still in flight and its slot
     * reserved: the caller then {@link #abandon}s it or awaits it again. Otherwise returns the result
     * and frees the slot.
     */
    public int awaitFor(int slot, long timeoutNs) {
        operations.waiter(slot, Thread.currentThread());
        long deadline = System.nanoTime() + timeoutNs;
        if (!operations.isDone(slot)) {
            submit(0, 0, 0); // whatever is queued, this operation included, must reach the kernel first
        }
        while (!operations.isDone(slot)) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || Thread.currentThread().isInterrupted()) {
                operations.waiter(slot, null);
                return TIMED_OUT;
            }
            LockSupport.parkNanos(this, left);
        }
        int res = operations.result(slot);
        operations.release(slot);
        return res;
    }

    /**
     * Gives up on {@code slot}'s operation: nobody will collect it. When its final CQE arrives (at once
     * if it already has), the slot is freed and {@code whenDone} runs on the executor loop, to release
     * what the operation held. The operation is not cancelled here.
     */
    public void abandon(int slot, Runnable whenDone) {
        operations.abandon(slot, whenDone);
    }

    /**
     * Parks the calling task until {@code slot}'s CQE arrives and returns its result. An interrupt
     * while parked submits an {@code ASYNC_CANCEL}; the wait still lasts until the original CQE, so
     * the kernel never writes into memory that was released.
     */
    public int await(int slot) {
        boolean interrupted = false;
        // The operation may have been started detached or by another task: its CQE wakes whoever waits now.
        operations.waiter(slot, Thread.currentThread());
        // Early submission is for a task about to park; collecting a finished operation (a
        // write-behind send) must not cut the turn's batch short.
        if (!operations.isDone(slot) && sq.pending() >= submitBatch) {
            submitEarly();
        }
        while (!operations.isDone(slot)) {
            LockSupport.park(this);
            if (Thread.interrupted() && !interrupted) {
                interrupted = true;
                submitCancel(userData(slot));
            }
        }
        int res = operations.result(slot);
        operations.release(slot);
        if (interrupted) {
            Thread.currentThread().interrupt();
            if (res == -Errno.ECANCELED || res == -Errno.EINTR) {
                throw new CancellationException("task was cancelled");
            }
        }
        return res;
    }

    /** Receives every completion of a multishot operation on the owner thread. */
    public interface MultishotHandler {
        /**
         * One completion; {@code more} is false for the last one (the operation ended: an error, a
         * cancellation, or the kernel stopped it), after which the handler is forgotten.
         */
        void onCompletion(int res, int flags, boolean more);
    }

    /**
     * Arms a multishot operation (accept, recv with provided buffers...); its completions go to
     * {@code handler} from the executor loop. {@code ioprio} carries the multishot flag for accept and
     * recv. Returns an id for {@link #cancelMultishot}. Owner thread.
     */
    public int submitMultishot(byte opcode, int fd, long addr, int len, long off, int opFlags, short ioprio,
                               MultishotHandler handler) {
        return submitMultishot(opcode, fd, addr, len, off, opFlags, ioprio, (byte) 0, (short) 0, handler);
    }

    /**
     * {@link #submitMultishot(byte, int, long, int, long, int, short, MultishotHandler)} with SQE flags
     * and a buffer group: {@code Sqe.FLAG_BUFFER_SELECT} and {@link #recvBuffers()}'s group id for a
     * multishot receive.
     */
    public int submitMultishot(byte opcode, int fd, long addr, int len, long off, int opFlags, short ioprio,
                               byte sqeFlags, short bufGroup, MultishotHandler handler) {
        int id = multishots.add(handler);
        long sqe = nextSqe();
        Sqe.prepare(sqes, sqe, opcode, fd, addr, len, off, KIND_MULTISHOT | (id & 0xFFFF_FFFFL));
        if (opFlags != 0) {
            Sqe.opFlags(sqes, sqe, opFlags);
        }
        sqes.set(java.lang.foreign.ValueLayout.JAVA_SHORT, sqe + Sqe.IOPRIO, ioprio);
        if (sqeFlags != 0) {
            Sqe.sqeFlags(sqes, sqe, sqeFlags);
        }
        if (bufGroup != 0) {
            sqes.set(java.lang.foreign.ValueLayout.JAVA_SHORT, sqe + Sqe.BUF_INDEX, bufGroup);
        }
        inflight++;
        return id;
    }

    /** Cancels a multishot operation; its handler still gets the final completion. */
    public void cancelMultishot(int id) {
        if (multishots.isLive(id)) {
            submitCancel(KIND_MULTISHOT | (id & 0xFFFF_FFFFL));
        }
    }

    /** Sizes the receive buffer ring before its first use; 0 buffers turns it off. Owner thread. */
    public void recvBuffers(int buffers, int bufferSize) {
        recvBuffers.configure(buffers, bufferSize);
    }

    /**
     * This executor's provided-buffer ring for multishot receives (sized by {@link #recvBuffers}),
     * registered on first call; null when the kernel refuses it (before 5.19) or it is disabled, and then sockets use one
     * receive operation per read. Owner thread.
     */
    public BufferRing recvBuffers() {
        return recvBuffers.get(closed);
    }

    /**
     * Reserves {@code n} adjacent SQEs' worth of room, submitting queued entries first if needed, so
     * that a linked chain is not split across two submissions.
     */
    public void ensureSqeRoom(int n) {
        if (sq.free() < n) {
            submit(0, 0, 0);
        }
    }

    /**
     * Links a {@code LINK_TIMEOUT} of {@code timespec} (a relative {@code __kernel_timespec} the caller
     * keeps alive until the linked operation completes) to the SQE just prepared at {@code sqe}, which
     * gets {@code IOSQE_IO_LINK}. If the timeout fires first, the operation completes with
     * {@code -ECANCELED}. Call {@link #ensureSqeRoom}(2) before preparing the operation.
     */
    public void linkTimeout(long sqe, MemorySegment timespec) {
        Sqe.sqeFlags(sqes, sqe, (byte) (sqes.get(java.lang.foreign.ValueLayout.JAVA_BYTE, sqe + Sqe.FLAGS) | Sqe.FLAG_IO_LINK));
        long t = nextSqe();
        Sqe.prepare(sqes, t, Sqe.OP_LINK_TIMEOUT, -1, timespec.address(), 1, 0, KIND_IGNORE);
        inflight++;
    }

    /** Cancels every operation on {@code fd} (IORING_ASYNC_CANCEL_FD | ALL): for closing a socket under parked tasks. */
    public void cancelAllOnFd(int fd) {
        long sqe = nextSqe();
        Sqe.prepare(sqes, sqe, Sqe.OP_ASYNC_CANCEL, fd, 0, 0, 0, KIND_IGNORE);
        Sqe.opFlags(sqes, sqe, Sqe.ASYNC_CANCEL_ALL | Sqe.ASYNC_CANCEL_FD);
        inflight++;
    }

    /** The CQE flags of the last completion of {@code slot}; valid until {@link #await} returns. */
    public int cqeFlags(int slot) {
        return operations.cqeFlags(slot);
    }

    private long userData(int slot) {
        return KIND_TASK | operations.tag(slot);
    }

    /**
     * Hands the queued SQEs to the kernel now instead of at the end of the loop turn. On virtio disks
     * a turn's worth of reads submitted together completes together, in waves; a few SQEs per enter
     * keep the device busy (see {@code LocalExecutorBuilder.submitBatch}).
     */
    private void submitEarly() {
        submit(0, 0, 0);
    }

    /** Sets how many queued SQEs trigger a submission before the task parks (1 = every operation). */
    public void submitBatch(int sqes) {
        if (sqes < 1) {
            throw new IllegalArgumentException("submitBatch must be at least 1, got " + sqes);
        }
        this.submitBatch = sqes;
    }

    /**
     * Makes {@link #sleep} wait for {@code completions} completions, or for at least one once
     * {@code maxDelayUs} microseconds have passed (io_uring's min_wait_usec, Linux 6.12+):
     * fewer, fuller wake-ups for a busy executor, at the cost of up to {@code maxDelayUs} of extra
     * latency for a completion that arrives alone. {@code completions == 1} turns it off. Returns
     * false, changing nothing, when the kernel cannot do it. Owner thread.
     */
    public boolean completionBatching(int completions, int maxDelayUs) {
        return waits.completionBatching(completions, maxDelayUs);
    }

    /** Reserves an SQE, submitting what is queued when the SQ is full. */
    private long nextSqe() {
        long sqe;
        while ((sqe = sq.next()) < 0) {
            submit(0, 0, 0);
        }
        return sqe;
    }

    private void submitCancel(long targetUserData) {
        long sqe = nextSqe();
        Sqe.prepare(sqes, sqe, Sqe.OP_ASYNC_CANCEL, -1, targetUserData, 0, 0, KIND_IGNORE);
        inflight++;
    }

    private void armWake() {
        wake.arm(sqes, nextSqe(), KIND_WAKE);
        inflight++;
    }

    // ---------------------------------------------------------------- timers

    /** The executor's timers ({@link TimerService}). Owner thread. */
    public TimerService timers() {
        return timers;
    }

    // ---------------------------------------------------------------- preemption

    /**
     * True when the running task queue should yield: its time slice ended or a timer is due. A few
     * nanoseconds: two loads of the latency ring's shared memory.
     */
    public boolean needPreempt() {
        // Flattened on purpose (no call chain): acquire-load the latency ring's CQ tail, written by the
        // kernel's timer completion, and compare it with the head this thread last published.
        return (int) INT.getAcquire(latencyCq, latencyTailOffset) != latencyHead;
    }

    /**
     * Starts a time slice: {@link #needPreempt()} turns true at {@code sliceEndNs} or at the next
     * timer's deadline, whichever is first. Owner thread, between task runs.
     */
    public void startSlice(long sliceEndNs) {
        preempt.consume();
        latencyHead = preempt.head();
        preempt.armBefore(Math.min(sliceEndNs, timers.nextDeadline()));
    }

    /** Ends a time slice: consumes an expiry, so {@link #needPreempt()} is false until the next one. */
    public void endSlice() {
        preempt.consume();
        latencyHead = preempt.head();
    }

    /** Time slices that expired. */
    public long slicesExpired() {
        return preempt.fired();
    }

    // ---------------------------------------------------------------- the loop side (owner thread)

    /**
     * Submits queued SQEs and reaps every available CQE without blocking; returns the number of
     * completions handled.
     */
    public int poll() {
        int toSubmit = publishAll();
        if (toSubmit > 0 || needsEnterForCompletions()) {
            submit(toSubmit, 0, IoUringParams.ENTER_GETEVENTS);
        }
        return reapAll();
    }

    /** Publishes filled SQEs; returns entries published and not yet consumed by the kernel. */
    private int publishAll() {
        sq.publish();
        // free() counts from the kernel's head, so this includes entries an earlier enter left behind.
        return sq.entries() - sq.free();
    }

    private boolean needsEnterForCompletions() {
        if (inflight - (wake.isArmed() ? 1 : 0) == 0) {
            return false; // only the wake read is out: it matters only while sleeping
        }
        // DEFER_TASKRUN: completions are only posted inside io_uring_enter(GETEVENTS).
        return deferTaskrun || (sq.flags() & (IoUringParams.SQ_TASKRUN | IoUringParams.SQ_CQ_OVERFLOW)) != 0;
    }

    private void submit(int toSubmit, int minComplete, int flags) {
        int n = toSubmit == 0 ? publishAll() : toSubmit;
        int r = ring.enter(n, minComplete, flags, 0, 0);
        if (r > 0) {
            submissions += r;
        } else if (r < 0 && r != -Errno.EINTR && r != -Errno.EAGAIN && r != -Errno.EBUSY && r != -Errno.ETIME) {
            throw new IllegalStateException("io_uring_enter failed: " + Errno.describe(r));
        }
        if (r == -Errno.EBUSY || r == -Errno.EAGAIN) {
            // The CQ is full: make room, the next enter submits the rest.
            reapAll();
        }
    }

    private int reapAll() {
        int total = 0;
        int n;
        while ((n = cq.reap(this, Integer.MAX_VALUE)) > 0) {
            total += n;
        }
        return total;
    }

    /**
     * Blocks in {@code io_uring_enter} until a completion, a wake-up, or {@code timeoutNs} elapses
     * ({@link Long#MAX_VALUE}: no timeout). Call {@link #prepareToSleep()} and re-check the inbox
     * first. Returns completions handled.
     */
    public int sleep(long timeoutNs) {
        int toSubmit = publishAll();
        if (cq.hasCompletions()) {
            if (toSubmit > 0) {
                submit(toSubmit, 0, IoUringParams.ENTER_GETEVENTS);
            }
            return reapAll();
        }
        int r;
        if (waits.needsTimeoutSqe(timeoutNs)) {
            // Kernels before 5.11: a TIMEOUT SQE that completes after 1 CQE or the timeout, whichever first.
            long sqe = nextSqe();
            Sqe.prepare(sqes, sqe, Sqe.OP_TIMEOUT, -1, waits.timeoutSqeTimespec(timeoutNs).address(), 1, 1,
                    KIND_TIMEOUT);
            inflight++;
            r = ring.enter(publishAll(), 1, IoUringParams.ENTER_GETEVENTS, 0, 0);
        } else {
            r = waits.enter(toSubmit, timeoutNs);
        }
        if (r > 0) {
            submissions += r;
        } else if (r < 0 && r != -Errno.ETIME && r != -Errno.EINTR && r != -Errno.EAGAIN && r != -Errno.EBUSY) {
            throw new IllegalStateException("io_uring_enter (wait) failed: " + Errno.describe(r));
        }
        return reapAll();
    }

    /** Announces that the owner is about to sleep; afterwards re-check every source of work. */
    public void prepareToSleep() {
        wake.prepareToSleep();
    }

    /** Announces that the owner is awake again. */
    public void endSleep() {
        wake.endSleep();
    }

    /**
     * Wakes the owner if it sleeps or is about to. Any thread; call after publishing the work the
     * owner must see.
     */
    public void wakeIfSleeping() {
        wake.wakeIfSleeping();
    }

    @Override
    public void complete(long userData, int res, int flags) {
        completions++;
        long kind = userData & (0xFFL << 56);
        if (kind == KIND_TASK) {
            // F_MORE: a zero-copy send whose notification CQE is still to come.
            if ((flags & Cqe.F_MORE) == 0) {
                inflight--;
            }
            operations.complete(userData, res, flags);
        } else if (kind == KIND_MULTISHOT) {
            boolean more = (flags & Cqe.F_MORE) != 0;
            if (!more) {
                inflight--;
            }
            multishots.complete((int) userData, res, flags, more);
        } else if (kind == KIND_WAKE) {
            inflight--;
            if (wake.completed()) {
                armWake();
            }
        } else {
            inflight--;
        }
    }

    // ---------------------------------------------------------------- stats

    /** SQEs the kernel consumed. */
    public long submissions() {
        return submissions;
    }

    /** CQEs reaped. */
    public long completions() {
        return completions;
    }

    /** Operations and internal requests still in flight. */
    public int inflight() {
        return inflight;
    }

    /** Slots held by tasks (operations submitted and not yet returned to their task). */
    public int operationsInUse() {
        return operations.inUse();
    }

    /** Cross-thread wake-ups this reactor received through its eventfd. */
    public long wakeups() {
        return wake.wakeups();
    }

    // ---------------------------------------------------------------- teardown

    /**
     * Cancels everything in flight, waits (up to {@code graceNs}) for the kernel to return every
     * buffer, then unmaps the ring and closes its fds. Owner thread only. Returns the number of
     * operations the kernel did not complete in time (their memory is then deliberately leaked).
     */
    public int close(long graceNs) {
        if (closed) {
            return 0;
        }
        closed = true;
        wake.shutdown();
        if (inflight > 0) {
            long sqe = nextSqe();
            Sqe.prepare(sqes, sqe, Sqe.OP_ASYNC_CANCEL, -1, 0, 0, 0, KIND_IGNORE);
            Sqe.opFlags(sqes, sqe, Sqe.ASYNC_CANCEL_ANY | Sqe.ASYNC_CANCEL_ALL);
            inflight++;
            long deadline = System.nanoTime() + graceNs;
            while (inflight > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                sleep(Math.min(left, 10_000_000L));
            }
        }
        int leaked = inflight;
        preempt.close();
        if (leaked == 0) {
            buffers.close();
            smallBlocks.close();
            ring.close();
            recvBuffers.close(); // after ring.close(): nothing can write into it any more
            arena.close();
        } else {
            // The kernel may still write into these buffers: closing the fd tears the ring down, but
            // the memory must outlive it.
            ring.close();
        }
        wake.close();
        return leaked;
    }

    @Override
    public void close() {
        close(2_000_000_000L);
    }

    /** True when called on the owner thread (directly or from a task mounted on it). */
    public boolean isOwnerThread(Thread carrier) {
        return carrier == ownerThread;
    }
}
