package io.github.jglommio.reactor;

import java.util.Arrays;

/**
 * A binary min-heap of timer entries ordered by deadline, with O(log n) removal of any entry.
 * Single-threaded: used only on its reactor's thread.
 */
final class TimerQueue {

    /** One armed timer; {@code index} is its position in the heap, -1 when not queued. */
    static final class Entry {
        long deadlineNs;
        Thread waiter;
        boolean fired;
        int index = -1;
        long seq;
    }

    private Entry[] heap = new Entry[64];
    private int size;
    private long nextSeq;

    int size() {
        return size;
    }

    /** The earliest deadline, or {@link Long#MAX_VALUE} when empty. */
    long nextDeadline() {
        return size == 0 ? Long.MAX_VALUE : heap[0].deadlineNs;
    }

    Entry peek() {
        return size == 0 ? null : heap[0];
    }

    void add(Entry e) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        e.seq = nextSeq++;
        e.index = size;
        heap[size++] = e;
        siftUp(e.index);
    }

    Entry poll() {
        if (size == 0) {
            return null;
        }
        Entry top = heap[0];
        removeAt(0);
        return top;
    }

    /** Removes {@code e} if it is queued; returns whether it was. */
    boolean remove(Entry e) {
        int i = e.index;
        if (i < 0 || i >= size || heap[i] != e) {
            return false;
        }
        removeAt(i);
        return true;
    }

    private void removeAt(int i) {
        Entry removed = heap[i];
        removed.index = -1;
        size--;
        if (i != size) {
            Entry last = heap[size];
            heap[i] = last;
            last.index = i;
            siftDown(i);
            if (heap[i] == last) {
                siftUp(i);
            }
        }
        heap[size] = null;
    }

    private static boolean less(Entry a, Entry b) {
        // Equal deadlines fire in arming order.
        return a.deadlineNs < b.deadlineNs || (a.deadlineNs == b.deadlineNs && a.seq < b.seq);
    }

    private void siftUp(int i) {
        Entry e = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Entry p = heap[parent];
            if (!less(e, p)) {
                break;
            }
            heap[i] = p;
            p.index = i;
            i = parent;
        }
        heap[i] = e;
        e.index = i;
    }

    private void siftDown(int i) {
        Entry e = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            Entry c = heap[child];
            int right = child + 1;
            if (right < size && less(heap[right], c)) {
                child = right;
                c = heap[child];
            }
            if (!less(c, e)) {
                break;
            }
            heap[i] = c;
            c.index = i;
            i = child;
        }
        heap[i] = e;
        e.index = i;
    }
}
