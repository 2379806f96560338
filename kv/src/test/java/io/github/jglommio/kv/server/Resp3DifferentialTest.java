package io.github.jglommio.kv.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * HELLO and the RESP3 replies against redis-server 7.0, on three shards: the handshake and its
 * errors, RESET back to RESP2, the map, set, double, verbatim and null replies of each family with
 * keys on one shard and on several (cross-shard commands and transactions), EXEC and a watched
 * transaction that aborts, and a pipeline that switches protocol half way. The {@code *Resp3Test}
 * classes re-run every other differential test under HELLO 3.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class Resp3DifferentialTest {
    @TempDir
    static Path dir;
    private static Oracle oracle;
    /** Keys on shards 0, 1 and 2 of three. */
    private static final String A = keyOn(0, "a");
    private static final String B = keyOn(1, "b");
    private static final String C = keyOn(2, "c");
    /** Another key of shard 0, beside {@link #A}. */
    private static final String A2 = keyOn(0, "a2-");

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
    void resp3() throws IOException {
        oracle.flush();
        hello("HELLO", "3");
    }

    /** A key of {@code prefix} and a number that hashes to {@code shard} of three. */
    static String keyOn(int shard, String prefix) {
        for (int i = 0; ; i++) {
            String k = prefix + i;
            if (KeyHash.shardOf(k.getBytes(StandardCharsets.UTF_8), 3) == shard) {
                return k;
            }
        }
    }

    /** The reply with what must differ (our version and connection id) blanked out. */
    static String normalized(String reply) {
        return reply.replaceAll("\\$7\r\nversion\r\n\\$\\d+\r\n[^\r]*\r\n", "\\$7\r\nversion\r\n(version)\r\n")
                .replaceAll("\\$2\r\nid\r\n:\\d+\r\n", "\\$2\r\nid\r\n(id)\r\n");
    }

    /** Sends a HELLO to both and asserts the same reply but for the version and id; returns ours. */
    private static String hello(String... args) throws IOException {
        String[] both = oracle.both(args);
        assertEquals(normalized(both[0]), normalized(both[1]), () -> String.join(" ", args));
        return both[1];
    }

    @Test
    void shouldNegotiateTheProtocolAsRedis() throws IOException {
        assertTrue(hello("HELLO").startsWith("%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n"));
        oracle.same("GET", "nosuch");
        assertEquals("*14\r\n", hello("HELLO", "2").substring(0, 5));
        assertEquals("$-1\r\n", oracle.same("GET", "nosuch"));
        hello("HELLO");
        assertEquals("%7\r\n", hello("HELLO", "3").substring(0, 4));
        assertEquals("_\r\n", oracle.same("GET", "nosuch"));
        for (String[] bad : new String[][] {{"HELLO", "4"}, {"HELLO", "1"}, {"HELLO", "-1"}, {"HELLO", "x"},
                {"HELLO", "3.0"}, {"HELLO", "99999999999999999999"}, {"HELLO", "3", "foo"}, {"HELLO", "3", "SETNAME"},
                {"HELLO", "3", "AUTH", "default"}, {"HELLO", "3", "AUTH", "nobody", "pw"},
                {"HELLO", "4", "AUTH", "default", "pw"}, {"HELLO", "3", "SETNAME", "a b"}}) {
            assertTrue(oracle.same(bad).startsWith("-"), String.join(" ", bad));
        }
        hello("HELLO", "3", "AUTH", "default", "any"); // no password configured: any password will do
        hello("HELLO", "3", "setname", "conn-3");
        oracle.same("CLIENT", "GETNAME");
        // An option before a bad one takes effect, the protocol switch does not.
        oracle.same("HELLO", "2", "SETNAME", "named", "bogus");
        assertEquals("$5\r\nnamed\r\n", oracle.same("CLIENT", "GETNAME"));
        assertEquals("_\r\n", oracle.same("GET", "nosuch"));
        String info = oracle.both("CLIENT", "INFO")[1];
        assertTrue(info.startsWith("=") && info.contains("\r\ntxt:id=") && info.contains(" resp=3\n"), info);
        oracle.same("RESET");
        assertEquals("$-1\r\n", oracle.same("GET", "nosuch"));
        assertEquals("$-1\r\n", oracle.same("CLIENT", "GETNAME"));
        assertTrue(oracle.both("CLIENT", "INFO")[1].contains(" resp=2\n"));
    }

    @Test
    void shouldAskForAPasswordBeforeSwitching() throws IOException {
        oracle.same("CONFIG", "SET", "requirepass", "pw");
        try (Oracle other = oracle.session()) {
            other.same("HELLO", "3");
            other.same("HELLO", "3", "AUTH", "default", "wrong");
            other.same("PING");
            other.same("HELLO", "3", "AUTH", "default", "pw", "bogus"); // authenticated all the same
            assertEquals("$-1\r\n", other.same("GET", "nosuch"));
            String[] both = other.both("HELLO", "3", "AUTH", "default", "pw");
            assertEquals(normalized(both[0]), normalized(both[1]));
            assertEquals("_\r\n", other.same("GET", "nosuch"));
            other.same("RESET");
            other.same("GET", "nosuch"); // RESET: not authenticated any more
        } finally {
            oracle.same("CONFIG", "SET", "requirepass", "");
        }
    }

    @Test
    void shouldAnswerStringsListsAndKeysWithResp3Nulls() throws IOException {
        oracle.same("SET", A, "hello");
        oracle.same("SET", C, "1");
        oracle.same("MGET", A, B, C);     // across shards
        oracle.same("MGET", A, A2);       // on one
        oracle.same("GETDEL", B);
        oracle.same("GETEX", B);
        oracle.same("GETSET", B, "x");
        oracle.same("RPUSH", A2, "a", "b", "c", "a");
        oracle.same("LPOP", B + "-list", "2");
        oracle.same("LPOS", A2, "q");
        oracle.same("LPOS", A2, "a", "COUNT", "0");
        oracle.same("LINDEX", A2, "100");
        oracle.same("LMPOP", "2", B + "-l", C + "-l", "LEFT");
        oracle.same("SORT", A2, "ALPHA", "GET", "nosuch*");
        oracle.same("OBJECT", "ENCODING", "nosuch");
        oracle.same("INCRBYFLOAT", B + "-f", "1.5"); // a bulk string under RESP3 too
        oracle.same("LCS", A, A, "IDX", "WITHMATCHLEN");
        oracle.same("LCS", A, C, "IDX");
        oracle.same("LCS", A, C);
    }

    @Test
    void shouldPickAKeyOnAnyShardForRandomKey() throws IOException {
        oracle.same("RANDOMKEY");
        oracle.same("SET", C, "v"); // the other shards answer a RESP3 null: it must not win
        oracle.same("RANDOMKEY");
        oracle.same("DEL", C);
        oracle.same("SET", B, "v");
        oracle.same("RANDOMKEY");
    }

    @Test
    void shouldAnswerHashesAsMaps() throws IOException {
        oracle.same("HSET", A, "f1", "v1", "f2", "v2", "f3", "3");
        oracle.same("HSET", B, "only", "one");
        oracle.same("HGETALL", A);
        oracle.same("HGETALL", B);
        oracle.same("HGETALL", "nosuch");
        oracle.same("HKEYS", A);
        oracle.same("HVALS", A);
        oracle.same("HMGET", A, "f1", "nope");
        oracle.same("HGET", A, "nope");
        oracle.same("HINCRBYFLOAT", A, "f3", "0.5");
        oracle.same("HRANDFIELD", B, "1", "WITHVALUES");
        oracle.same("HRANDFIELD", B, "-3", "WITHVALUES");
        oracle.same("HRANDFIELD", B, "5", "WITHVALUES");
        oracle.same("HRANDFIELD", "nosuch", "2", "WITHVALUES");
        oracle.same("HRANDFIELD", "nosuch");
        oracle.same("HSCAN", A, "0");
        String pairs = oracle.both("HRANDFIELD", A, "2", "WITHVALUES")[1];
        assertTrue(pairs.matches("\\*2\r\n(\\*2\r\n\\$2\r\nf\\d\r\n\\$\\d\r\n[^\r]+\r\n){2}"), pairs);
    }

    @Test
    void shouldAnswerSetsAsSets() throws IOException {
        oracle.same("SADD", A, "x", "y", "z");
        oracle.same("SADD", A2, "y", "z", "w");
        oracle.same("SADD", B, "z", "v");
        oracle.same("SADD", C, "only");
        for (String[] r : new String[][] {{"SMEMBERS", A}, {"SMEMBERS", "nosuch"}, {"SINTER", A, A2},
                {"SUNION", A, A2}, {"SDIFF", A, A2}, {"SINTER", A, B}, {"SUNION", A, B, C}, {"SDIFF", A, B}}) {
            oracle.sameUnordered(false, r);
            assertTrue(oracle.both(r)[1].startsWith("~"), String.join(" ", r));
        }
        oracle.same("SRANDMEMBER", C, "1");   // an array
        oracle.same("SRANDMEMBER", C, "-2");
        oracle.same("SRANDMEMBER", C, "5");
        oracle.same("SRANDMEMBER", "nosuch");
        oracle.same("SPOP", "nosuch");
        oracle.same("SPOP", "nosuch", "2");   // a set
        oracle.same("SPOP", C, "0");
        oracle.same("SPOP", C, "1");
        oracle.same("SMISMEMBER", A, "x", "q");
        oracle.same("SINTERCARD", "2", A, A2);
    }

    @Test
    void shouldAnswerSortedSetsWithDoublesAndPairs() throws IOException {
        oracle.same("ZADD", A, "1", "a", "2.5", "b", "3", "c", "-inf", "d", "0.1", "e");
        oracle.same("ZADD", B, "1", "a", "5", "x");
        oracle.same("ZADD", C, "7", "only");
        String pairs = oracle.both("ZRANDMEMBER", A, "2", "WITHSCORES")[1];
        assertTrue(pairs.matches("\\*2\r\n(\\*2\r\n\\$1\r\n[a-e]\r\n,[^\r]+\r\n){2}"), pairs);
        for (String[] r : new String[][] {{"ZSCORE", A, "b"}, {"ZSCORE", A, "d"}, {"ZSCORE", A, "e"},
                {"ZSCORE", A, "nope"}, {"ZMSCORE", A, "a", "nope", "b"}, {"ZINCRBY", A, "1", "a"},
                {"ZADD", A, "INCR", "1", "a"}, {"ZADD", A, "NX", "INCR", "1", "a"},
                {"ZRANGE", A, "0", "-1"}, {"ZRANGE", A, "0", "-1", "WITHSCORES"},
                {"ZRANGE", A, "0", "1", "REV", "WITHSCORES"}, {"ZRANGE", A, "-inf", "+inf", "BYSCORE", "WITHSCORES"},
                {"ZRANGE", A, "(1", "+inf", "BYSCORE", "LIMIT", "1", "2", "WITHSCORES"},
                {"ZRANGEBYSCORE", A, "-inf", "+inf", "WITHSCORES"}, {"ZREVRANGEBYSCORE", A, "+inf", "-inf", "WITHSCORES"},
                {"ZREVRANGE", A, "0", "-1", "WITHSCORES"}, {"ZRANGE", "nosuch", "0", "-1", "WITHSCORES"},
                {"ZRANK", A, "nope"}, {"ZREVRANK", A, "b"}, {"ZSCAN", A, "0"},
                {"ZUNION", "2", A, B, "WITHSCORES"}, {"ZINTER", "2", A, B, "WITHSCORES"},
                {"ZDIFF", "2", A, B, "WITHSCORES"}, {"ZUNION", "2", A, B},
                {"ZRANDMEMBER", C, "1", "WITHSCORES"}, {"ZRANDMEMBER", C, "-3", "WITHSCORES"},
                {"ZRANDMEMBER", C, "4", "WITHSCORES"}, {"ZRANDMEMBER", "nosuch"},
                {"ZRANDMEMBER", "nosuch", "2", "WITHSCORES"},
                {"ZPOPMIN", "nosuch"}, {"ZPOPMIN", "nosuch", "2"}, {"ZPOPMIN", A}, {"ZPOPMIN", A, "2"},
                {"ZPOPMAX", A}, {"ZPOPMAX", A, "1"}, {"ZPOPMIN", A, "0"},
                {"ZMPOP", "2", "nosuch", B, "MIN"}, {"ZMPOP", "1", "nosuch", "MAX"}, {"ZMPOP", "2", B, C, "MAX", "COUNT", "5"}}) {
            oracle.same(r);
        }
    }

    @Test
    void shouldAnswerServerCommandsWithMapsSetsAndVerbatimText() throws IOException {
        oracle.same("CONFIG", "GET", "maxmemory");
        oracle.same("CONFIG", "GET", "nomatch");
        oracle.sameUnordered(true, "CONFIG", "GET", "timeout", "hz", "maxclients");
        oracle.same("CLIENT", "TRACKINGINFO");
        oracle.same("LATENCY", "HISTOGRAM", "nosuch");
        oracle.same("CONFIG", "RESETSTAT");
        oracle.same("SET", "histogram-key", "v");
        oracle.same("DEL", "histogram-key");
        ServerDifferentialTest.sameHistogram(oracle, "set", "del", "config");
        oracle.same("LATENCY", "DOCTOR");
        oracle.same("COMMAND", "INFO", "get", "zunion", "keys", "config|get", "nosuch");
        oracle.same("COMMAND", "GETKEYSANDFLAGS", "lmove", "a", "b", "left", "left");
        oracle.same("COMMAND", "GETKEYS", "set", "a", "b");
        oracle.same("COMMAND", "DOCS", "nosuch");
        oracle.same("TYPE", "nosuch");
        oracle.same("PING");
        oracle.same("ECHO", "x");
        oracle.same("ROLE");
        String docs = oracle.both("COMMAND", "DOCS", "get", "config")[1];
        assertTrue(docs.startsWith("%2\r\n$3\r\nget\r\n%"), docs);
        assertTrue(docs.contains("$11\r\nsubcommands\r\n%5\r\n"), docs);
        for (String[] r : new String[][] {{"INFO", "server"}, {"LOLWUT"}, {"CLIENT", "LIST"}}) {
            String[] both = oracle.both(r);
            assertTrue(both[0].startsWith("=") && both[1].startsWith("="), both[1]);
            int len = Integer.parseInt(both[1].substring(1, both[1].indexOf('\r')));
            String body = both[1].substring(both[1].indexOf('\n') + 1, both[1].length() - 2);
            assertTrue(body.startsWith("txt:"), body);
            assertEquals(len, body.getBytes(StandardCharsets.UTF_8).length);
        }
        oracle.same("INFO", "nosuch");
    }

    @Test
    void shouldEncodeEveryReplyOfATransactionInResp3() throws IOException {
        oracle.same("HSET", A, "f", "v");
        oracle.same("ZADD", A2, "2.5", "m");
        oracle.same("SADD", B, "only");
        // One shard.
        oracle.pipeline(new String[] {"MULTI"}, new String[] {"HGETALL", A}, new String[] {"ZSCORE", A2, "m"},
                new String[] {"GET", "nosuch"}, new String[] {"CONFIG", "GET", "maxmemory"},
                new String[] {"ZRANGE", A2, "0", "-1", "WITHSCORES"}, new String[] {"EXEC"});
        // Keys on several shards: a cross-shard transaction.
        oracle.pipeline(new String[] {"MULTI"}, new String[] {"HGETALL", A}, new String[] {"SMEMBERS", B},
                new String[] {"ZINCRBY", A2, "1", "m"}, new String[] {"GET", C}, new String[] {"PING"},
                new String[] {"EXEC"});
        oracle.same("SET", C, "1");
        oracle.same("MGET", A2 + "-s", C); // a cross-shard command alone
        oracle.same("LCS", A2 + "-s", C, "IDX");
    }

    @Test
    void shouldSwitchProtocolInsideATransaction() throws IOException {
        for (String[] keys : new String[][] {{A, A2}, {A, B}, {}}) {
            String one = keys.length > 0 ? keys[0] : "unused";
            String two = keys.length > 0 ? keys[1] : "unused";
            String[][] tx = keys.length == 0
                    ? new String[][] {{"MULTI"}, {"PING"}, {"HELLO", "2"}, {"ECHO", "x"}, {"HELLO", "3"}, {"EXEC"}}
                    : new String[][] {{"MULTI"}, {"GET", one}, {"HELLO", "2"}, {"GET", two}, {"HSET", one + "-h", "f", "v"},
                        {"HGETALL", one + "-h"}, {"HELLO", "3"}, {"HGETALL", one + "-h"}, {"ZADD", two + "-z", "1.5", "m"},
                        {"ZSCORE", two + "-z", "m"}, {"EXEC"}, {"GET", one}};
            try (RespClient theirs = new RespClient(oracle.theirPort());
                 RespClient ours = new RespClient(oracle.ours().port())) {
                assertEquals(normalized(pipeline(theirs, tx)), normalized(pipeline(ours, tx)), String.join(",", keys));
            }
        }
    }

    @Test
    void shouldAbortAWatchedTransactionWithAResp3Null() throws IOException {
        for (String[] keys : new String[][] {{A, A2}, {A, B}}) {
            oracle.same("SET", keys[0], "v");
            oracle.same("WATCH", keys[0]);
            oracle.same("MULTI");
            oracle.same("GET", keys[0]);
            oracle.same("GET", keys[1]);
            try (Oracle other = oracle.session()) {
                other.same("SET", keys[0], "changed");
            }
            assertEquals("_\r\n", oracle.same("EXEC"));
        }
    }

    @Test
    void shouldSwitchProtocolAtTheRightReplyOfAPipeline() throws IOException {
        oracle.same("HSET", A, "f", "v");
        oracle.same("HSET", B, "f", "v");
        oracle.same("HSET", C, "f", "v");
        oracle.same("ZADD", C + "-z", "1.5", "m");
        String[][] pipeline = {{"HELLO", "2"}, {"HGETALL", B}, {"GET", "nosuch"}, {"HELLO", "3"}, {"HGETALL", B},
                {"HGETALL", C}, {"HGETALL", A}, {"GET", B + "-nosuch"}, {"ZSCORE", C + "-z", "m"}, {"HELLO", "2"},
                {"HGETALL", C}, {"ZSCORE", C + "-z", "m"}, {"MGET", A, C}, {"HELLO", "3"}, {"MGET", A, C},
                {"KEYS", "nomatch*"}, {"EXISTS", A, B}};
        try (RespClient theirs = new RespClient(oracle.theirPort());
             RespClient ours = new RespClient(oracle.ours().port())) {
            assertEquals(normalized(pipeline(theirs, pipeline)), normalized(pipeline(ours, pipeline)));
        }
    }

    private static String pipeline(RespClient client, String[][] requests) throws IOException {
        for (String[] r : requests) {
            client.send(r);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < requests.length; i++) {
            sb.append(client.reply());
        }
        return sb.toString();
    }
}
