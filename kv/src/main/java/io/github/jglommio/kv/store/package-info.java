/**
 * One shard's data: {@link io.github.jglommio.kv.store.Keyspace} maps keys to strings, lists,
 * sets, hashes and sorted sets with optional absolute expiry times, each key with its access data
 * (see Memory below) and an encoding mark the command layer keeps for OBJECT ENCODING, packed in one
 * int of the entry, plus Redis glob matching ({@link io.github.jglommio.kv.store.Glob}).
 * {@link io.github.jglommio.kv.store.Databases} holds a shard's numbered databases (SELECT), one
 * keyspace each, made on first use.
 * {@link io.github.jglommio.kv.store.KeyspaceEvents} names the keyspace-notification classes;
 * commands report events through {@link io.github.jglommio.kv.store.Keyspace#notify}, which passes
 * them to the listener of the keyspace's databases when their class is on.
 *
 * <p>Memory. Each keyspace keeps an estimate of the heap bytes its keys and values take
 * ({@link io.github.jglommio.kv.store.Keyspace#usedBytes()}, sizes from
 * {@link io.github.jglommio.kv.store.MemorySizes}): a key's size is recomputed after each command
 * that looked it up (the typed accessors hand out live collections, so every lookup marks the key to
 * settle), in O(1) whatever the value's size. A shard's databases share one
 * {@link io.github.jglommio.kv.store.MemoryPolicy}: the maxmemory policy, the LRU clock or LFU
 * counter every key carries, and the eviction pool behind
 * {@link io.github.jglommio.kv.store.Databases#evictToFit}.
 *
 * <p>Threading model. A keyspace is owned by exactly one executor (one shard) and is not
 * thread-safe: every call, and every use of a collection it hands out, happens on that executor's
 * thread. Other shards reach it by sending commands over the channel mesh, never by calling it.
 * {@link io.github.jglommio.kv.store.Key} and {@link io.github.jglommio.kv.store.Glob} are
 * immutable/stateless and may be shared.
 *
 * <p>Values are stored by reference: a {@code byte[]} passed in becomes part of the keyspace and
 * must not be modified afterwards (the RESP parser hands out fresh arrays, so the server's normal
 * path satisfies this without copying).
 */
package io.github.jglommio.kv.store;
