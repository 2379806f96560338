package io.github.jglommio.channels;

import io.github.jglommio.reactor.WaitList;
import io.github.jglommio.reactor.WaitList.Node;

import io.github.jglommio.reactor.Reactor;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.LockSupport;

/**
 * A FIFO channel between the tasks of one executor: Glommio's {@code channels::local_channel},
 * with both ends in one object. Bounded channels give back-pressure: {@link #send} parks the sender
 * while the channel is full and {@link #trySend} returns {@code false}; receivers park while it is
 * empty. Nothing here is atomic or locked: every caller runs on the executor's thread.
 *
 * {@snippet :
 * LocalChannel<Integer> ch = LocalChannel.newBounded(16);
 * Task<Integer> consumer = Task.local(() -> {
 *     int sum = 0;
 *     for (Integer v; (v = ch.recv()) != null; ) {        // null: closed and drained
 *         sum += v;
 *     }
 *     return sum;
 * });
 * for (int i = 0; i < 10; i++) {
 *     ch.send(i);                                         // parks while 16 are buffered
 * }
 * ch.close();
 * int sum = consumer.join();                              // 45
 * }
 *
 * <p>Ordering: messages leave in the order they entered. Any number of tasks may send and receive;
 * parked senders and parked receivers are each served first come, first served: when a message
 * arrives it is reserved for the longest-waiting receiver, and when room frees up it is reserved
 * for the longest-waiting sender, so a newcomer ({@link #tryRecv}, {@link #trySend}) cannot take it
 * first.
 *
 * <p>Closing: {@link #close} wakes every parked task. Sends after close (and parked senders) throw
 * {@link ChannelClosedException}; receivers keep getting the buffered messages, then {@code null}.
 * (Glommio closes by dropping an endpoint; here either side may call {@link #close}.)
 *
 * <p>Cancellation: a task cancelled while parked in {@link #send} or {@link #recv} throws
 * {@link CancellationException}, with its interrupt flag still set, and the message is not sent or
 * not taken: a message reserved for a receiver that was cancelled before it ran stays in the channel
 * and goes to the next receiver; room reserved for a cancelled sender goes to the next sender. An
 * operation that needs no wait succeeds even in a cancelled task.
 *
 * <p>Threading: a channel belongs to the executor of the task that created it; every method except
 * {@link #capacity()} throws {@link WrongThreadException} when called from another executor or from
 * a thread that is not a task. To talk across executors, use a shared channel.
 *
 * @param <T> the message type; {@code null} messages are not allowed
 */
public final class LocalChannel<T> {

    /* Implementation overview
     *
     * The buffer is an ArrayDeque; senders and receivers that must wait queue in two intrusive FIFOs.
     * Waking is a reservation, not a hand-off of the message: `reservedItems` messages of the buffer
     * are promised to receivers that were woken but have not run yet, and `reservedRoom` free slots
     * to woken senders. Newcomers see only what is not reserved. So a woken task never finds its
     * message or slot gone, and if it was cancelled meanwhile it simply drops its reservation and
     * passes it to the next waiter: the message itself never leaves the buffer until a receiver
     * takes it, and the buffer never exceeds its capacity.
     *
     * Invariants: receivers wait only when every buffered message is reserved; senders wait only
     * when every free slot is reserved.
     */

    private static final int WAITING = WaitList.WAITING;
    private static final int CLOSED = WaitList.CLOSED;
    private static final int INITIAL_BUFFER = 64;

    private final Reactor owner;
    private final int capacity;
    private final ArrayDeque<T> items;
    private final WaitList receivers = new WaitList();
    private final WaitList senders = new WaitList();
    private int reservedItems;
    private int reservedRoom;
    private boolean closed;

    private LocalChannel(int capacity, String what) {
        this.owner = Reactor.currentOrThrow(what);
        this.capacity = capacity;
        this.items = new ArrayDeque<>(Math.min(capacity, INITIAL_BUFFER));
    }

    /**
     * A channel that buffers at most {@code capacity} messages, bound to the calling task's executor.
     * Glommio's {@code local_channel::new_bounded}.
     *
     * {@snippet :
     * LocalChannel<String> ch = LocalChannel.newBounded(1);
     * ch.trySend("a");                                        // true
     * ch.trySend("b");                                        // false: full
     * }
     *
     * @throws IllegalArgumentException when {@code capacity} is not positive
     * @throws IllegalStateException    outside a jglommio task
     */
    public static <T> LocalChannel<T> newBounded(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive, got " + capacity
                    + " (a local channel needs room for at least one message; use newUnbounded() for no limit)");
        }
        return new LocalChannel<>(capacity, "LocalChannel.newBounded");
    }

    /**
     * A channel without a limit, bound to the calling task's executor: {@link #send} never parks.
     * Glommio's {@code local_channel::new_unbounded}.
     *
     * {@snippet :
     * LocalChannel<Event> events = LocalChannel.newUnbounded();
     * events.trySend(event);                                  // always true until closed
     * }
     *
     * @throws IllegalStateException outside a jglommio task
     */
    public static <T> LocalChannel<T> newUnbounded() {
        return new LocalChannel<>(Integer.MAX_VALUE, "LocalChannel.newUnbounded");
    }

    /**
     * Sends {@code item}, parking the calling task while the channel is full.
     *
     * {@snippet :
     * ch.send(request);
     * }
     *
     * @throws NullPointerException   when {@code item} is null
     * @throws ChannelClosedException when the channel is or gets closed (the item was not sent)
     * @throws CancellationException  when the task is cancelled while parked (the item was not sent)
     * @throws WrongThreadException   outside the channel's executor
     */
    public void send(T item) {
        Objects.requireNonNull(item, "item");
        check("LocalChannel.send");
        if (closed) {
            throw closedException("send");
        }
        if (freeRoom() > 0) {
            put(item);
            return;
        }
        Node w = senders.add();
        int state = senders.await(w, this);
        if (state == WAITING) {
            throw cancelled("send");
        }
        if (state == CLOSED) {
            throw closedException("send");
        }
        reservedRoom--;
        if (Thread.currentThread().isInterrupted()) {
            grantSenders(); // the slot goes to the next sender
            throw cancelled("send");
        }
        if (closed) {
            throw closedException("send"); // close() woke every other sender already
        }
        put(item);
    }

    /**
     * Sends {@code item} if there is room now; never parks. Back-pressure is the return value.
     *
     * {@snippet :
     * if (!ch.trySend(request)) {
     *     reject(request);                                    // full: shed load
     * }
     * }
     *
     * @return false when the channel is full (or its free room is reserved for parked senders)
     * @throws NullPointerException   when {@code item} is null
     * @throws ChannelClosedException when the channel is closed
     * @throws WrongThreadException   outside the channel's executor
     */
    public boolean trySend(T item) {
        Objects.requireNonNull(item, "item");
        check("LocalChannel.trySend");
        if (closed) {
            throw closedException("trySend");
        }
        if (freeRoom() <= 0) {
            return false;
        }
        put(item);
        return true;
    }

    /**
     * Receives the oldest message, parking the calling task while the channel is empty.
     *
     * {@snippet :
     * for (Request r; (r = ch.recv()) != null; ) {
     *     handle(r);
     * }
     * // closed and drained
     * }
     *
     * @return the message, or {@code null} once the channel is closed and drained
     * @throws CancellationException when the task is cancelled while parked (no message was taken)
     * @throws WrongThreadException  outside the channel's executor
     */
    public T recv() {
        check("LocalChannel.recv");
        if (items.size() > reservedItems) {
            return take();
        }
        if (closed) {
            return null;
        }
        Node w = receivers.add();
        int state = receivers.await(w, this);
        if (state == WAITING) {
            throw cancelled("recv");
        }
        if (state == CLOSED) {
            return items.size() > reservedItems ? take() : null;
        }
        reservedItems--;
        if (Thread.currentThread().isInterrupted()) {
            grantReceivers(); // the message stays buffered, for the next receiver
            throw cancelled("recv");
        }
        return take();
    }

    /**
     * Receives the oldest message if one is available now; never parks.
     *
     * {@snippet :
     * Request r = ch.tryRecv();
     * if (r == null && ch.isClosed()) {
     *     return;                                             // drained
     * }
     * }
     *
     * @return the message, or {@code null} when none is available (empty, reserved for parked
     *         receivers, or closed and drained)
     * @throws WrongThreadException outside the channel's executor
     */
    public T tryRecv() {
        check("LocalChannel.tryRecv");
        return items.size() > reservedItems ? take() : null;
    }

    /**
     * Closes the channel and wakes every parked task: senders throw {@link ChannelClosedException},
     * receivers drain what is buffered and then get {@code null}. Idempotent.
     *
     * {@snippet :
     * ch.close();
     * ch.trySend(x);                                          // throws ChannelClosedException
     * }
     *
     * @throws WrongThreadException outside the channel's executor
     */
    public void close() {
        check("LocalChannel.close");
        closed = true;
        senders.closeAll();
        receivers.closeAll();
    }

    /**
     * Whether {@link #close} was called (messages may still be buffered).
     *
     * @throws WrongThreadException outside the channel's executor
     */
    public boolean isClosed() {
        check("LocalChannel.isClosed");
        return closed;
    }

    /**
     * The number of messages buffered, including those already promised to woken receivers.
     * Glommio's {@code len}.
     *
     * @throws WrongThreadException outside the channel's executor
     */
    public int len() {
        check("LocalChannel.len");
        return items.size();
    }

    /**
     * Whether {@link #trySend} would return {@code false} now. Glommio's {@code is_full}.
     *
     * @throws WrongThreadException outside the channel's executor
     */
    public boolean isFull() {
        check("LocalChannel.isFull");
        return freeRoom() <= 0;
    }

    /**
     * The most messages the channel buffers: the bound given to {@link #newBounded}, or
     * {@link Integer#MAX_VALUE} for an unbounded channel. Any thread.
     */
    public int capacity() {
        return capacity;
    }

    /** A racy summary, for logs and debuggers; any thread. */
    @Override
    public String toString() {
        return "LocalChannel[len=" + items.size() + ", capacity="
                + (capacity == Integer.MAX_VALUE ? "unbounded" : capacity) + ", senders waiting=" + senders.size()
                + ", receivers waiting=" + receivers.size() + (closed ? ", closed]" : "]");
    }

    // ---------------------------------------------------------------- internals

    /** Slots a newcomer may use: free minus those reserved for woken senders. */
    private int freeRoom() {
        return capacity - items.size() - reservedRoom;
    }

    private void put(T item) {
        items.addLast(item);
        grantReceivers();
    }

    private T take() {
        T item = items.pollFirst();
        grantSenders();
        return item;
    }

    /** Reserves unreserved messages for the longest-waiting receivers and wakes them. */
    private void grantReceivers() {
        Node head;
        while ((head = receivers.peek()) != null && items.size() > reservedItems) {
            reservedItems++;
            receivers.grant(head);
        }
    }

    /** Reserves free slots for the longest-waiting senders and wakes them. */
    private void grantSenders() {
        Node head;
        while ((head = senders.peek()) != null && freeRoom() > 0) {
            reservedRoom++;
            senders.grant(head);
        }
    }

    private void check(String what) {
        Reactor caller = Reactor.current();
        if (caller != owner) {
            String from = caller == null
                    ? "thread " + Thread.currentThread() + ", which is not a jglommio task"
                    : "a task of " + caller.owner();
            throw new WrongThreadException(what + " must be called from a task of " + owner.owner()
                    + ", the executor that created the channel; it was called from " + from
                    + ". Use a shared channel to talk across executors");
        }
    }

    private static ChannelClosedException closedException(String op) {
        return new ChannelClosedException("LocalChannel." + op + ": the channel is closed");
    }

    private static CancellationException cancelled(String op) {
        return new CancellationException("task was cancelled while parked in LocalChannel." + op);
    }
}
