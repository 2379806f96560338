package io.github.jglommio.kv.server;

import io.github.jglommio.kv.store.Glob;
import io.github.jglommio.kv.store.Key;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server's subscriptions counted over every shard: for each channel, pattern and shard channel,
 * how many connections subscribe to it. PUBSUB CHANNELS, NUMSUB, NUMPAT, SHARDCHANNELS, SHARDNUMSUB
 * and INFO read it on any shard, so that they answer as one Redis would without a round trip to
 * every shard. Delivery does not use it: each shard delivers from its own {@link PubSub}.
 *
 * <p>Threading: any thread. A connection updates it on its own task before it sends the
 * confirmation frame, so a client that saw the confirmation sees the count.
 */
final class PubSubCounts {

    private final List<ConcurrentHashMap<Key, Integer>> counts = new ArrayList<>();

    PubSubCounts() {
        for (int k = 0; k < SubscriptionKind.all().length; k++) {
            counts.add(new ConcurrentHashMap<>());
        }
    }

    /** One more connection subscribes to {@code name} in {@code kind}. */
    void add(SubscriptionKind kind, Key name) {
        counts.get(kind.ordinal()).merge(name, 1, Integer::sum);
    }

    /** One connection less subscribes to {@code name}; the entry goes with the last one. */
    void remove(SubscriptionKind kind, Key name) {
        counts.get(kind.ordinal()).computeIfPresent(name, (k, n) -> n == 1 ? null : n - 1);
    }

    /** How many connections subscribe to {@code name} in {@code kind}. */
    int subscribers(SubscriptionKind kind, byte[] name) {
        return counts.get(kind.ordinal()).getOrDefault(new Key(name), 0);
    }

    /** How many distinct names of {@code kind} have a subscriber (PUBSUB NUMPAT, INFO). */
    int size(SubscriptionKind kind) {
        return counts.get(kind.ordinal()).size();
    }

    /**
     * Whether a PUBLISH (SPUBLISH when {@code sharded}) on {@code channel} may reach anyone: someone
     * subscribes to the channel, or to a pattern that matches it. When not, no shard has a
     * subscriber to deliver to, and none that a client saw confirmed before it published: the
     * confirmation is sent after the count is raised.
     */
    boolean anyReceiver(byte[] channel, boolean sharded) {
        if (sharded) {
            return subscribers(SubscriptionKind.SHARD, channel) > 0;
        }
        if (subscribers(SubscriptionKind.CHANNEL, channel) > 0) {
            return true;
        }
        for (Key pattern : counts.get(SubscriptionKind.PATTERN.ordinal()).keySet()) {
            if (Glob.matches(pattern.bytes(), channel)) {
                return true;
            }
        }
        return false;
    }

    /** The names of {@code kind} with a subscriber that match {@code pattern} (null: all), in no order. */
    List<byte[]> names(SubscriptionKind kind, byte[] pattern) {
        List<byte[]> out = new ArrayList<>();
        for (Key k : counts.get(kind.ordinal()).keySet()) {
            if (pattern == null || Glob.matches(pattern, k.bytes())) {
                out.add(k.bytes());
            }
        }
        return out;
    }
}
