package io.github.jglommio.reactor;

import java.util.concurrent.locks.LockSupport;

/**
 * A FIFO of parked tasks, intrusive so that a cancelled waiter leaves in O(1): the waiter queue of the
 * single-executor primitives (channels.LocalChannel, sync.Semaphore/RwLock/Gate). Owner thread only:
 * every caller is a task of the executor that owns the primitive, so plain fields suffice.
 *
 * <p>Waking is a hand-off: {@link #grant} unlinks the head and marks it {@link #GRANTED} before
 * unparking it, so the resource is already the waiter's when it runs and no newcomer can take it
 * meanwhile. A granted waiter that finds itself cancelled gives the resource back itself.
 */
public final class WaitList {

    public static final int WAITING = 0;
    public static final int GRANTED = 1;
    public static final int CLOSED = 2;

    /** One parked task. */
    public static final class Node {
        public final Thread thread;
        /** Semaphore permits requested. */
        public final long units;
        /** RwLock: wants the write side. */
        public final boolean exclusive;
        public int state = WAITING;
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

    /** Appends the calling task (a plain waiter: no units, not exclusive). */
    public Node add() {
        return add(0, false);
    }

    /** Appends the calling task. */
    public Node add(long units, boolean exclusive) {
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

    public Node peek() {
        return head;
    }

    public boolean isEmpty() {
        return head == null;
    }

    public int size() {
        return size;
    }

    public void remove(Node n) {
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
    public void grant(Node n) {
        remove(n);
        n.state = GRANTED;
        LockSupport.unpark(n.thread);
    }

    /** Grants every waiter (a gate that finished closing). */
    public void grantAll() {
        while (head != null) {
            grant(head);
        }
    }

    /** Wakes every waiter with {@link #CLOSED}. */
    public void closeAll() {
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
    public int await(Node n, Object blocker) {
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
