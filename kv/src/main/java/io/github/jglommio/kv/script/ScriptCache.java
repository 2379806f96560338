package io.github.jglommio.kv.script;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server-wide cache of EVAL scripts, by SHA-1 (SCRIPT LOAD, EVAL, EVALSHA, SCRIPT EXISTS,
 * SCRIPT FLUSH). Each shard's {@link ScriptEngine} compiles a script in its own Lua state from the
 * body kept here. Thread-safe: a concurrent map, and a flush counter the engines compare with
 * theirs to drop their compiled functions.
 */
public final class ScriptCache {
    private final ConcurrentHashMap<String, byte[]> bodies = new ConcurrentHashMap<>();
    private final AtomicLong flushes = new AtomicLong();

    /** Keeps {@code body} under its SHA-1; returns the SHA-1 (lower-case hex). */
    public String put(byte[] body) {
        String sha = Sha1.hex(body);
        bodies.putIfAbsent(sha, body);
        return sha;
    }

    /** The body of script {@code sha} (lower-case hex), or null. */
    public byte[] get(String sha) {
        return bodies.get(sha);
    }

    /** Whether script {@code sha} (any case) is cached. */
    public boolean exists(String sha) {
        return bodies.containsKey(sha.toLowerCase(java.util.Locale.ROOT));
    }

    /** Forgets every script (SCRIPT FLUSH). */
    public void flush() {
        bodies.clear();
        flushes.incrementAndGet();
    }

    /** How many scripts are cached (INFO's number_of_cached_scripts). */
    public int size() {
        return bodies.size();
    }

    /** The count of flushes so far: an engine whose count differs drops its compiled scripts. */
    long flushCount() {
        return flushes.get();
    }
}
