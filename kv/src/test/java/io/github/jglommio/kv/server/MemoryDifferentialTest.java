package io.github.jglommio.kv.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * maxmemory against redis-server 7.0 on 3 shards, byte for byte where the replies are
 * deterministic: CONFIG GET/SET of the memory parameters and their errors; with {@code maxmemory 1}
 * (every server is over it) the {@code -OOM} refusals of denyoom commands under noeviction and
 * under policies with nothing to evict, inside MULTI and at EXEC, while reads and deletes go on;
 * eviction of every key and its {@code evicted_keys}; OBJECT FREQ and IDLETIME under LFU and LRU.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MemoryDifferentialTest {
    @TempDir
    static Path dir;
    private static Oracle oracle;

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(Oracle.available(), Oracle.MISSING);
        oracle = Oracle.start(dir, 3);
    }

    @AfterAll
    static void stop() throws IOException {
        if (oracle != null) {
            oracle.close();
        }
    }

    @BeforeEach
    void flush() throws IOException {
        oracle.flush();
    }

    @AfterEach
    void unbound() throws IOException {
        oracle.same("CONFIG", "SET", "maxmemory", "0", "maxmemory-policy", "noeviction", "lfu-log-factor", "10",
                "lfu-decay-time", "1", "maxmemory-samples", "5");
    }

    @Test
    void shouldGetAndSetTheMemoryParametersAsRedis() throws IOException {
        Oracle o = oracle;
        // maxmemory-clients (client eviction) is not here: CONFIG GET maxmemory* would differ.
        o.sameUnordered(true, "CONFIG", "GET", "maxmemory", "maxmemory-policy", "maxmemory-samples",
                "maxmemory-eviction-tenacity");
        o.same("CONFIG", "SET", "maxmemory-eviction-tenacity", "101");
        o.sameUnordered(true, "CONFIG", "GET", "lfu-*");
        o.same("CONFIG", "SET", "maxmemory", "100mb");
        o.same("CONFIG", "GET", "maxmemory");
        o.same("CONFIG", "SET", "maxmemory", "3g");
        o.same("CONFIG", "GET", "maxmemory");
        o.same("CONFIG", "SET", "maxmemory", "12x");
        o.same("CONFIG", "SET", "maxmemory-policy", "ALLKEYS-LFU", "lfu-log-factor", "0", "lfu-decay-time", "30");
        o.sameUnordered(true, "CONFIG", "GET", "*lfu*");
        o.same("CONFIG", "SET", "maxmemory-policy", "lru");
        o.same("CONFIG", "SET", "lfu-log-factor", "-1");
        o.same("CONFIG", "SET", "lfu-decay-time", "x");
        o.same("CONFIG", "SET", "maxmemory-samples", "0");
        o.same("CONFIG", "SET", "maxmemory-samples", "64");
        o.same("CONFIG", "GET", "maxmemory-samples");
    }

    @Test
    void shouldRefuseDenyoomCommandsUnderNoeviction() throws IOException {
        Oracle o = oracle;
        o.same("SET", "a", "1");
        o.same("RPUSH", "list", "x");
        o.same("CONFIG", "SET", "maxmemory", "1");
        for (String[] write : new String[][] {{"SET", "k", "v"}, {"INCR", "n"}, {"LPUSH", "list", "y"},
                {"SADD", "s", "m"}, {"HSET", "h", "f", "v"}, {"ZADD", "z", "1", "m"}, {"APPEND", "a", "x"},
                {"MSET", "k1", "v1", "k2", "v2", "k3", "v3"}, {"SETNX", "a", "2"}, {"SET", "a", "2", "NX"}}) {
            o.same(write);
        }
        // Reads, deletes and commands without denyoom go on.
        o.same("GET", "a");
        o.same("LPOP", "list");
        o.same("EXISTS", "list");
        o.same("EXPIRE", "a", "100");
        o.same("PUBLISH", "c", "m");
        o.same("DEL", "a");
        o.same("DBSIZE");
        o.same("CONFIG", "SET", "maxmemory", "0");
        o.same("SET", "k", "v");
    }

    @Test
    void shouldRefuseQueuingAndExecWhenOutOfMemory() throws IOException {
        Oracle o = oracle;
        o.same("CONFIG", "SET", "maxmemory", "1");
        o.same("MULTI");
        o.same("SET", "k", "v");
        o.same("GET", "k"); // in MULTI every command but EXEC, DISCARD, QUIT and RESET is refused
        o.same("EXEC");
        o.same("CONFIG", "SET", "maxmemory", "0");
        // Queued while there was room, executed when there is none: EXEC itself is refused.
        o.same("MULTI");
        o.same("SET", "k", "v");
        o.same("GET", "k");
        o.same("CONFIG", "SET", "maxmemory", "1"); // queued too: the EXEC runs it
        o.same("EXEC");
        o.same("SET", "k", "v");
        o.same("MULTI");
        o.same("GET", "k");
        o.same("DISCARD");
        o.same("CONFIG", "SET", "maxmemory", "0");
        o.same("MULTI");
        o.same("SET", "k", "v");
        String[] theirsOurs = o.each(new String[] {"CONFIG", "SET", "maxmemory", "0"},
                new String[] {"CONFIG", "SET", "maxmemory", "0"});
        assertEquals(theirsOurs[0], theirsOurs[1]);
        o.same("EXEC");
        o.same("GET", "k");
    }

    @Test
    void shouldRefuseWhenThePolicyFindsNothingToEvict() throws IOException {
        Oracle o = oracle;
        o.same("SET", "plain", "1");
        o.same("CONFIG", "SET", "maxmemory-policy", "volatile-lru", "maxmemory", "1");
        o.same("SET", "k", "v"); // no key has a TTL: nothing may go
        o.same("DBSIZE");
        o.same("GET", "plain");
        o.same("CONFIG", "SET", "maxmemory-policy", "volatile-ttl");
        o.same("HSET", "h", "f", "v");
        o.same("CONFIG", "SET", "maxmemory-policy", "allkeys-lru", "maxmemory", "0");
        o.same("CONFIG", "RESETSTAT");
        o.same("SET", "a", "1");
        o.same("SET", "b", "2");
        o.same("CONFIG", "SET", "maxmemory", "1"); // every key goes, and still over: refused
        o.same("SET", "c", "3");
        o.same("DBSIZE");
        String[] info = o.both("INFO", "stats");
        assertEquals(line(info[0], "evicted_keys"), line(info[1], "evicted_keys"));
        assertEquals("3", line(info[1], "evicted_keys")); // plain, a, b
    }

    @Test
    void shouldAnswerObjectFreqAndIdletimeByPolicy() throws IOException {
        Oracle o = oracle;
        o.same("SET", "k", "v");
        o.same("OBJECT", "FREQ", "k"); // not LFU: the error
        o.same("OBJECT", "FREQ", "missing");
        // Log factor 0 makes each access add one, decay time 0 keeps the counter: deterministic.
        o.same("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu", "lfu-log-factor", "0", "lfu-decay-time", "0");
        o.same("SET", "fresh", "v");
        o.same("OBJECT", "FREQ", "fresh"); // a new key starts at 5
        o.same("GET", "fresh");
        o.same("GET", "fresh");
        o.same("OBJECT", "FREQ", "fresh"); // OBJECT itself is no access
        o.same("OBJECT", "FREQ", "fresh");
        // Neither are EXISTS, TYPE and TTL; TOUCH and STRLEN are.
        o.same("EXISTS", "fresh");
        o.same("TYPE", "fresh");
        o.same("TTL", "fresh");
        o.same("OBJECT", "FREQ", "fresh");
        o.same("TOUCH", "fresh", "missing");
        o.same("STRLEN", "fresh");
        o.same("OBJECT", "FREQ", "fresh");
        o.same("SET", "fresh", "again"); // an overwrite keeps the counter (and counts as an access)
        o.same("OBJECT", "FREQ", "fresh");
        o.same("OBJECT", "IDLETIME", "fresh"); // LFU: the error
        o.same("OBJECT", "IDLETIME", "missing");
        o.same("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
        o.same("SET", "k", "v");
        String[] idle = o.both("OBJECT", "IDLETIME", "k");
        assertTrue(idle[1].equals(":0\r\n") || idle[1].equals(":1\r\n"), idle[1]);
        o.same("OBJECT", "FREQ", "k");
    }

    @Test
    void shouldCountOneAccessPerCommandAndKeepEncodingsBesideTheCounter() throws IOException {
        Oracle o = oracle;
        // Log factor 0: each access adds one, so an extra look-up (the encoding marks') would show.
        o.same("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu", "lfu-log-factor", "0", "lfu-decay-time", "0");
        o.same("HSET", "h", "f", "v");
        o.same("OBJECT", "FREQ", "h");
        o.same("HSET", "h", "g", "v".repeat(70)); // one access, and past the value limit: hashtable
        o.same("OBJECT", "FREQ", "h");
        o.same("OBJECT", "ENCODING", "h");
        o.same("HDEL", "h", "g");
        o.same("OBJECT", "ENCODING", "h"); // still hashtable: the counter's updates left the mark
        o.same("OBJECT", "FREQ", "h");
        for (int i = 0; i < 3; i++) {
            o.same("SADD", "s", Integer.toString(i));
        }
        o.same("SADD", "s", "x");
        o.same("SREM", "s", "x");
        o.same("OBJECT", "ENCODING", "s");
        o.same("OBJECT", "FREQ", "s");
        o.same("ZADD", "z", "1", "a", "2", "b");
        o.same("SORT", "z", "BY", "nosort");
        o.same("OBJECT", "ENCODING", "z"); // SORT made it a skiplist
        o.same("OBJECT", "FREQ", "z");
        o.same("SET", "n", "ab"); // not an integer: Redis's shared integers share one counter among keys
        o.same("APPEND", "n", "c"); // (counted twice here: a read, then a write of the value)
        o.same("OBJECT", "ENCODING", "n");
        o.same("DEL", "n");
        o.same("SET", "n", "abc");
        o.same("OBJECT", "FREQ", "n");
        o.same("EXPIRE", "n", "1000");
        for (String look : new String[] {"TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME", "TYPE", "EXISTS"}) {
            o.both(look, "n"); // the times may differ by a tick
        }
        o.same("OBJECT", "FREQ", "n"); // none of them counted
        o.same("GET", "n");
        o.same("OBJECT", "FREQ", "n");
        o.same("OBJECT", "ENCODING", "n");
        o.same("PERSIST", "n");
        o.same("EXPIRE", "n", "500");
        o.same("OBJECT", "FREQ", "n");
        // A removal looks its key up once, also when it then checks whether the value is empty.
        o.same("RPUSH", "l", "a", "b", "c");
        o.same("LPOP", "l");
        o.same("OBJECT", "FREQ", "l");
        o.same("SREM", "s", "0");
        o.same("OBJECT", "FREQ", "s");
        o.same("ZREM", "z", "a");
        o.same("OBJECT", "FREQ", "z");
        o.same("HSET", "h", "x", "1");
        o.same("OBJECT", "FREQ", "h");
    }

    private static String line(String info, String field) {
        for (String l : info.split("\r\n")) {
            if (l.startsWith(field + ":")) {
                return l.substring(field.length() + 1);
            }
        }
        throw new AssertionError("no " + field + " in " + info);
    }
}
