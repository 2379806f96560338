package io.github.jglommio.reactor;

import io.github.jglommio.sys.Cqe;

import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * The reactor's table of in-flight task operations: one slot per operation, from the SQE until its
 * task collects the result. Owner thread only: every caller is the executor loop or a task mounted on
 * it, so nothing here is synchronized.
 *
 * <p>A slot is FREE, PENDING (SQE in flight), DONE (CQE arrived, result not yet taken) or ABANDONED
 * (in flight, nobody will take the result: freed at the CQE). It owns the
 * low 56 bits of an operation's {@code user_data}: bits 55..32 are the slot's generation, 31..0 its
 * index (see {@link #tag}). The generation changes on every reuse, so a stale CQE (which cannot happen
 * unless the kernel misbehaves) is recognised and dropped instead of waking the wrong task.
 */
final class OperationTable {

    private static final byte FREE = 0;
    private static final byte PENDING = 1;
    private static final byte DONE = 2;
    /** In flight, nobody will collect it: keepAlive holds the Runnable to run at its final CQE. */
    private static final byte ABANDONED = 3;

    private static final int INITIAL_SLOTS = 64;

    // Parallel arrays, not a slot object each: steady state allocates nothing.
    private Thread[] waiters = new Thread[INITIAL_SLOTS];
    private Object[] keepAlive = new Object[INITIAL_SLOTS];
    private int[] results = new int[INITIAL_SLOTS];
    private int[] cqeFlags = new int[INITIAL_SLOTS];
    private int[] generations = new int[INITIAL_SLOTS];
    private byte[] states = new byte[INITIAL_SLOTS];
    private int[] freeSlots = new int[INITIAL_SLOTS];
    private int freeCount;
    private int slotCount = INITIAL_SLOTS;

    OperationTable() {
        // Lowest index on top of the free stack, so the first operations use the first slots.
        for (int i = INITIAL_SLOTS - 1; i >= 0; i--) {
            freeSlots[freeCount++] = i;
        }
    }

    /**
     * Reserves a PENDING slot whose CQE unparks {@code waiter} (null: nobody yet) and which keeps
     * {@code keep} reachable until it is released.
     */
    int acquire(Thread waiter, Object keep) {
        if (freeCount == 0) {
            grow();
        }
        int slot = freeSlots[--freeCount];
        waiters[slot] = waiter;
        keepAlive[slot] = keep;
        states[slot] = PENDING;
        return slot;
    }

    /** Makes {@code waiter} the thread {@code slot}'s CQE unparks. */
    void waiter(int slot, Thread waiter) {
        waiters[slot] = waiter;
    }

    /** True once {@code slot}'s final CQE arrived. */
    boolean isDone(int slot) {
        return states[slot] == DONE;
    }

    /** {@code cqe.res} of {@code slot}'s completion. */
    int result(int slot) {
        return results[slot];
    }

    /** The CQE flags of the last completion of {@code slot}. */
    int cqeFlags(int slot) {
        return cqeFlags[slot];
    }

    /** The generation and index of {@code slot}: the low 56 bits of its {@code user_data}. */
    long tag(int slot) {
        return ((long) generations[slot] << 32) | slot;
    }

    /**
     * Nobody will collect {@code slot}: frees it and runs {@code whenDone} at its final CQE, or now when
     * that already arrived.
     */
    void abandon(int slot, Runnable whenDone) {
        if (states[slot] == DONE) {
            release(slot);
            whenDone.run();
            return;
        }
        waiters[slot] = null;
        keepAlive[slot] = whenDone; // also keeps what the Runnable holds reachable until the CQE
        states[slot] = ABANDONED;
    }

    /** Frees {@code slot}; its generation moves on so a late CQE for the old operation is ignored. */
    void release(int slot) {
        waiters[slot] = null;
        keepAlive[slot] = null;
        states[slot] = FREE;
        generations[slot] = (generations[slot] + 1) & 0xFF_FFFF;
        freeSlots[freeCount++] = slot;
    }

    /** Slots reserved and not yet released. */
    int inUse() {
        return slotCount - freeCount;
    }

    /**
     * Records a CQE for the slot {@code userData} names (its kind bits are ignored) and unparks the
     * waiter when it is the operation's last.
     */
    void complete(long userData, int res, int flags) {
        int slot = (int) userData;
        int gen = (int) (userData >>> 32) & 0xFF_FFFF;
        if (slot < slotCount && generations[slot] == gen && states[slot] == ABANDONED) {
            if ((flags & Cqe.F_MORE) == 0 || (flags & Cqe.F_NOTIF) != 0) {
                Runnable whenDone = (Runnable) keepAlive[slot];
                release(slot);
                whenDone.run();
            }
            return;
        }
        if (slot < slotCount && generations[slot] == gen && states[slot] == PENDING) {
            if ((flags & Cqe.F_NOTIF) != 0) {
                // SEND_ZC's notification: the kernel no longer references the buffer. The result
                // is the one the first CQE recorded.
                states[slot] = DONE;
                LockSupport.unpark(waiters[slot]);
            } else {
                results[slot] = res;
                cqeFlags[slot] = flags;
                if ((flags & Cqe.F_MORE) == 0) {
                    states[slot] = DONE;
                    LockSupport.unpark(waiters[slot]);
                }
                // F_MORE: a zero-copy send; the buffer stays pinned until the notification CQE.
            }
        }
    }

    private void grow() {
        int n = slotCount * 2;
        waiters = Arrays.copyOf(waiters, n);
        keepAlive = Arrays.copyOf(keepAlive, n);
        results = Arrays.copyOf(results, n);
        cqeFlags = Arrays.copyOf(cqeFlags, n);
        generations = Arrays.copyOf(generations, n);
        states = Arrays.copyOf(states, n);
        freeSlots = Arrays.copyOf(freeSlots, n);
        for (int i = n - 1; i >= slotCount; i--) {
            freeSlots[freeCount++] = i;
        }
        slotCount = n;
    }
}
