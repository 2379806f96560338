package io.github.jglommio.kv.server;

/**
 * How the differential fuzzer compares a command's replies from redis-server and from this
 * server ({@link FuzzReply#matches}). Everything is byte for byte except what Redis itself leaves
 * unspecified, and each exception says why it is one.
 */
enum FuzzCheck {
    /** The same bytes. */
    EXACT,
    /** The same elements in any order: set and hash-table iteration order is unspecified. */
    UNORDERED,
    /** The same (field, value) pairs in any order: HGETALL on a hash table. */
    PAIRS,
    /**
     * A time in seconds (TTL, EXPIRETIME): the same, or one apart. A relative expiry lands on each
     * server when that server reads the command, a few milliseconds apart, and TTL rounds to the
     * nearest second, so the two may round either side of a half second.
     */
    SECONDS,
    /**
     * A time in milliseconds (PTTL, PEXPIRETIME): within a second, for the reason of
     * {@link #SECONDS}: the servers read a command milliseconds apart, never a second.
     */
    MILLIS,
    /** A random choice (SRANDMEMBER...): the same shape, and elements the key holds. */
    RANDOM,
    /** A random choice that writes (SPOP): as {@link #RANDOM}; the runner then makes the key equal again. */
    RANDOM_WRITE,
    /** A SCAN-family cursor: the runner iterates to the end on each server and compares what each found, as a set. */
    SCAN,
    /** SORT: exact, but unordered with BY nosort, where a set's order is its iteration order. */
    SORT
}
