package io.github.jglommio.kv.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** CONFIG GET/SET/RESETSTAT/REWRITE/HELP against redis-server 7.0: the same bytes for every parameter both have. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConfigDifferentialTest {
    @TempDir
    static Path dir;
    private static Oracle oracle;

    /** The parameters both servers have, whose value does not depend on the machine (port, dir). */
    private static final List<String> SHARED = List.of("maxclients", "requirepass", "timeout", "tcp-keepalive",
            "proto-max-bulk-len", "databases", "enable-debug-command", "appendonly", "appendfsync", "save", "maxmemory",
            "maxmemory-policy", "maxmemory-samples", "hz", "slowlog-log-slower-than", "slowlog-max-len",
            "latency-monitor-threshold", "hash-max-listpack-entries", "hash-max-ziplist-entries",
            "hash-max-listpack-value", "hash-max-ziplist-value", "list-max-listpack-size", "list-max-ziplist-size",
            "list-compress-depth", "set-max-intset-entries", "zset-max-listpack-entries", "zset-max-ziplist-entries",
            "zset-max-listpack-value", "zset-max-ziplist-value", "bind");

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(Oracle.available(), Oracle.MISSING);
        // Redis's defaults where this server's differ: tcp-keepalive (not done here).
        oracle = Oracle.start(dir, 3, "tcp-keepalive", "0");
    }

    @AfterAll
    static void stop() throws IOException {
        if (oracle != null) {
            oracle.close();
        }
    }

    @Test
    void shouldGetEveryParameterAsRedis() throws IOException {
        for (String name : SHARED) {
            oracle.same("CONFIG", "GET", name);
        }
        oracle.same("CONFIG", "GET", "nosuch");
        oracle.same("CONFIG", "GET", "shards-of-nothing*");
    }

    @Test
    void shouldMatchNamesAliasesAndCaseAsRedis() throws IOException {
        oracle.same("CONFIG", "GET", "TIMEOUT");
        oracle.same("CONFIG", "GET", "Hash-Max-Ziplist-Entries");
        oracle.same("CONFIG", "GET", "timeout", "TIMEOUT");
        oracle.same("CONFIG", "GET", "time[o]ut");
        oracle.same("CONFIG", "GET", "?z");
        oracle.sameUnordered(true, "CONFIG", "GET", "hash-max-*");
        oracle.sameUnordered(true, "CONFIG", "GET", "ZSET-MAX-*");
        oracle.sameUnordered(true, "CONFIG", "GET", "list-*");
        oracle.sameUnordered(true, "CONFIG", "GET", "slowlog*");
        oracle.sameUnordered(true, "CONFIG", "GET", "timeout", "hz", "maxclients", "list-*", "hz");
        oracle.sameUnordered(true, "CONFIG", "GET", "hash-max-ziplist-entries", "hash-max-listpack-entries");
    }

    @Test
    void shouldSetAndCheckValuesAsRedis() throws IOException {
        String[][] cases = {
            {"maxclients", "abc", "0", "-5", "1k", "99999999999999999999", "4294967296", "5000", "10000"},
            {"timeout", "01", "-0", " 1", "+1", "-1", "2147483648", "9223372036854775808", "30", "0"},
            {"tcp-keepalive", "x", "-1", "60", "0"},
            {"proto-max-bulk-len", "abc", "-5", "1k", "", "99999999999999999999", "1mb", "2MB", "536870912"},
            {"appendfsync", "maybe", "", "always"},
            {"maxmemory", "", "abc", "-5", " 5", "5 ", "+5", "1.5k", "0x10", "1tb", "1kk", "10B", "1k", "1kb", "1K",
                "1gb", "1m", "99999999999999999999", "18446744073709551616", "0"},
            {"maxmemory-policy", "foo", "", "AllKeys-LRU", "volatile-ttl", "noeviction"},
            {"maxmemory-samples", "0", "-1", "10", "5"},
            {"hz", "-5", "abc", "0", "1000", "500", "501", "10"},
            {"save", "abc", "3600 1 300", "-1 5", "10 -5", "  10   5  ", "0 0", "10 5 0 0", "3600 1 300 100",
                "10 5 10 6", ""},
            {"slowlog-log-slower-than", "-2", "x", "-1", "0", "10000"},
            {"slowlog-max-len", "-1", "0", "128"},
            {"latency-monitor-threshold", "-1", "x", "5", "0"},
            {"hash-max-listpack-entries", "-5", "x", "1k", "100", "512"},
            {"hash-max-ziplist-entries", "7", "512"},
            {"hash-max-listpack-value", "abc", "-5", "1k", "", "99999999999999999999", "64"},
            {"hash-max-ziplist-value", "1kb", "64"},
            {"list-max-listpack-size", "-99999999999", "x", "-5", "128", "-2"},
            {"list-max-ziplist-size", "-99999999999", "3", "-2"},
            {"list-compress-depth", "-1", "2", "0"},
            {"set-max-intset-entries", "-5", "1024", "512"},
            {"zset-max-listpack-entries", "-5", "256", "128"},
            {"zset-max-ziplist-entries", "x", "128"},
            {"zset-max-listpack-value", "abc", "1k", "64"},
            {"zset-max-ziplist-value", "99999999999999999999", "64"},
        };
        for (String[] c : cases) {
            for (int i = 1; i < c.length; i++) {
                oracle.same("CONFIG", "SET", c[0], c[i]);
                oracle.same("CONFIG", "GET", c[0]);
            }
        }
    }

    @Test
    void shouldSetAndGetClientOutputBufferLimitAsRedis() throws IOException {
        // This server's default for normal clients differs from Redis's unlimited one (see
        // OutputLimits): start both from the same value, then every reply must match.
        String redisDefault = "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60";
        oracle.same("CONFIG", "SET", "client-output-buffer-limit", redisDefault);
        oracle.same("CONFIG", "GET", "client-output-buffer-limit");
        String[] values = {"normal 1mb 512k 10", "pubsub 0 0 0", "replica 256mb 64mb 60", "slave 1 2 3",
            "normal 1 2 3 normal 4 5 6", "NORMAL 1K 2KB 3", "Normal 5gb 1g 0", "normal 1 2 3 pubsub",
            "normal 1 2", "bogus 1 2 3", "master 1 2 3", "normal x 2 3", "normal -1 2 3", "normal 1 2 -3",
            "normal 1 2 x", "normal 1 2 3x", "normal 1 2 +3", "normal 1 2 03", "normal 1 2 9999999999999",
            "normal 1 2 2147483648", "normal 1 2 4294967296", "normal 1 2 99999999999999999999",
            "normal 99999999999999999999 0 0", "normal 1 2 ", "normal   ", " normal 1 2 3", "normal  1 2 3",
            "", "pubsub 1kb 1 1 normal 7 8 9 replica 10 11 12", "normal 0 0 0 pubsub 32mb 8mb 60"};
        for (String v : values) {
            oracle.same("CONFIG", "SET", "client-output-buffer-limit", v);
            oracle.same("CONFIG", "GET", "client-output-buffer-limit");
        }
        oracle.same("CONFIG", "SET", "timeout", "5", "client-output-buffer-limit", "normal x 0 0");
        oracle.same("CONFIG", "GET", "timeout");
        oracle.same("CONFIG", "SET", "client-output-buffer-limit", redisDefault, "timeout", "0");
        oracle.sameUnordered(true, "CONFIG", "GET", "client-output-*");
    }

    @Test
    void shouldRefuseImmutableProtectedAndUnknownParametersAsRedis() throws IOException {
        oracle.same("CONFIG", "SET", "databases", "3");
        oracle.same("CONFIG", "SET", "DATABASES", "1");
        oracle.same("CONFIG", "SET", "dir", "/tmp");
        oracle.same("CONFIG", "SET", "DIR", "/tmp");
        oracle.same("CONFIG", "SET", "enable-debug-command", "yes");
        oracle.same("CONFIG", "SET", "Enable-Debug-Command", "yes");
        oracle.same("CONFIG", "SET", "nosuch", "1");
        oracle.same("CONFIG", "SET", "NOSUCH", "1");
        oracle.same("CONFIG", "GET", "databases");
    }

    @Test
    void shouldSetSeveralPairsAllOrNoneAsRedis() throws IOException {
        oracle.same("CONFIG", "SET", "timeout", "5", "maxclients", "abc");
        oracle.same("CONFIG", "GET", "timeout");
        oracle.same("CONFIG", "SET", "timeout", "abc", "nosuch", "1");
        oracle.same("CONFIG", "SET", "timeout", "abc", "databases", "1");
        oracle.same("CONFIG", "SET", "maxclients", "abc", "timeout", "abc");
        oracle.same("CONFIG", "SET", "timeout", "1", "TIMEOUT", "2");
        oracle.same("CONFIG", "SET", "timeout", "1", "TIMEOUT", "2", "databases", "3");
        oracle.same("CONFIG", "SET", "databases", "3", "timeout", "1", "TIMEOUT", "2");
        oracle.same("CONFIG", "SET", "timeout", "1", "dir", "/tmp", "nosuch", "1");
        oracle.same("CONFIG", "SET", "hash-max-ziplist-entries", "5", "hash-max-listpack-entries", "6");
        oracle.sameUnordered(true, "CONFIG", "GET", "hash-max-*");
        oracle.same("CONFIG", "SET", "timeout", "7", "hz", "11", "maxmemory", "1mb");
        oracle.sameUnordered(true, "CONFIG", "GET", "timeout", "hz", "maxmemory");
        oracle.same("CONFIG", "SET", "timeout", "0", "hz", "10", "maxmemory", "0", "hash-max-listpack-entries", "512");
    }

    @Test
    void shouldAnswerTheOtherSubcommandsAndArityAsRedis() throws IOException {
        oracle.same("CONFIG", "HELP");
        oracle.same("CONFIG", "help");
        oracle.same("CONFIG", "REWRITE");
        oracle.same("CONFIG", "RESETSTAT");
        oracle.same("CONFIG", "RESETSTAT", "x");
        oracle.same("CONFIG", "HELP", "x");
        oracle.same("CONFIG", "REWRITE", "x");
        oracle.same("CONFIG", "foo");
        oracle.same("Config", "foo");
        oracle.same("CONFIG", "x".repeat(200));
        oracle.same("CONFIG");
        oracle.same("CONFIG", "GET");
        oracle.same("CONFIG", "SET");
        oracle.same("CONFIG", "SET", "a");
        oracle.same("CONFIG", "SET", "a", "b", "c");
        oracle.same("CONFIG", "SET", "timeout", "0", "hz");
    }

    @Test
    void shouldRefuseAPortOrAddressItCannotListenOnAsRedis() throws IOException {
        oracle.same("CONFIG", "SET", "port", "abc");
        oracle.same("CONFIG", "SET", "port", "-5");
        oracle.same("CONFIG", "SET", "port", "65536");
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            oracle.same("CONFIG", "SET", "port", Integer.toString(taken.getLocalPort()));
        }
        oracle.same("CONFIG", "SET", "bind", "abc");
        oracle.same("CONFIG", "SET", "bind", "10.255.255.1");
        oracle.same("CONFIG", "GET", "bind");
        oracle.same("PING");
    }

    @Test
    void shouldRequireTheNewPasswordOnNewConnectionsOnly() throws IOException {
        oracle.same("CONFIG", "SET", "requirepass", "s3cret");
        try (Oracle other = oracle.session()) {
            other.same("GET", "a");
            other.same("AUTH", "wrong");
            other.same("AUTH", "s3cret");
            other.same("CONFIG", "GET", "requirepass");
            other.same("CONFIG", "SET", "requirepass", "");
        }
        // The connection that set it stays authenticated.
        oracle.same("PING");
        try (Oracle other = oracle.session()) {
            other.same("PING");
        }
    }

    @Test
    void shouldKeepTheValuesForTheWholeServer() throws IOException {
        oracle.same("CONFIG", "SET", "maxmemory-samples", "7");
        try (Oracle other = oracle.session()) {
            assertEquals("*2\r\n$17\r\nmaxmemory-samples\r\n$1\r\n7\r\n", other.same("CONFIG", "GET", "maxmemory-samples"));
        }
        oracle.same("CONFIG", "SET", "maxmemory-samples", "5");
    }

    @Test
    void shouldReportThisServersOwnParameters() throws IOException {
        String[] both = oracle.both("CONFIG", "GET", "shards");
        assertEquals("*0\r\n", both[0]);
        assertEquals("*2\r\n$6\r\nshards\r\n$1\r\n3\r\n", both[1]);
        both = oracle.both("CONFIG", "SET", "shards", "4");
        assertEquals("-ERR CONFIG SET failed (possibly related to argument 'shards') - can't set immutable config\r\n",
                both[1]);
        both = oracle.both("CONFIG", "GET", "port");
        assertTrue(both[1].endsWith("\r\n" + oracle.ours().port() + "\r\n"), both[1]);
    }
}
