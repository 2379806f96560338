package io.github.jglommio.channels;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A bounded, lock-free, single-producer single-consumer ring of references: the buffer of a
 * {@link SharedChannel} (Glommio's {@code spsc_queue}, in the style of JCTools'
 * {@code SpscArrayQueue}).
 *
 * <p>The producer owns {@code tail}, the consumer owns {@code head}; each publishes its counter
 * with a release store and reads the other's with an acquire load, caching it to touch the
 * other side's cache line only when the cached value says "full" (producer) or "empty"
 * (consumer). Counters are 64-bit sequence numbers that never wrap in practice; a slot is
 * {@code seq & mask}. The array is a power of two at least {@link #capacity}, but at most
 * {@link #capacity} elements are in flight.
 *
 * <p>The two hot groups are padded apart (128 bytes, to defeat adjacent-line prefetch) and away
 * from the read-mostly fields. Threading: {@link #offer} and the {@code producer*} methods by
 * the producer's executor only; {@link #poll} and the {@code consumer*} methods by the
 * consumer's executor only; the closed flags and wait slots by either.
 */
final class SpscQueue<T> extends SpscQueueConsumerPad {

    private static final VarHandle HEAD;
    private static final VarHandle TAIL;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            HEAD = lookup.findVarHandle(SpscQueueConsumerFields.class, "head", long.class);
            TAIL = lookup.findVarHandle(SpscQueueProducerFields.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    SpscQueue(int capacity) {
        super(capacity);
    }

    int capacity() {
        return capacity;
    }

    // ------------------------------------------------------------------ producer side

    /** Appends {@code e} unless the ring is full. Producer only. */
    boolean offer(T e) {
        long t = tail; // plain: only the producer writes tail
        if (t - headCache >= capacity) {
            // acquire: the consumer's null-ing of the freed slots happens-before our reuse of them.
            headCache = (long) HEAD.getAcquire(this);
            if (t - headCache >= capacity) {
                return false;
            }
        }
        buffer[(int) (t & mask)] = e; // plain: published by the release store of tail below
        // release: the element is visible to a consumer that acquires the new tail.
        TAIL.setRelease(this, t + 1);
        return true;
    }

    /** True when a slot is free. Producer only (its re-check before parking). */
    boolean producerHasRoom() {
        // acquire: see the consumer's latest release of head.
        return tail - (long) HEAD.getAcquire(this) < capacity;
    }

    // ------------------------------------------------------------------ consumer side

    /** Removes and returns the oldest element, or {@code null} when the ring is empty. Consumer only. */
    @SuppressWarnings("unchecked")
    T poll() {
        long h = head; // plain: only the consumer writes head
        if (h >= tailCache) {
            // acquire: pairs with the producer's release of tail, so the element store is visible.
            tailCache = (long) TAIL.getAcquire(this);
            if (h >= tailCache) {
                return null;
            }
        }
        int i = (int) (h & mask);
        T e = (T) buffer[i]; // plain: ordered after the acquire of tail
        buffer[i] = null;    // plain: ordered before the release of head, so the producer reuses the slot after it
        // release: hands the slot back to the producer.
        HEAD.setRelease(this, h + 1);
        return e;
    }

    /** True when an element is available. Consumer only (its re-check before parking). */
    boolean consumerHasItems() {
        // acquire: see the producer's latest release of tail.
        return (long) TAIL.getAcquire(this) != head;
    }

    // ------------------------------------------------------------------ closing

    boolean producerClosed() {
        return producerClosed; // volatile: elements released before the close are visible after reading it
    }

    boolean consumerClosed() {
        return consumerClosed; // volatile: a close is seen by the producer's next send
    }

    /** Marks the producer side closed and wakes a parked consumer. Producer only. */
    void closeProducer() {
        producerClosed = true; // volatile: ordered after every element this producer released
        consumerWaiters.wake();
    }

    /** Marks the consumer side closed, wakes a parked producer and drops what is left. Consumer only. */
    void closeConsumer() {
        consumerClosed = true; // volatile: a producer that sees it stops sending
        producerWaiters.wake();
        while (poll() != null) {
            // Drop the undelivered elements so they can be collected; the producer is told to stop.
        }
    }
}

/** Read-mostly state shared by both sides: written once, or once per close or park. */
abstract class SpscQueueColdFields {
    final Object[] buffer;
    final long mask;
    final int capacity;
    /** Tasks of the producer's executor waiting for room; woken by the consumer. */
    final WaitSlot producerWaiters = new WaitSlot();
    /** Tasks of the consumer's executor waiting for elements; woken by the producer. */
    final WaitSlot consumerWaiters = new WaitSlot();
    volatile boolean producerClosed;
    volatile boolean consumerClosed;

    SpscQueueColdFields(int capacity) {
        if (capacity < 1 || capacity > (1 << 30)) {
            throw new IllegalArgumentException("channel capacity must be in 1.." + (1 << 30) + ": " + capacity);
        }
        int length = Integer.highestOneBit(capacity);
        if (length < capacity) {
            length <<= 1;
        }
        this.buffer = new Object[length];
        this.mask = length - 1;
        this.capacity = capacity;
    }
}

// Field padding by inheritance (JCTools): HotSpot lays out a superclass's fields before its
// subclass's, so these long fields keep the hot counters of each side on their own cache lines.

abstract class SpscQueueColdPad extends SpscQueueColdFields {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p0a, p0b, p0c, p0d, p0e, p0f;

    SpscQueueColdPad(int capacity) {
        super(capacity);
    }
}

/** Written by the producer on every offer. */
abstract class SpscQueueProducerFields extends SpscQueueColdPad {
    /** Next sequence to write; released to the consumer. */
    long tail;
    /** The producer's last view of head: a lower bound, refreshed only when the ring looks full. */
    long headCache;

    SpscQueueProducerFields(int capacity) {
        super(capacity);
    }
}

abstract class SpscQueueProducerPad extends SpscQueueProducerFields {
    long p10, p11, p12, p13, p14, p15, p16, p17, p18, p19, p1a, p1b, p1c, p1d, p1e, p1f;

    SpscQueueProducerPad(int capacity) {
        super(capacity);
    }
}

/** Written by the consumer on every poll. */
abstract class SpscQueueConsumerFields extends SpscQueueProducerPad {
    /** Next sequence to read; released to the producer. */
    long head;
    /** The consumer's last view of tail: a lower bound, refreshed only when the ring looks empty. */
    long tailCache;

    SpscQueueConsumerFields(int capacity) {
        super(capacity);
    }
}

abstract class SpscQueueConsumerPad extends SpscQueueConsumerFields {
    long p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p2a, p2b, p2c, p2d, p2e, p2f;

    SpscQueueConsumerPad(int capacity) {
        super(capacity);
    }
}
