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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The blocking pops against redis-server 7.0, with three shards and keys on each: immediate
 * answers, timeouts, wake-ups by other clients' writes in the order the clients blocked, moves
 * across shards, MULTI, CLIENT UNBLOCK, errors and wrong types. A client is known to be blocked
 * once INFO says so (polled, never slept on).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BlockingDifferentialTest {
    @TempDir
    static Path dir;
    static Oracle oracle;
    /** Keys on shards 0, 1, 2. */
    private static final String[] K = {CrossShardTest.keyOn(0, "a"), CrossShardTest.keyOn(1, "b"),
        CrossShardTest.keyOn(2, "c")};
    /** Another key on shard 0. */
    private static final String K0B = CrossShardTest.keyOn(0, "z");
    private final List<Pair> pairs = new ArrayList<>();

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
    void closePairs() throws IOException {
        for (Pair p : pairs) {
            p.close();
        }
        awaitBlocked(0);
    }

    /** A client on each server, sent the same requests. */
    private static final class Pair implements AutoCloseable {
        final RespClient theirs;
        final RespClient ours;

        Pair() throws IOException {
            theirs = new RespClient(oracle.theirPort());
            ours = new RespClient(oracle.ours().port());
            Oracle.negotiate(theirs, ours); // under the Resp3 extension
        }

        void send(String... args) throws IOException {
            theirs.send(args);
            ours.send(args);
        }

        /** Reads the next reply on each side and asserts they are the same bytes; returns it. */
        String same() throws IOException {
            String t = theirs.reply();
            String o = ours.reply();
            assertEquals(t, o);
            return o;
        }

        @Override
        public void close() throws IOException {
            theirs.close();
            ours.close();
        }
    }

    private Pair client() throws IOException {
        Pair p = new Pair();
        pairs.add(p);
        return p;
    }

    /** Waits until both servers report {@code n} blocked clients. */
    private static void awaitBlocked(int n) throws IOException {
        String want = "blocked_clients:" + n + "\r\n";
        while (true) {
            String[] info = oracle.both("INFO", "clients");
            if (info[0].contains(want) && info[1].contains(want)) {
                return;
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void shouldAnswerAtOnceFromTheFirstNonEmptyKeyInArgumentOrder() throws IOException {
        oracle.same("RPUSH", K[1], "b1", "b2");
        oracle.same("RPUSH", K[2], "c1");
        oracle.same("RPUSH", K0B, "z1");
        oracle.same("BLPOP", K[0], K[2], K[1], "0");
        oracle.same("BRPOP", K[0], K[1], K[2], "0");
        oracle.same("BLPOP", K[0], K0B, K[1], "1");
        oracle.same("BLMPOP", "0", "3", K[0], K[2], K[1], "RIGHT", "COUNT", "5");
        oracle.same("ZADD", K[0], "1", "m1", "2", "m2", "3", "m3");
        oracle.same("ZADD", K[2], "5", "x");
        oracle.same("BZPOPMIN", K[1], K[0], K[2], "0");
        oracle.same("BZPOPMAX", K[1], K[2], K[0], "0");
        oracle.same("BZMPOP", "0", "2", K[1], K[0], "MIN", "COUNT", "9");
        oracle.same("BZMPOP", "0.01", "2", K[1], K[2], "MAX");
        oracle.same("RPUSH", K[0], "x", "y");
        oracle.same("BRPOPLPUSH", K[0], K[0], "0");
        oracle.same("BLMOVE", K[0], K[1], "LEFT", "RIGHT", "0");
        oracle.same("BLMOVE", K[0], K0B, "RIGHT", "LEFT", "0");
        oracle.same("LRANGE", K[1], "0", "-1");
        oracle.same("LRANGE", K0B, "0", "-1");
        oracle.same("EXISTS", K[0]);
    }

    @Test
    void shouldAnswerTheNullReplyWhenTheTimeoutExpires() throws IOException {
        oracle.same("BLPOP", K[0], K[1], K[2], "0.05");
        oracle.same("BRPOP", K[1], "0.01");
        oracle.same("BLMPOP", "0.02", "2", K[0], K[1], "LEFT");
        oracle.same("BZPOPMIN", K[0], K[2], "0.01");
        oracle.same("BZPOPMAX", K[2], "0.01");
        oracle.same("BZMPOP", "0.01", "1", K[1], "MIN", "COUNT", "2");
        oracle.same("BRPOPLPUSH", K[0], K[1], "0.01");
        oracle.same("BLMOVE", K[0], K[0], "LEFT", "LEFT", "0.01");
        oracle.same("BLMOVE", K[0], K[2], "LEFT", "LEFT", "0.01");
        oracle.same("SET", K[1], "string");
        oracle.same("BLMOVE", K[0], K[1], "LEFT", "LEFT", "0.01"); // an empty source never checks the destination
        oracle.same("INFO", "nosuchsection");
    }

    @Test
    void shouldAnswerErrorsAndWrongTypesAsRedis() throws IOException {
        oracle.same("SET", K[1], "v");
        oracle.same("RPUSH", K[2], "a");
        oracle.same("ZADD", K0B, "1", "m");
        String[][] requests = {
            {"BLPOP", K[0], "-1"}, {"BLPOP", K[0], "abc"}, {"BLPOP", K[0], "nan"}, {"BLPOP", K[0], "inf"},
            {"BLPOP", K[0], "1e400"}, {"BLPOP", K[0], "9.3e15"}, {"BLPOP", K[0], " 1"}, {"BLPOP", K[0], ""},
            {"BLPOP", K[0]}, {"BRPOP"}, {"BLMOVE", K[0], K[1], "LEFT", "X", "-1"},
            {"BLMOVE", K[0], K[1], "LEFT", "RIGHT", "-1"}, {"BLMOVE", K[0], K[1], "LEFT"},
            {"BRPOPLPUSH", K[0], K[1], "x"}, {"BLMPOP", "-1", "1", K[0], "LEFT"}, {"BLMPOP", "0.01", "0", K[0], "LEFT"},
            {"BLMPOP", "abc", "0", K[0], "LEFT"}, {"BLMPOP", "abc", "1", K[0], "X"},
            {"BLMPOP", "0.01", "1", K[0], "LEFT", "COUNT", "0"}, {"BLMPOP", "0.01", "1", K[0], "LEFT", "COUNT"},
            {"BLMPOP", "0.01", "2", K[0], "LEFT"}, {"BZMPOP", "0.01", "0", K[0], "MIN"}, {"BZMPOP", "x", "1", K[0], "MIN"},
            {"BZMPOP", "-1", "1", K[0], "MIN", "COUNT", "0"}, {"BZMPOP", "0.01", "1", K[0], "MIN", "COUNT", "2", "COUNT", "3"},
            {"BZPOPMIN", K[0], "-0.5"},
            {"BLPOP", K[1], "0.01"}, {"BLPOP", K[0], K[1], K[2], "0.01"}, {"BLPOP", K[2], K[1], "0.01"},
            {"BZPOPMIN", K[2], "0.01"}, {"BZPOPMAX", K[0], K[1], "0.01"}, {"BZMPOP", "0.01", "2", K[0], K[2], "MIN"},
            {"BLMPOP", "0.01", "2", K[1], K[2], "LEFT"}, {"BLMOVE", K[2], K[1], "LEFT", "LEFT", "0.01"},
            {"BLMOVE", K[2], K0B, "LEFT", "LEFT", "0.01"}, {"BRPOPLPUSH", K0B, K[2], "0.01"}, {"LRANGE", K[2], "0", "-1"},
        };
        oracle.same(requests);
    }

    @Test
    void shouldWaitOnTheKeyOfItsOwnDatabase() throws IOException {
        Pair a = client();
        a.send("SELECT", "1");
        a.same();
        a.send("BLPOP", K[0], K[1], "0");
        awaitBlocked(1);
        oracle.same("RPUSH", K[0], "db0"); // the same name in database 0 feeds nobody
        oracle.same("SELECT", "1");
        oracle.same("RPUSH", K[1], "db1");
        a.same();
        oracle.same("LLEN", K[1]);
        oracle.same("SELECT", "0");
        oracle.same("LRANGE", K[0], "0", "-1");
    }

    @Test
    void shouldWakeABlockedClientWhenSwapdbBringsItsKey() throws IOException {
        oracle.same("SELECT", "1");
        oracle.same("RPUSH", K[0], "hello");
        oracle.same("ZADD", K[1], "1", "m");
        oracle.same("SELECT", "0");
        Pair a = client();
        a.send("SELECT", "9");
        a.same();
        a.send("BRPOP", K[0], "0");
        Pair b = client();
        b.send("SELECT", "9");
        b.same();
        b.send("BZPOPMIN", K[1], "0");
        Pair c = client();
        c.send("SELECT", "9");
        c.same();
        c.send("BLPOP", K[2], "0"); // no such key in database 1: stays blocked
        awaitBlocked(3);
        oracle.same("SWAPDB", "1", "9");
        a.same();
        b.same();
        awaitBlocked(1);
        oracle.same("SELECT", "9");
        oracle.same("RPUSH", K[2], "x");
        c.same();
        oracle.same("EXISTS", K[0], K[1], K[2]);
        oracle.same("SELECT", "0");
        oracle.same("FLUSHALL");
    }

    @Test
    void shouldWakeABlockedClientWithAnotherClientsPush() throws IOException {
        Pair a = client();
        a.send("BLPOP", K[0], K[1], K[2], "0");
        awaitBlocked(1);
        oracle.same("RPUSH", K[2], "x", "y");
        assertEquals("*2\r\n$" + K[2].length() + "\r\n" + K[2] + "\r\n$1\r\nx\r\n", a.same());
        oracle.same("LRANGE", K[2], "0", "-1");
        a.send("BZPOPMAX", K[1], K[0], "0");
        awaitBlocked(1);
        oracle.same("ZADD", K[0], "1", "a", "2", "b");
        a.same();
        a.send("BLMPOP", "0", "2", K[1], K[2], "RIGHT", "COUNT", "3");
        a.send("PING");
        awaitBlocked(0); // K[2] still had y
        a.same();
        a.same();
        a.send("BZMPOP", "0", "1", K[1], "MAX", "COUNT", "2");
        awaitBlocked(1);
        oracle.same("ZADD", K[1], "1", "a", "2", "b", "3", "c");
        a.same();
        oracle.same("ZRANGE", K[1], "0", "-1", "WITHSCORES");
    }

    @Test
    void shouldServeWaitersOfAKeyInTheOrderTheyBlocked() throws IOException {
        Pair a = client();
        Pair b = client();
        Pair c = client();
        a.send("BLPOP", K[1], "0");
        awaitBlocked(1);
        b.send("BRPOP", K[0], K[1], "0");
        awaitBlocked(2);
        c.send("BLPOP", K[2], K[1], "0");
        awaitBlocked(3);
        oracle.same("LPUSH", K[1], "1", "2");
        a.same();
        b.same();
        awaitBlocked(1);
        oracle.same("LLEN", K[1]);
        oracle.same("RPUSH", K[1], "3", "4", "5");
        c.same();
        oracle.same("LRANGE", K[1], "0", "-1");
        // LPUSH of three elements with two waiters serves both, in order, and leaves one.
        a.send("BLPOP", K[0], "0");
        awaitBlocked(1);
        b.send("BLPOP", K[0], "0");
        awaitBlocked(2);
        oracle.same("LPUSH", K[0], "x", "y", "z");
        a.same();
        b.same();
        oracle.same("LRANGE", K[0], "0", "-1");
    }

    @Test
    void shouldMoveToADestinationOnAnotherShardOnceTheSourceGetsAnElement() throws IOException {
        Pair a = client();
        Pair b = client();
        a.send("BLMOVE", K[0], K[1], "LEFT", "RIGHT", "0");
        awaitBlocked(1);
        b.send("BRPOPLPUSH", K[1], K[2], "0");
        awaitBlocked(2);
        oracle.same("RPUSH", K[0], "e1", "e2");
        a.same(); // e1 moved to K[1]
        b.same(); // and from there to K[2]
        oracle.same("LRANGE", K[0], "0", "-1");
        oracle.same("LRANGE", K[1], "0", "-1");
        oracle.same("LRANGE", K[2], "0", "-1");
        a.send("BLMOVE", K[1], K0B, "RIGHT", "LEFT", "0"); // same shard? no: shard 1 to 0
        awaitBlocked(1);
        oracle.same("LPUSH", K[1], "f");
        a.same();
        oracle.same("LRANGE", K0B, "0", "-1");
    }

    @Test
    void shouldAnswerWrongTypeToAWokenMoveWhoseDestinationIsNotAList() throws IOException {
        Pair a = client();
        Pair b = client();
        oracle.same("SET", K0B, "string");
        oracle.same("SET", K[2], "string");
        a.send("BLMOVE", K[0], K0B, "LEFT", "LEFT", "0"); // same shard
        awaitBlocked(1);
        b.send("BLMOVE", K[0], K[2], "LEFT", "LEFT", "0"); // another shard
        awaitBlocked(2);
        oracle.same("RPUSH", K[0], "a");
        a.same();
        b.same();
        oracle.same("LRANGE", K[0], "0", "-1");
    }

    @Test
    void shouldNeverBlockInsideMulti() throws IOException {
        oracle.same("MULTI");
        oracle.same("BLPOP", K[0], K[1], "0");
        oracle.same("BLMOVE", K[0], K[2], "LEFT", "LEFT", "0");
        oracle.same("BZPOPMIN", K[2], "0");
        oracle.same("BLMPOP", "0", "1", K[0], "LEFT");
        oracle.same("BZMPOP", "0", "1", K[0], "MIN");
        oracle.same("RPUSH", K[0], "x");
        oracle.same("BRPOP", K[1], K[0], "0");
        oracle.same("EXEC");
        oracle.same("MULTI");
        oracle.same("RPUSH", K0B, "a", "b");
        oracle.same("BLPOP", K0B, "0");
        oracle.same("BLMOVE", K0B, K0B, "LEFT", "RIGHT", "0");
        oracle.same("BLPOP", K0B, "abc");
        oracle.same("EXEC");
        oracle.same("LRANGE", K0B, "0", "-1");
    }

    @Test
    void shouldServeAWaiterAfterTheTransactionThatPushed() throws IOException {
        Pair a = client();
        a.send("BLPOP", K[0], "0");
        awaitBlocked(1);
        oracle.same("MULTI");
        oracle.same("RPUSH", K[0], "x", "y");
        oracle.same("LPOP", K[0]);
        oracle.same("EXEC");
        a.same();
        oracle.same("LRANGE", K[0], "0", "-1");
    }

    @Test
    void shouldUnblockAClientWithClientUnblock() throws IOException {
        Pair a = client();
        String theirId = a.theirs.call("CLIENT", "ID");
        String ourId = a.ours.call("CLIENT", "ID");
        String[] notBlocked = oracle.each(new String[] {"CLIENT", "UNBLOCK", id(theirId)},
            new String[] {"CLIENT", "UNBLOCK", id(ourId)});
        assertEquals(notBlocked[0], notBlocked[1]);
        a.send("BLPOP", K[0], K[1], "0");
        awaitBlocked(1);
        String[] r = oracle.each(new String[] {"CLIENT", "UNBLOCK", id(theirId)},
            new String[] {"CLIENT", "UNBLOCK", id(ourId)});
        assertEquals(r[0], r[1]);
        a.same();
        a.send("BZPOPMIN", K[2], "0");
        awaitBlocked(1);
        r = oracle.each(new String[] {"CLIENT", "UNBLOCK", id(theirId), "ERROR"},
            new String[] {"CLIENT", "UNBLOCK", id(ourId), "error"});
        assertEquals(r[0], r[1]);
        a.same();
        oracle.same("RPUSH", K[0], "kept");
        oracle.same("LRANGE", K[0], "0", "-1");
    }

    @Test
    void shouldReportBlockedClientsInInfoAndClientList() throws IOException {
        Pair a = client();
        Pair b = client();
        a.send("BLPOP", K[0], "30");
        b.send("BZPOPMIN", K[1], K[2], "0");
        awaitBlocked(2);
        String[] info = oracle.both("INFO", "clients");
        assertEquals(line(info[0], "clients_in_timeout_table"), line(info[1], "clients_in_timeout_table"));
        String[] list = oracle.both("CLIENT", "LIST");
        assertEquals(count(list[0], "flags=b "), count(list[1], "flags=b "));
        assertEquals(2, count(list[1], "flags=b "));
        oracle.same("RPUSH", K[0], "v");
        a.same();
        oracle.same("ZADD", K[2], "1", "m");
        b.same();
    }

    private static String line(String info, String field) {
        for (String l : info.split("\r\n")) {
            if (l.startsWith(field + ":")) {
                return l;
            }
        }
        return null;
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void shouldNotGiveAnElementToAClientThatLeft() throws IOException {
        Pair a = client();
        a.send("BLPOP", K[1], "0");
        awaitBlocked(1);
        a.close();
        awaitBlocked(0);
        Pair b = client();
        b.send("BLPOP", K[1], K[2], "0");
        awaitBlocked(1);
        oracle.same("RPUSH", K[1], "only");
        b.same();
        oracle.same("RPUSH", K[1], "next");
        oracle.same("LRANGE", K[1], "0", "-1");
    }

    private static String id(String reply) {
        return reply.substring(1).trim();
    }
}
