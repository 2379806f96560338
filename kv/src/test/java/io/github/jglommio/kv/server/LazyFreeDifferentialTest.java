package io.github.jglommio.kv.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * INFO memory's {@code lazyfree_pending_objects} and {@code lazyfreed_objects} against
 * redis-server 7.0 on 3 shards: UNLINK counts the values Redis frees in the background (a big
 * hashtable, skiplist or quicklist, not an intset or a small list), FLUSHDB and FLUSHALL ASYNC count
 * every key, DEL and a plain FLUSHALL count none, and CONFIG RESETSTAT starts over.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LazyFreeDifferentialTest {
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

    /** A field of INFO memory on each side, Redis's first; waits for Redis's background frees to finish. */
    private static String[] field(String name) throws IOException, InterruptedException {
        while (true) {
            String[] info = oracle.both("INFO", "memory");
            if ("0".equals(field(info[0], "lazyfree_pending_objects"))) {
                return new String[] {field(info[0], name), field(info[1], name)};
            }
            Thread.sleep(10);
        }
    }

    private static String field(String info, String name) {
        int at = info.indexOf("\r\n" + name + ":");
        return at < 0 ? null : info.substring(at + name.length() + 3, info.indexOf('\r', at + 2));
    }

    private static String[] members(String cmd, String key, int n, boolean scored) {
        List<String> args = new ArrayList<>(List.of(cmd, key));
        for (int i = 0; i < n; i++) {
            if (scored) {
                args.add(Integer.toString(i));
            }
            args.add("m" + i);
        }
        return args.toArray(new String[0]);
    }

    private static void sameCount() throws IOException, InterruptedException {
        String[] freed = field("lazyfreed_objects");
        assertEquals(freed[0], freed[1], "lazyfreed_objects");
        String[] pending = field("lazyfree_pending_objects");
        assertEquals("0", pending[1]);
    }

    @Test
    void shouldCountWhatRedisFreesInTheBackground() throws IOException, InterruptedException {
        oracle.same("FLUSHALL");
        oracle.same("CONFIG", "RESETSTAT");
        sameCount();
        oracle.same("MSET", "a{t}", "1", "b{t}", "2", "c{t}", "3");
        oracle.same("FLUSHDB", "ASYNC");
        sameCount();
        oracle.same(members("SADD", "big", 1000, false));
        oracle.same(members("SADD", "small", 10, false));
        oracle.same("SADD", "ints", "1", "2", "3");
        oracle.same(members("ZADD", "z", 200, true));
        oracle.same(members("ZADD", "zsmall", 20, true));
        oracle.same(members("RPUSH", "l", 100, false));
        oracle.same(members("HSET", "h", 300, true));
        oracle.same("UNLINK", "big", "small", "ints", "z", "zsmall", "l", "h", "nope");
        sameCount();
        oracle.same(members("SADD", "big", 1000, false));
        oracle.same("DEL", "big");
        sameCount();
        oracle.same("SET", "x", "1");
        oracle.same("SELECT", "1");
        oracle.same("SET", "y", "1");
        oracle.same("SELECT", "0");
        oracle.same("FLUSHALL", "ASYNC");
        sameCount();
        oracle.same("SET", "x", "1");
        oracle.same("FLUSHALL");
        sameCount();
        oracle.same("CONFIG", "RESETSTAT");
        sameCount();
    }
}
