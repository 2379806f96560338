package io.github.jglommio.kv.aof;

import java.util.Arrays;

/**
 * A growable byte array of encoded records: the log's pending batch and the rewrite buffer. Owner
 * executor only (plain fields).
 */
final class RecordBuffer {

    private static final int INITIAL_CAPACITY = 4096;

    private byte[] data = new byte[INITIAL_CAPACITY];
    private int size;

    void append(byte[] src, int offset, int length) {
        if (length > data.length - size) {
            long needed = (long) size + length;
            if (needed > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("append-only log buffer would exceed 2 GiB (" + needed + " bytes): "
                        + "the disk is not keeping up with the writes");
            }
            data = Arrays.copyOf(data, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(needed, 2L * data.length)));
        }
        System.arraycopy(src, offset, data, size, length);
        size += length;
    }

    void append(RecordBuffer other) {
        append(other.data, 0, other.size);
    }

    byte[] array() {
        return data;
    }

    int size() {
        return size;
    }

    /** Drops the first {@code n} bytes (the part of a batch a failed write got into the file). */
    void discardFront(int n) {
        System.arraycopy(data, n, data, 0, size - n);
        size -= n;
    }

    /** Empties the buffer, giving back memory a burst made it grow to. */
    void clear() {
        size = 0;
        if (data.length > 1 << 20) {
            data = new byte[INITIAL_CAPACITY];
        }
    }
}
