package io.github.jglommio.sync;

import java.util.concurrent.locks.LockSupport;

/**
 * A FIFO of parked tasks, intrusive so that a cancelled waiter leaves in O(1). Owner thread only:
 * every caller is a task of the executor that owns the primitive, so plain fields suffice.
 *
 * <p>Waking is a hand-off: {@link #grant} unlinks the head and marks it {@link #GRANTED} before
 * unparking it, so the resource is already the waiter's when it runs and no newcomer can take it
 * meanwhile. A granted waiter that finds itself cancelled gives the resource back itself.
 */
final class WaitList {

    static final int WAITING = 0;
    static final int GRANTED = 1;
    static final int CLOSED = 2;

    /** One parked task. */
    static final class Node {
        final Thread thread;
        /** Semaphore permits requested. */
        final long units;
        /** RwLock: wants the write side. */
        final boolean exclusive;
        int state = WAITING;
        Node prev;
        Node next;
        boolean linked;

        Node(Thread thread, long units, boolean exclusive) {
            this.thread = thread;
            this.units = units;
            this.exclusive = exclusive;
        }
    }

    private Node head;
    private Node tail;
    private int size;

    /** Appends the calling task. */
    Node add(long units, boolean exclusive) {
        Node n = new Node(Thread.currentThread(), units, exclusive);
        n.prev = tail;
        if (tail == null) {
            head = n;
        } else {
            tail.next = n;
        }
        tail = n;
        n.linked = true;
        size++;
        return n;
    }

    Node peek() {
        return head;
    }

    boolean isEmpty() {
        return head == null;
    }

    int size() {
        return size;
    }

    void remove(Node n) {
        if (!n.linked) {
            return;
        }
        if (n.prev == null) {
            head = n.next;
        } else {
            n.prev.next = n.next;
        }
        if (n.next == null) {
            tail = n.prev;
        } else {
            n.next.prev = n.prev;
        }
        n.prev = null;
        n.next = null;
        n.linked = false;
        size--;
    }

    /** Unlinks {@code n}, hands it the resource and wakes it (it runs later, on this executor). */
    void grant(Node n) {
        remove(n);
        n.state = GRANTED;
        LockSupport.unpark(n.thread);
    }

    /** Grants every waiter (a {@link Gate} that finished closing). */
    void grantAll() {
        while (head != null) {
            grant(head);
        }
    }

    /** Wakes every waiter with {@link #CLOSED}. */
    void closeAll() {
        while (head != null) {
            Node n = head;
            remove(n);
            n.state = CLOSED;
            LockSupport.unpark(n.thread);
        }
    }

    /**
     * Parks the calling task until {@code n} is granted or closed, and returns its state; returns
     * {@link #WAITING} when the task was cancelled (interrupted) first, after unlinking {@code n}.
     * The interrupt flag is left set.
     */
    int await(Node n, Object blocker) {
        Thread me = n.thread;
        while (n.state == WAITING) {
            if (me.isInterrupted()) {
                remove(n);
                return WAITING;
            }
            LockSupport.park(blocker);
        }
        return n.state;
    }
}
