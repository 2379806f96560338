package io.github.jglommio.kv.store;

/**
 * Receives each live entry of a keyspace from {@link Keyspace#forEachLive(EntryVisitor)}.
 */
@FunctionalInterface
public interface EntryVisitor {
    /**
     * Visits one entry. The visitor must not modify the keyspace or the value.
     *
     * @param key the key bytes
     * @param value the value; its Java type is given by {@link ValueType#of(Object)}
     * @param expireAtMillis the absolute expiry time in epoch milliseconds, or
     *     {@link Keyspace#NO_EXPIRY}
     */
    void visit(byte[] key, Object value, long expireAtMillis);
}
