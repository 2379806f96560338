package io.github.jglommio.kv.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A byte-string used as a hash key (keyspace keys, set members, hash fields): equality by content
 * and a cached hash code. Immutable by contract: the wrapped array must not be modified.
 */
public final class Key implements Comparable<Key> {
    private final byte[] bytes;
    private final int hash;

    /**
     * Wraps an array without copying.
     *
     * @param bytes the content; not to be modified afterwards
     */
    public Key(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /**
     * Wraps a string as UTF-8, for tests.
     *
     * @param s the text
     * @return the key
     */
    public static Key of(String s) {
        return new Key(s.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Returns the wrapped array (not a copy).
     *
     * @return the bytes, not to be modified
     */
    public byte[] bytes() {
        return bytes;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Key k && k.hash == hash && Arrays.equals(k.bytes, bytes);
    }

    /** Orders like C {@code memcmp}: unsigned bytes, then shorter first. */
    @Override
    public int compareTo(Key o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
