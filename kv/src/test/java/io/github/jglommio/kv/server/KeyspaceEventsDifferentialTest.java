package io.github.jglommio.kv.server;

import org.junit.jupiter.api.AfterAll;
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
 * Keyspace notifications against redis-server 7.0, byte for byte: a subscriber on each server with
 * {@code PSUBSCRIBE __key*__:*}, the same commands on both, and the same frames in the same order,
 * for every command family, expiry (active and lazy), MULTI/EXEC, numbered databases and subsets of
 * the event classes; also {@code notify-keyspace-events}' CONFIG GET normalisation and its error.
 * One shard, so that the order of events of different keys is Redis's too
 * ({@link KeyspaceEventsShardsTest} covers several).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KeyspaceEventsDifferentialTest {
    @TempDir
    static Path dir;
    static Oracle oracle;

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(Oracle.available(), Oracle.MISSING);
        oracle = Oracle.start(dir, 1);
    }

    @AfterAll
    static void stop() throws IOException {
        if (oracle != null) {
            oracle.close();
        }
    }

    @BeforeEach
    void clean() throws IOException {
        oracle.same("CONFIG", "SET", "notify-keyspace-events", "");
        oracle.same("FLUSHALL");
    }

    /** A subscriber to every keyspace channel on each server. */
    static final class Listener implements AutoCloseable {
        final PubSubPair pair;

        Listener(Oracle o) throws IOException {
            pair = new PubSubPair(o);
            pair.same(1, "PSUBSCRIBE", "__key*__:*");
        }

        /** The frames each side received since the last call, Redis's first: Redis's up to a PING's answer, as many of ours. */
        List<List<String>> drain() throws IOException {
            List<String> theirs = untilPong(pair.theirs);
            List<String> ours = new ArrayList<>();
            for (int i = 0; i < theirs.size(); i++) {
                ours.add(pair.ours.reply());
            }
            List<String> oursAfter = untilPong(pair.ours);
            assertEquals(List.of(), oursAfter, "frames of ours beyond Redis's");
            return List.of(theirs, ours);
        }

        /** Asserts that both received the same frames, in the same order, since the last call. */
        void same(String what) throws IOException {
            List<List<String>> both = drain();
            assertEquals(String.join("", both.get(0)), String.join("", both.get(1)), () -> "events of " + what);
        }

        private static List<String> untilPong(RespClient c) throws IOException {
            c.send("PING", "mark");
            String bulk = "$4\r\nmark\r\n";
            String pong = "*2\r\n$4\r\npong\r\n" + bulk;
            List<String> out = new ArrayList<>();
            String f;
            while (!(f = c.reply()).equals(pong) && !f.equals(bulk)) {
                out.add(f);
            }
            return out;
        }

        @Override
        public void close() throws IOException {
            pair.close();
        }
    }

    /** Runs each command on both (same replies), then asserts the subscribers saw the same events. */
    static void run(Listener l, String flags, String[]... commands) throws IOException {
        oracle.same("CONFIG", "SET", "notify-keyspace-events", flags);
        for (String[] c : commands) {
            oracle.same(c);
        }
        l.same(flags + " " + describe(commands));
    }

    static String describe(String[]... commands) {
        StringBuilder s = new StringBuilder();
        for (String[] c : commands) {
            s.append(String.join(" ", c)).append("; ");
        }
        return s.toString();
    }

    static String[] c(String... args) {
        return args;
    }

    @Test
    void shouldNormaliseTheSettingAsRedisDoes() throws IOException {
        for (String v : new String[] {"KEA", "A", "Ex", "", "K", "gE", "$lshzxetdmnKE", "AKEmn", "Kg$", "AA", "xxKE",
                "gA", "nK", "mKE", "g$lshzxetdK", "g$lshzxetK", "Egx", "KEA$"}) {
            oracle.same("CONFIG", "SET", "notify-keyspace-events", v);
            oracle.same("CONFIG", "GET", "notify-keyspace-events");
        }
        oracle.same("CONFIG", "SET", "notify-keyspace-events", "KEq");
        oracle.same("CONFIG", "SET", "notify-keyspace-events", "b");
        oracle.same("CONFIG", "SET", "notify-keyspace-events", "KE ");
        oracle.same("CONFIG", "GET", "notify-keyspace-events"); // unchanged by the refusals
        oracle.same("CONFIG", "SET", "notify-keyspace-events", "Ex", "maxclients", "0");
        oracle.same("CONFIG", "GET", "notify-keyspace-events"); // all or nothing
    }

    @Test
    void shouldPublishNothingWhenOffOrWithoutKOrE() throws IOException {
        try (Listener l = new Listener(oracle)) {
            run(l, "", c("SET", "a", "1"), c("DEL", "a"), c("LPUSH", "l", "x"));
            run(l, "A", c("SET", "a", "1"), c("DEL", "a"), c("LPUSH", "l", "x"));
            run(l, "K", c("SET", "a", "1"), c("DEL", "a"));
            run(l, "Kl", c("SET", "a", "1"), c("DEL", "a"), c("RPUSH", "l", "y"));
        }
    }

    @Test
    void shouldPublishStringEvents() throws IOException {
        try (Listener l = new Listener(oracle)) {
            run(l, "KEA",
                    c("SET", "a", "1"), c("SET", "a", "2", "EX", "100"), c("SET", "a", "3", "KEEPTTL"),
                    c("SET", "a", "4", "NX"), c("SET", "b", "4", "XX"), c("SET", "a", "5", "GET"),
                    c("SETEX", "b", "10", "x"), c("PSETEX", "b", "10000", "x"), c("GETSET", "b", "y"),
                    c("SETNX", "b", "z"), c("SETNX", "c", "z"), c("MSET", "a", "1", "c", "2"),
                    c("MSETNX", "x", "1", "y", "2"), c("MSETNX", "x", "1", "z", "2"), c("GETDEL", "x"),
                    c("GETDEL", "x"), c("GETEX", "y", "EX", "100"), c("GETEX", "y", "PERSIST"),
                    c("GETEX", "y", "PERSIST"), c("GETEX", "y", "PXAT", "1"), c("GETEX", "nokey", "EX", "1"),
                    c("APPEND", "s", "abc"), c("APPEND", "s", "d"), c("SETRANGE", "s", "1", "zz"),
                    c("SETRANGE", "s", "1", ""), c("SETRANGE", "s2", "0", ""), c("SETRANGE", "s3", "2", "x"),
                    c("INCR", "n"), c("INCRBY", "n", "3"), c("DECR", "n"), c("DECRBY", "n", "2"),
                    c("INCRBYFLOAT", "n", "1.5"), c("INCR", "s"));
        }
    }

    @Test
    void shouldPublishBitEvents() throws IOException {
        try (Listener l = new Listener(oracle)) {
            run(l, "KEA",
                    c("SETBIT", "bb", "3", "1"), c("SETBIT", "bb", "3", "1"), c("SETBIT", "bb", "100", "0"),
                    c("SETBIT", "k", "100", "0"), c("BITFIELD", "bf", "SET", "u8", "0", "5"),
                    c("BITFIELD", "bf", "SET", "u8", "0", "5"), c("BITFIELD", "bf", "GET", "u8", "0"),
                    c("BITFIELD", "bf2", "OVERFLOW", "FAIL", "INCRBY", "u2", "100", "4"),
                    c("BITFIELD", "bf", "INCRBY", "u8", "0", "1"), c("BITOP", "AND", "dst", "bb", "bf"),
                    c("BITOP", "AND", "dst", "nokey"), c("BITOP", "AND", "dst", "nokey"));
        }
    }

    @Test
    void shouldPublishGenericEvents() throws IOException {
        try (Listener l = new Listener(oracle)) {
            run(l, "KEA",
                    c("SET", "a", "1"), c("EXPIRE", "a", "100"), c("PEXPIRE", "a", "100000"),
                    c("EXPIREAT", "a", "9999999999"), c("PEXPIREAT", "a", "99999999999"),
                    c("EXPIRE", "a", "100", "NX"), c("EXPIRE", "nokey", "100"), c("PERSIST", "a"), c("PERSIST", "a"),
                    c("EXPIRE", "a", "-1"), c("SET", "a", "1"), c("PEXPIREAT", "a", "1"),
                    c("SET", "a", "1"), c("SET", "b", "2"), c("RENAME", "a", "b"), c("RENAME", "b", "b"),
                    c("SET", "c", "1"), c("RENAMENX", "b", "c"), c("RENAMENX", "b", "d"), c("MOVE", "d", "1"),
                    c("SET", "d", "x"), c("MOVE", "d", "1"), c("COPY", "d", "e"), c("COPY", "d", "e"),
                    c("COPY", "d", "e", "REPLACE"), c("COPY", "d", "e", "DB", "2"), c("DEL", "d", "e", "nokey"),
                    c("UNLINK", "c"), c("TOUCH", "b"), c("RPUSH", "l", "3", "1", "2"),
                    c("SORT", "l", "STORE", "sl"), c("SORT", "nokey", "STORE", "sl"),
                    c("SORT", "nokey", "STORE", "sl"), c("FLUSHDB"));
        }
    }

    @Test
    void shouldPublishListEvents() throws IOException {
        try (Listener l = new Listener(oracle)) {
            run(l, "KEA",
                    c("LPUSH", "l", "a", "b", "c"), c("RPUSH", "l", "d"), c("LPUSHX", "l", "e"),
                    c("RPUSHX", "nol", "e"), c("LINSERT", "l", "BEFORE", "a", "x"),
                    c("LINSERT", "l", "BEFORE", "zz", "x"), c("LSET", "l", "0", "y"), c("LREM", "l", "1", "y"),
                    c("LREM", "l", "1", "nothere"), c("LTRIM", "l", "0", "-1"), c("LTRIM", "l", "0", "1"),
                    c("LTRIM", "l", "5", "10"), c("LTRIM", "nol", "0", "1"), c("RPUSH", "l", "a", "b", "c", "d"),
                    c("LPOP", "l"), c("RPOP", "l", "2"), c("LPOP", "l", "0"), c("LPOP", "l", "5"),
                    c("LPOP", "l"), c("RPUSH", "s", "a", "b"), c("LMOVE", "s", "d", "LEFT", "RIGHT"),
                    c("LMOVE", "s", "d", "LEFT", "LEFT"), c("RPUSH", "s", "a"), c("RPOPLPUSH", "s", "s"),
                    c("RPOPLPUSH", "s", "t"), c("RPUSH", "m", "a", "b"), c("LMPOP", "2", "no", "m", "LEFT", "COUNT", "5"),
                    c("RPUSH", "m", "a", "b"), c("BLPOP", "m", "1"), c("BRPOP", "m", "1"), c("RPUSH", "m", "a"),
                    c("BLMOVE", "m", "n", "RIGHT", "LEFT", "1"), c("BRPOPLPUSH", "n", "m", "1"),
                    c("RPUSH", "m2", "a", "b"), c("BLMPOP", "1", "2", "m2", "x", "RIGHT", "COUNT", "1"));
        }
    }

    @Test
    void shouldPublishTheEventsOfAPopThatAWriteWakes() throws IOException {
        try (Listener l = new Listener(oracle)) {
            oracle.same("CONFIG", "SET", "notify-keyspace-events", "KEA");
            // The blocked client's pop runs right after the push that fed it, as in Redis.
            String[] blpop = {"BLPOP", "wl", "10"};
            RespClient theirs = new RespClient(oracle.theirPort());
            RespClient ours = new RespClient(oracle.ours().port());
            Oracle.negotiate(theirs, ours);
            theirs.send(blpop);
            ours.send(blpop);
            awaitBlocked();
            oracle.same("RPUSH", "wl", "x", "y");
            assertEquals(theirs.reply(), ours.reply());
            l.same("RPUSH that serves a BLPOP");
            theirs.close();
            ours.close();
        }
    }

    private static void awaitBlocked() throws IOException {
        while (true) {
            String[] r = oracle.both("INFO", "clients");
            if (r[0].contains("blocked_clients:1") && r[1].contains("blocked_clients:1")) {
                return;
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void shouldPublishSetEvents() throws IOException {
        try (Listener l = new Listener(oracle)) {
            run(l, "KEA",
                    c("SADD", "s", "a", "b", "c"), c("SADD", "s", "a"), c("SREM", "s", "a", "zz"), c("SREM", "s", "zz"),
                    c("SADD", "one", "x"), c("SPOP", "one"), c("SADD", "one", "x"), c("SPOP", "one", "2"),
                    c("SPOP", "s", "0"), c("SPOP", "nokey"), c("SADD", "a", "1", "2"), c("SADD", "b", "2", "3"),
                    c("SMOVE", "a", "b", "2"), c("SMOVE", "a", "b", "1"), c("SMOVE", "a", "b", "1"),
                    c("SADD", "a", "1"), c("SMOVE", "a", "a", "1"), c("SMOVE", "a", "c", "1"),
                    c("SINTERSTORE", "d", "b", "c"), c("SUNIONSTORE", "d", "b", "c"), c("SDIFFSTORE", "d", "b", "b"),
                    c("SINTERSTORE", "d", "b", "nokey"), c("SADD", "e", "1"), c("SREM", "e", "1"));
        }
    }

    @Test
    void shouldPublishHashEvents() throws IOException {
        try (Listener l = new Listener(oracle)) {
            run(l, "KEA",
                    c("HSET", "h", "f", "1", "g", "2"), c("HSET", "h", "f", "1"), c("HMSET", "h", "f", "3"),
                    c("HSETNX", "h", "f", "1"), c("HSETNX", "h", "q", "1"), c("HINCRBY", "h", "n", "1"),
                    c("HINCRBYFLOAT", "h", "n", "1.5"), c("HDEL", "h", "f", "g", "nn"), c("HDEL", "h", "nn"),
                    c("HDEL", "h", "q", "n"), c("HINCRBY", "h2", "n", "5"));
        }
    }

    @Test
    void shouldPublishSortedSetEvents() throws IOException {
        try (Listener l = new Listener(oracle)) {
            run(l, "KEA",
                    c("ZADD", "z", "1", "a", "2", "b", "3", "c"), c("ZADD", "z", "1", "a"), c("ZADD", "z", "XX", "5", "a"),
                    c("ZADD", "z", "INCR", "1", "a"), c("ZADD", "z", "NX", "INCR", "1", "a"),
                    c("ZADD", "z", "INCR", "0", "a"), c("ZINCRBY", "z", "1", "b"), c("ZREM", "z", "a", "zz"),
                    c("ZREM", "z", "zz"), c("ZREMRANGEBYSCORE", "z", "0", "2"), c("ZADD", "z", "1", "a", "2", "b"),
                    c("ZREMRANGEBYSCORE", "z", "0", "1"), c("ZREMRANGEBYRANK", "z", "0", "0"),
                    c("ZREMRANGEBYRANK", "nokey", "0", "0"), c("ZADD", "y", "0", "a", "0", "b"),
                    c("ZREMRANGEBYLEX", "y", "[a", "[a"), c("ZREMRANGEBYLEX", "y", "-", "+"),
                    c("ZADD", "z", "1", "a", "2", "b", "3", "d"), c("ZPOPMIN", "z"), c("ZPOPMIN", "z", "0"),
                    c("ZPOPMAX", "z", "5"), c("ZADD", "z", "1", "a", "2", "b"), c("BZPOPMIN", "z", "1"),
                    c("BZPOPMAX", "z", "1"), c("ZADD", "z", "1", "a", "2", "b"), c("ZMPOP", "1", "z", "MIN", "COUNT", "1"),
                    c("BZMPOP", "1", "1", "z", "MAX", "COUNT", "5"), c("ZADD", "p", "1", "a", "2", "b"),
                    c("ZADD", "q", "2", "b", "3", "c"), c("ZRANGESTORE", "d", "p", "0", "-1"),
                    c("ZRANGESTORE", "d", "p", "5", "6"), c("ZUNIONSTORE", "d", "2", "p", "q"),
                    c("ZINTERSTORE", "d", "2", "p", "q"), c("ZDIFFSTORE", "d", "2", "p", "q"),
                    c("ZDIFFSTORE", "d", "2", "p", "p"), c("ZDIFFSTORE", "d", "2", "p", "p"),
                    c("ZADD", "zz", "GT", "1", "m"), c("ZADD", "zz", "GT", "0", "m"));
        }
    }

    @Test
    void shouldPublishNewKeyEvents() throws IOException {
        try (Listener l = new Listener(oracle)) {
            run(l, "KEAn",
                    c("SET", "a", "1"), c("SET", "a", "2"), c("LPUSH", "l", "x"), c("RPUSH", "l", "y"),
                    c("HSET", "h", "f", "v"), c("SADD", "s", "m"), c("ZADD", "z", "1", "m"), c("INCR", "n"),
                    c("APPEND", "ap", "x"), c("SETRANGE", "sr", "2", "x"), c("SETBIT", "sb", "1", "1"),
                    c("RENAME", "a", "b"), c("SET", "c", "1"), c("RENAME", "b", "c"), c("COPY", "c", "d"),
                    c("COPY", "c", "d", "REPLACE"), c("MOVE", "d", "1"), c("SINTERSTORE", "e", "s", "s"),
                    c("ZUNIONSTORE", "zd", "1", "z"), c("MSET", "m1", "1", "m2", "2"), c("RPUSH", "src", "q"),
                    c("LMOVE", "src", "dst", "LEFT", "LEFT"), c("SMOVE", "s", "s2", "m"),
                    c("HINCRBY", "hi", "f", "1"), c("ZINCRBY", "zi", "1", "m"), c("BITOP", "OR", "bo", "sb"),
                    c("SET", "ex", "1", "EX", "100"), c("GETSET", "gs", "1"), c("SETNX", "snx", "1"));
            run(l, "n", c("SET", "only-new", "1"), c("SET", "only-new", "2"), c("DEL", "only-new"));
        }
    }

    @Test
    void shouldPublishSubsetsOfTheClasses() throws IOException {
        String[][] mix = {c("SET", "a", "1", "EX", "100"), c("LPUSH", "l", "x"), c("DEL", "a"), c("SADD", "s", "m"),
                c("HSET", "h", "f", "v"), c("ZADD", "z", "1", "m"), c("LPOP", "l"), c("EXPIRE", "s", "100")};
        try (Listener l = new Listener(oracle)) {
            for (String flags : new String[] {"Egx", "K$", "El", "Ksh", "Ez", "Kg", "E$lshz"}) {
                oracle.same("FLUSHALL");
                run(l, flags, mix);
            }
        }
    }

    @Test
    void shouldNameTheDatabaseOfTheKey() throws IOException {
        try (Listener l = new Listener(oracle)) {
            run(l, "KEA", c("SELECT", "3"), c("SET", "a", "1"), c("MOVE", "a", "5"), c("SELECT", "5"), c("DEL", "a"),
                    c("SELECT", "0"), c("SET", "b", "1"), c("COPY", "b", "b", "DB", "7"));
        }
    }

    @Test
    void shouldPublishTheEventsOfATransactionInItsOrder() throws IOException {
        try (Listener l = new Listener(oracle)) {
            run(l, "KEA", c("MULTI"), c("SET", "a", "1"), c("LPUSH", "l", "x", "y"), c("RENAME", "a", "b"),
                    c("DEL", "b", "l"), c("SADD", "s", "1"), c("EXEC"));
            run(l, "KEA", c("MULTI"), c("SET", "a", "1"), c("DISCARD"));
            // A transaction a watched key aborts publishes nothing.
            oracle.same("WATCH", "w");
            oracle.same("SET", "w", "changed");
            l.same("SET of the watched key");
            run(l, "KEA", c("MULTI"), c("SET", "a", "2"), c("EXEC"));
        }
    }

    @Test
    void shouldPublishExpiredWhenTheActiveCycleOrAnAccessFindsAKeyDead() throws IOException {
        try (Listener l = new Listener(oracle)) {
            oracle.same("CONFIG", "SET", "notify-keyspace-events", "KEA");
            // The active cycle: nobody touches the key (one at a time: the cycle's order is its table's).
            oracle.same("SET", "k1", "v", "PX", "30");
            awaitEmpty();
            l.same("the active expiry of k1");
            oracle.same("HSET", "k2", "f", "v");
            oracle.same("PEXPIRE", "k2", "40");
            awaitEmpty();
            l.same("the active expiry of k2");
            // A time already past: Redis keeps the key until its cycle or an access finds it dead.
            oracle.same("SET", "k5", "v", "PXAT", "1");
            awaitEmpty();
            l.same("SET PXAT in the past");
            // On access: whichever finds it dead first, the events are the same.
            oracle.same("SET", "k3", "v", "PX", "20");
            sleep(60);
            oracle.same("GET", "k3");
            oracle.same("SET", "k3", "again");
            l.same("the expiry of k3 on access");
            // Only 'x': just the expired events.
            oracle.same("CONFIG", "SET", "notify-keyspace-events", "Ex");
            oracle.same("SET", "k4", "v", "PX", "20");
            sleep(60);
            oracle.same("EXISTS", "k4");
            l.same("Ex and an expiry");
        }
    }

    private static void awaitEmpty() throws IOException {
        while (true) {
            // DBSIZE counts dead keys nobody reclaimed yet; it reads as 0 only once both cycles ran.
            String[] r = oracle.both("DBSIZE");
            if (r[0].equals(":0\r\n") && r[1].equals(":0\r\n")) {
                return;
            }
            sleep(10);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void shouldDeliverToPatternAndChannelSubscribersAlike() throws IOException {
        try (PubSubPair s = new PubSubPair(oracle)) {
            s.same(1, "SUBSCRIBE", "__keyevent@0__:del", "__keyspace@0__:a");
            s.same(1, "PSUBSCRIBE", "__keyevent@*__:set");
            oracle.same("CONFIG", "SET", "notify-keyspace-events", "KEA");
            oracle.same("SET", "a", "1");
            oracle.same("DEL", "a");
            s.next(4, "SET a; DEL a"); // keyspace set, pattern keyevent set, keyspace del, keyevent del
        }
    }
}
