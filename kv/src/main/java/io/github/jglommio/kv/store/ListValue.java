package io.github.jglommio.kv.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A Redis list: byte-string elements, head first, in a ring buffer. Pushing and popping at either
 * end is amortised O(1); reading or replacing the element at an index is O(1), which is what
 * {@code LINDEX}, {@code LSET}, {@code LRANGE} and {@code LPOS} need; inserting inside moves the
 * elements of the shorter side. The buffer shrinks when it is mostly empty, so a list that was
 * long once does not keep its peak memory. Not thread-safe (see the package comment).
 *
 * <p>Elements are stored by reference and must not be modified after they are added.
 */
public final class ListValue implements Iterable<byte[]> {
    /*
     * Implementation overview. items.length is a power of two, so a logical index i lives at
     * items[(head + i) & mask]. Free slots are always null, so the buffer never keeps a removed
     * element alive.
     */
    private static final int MIN_CAPACITY = 8;
    // The largest power of two below the JVM's array length limit.
    private static final int MAX_CAPACITY = 1 << 30;

    private byte[][] items = new byte[MIN_CAPACITY][];
    private int head;
    private int size;

    /** Creates an empty list. */
    public ListValue() {
    }

    /**
     * Returns the number of elements.
     *
     * @return the length
     */
    public int size() {
        return size;
    }

    /**
     * Returns whether the list has no element.
     *
     * @return {@code true} if empty
     */
    public boolean isEmpty() {
        return size == 0;
    }

    /**
     * Returns the element at an index.
     *
     * @param i the index, 0 = head
     * @return the element (not to be modified)
     * @throws IndexOutOfBoundsException unless {@code 0 <= i < size()}
     */
    public byte[] get(int i) {
        return items[slot(checkIndex(i))];
    }

    /**
     * Replaces the element at an index.
     *
     * @param i the index, 0 = head
     * @param element the new element; kept by reference
     * @return the element it replaced
     * @throws IndexOutOfBoundsException unless {@code 0 <= i < size()}
     */
    public byte[] set(int i, byte[] element) {
        int s = slot(checkIndex(i));
        byte[] old = items[s];
        items[s] = element;
        return old;
    }

    /**
     * Adds an element before the head.
     *
     * @param element the element; kept by reference
     */
    public void addFirst(byte[] element) {
        growIfFull();
        head = (head - 1) & mask();
        items[head] = element;
        size++;
    }

    /**
     * Adds an element after the tail.
     *
     * @param element the element; kept by reference
     */
    public void addLast(byte[] element) {
        growIfFull();
        items[slot(size)] = element;
        size++;
    }

    /**
     * Removes and returns the head element.
     *
     * @return the element, or {@code null} if the list is empty
     */
    public byte[] pollFirst() {
        if (size == 0) {
            return null;
        }
        byte[] e = items[head];
        items[head] = null;
        head = (head + 1) & mask();
        size--;
        shrinkIfSparse();
        return e;
    }

    /**
     * Removes and returns the tail element.
     *
     * @return the element, or {@code null} if the list is empty
     */
    public byte[] pollLast() {
        if (size == 0) {
            return null;
        }
        int s = slot(size - 1);
        byte[] e = items[s];
        items[s] = null;
        size--;
        shrinkIfSparse();
        return e;
    }

    /**
     * Inserts an element so that it ends up at index {@code i}, moving the elements of the shorter
     * side by one.
     *
     * @param i the index, {@code 0 <= i <= size()}; {@code size()} appends
     * @param element the element; kept by reference
     * @throws IndexOutOfBoundsException unless {@code 0 <= i <= size()}
     */
    public void insert(int i, byte[] element) {
        if (i < 0 || i > size) {
            throw new IndexOutOfBoundsException("index " + i + ", size " + size);
        }
        growIfFull();
        if (i < size / 2) {
            // The i elements before the gap move one slot towards the front.
            head = (head - 1) & mask();
            for (int k = 0; k < i; k++) {
                items[slot(k)] = items[slot(k + 1)];
            }
        } else {
            for (int k = size; k > i; k--) {
                items[slot(k)] = items[slot(k - 1)];
            }
        }
        items[slot(i)] = element;
        size++;
    }

    /**
     * Removes elements equal to {@code element}, as {@code LREM} does: with {@code limit > 0} the
     * first {@code limit} from the head, with {@code limit < 0} the first {@code -limit} from the
     * tail, with {@code limit == 0} all of them.
     *
     * @param element the bytes to compare with
     * @param limit how many to remove and from which end
     * @return the number removed
     */
    public int removeEqual(byte[] element, long limit) {
        long max = limit > 0 ? limit : limit == 0 || limit == Long.MIN_VALUE ? Long.MAX_VALUE : -limit;
        int removed = 0;
        if (limit >= 0) {
            // Compact towards the head: w is where the next kept element goes.
            int w = 0;
            for (int r = 0; r < size; r++) {
                byte[] e = items[slot(r)];
                if (removed < max && Arrays.equals(e, element)) {
                    removed++;
                } else {
                    items[slot(w++)] = e;
                }
            }
            for (int k = w; k < size; k++) {
                items[slot(k)] = null;
            }
        } else {
            // Compact towards the tail, then the head moves past the freed slots.
            int w = size - 1;
            for (int r = size - 1; r >= 0; r--) {
                byte[] e = items[slot(r)];
                if (removed < max && Arrays.equals(e, element)) {
                    removed++;
                } else {
                    items[slot(w--)] = e;
                }
            }
            for (int k = 0; k <= w; k++) {
                items[slot(k)] = null;
            }
            head = slot(removed);
        }
        size -= removed;
        shrinkIfSparse();
        return removed;
    }

    /**
     * Keeps only the elements from index {@code start} to {@code stop} inclusive ({@code LTRIM}
     * after its index arithmetic); {@code start > stop} empties the list.
     *
     * @param start the first index kept, {@code >= 0}
     * @param stop the last index kept, {@code < size()}; below {@code start} to keep nothing
     * @throws IndexOutOfBoundsException if {@code start < 0} or {@code stop >= size()}
     */
    public void retain(int start, int stop) {
        if (start < 0 || stop >= size) {
            throw new IndexOutOfBoundsException("range " + start + ".." + stop + ", size " + size);
        }
        int keep = Math.max(0, stop - start + 1);
        for (int k = 0; k < start && k < size; k++) {
            items[slot(k)] = null;
        }
        for (int k = start + keep; k < size; k++) {
            items[slot(k)] = null;
        }
        head = keep == 0 ? 0 : slot(start);
        size = keep;
        shrinkIfSparse();
    }

    /**
     * Returns an independent list holding the same element references, for commands that
     * duplicate a value (COPY).
     *
     * @return the copy
     */
    public ListValue copy() {
        ListValue c = new ListValue();
        c.items = new byte[items.length][];
        for (int k = 0; k < size; k++) {
            c.items[k] = items[slot(k)];
        }
        c.size = size;
        return c;
    }

    /**
     * Iterates from head to tail. The list must not change while the iterator is in use.
     *
     * @return the iterator
     */
    @Override
    public Iterator<byte[]> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < size;
            }

            @Override
            public byte[] next() {
                if (next >= size) {
                    throw new NoSuchElementException();
                }
                return items[slot(next++)];
            }
        };
    }

    /**
     * Iterates from tail to head. The list must not change while the iterator is in use.
     *
     * @return the iterator
     */
    public Iterator<byte[]> descending() {
        return new Iterator<>() {
            private int next = size - 1;

            @Override
            public boolean hasNext() {
                return next >= 0;
            }

            @Override
            public byte[] next() {
                if (next < 0) {
                    throw new NoSuchElementException();
                }
                return items[slot(next--)];
            }
        };
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int k = 0; k < size; k++) {
            sb.append(k == 0 ? "" : ", ").append(new String(items[slot(k)], StandardCharsets.ISO_8859_1));
        }
        return sb.append(']').toString();
    }

    // ---- internals -------------------------------------------------------------------------

    /** The buffer's length, for tests of its growth and shrinking. */
    int capacity() {
        return items.length;
    }

    private int mask() {
        return items.length - 1;
    }

    private int slot(int i) {
        return (head + i) & mask();
    }

    private int checkIndex(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("index " + i + ", size " + size);
        }
        return i;
    }

    private void growIfFull() {
        if (size == items.length) {
            if (items.length == MAX_CAPACITY) {
                throw new IllegalStateException("list longer than " + MAX_CAPACITY + " elements");
            }
            resize(items.length * 2);
        }
    }

    // Below a quarter full, to the smallest power of two that is at most half full. After a pop
    // that crosses the quarter, the buffer is then half full: Omega(n) pushes or pops come before
    // the next resize, so resizing stays amortised O(1); a bulk removal pays for its own resize.
    private void shrinkIfSparse() {
        if (items.length > MIN_CAPACITY && size < items.length / 4) {
            int half = Integer.highestOneBit(Math.max(1, 2 * size - 1)) << 1;
            resize(Math.max(MIN_CAPACITY, half));
        }
    }

    private void resize(int capacity) {
        byte[][] next = new byte[capacity][];
        for (int k = 0; k < size; k++) {
            next[k] = items[slot(k)];
        }
        items = next;
        head = 0;
    }
}
