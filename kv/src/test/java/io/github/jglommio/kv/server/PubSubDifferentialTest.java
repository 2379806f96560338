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
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Pub/sub against redis-server 7.0, byte for byte: the confirmation frames and their counts,
 * messages and pattern messages, PUBLISH's receiver count, subscribed mode's refusals, PUBSUB's
 * introspection and the shard-channel commands. Three shards, with channels that hash to each of
 * them, so that no reply may show that the server is sharded.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PubSubDifferentialTest {
    @TempDir
    static Path dir;
    private static Oracle oracle;

    /** Channel names, one hashing to each of the three shards (as a key would). */
    private static final String[] CH = {on(0, "news"), on(1, "news"), on(2, "news")};

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
    void nothingSubscribed() throws IOException {
        // Every test closes its subscribers; wait until both servers saw the closes.
        awaitSame("PUBSUB", "NUMPAT");
        awaitSame("PUBSUB", "CHANNELS");
        awaitSame("PUBSUB", "SHARDCHANNELS");
    }

    /** A name starting with {@code prefix} that hashes to {@code shard} of 3. */
    static String on(int shard, String prefix) {
        for (int i = 0; ; i++) {
            String name = prefix + ":" + i;
            if (KeyHash.shardOf(name.getBytes(StandardCharsets.UTF_8), 3) == shard) {
                return name;
            }
        }
    }

    /** Repeats {@code args} until both servers answer the same (a close is seen asynchronously by both). */
    private static void awaitSame(String... args) throws IOException {
        while (true) {
            String[] r = oracle.both(args);
            if (r[0].equals(r[1])) {
                return;
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void shouldConfirmEachSubscriptionWithTheRunningCount() throws IOException {
        try (PubSubPair s = new PubSubPair(oracle)) {
            s.same(3, "SUBSCRIBE", CH[0], CH[1], CH[0]);
            s.same(2, "PSUBSCRIBE", "news:*", "h?llo");
            s.same(1, "SUBSCRIBE", CH[2]);
            s.same(2, "UNSUBSCRIBE", "not-subscribed", CH[1]);
            s.same(1, "PUNSUBSCRIBE", "h?llo");
            s.sameUnordered(2, "UNSUBSCRIBE");
            s.same(1, "PUNSUBSCRIBE");
            s.same(1, "UNSUBSCRIBE");
            s.same(1, "PUNSUBSCRIBE");
            // Out of subscribed mode: an ordinary reply again.
            s.same(1, "PING");
        }
    }

    @Test
    void shouldAnswerANilFrameWhenUnsubscribingFromNothing() throws IOException {
        try (PubSubPair s = new PubSubPair(oracle)) {
            s.same(1, "UNSUBSCRIBE");
            s.same(1, "PUNSUBSCRIBE");
            s.same(1, "SUNSUBSCRIBE");
            s.same(2, "UNSUBSCRIBE", "x", "y");
            s.same(1, "GET", "k");
        }
    }

    @Test
    void shouldRefuseOtherCommandsInSubscribedMode() throws IOException {
        try (PubSubPair s = new PubSubPair(oracle)) {
            s.same(1, "SUBSCRIBE", CH[1]);
            s.same(1, "GET", "k");
            s.same(1, "SET", "k", "v");
            s.same(1, "PUBLISH", CH[1], "m");
            s.same(1, "PUBSUB", "NUMPAT");
            s.same(1, "CLIENT", "LIST");
            s.same(1, "CONFIG", "GET", "maxclients");
            s.same(1, "MULTI");
            s.same(1, "SELECT", "0");
            s.same(1, "DBSIZE");
            // Redis answers these errors before the subscribed-mode one.
            s.same(1, "GETT", "k");
            s.same(1, "GET");
            s.same(1, "CLIENT", "NOSUCH");
            s.same(1, "CONFIG", "GET");
            s.same(1, "SUBSCRIBE");
            s.same(1, "PING", "a", "b");
            // Allowed: PING answers a frame.
            s.same(1, "PING");
            s.same(1, "PING", "hello");
            s.same(1, "PSUBSCRIBE", "x*");
            s.same(1, "PUNSUBSCRIBE", "x*");
            // RESET leaves subscribed mode, without frames.
            s.same(1, "RESET");
            s.same(1, "GET", "k");
            s.same(1, "PING");
        }
        oracle.same("PUBSUB", "NUMSUB", CH[1]);
    }

    @Test
    void shouldSubscribeInsideMultiAndUnderClientReplyOff() throws IOException {
        try (PubSubPair s = new PubSubPair(oracle)) {
            s.same(1, "MULTI");
            s.same(1, "SUBSCRIBE", CH[0], CH[1]);
            s.same(1, "PING");
            s.same(1, "PUBSUB", "NUMSUB", CH[0]);
            // The EXEC array of three holds the two confirmation frames (so its last reply, NUMSUB's,
            // reads as a frame of its own), and PING answers as subscribed.
            s.same(2, "EXEC");
            oracle.same("PUBLISH", CH[1], "after exec");
            s.next(1, "PUBLISH after exec");
            s.same(1, "RESET");
            // Frames are pushed even when replies are off; the refusal of CLIENT REPLY ON is not.
            s.theirs.send("CLIENT", "REPLY", "OFF");
            s.ours.send("CLIENT", "REPLY", "OFF");
            s.same(1, "SUBSCRIBE", CH[2]);
            oracle.same("PUBLISH", CH[2], "while off");
            s.next(1, "PUBLISH while off");
            s.theirs.send("CLIENT", "REPLY", "ON");
            s.ours.send("CLIENT", "REPLY", "ON");
            s.same(1, "RESET");
            s.same(1, "QUIT");
            assertEquals(true, s.theirs.closedByServer());
            assertEquals(true, s.ours.closedByServer());
        }
    }

    @Test
    void shouldPublishFromATransactionOnlyWhenItRuns() throws IOException {
        String k0 = on(0, "key");
        String k1 = on(1, "key");
        try (PubSubPair s = new PubSubPair(oracle); PubSubPair p = new PubSubPair(oracle);
             PubSubPair other = new PubSubPair(oracle)) {
            s.same(3, "SUBSCRIBE", CH[0], CH[1], CH[2]);
            // Keys on one shard.
            p.same(1, "MULTI");
            p.same(1, "PUBLISH", CH[0], "in multi");
            p.same(1, "SET", k0, "v");
            p.same(1, "PUBLISH", CH[2], "in multi too");
            p.same(1, "EXEC");
            s.next(2, "PUBLISH in MULTI");
            // Keys on two shards: a cross-shard transaction.
            p.same(1, "MULTI");
            p.same(1, "SET", k0, "v");
            p.same(1, "PUBLISH", CH[1], "cross-shard");
            p.same(1, "SET", k1, "v");
            p.same(1, "EXEC");
            s.next(1, "PUBLISH in a cross-shard MULTI");
            // A watched key changed: nothing is published.
            p.same(1, "WATCH", k0);
            other.same(1, "SET", k0, "changed");
            p.same(1, "MULTI");
            p.same(1, "PUBLISH", CH[0], "never");
            p.same(1, "EXEC");
            p.same(1, "PUBLISH", CH[0], "marker");
            s.next(1, "PUBLISH after an aborted MULTI");
        }
    }

    @Test
    void shouldLeaveSubscribedModeOnlyWhenTheLastSubscriptionEnds() throws IOException {
        try (PubSubPair s = new PubSubPair(oracle)) {
            s.same(1, "PSUBSCRIBE", "p*");
            s.same(1, "SSUBSCRIBE", CH[2]);
            s.same(1, "PUNSUBSCRIBE");
            s.same(1, "GET", "k");
            s.same(1, "SUNSUBSCRIBE");
            s.same(1, "GET", "k");
        }
    }

    @Test
    void shouldDeliverMessagesAndCountEveryReceiver() throws IOException {
        try (PubSubPair a = new PubSubPair(oracle); PubSubPair b = new PubSubPair(oracle)) {
            a.same(3, "SUBSCRIBE", CH[0], CH[1], CH[2]);
            b.same(1, "PSUBSCRIBE", "news:*");
            for (String ch : CH) {
                // a by its channel, b by its pattern.
                oracle.same("PUBLISH", ch, "hello " + ch);
                a.next(1, "PUBLISH " + ch);
                b.next(1, "PUBLISH " + ch);
            }
            oracle.same("PUBLISH", "elsewhere", "nobody");
            oracle.same("PUBLISH", "news:", "");
            b.next(1, "PUBLISH news:");
            // A connection subscribed to a channel and a matching pattern gets both, and counts twice.
            a.same(1, "PSUBSCRIBE", "*:[0-9]*");
            oracle.same("PUBLISH", CH[1], "twice");
            a.next(2, "PUBLISH twice");
            b.next(1, "PUBLISH twice");
            // Glob syntax as KEYS: escapes, sets, negated sets, ranges.
            b.same(1, "PSUBSCRIBE", "a\\*b");
            b.same(1, "PSUBSCRIBE", "[^x]y[a-c]");
            for (String ch : new String[] {"a*b", "axb", "zyb", "xyb", "zyd"}) {
                oracle.same("PUBLISH", ch, "glob");
            }
            b.next(2, "glob messages");
            // Binary-safe channel and message.
            a.same(1, "SUBSCRIBE", "bin\r\nary");
            oracle.same("PUBLISH", "bin\r\nary", "\u0000\r\n\u00ff");
            a.next(1, "binary message");
        }
    }

    @Test
    void shouldAgreeWithRedisOverARandomMixOfSubscriptionsAndMessages() throws IOException {
        java.util.Random random = new java.util.Random(20260703);
        String[] channels = {CH[0], CH[1], CH[2], "news:x", "other"};
        String[] patterns = {"news:*", "*", "n?ws:[0-9]*", "o*"};
        PubSubPair[] subs = new PubSubPair[4];
        try {
            for (int i = 0; i < subs.length; i++) {
                subs[i] = new PubSubPair(oracle);
            }
            for (int step = 0; step < 300; step++) {
                int who = random.nextInt(subs.length);
                PubSubPair s = subs[who];
                int what = random.nextInt(10);
                String ch = channels[random.nextInt(channels.length)];
                String pat = patterns[random.nextInt(patterns.length)];
                String kind = random.nextBoolean() ? "" : "S";
                switch (what) {
                    case 0, 1 -> s.same(2, kind + "SUBSCRIBE", ch, channels[random.nextInt(channels.length)]);
                    case 2 -> s.same(1, kind + "UNSUBSCRIBE", ch);
                    case 3 -> s.same(1, "PSUBSCRIBE", pat);
                    case 4 -> s.same(1, "PUNSUBSCRIBE", pat);
                    default -> {
                        oracle.same(kind.isEmpty() ? "PUBLISH" : "SPUBLISH", ch, "m" + step);
                        oracle.same("PUBSUB", "NUMSUB", ch);
                        oracle.same("PUBSUB", "SHARDNUMSUB", ch);
                        oracle.same("PUBSUB", "NUMPAT");
                    }
                }
                for (int i = 0; i < subs.length; i++) {
                    subs[i].sameUntilPong("step " + step + ", subscriber " + i);
                }
            }
            oracle.sameUnordered(false, "PUBSUB", "CHANNELS");
            oracle.sameUnordered(false, "PUBSUB", "SHARDCHANNELS");
        } finally {
            for (PubSubPair s : subs) {
                if (s != null) {
                    s.close();
                }
            }
        }
    }

    @Test
    void shouldAnswerPubSubIntrospection() throws IOException {
        try (PubSubPair a = new PubSubPair(oracle); PubSubPair b = new PubSubPair(oracle)) {
            a.same(4, "SUBSCRIBE", CH[0], CH[1], CH[2], "other");
            a.same(2, "PSUBSCRIBE", "news:*", "o*");
            b.same(2, "SUBSCRIBE", CH[0], "solo");
            b.same(1, "PSUBSCRIBE", "news:*");
            oracle.sameUnordered(false, "PUBSUB", "CHANNELS");
            oracle.sameUnordered(false, "PUBSUB", "CHANNELS", "news:*");
            oracle.sameUnordered(false, "PUBSUB", "CHANNELS", "s?lo");
            oracle.same("PUBSUB", "CHANNELS", "nomatch*");
            oracle.same("PUBSUB", "NUMSUB", CH[0], CH[1], "solo", "none", "news:*");
            oracle.same("PUBSUB", "NUMSUB");
            oracle.same("PUBSUB", "NUMPAT");
            oracle.same("PUBSUB", "numpat");
            oracle.same("PUBSUB", "SHARDCHANNELS");
            oracle.same("PUBSUB", "SHARDNUMSUB", CH[0]);
            b.sameUnordered(2, "UNSUBSCRIBE");
            oracle.same("PUBSUB", "NUMSUB", CH[0], "solo");
            oracle.same("PUBSUB", "NUMPAT");
        }
    }

    @Test
    void shouldAnswerPubSubErrorsAsRedis() throws IOException {
        oracle.same("PUBSUB");
        oracle.same("PUBSUB", "NOSUCH");
        oracle.same("PUBSUB", "NUMPAT", "extra");
        oracle.same("PUBSUB", "CHANNELS", "a", "b");
        oracle.same("PUBSUB", "SHARDCHANNELS", "a", "b");
        oracle.same("PUBSUB", "HELP");
        oracle.same("PUBSUB", "help", "extra");
        oracle.same("PUBLISH");
        oracle.same("PUBLISH", "ch");
        oracle.same("PUBLISH", "ch", "m", "extra");
        oracle.same("SPUBLISH", "ch");
        oracle.same("SUBSCRIBE");
        oracle.same("PSUBSCRIBE");
        oracle.same("SSUBSCRIBE");
        // PUBSUB itself lists its subcommands in the order of Redis's hash table, which varies per process.
        for (String name : new String[] {"subscribe", "unsubscribe", "psubscribe", "punsubscribe", "publish",
                "ssubscribe", "sunsubscribe", "spublish", "pubsub|channels", "pubsub|numsub", "pubsub|numpat",
                "pubsub|help", "pubsub|shardchannels", "pubsub|shardnumsub"}) {
            oracle.same("COMMAND", "INFO", name);
        }
        oracle.same("COMMAND", "GETKEYS", "SPUBLISH", "ch", "m");
        oracle.same("COMMAND", "GETKEYS", "SSUBSCRIBE", "a", "b");
    }

    @Test
    void shouldKeepShardChannelsApart() throws IOException {
        try (PubSubPair a = new PubSubPair(oracle); PubSubPair b = new PubSubPair(oracle)) {
            a.same(3, "SSUBSCRIBE", CH[0], CH[1], CH[0]);
            b.same(1, "SUBSCRIBE", CH[0]);
            b.same(1, "PSUBSCRIBE", "*");
            oracle.same("SPUBLISH", CH[0], "sharded");
            a.next(1, "SPUBLISH");
            oracle.same("PUBLISH", CH[1], "plain");
            b.next(1, "PUBLISH");
            oracle.sameUnordered(false, "PUBSUB", "SHARDCHANNELS");
            oracle.same("PUBSUB", "SHARDCHANNELS", CH[1]);
            oracle.same("PUBSUB", "SHARDNUMSUB", CH[0], CH[2]);
            oracle.same("PUBSUB", "NUMSUB", CH[0]);
            // Shard subscriptions have their own count: channels and patterns do not add to it.
            a.same(1, "SUBSCRIBE", "x");
            a.same(1, "SUNSUBSCRIBE", CH[1]);
            a.sameUnordered(1, "SUNSUBSCRIBE");
            a.same(1, "SUNSUBSCRIBE");
        }
    }

    @Test
    void shouldCountSubscriptionsInInfoAndClientList() throws IOException {
        try (PubSubPair a = new PubSubPair(oracle)) {
            a.same(1, "CLIENT", "SETNAME", "subber");
            a.same(2, "SUBSCRIBE", CH[0], CH[2]);
            a.same(1, "PSUBSCRIBE", "n*");
            a.same(1, "SSUBSCRIBE", CH[1]);
            String[] info = oracle.both("INFO", "stats");
            for (String field : new String[] {"pubsub_channels", "pubsub_patterns", "pubsubshard_channels"}) {
                assertEquals(line(info[0], field), line(info[1], field), field);
            }
            String[] list = oracle.both("CLIENT", "LIST");
            String theirs = clientLine(list[0], "subber");
            String mine = clientLine(list[1], "subber");
            for (String field : new String[] {"flags", "sub", "psub", "ssub"}) {
                assertEquals(field(theirs, field),
                        field(mine, field), field);
            }
            oracle.same("CLIENT", "KILL", "TYPE", "pubsub", "SKIPME", "yes");
        }
    }

    private static String line(String info, String field) {
        for (String l : info.split("\r\n")) {
            if (l.startsWith(field + ":")) {
                return l;
            }
        }
        return null;
    }

    private static String field(String line, String name) {
        for (String kv : line.split(" ")) {
            if (kv.startsWith(name + "=")) {
                return kv.substring(name.length() + 1);
            }
        }
        return null;
    }

    private static String clientLine(String list, String name) {
        for (String l : list.split("\n")) {
            if (l.contains(" name=" + name + " ")) {
                return l;
            }
        }
        return fail("no client named " + name + " in " + list);
    }
}
