package io.github.jglommio.channels;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The tasks parked on one side of a shared channel, and the peer's way to wake them: the
 * Dekker/Seastar handshake of DESIGN.md §3 at channel level.
 *
 * <p>A waiter {@link #add}s itself, re-checks the state it waits for, then parks. The peer
 * publishes that state, then calls {@link #wake}, which unparks only if somebody is registered.
 * Both sides put a full fence between their store and their load, so at least one of them sees
 * the other: either the waiter sees the new state and does not park, or the peer sees the waiter
 * and unparks it. {@code LockSupport.unpark} of a task of another executor goes through that
 * executor's inbox and writes its eventfd only if it sleeps.
 *
 * <p>Several tasks of the owning executor may wait at once (they share the channel side); the
 * waker takes them all, and each re-checks and re-registers if it still has to wait.
 *
 * <p>Threading: {@link #add}, {@link #remove} and {@link #await} are called by tasks of the
 * owning executor; {@link #wake} by any thread.
 */
final class WaitSlot {

    private static final VarHandle WAITERS;

    static {
        try {
            WAITERS = MethodHandles.lookup().findVarHandle(WaitSlot.class, "waiters", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** {@code null}, one waiting {@link Thread}, or a {@code Thread[]} of several. Accessed through WAITERS. */
    @SuppressWarnings("unused")
    private volatile Object waiters;

    /** Registers {@code t}, then fences: the caller's re-check must not be ordered before the registration. */
    void add(Thread t) {
        for (;;) {
            // volatile: the CAS below compares against the current value.
            Object cur = WAITERS.getVolatile(this);
            Object next;
            if (cur == null) {
                next = t;
            } else if (cur instanceof Thread one) {
                next = new Thread[] {one, t};
            } else {
                Thread[] many = (Thread[]) cur;
                Thread[] grown = Arrays.copyOf(many, many.length + 1);
                grown[many.length] = t;
                next = grown;
            }
            // CAS: the peer may take the waiters (wake) at the same time.
            if (WAITERS.compareAndSet(this, cur, next)) {
                break;
            }
        }
        // StoreLoad: our registration is globally visible before the caller re-reads head/tail/closed
        // (pairs with the fence in wake(); a CAS alone does not order later acquire loads in the JMM).
        VarHandle.fullFence();
    }

    /** Unregisters {@code t} if it is still registered (a waker may already have taken it). */
    void remove(Thread t) {
        for (;;) {
            // volatile: the CAS below compares against the current value.
            Object cur = WAITERS.getVolatile(this);
            Object next;
            if (cur == t) {
                next = null;
            } else if (cur instanceof Thread[] many) {
                int i = indexOf(many, t);
                if (i < 0) {
                    return;
                }
                if (many.length == 2) {
                    next = many[1 - i];
                } else {
                    Thread[] shrunk = new Thread[many.length - 1];
                    System.arraycopy(many, 0, shrunk, 0, i);
                    System.arraycopy(many, i + 1, shrunk, i, many.length - i - 1);
                    next = shrunk;
                }
            } else {
                return;
            }
            // CAS: the peer may take the waiters, or another local task register, at the same time.
            if (WAITERS.compareAndSet(this, cur, next)) {
                return;
            }
        }
    }

    /**
     * Unparks every registered waiter, if any. Any thread; call after publishing the state the
     * waiters wait for. Costs a fence and a load when nobody waits.
     */
    void wake() {
        // StoreLoad: the state we just published (tail, head or a closed flag) is globally visible
        // before we look for waiters; pairs with the fence in add().
        VarHandle.fullFence();
        // volatile: cheap check first, so the common "nobody waits" case writes nothing.
        if (WAITERS.getVolatile(this) == null) {
            return;
        }
        // getAndSet: exactly one waker takes each registration, so each park gets one unpark.
        Object taken = WAITERS.getAndSet(this, null);
        if (taken instanceof Thread one) {
            LockSupport.unpark(one);
        } else if (taken instanceof Thread[] many) {
            for (Thread t : many) {
                LockSupport.unpark(t);
            }
        }
    }

    /** True when no task is registered. Any thread (tests). */
    boolean isEmpty() {
        // volatile: a snapshot for tests and assertions.
        return WAITERS.getVolatile(this) == null;
    }

    /**
     * Parks the calling task once, unless {@code ready} turns true after registering: register,
     * re-check, park, unregister. Returns after any wake, spurious ones included, so callers loop.
     */
    static void await(WaitSlot slot, BooleanSupplier ready) {
        Thread me = Thread.currentThread();
        slot.add(me);
        try {
            if (!ready.getAsBoolean()) {
                LockSupport.park(slot);
            }
        } finally {
            slot.remove(me);
        }
    }

    /** {@link #await(WaitSlot, BooleanSupplier)} on several slots at once: a wake on any of them ends the park. */
    static void awaitAny(WaitSlot[] slots, int count, BooleanSupplier ready) {
        Thread me = Thread.currentThread();
        for (int i = 0; i < count; i++) {
            slots[i].add(me);
        }
        try {
            if (!ready.getAsBoolean()) {
                LockSupport.park(slots);
            }
        } finally {
            for (int i = 0; i < count; i++) {
                slots[i].remove(me);
            }
        }
    }

    /**
     * Throws {@link CancellationException} when the calling task was cancelled (interrupted). Called
     * just before parking: a cancelled task still completes operations that need no wait, and an
     * operation that throws has neither taken nor published a message. The interrupt status is kept.
     */
    static void checkCancelled(String operation) {
        if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException("task was cancelled while waiting in " + operation);
        }
    }

    private static int indexOf(Thread[] many, Thread t) {
        for (int i = 0; i < many.length; i++) {
            if (many[i] == t) {
                return i;
            }
        }
        return -1;
    }
}
