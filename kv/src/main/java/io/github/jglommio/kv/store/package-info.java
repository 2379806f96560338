/**
 * One shard's data: {@link io.github.jglommio.kv.store.Keyspace} maps keys to strings, lists,
 * sets, hashes and sorted sets with optional absolute expiry times, each key with its last access
 * time (OBJECT IDLETIME) and an encoding mark the command layer keeps for OBJECT ENCODING, plus
 * Redis glob matching
 * ({@link io.github.jglommio.kv.store.Glob}). {@link io.github.jglommio.kv.store.Databases} holds a
 * shard's numbered databases (SELECT), one keyspace each, made on first use.
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
