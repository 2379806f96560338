package io.github.jglommio.kv.server;

import io.github.jglommio.kv.command.CommandSpec;
import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.kv.store.Glob;
import io.github.jglommio.kv.store.Key;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * One shard's pub/sub registry: which of the connections this shard serves subscribe to each
 * channel, pattern and shard channel, and the delivery of a published message to them.
 *
 * <p>A PUBLISH goes to every shard as a {@link ShardBatch#PUBLISH} entry of the batch its connection
 * sends there anyway; each shard delivers to its own subscribers and answers how many it reached,
 * and the connection sums the answers (PUBLISH's reply counts the receivers of the whole server).
 * Messages of one publisher therefore reach a shard in the order of its batches, which is the order
 * it sent them. Delivery appends the frame to each subscriber's {@link PushOutbox}, whose writer
 * task sends it; nothing here parks.
 *
 * <p>Threading: the shard's executor only (its connections' tasks and its request task).
 */
final class PubSub {

    private static final byte[] MESSAGE = "message".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PMESSAGE = "pmessage".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SMESSAGE = "smessage".getBytes(StandardCharsets.US_ASCII);

    private final List<Map<Key, LinkedHashSet<Subscriber>>> registry = new ArrayList<>();
    /** Reused for each frame; the outboxes copy it. */
    /** One delivery's frame, encoded once in RESP2 ({@code *n}); see {@link Subscriber#push}. */
    private final RespWriter frame = new RespWriter(256);

    PubSub() {
        for (int k = 0; k < SubscriptionKind.all().length; k++) {
            registry.add(new HashMap<>());
        }
    }

    /** {@code s} subscribes to {@code name} in {@code kind}. */
    void add(SubscriptionKind kind, Key name, Subscriber s) {
        registry.get(kind.ordinal()).computeIfAbsent(name, k -> new LinkedHashSet<>()).add(s);
    }

    /** {@code s} no longer subscribes to {@code name}; an empty entry goes, so the registry does not grow. */
    void remove(SubscriptionKind kind, Key name, Subscriber s) {
        Map<Key, LinkedHashSet<Subscriber>> m = registry.get(kind.ordinal());
        LinkedHashSet<Subscriber> set = m.get(name);
        if (set != null && set.remove(s) && set.isEmpty()) {
            m.remove(name);
        }
    }

    /** How many entries the registry of {@code kind} holds (for tests: it must not leak). */
    int entries(SubscriptionKind kind) {
        return registry.get(kind.ordinal()).size();
    }

    /**
     * PUBLISH or SPUBLISH {@code c} (channel, message) on this shard: delivers to this shard's
     * subscribers and appends {@code :n}, the number of deliveries, to {@code reply}.
     */
    void publish(CommandSpec spec, Command c, RespWriter reply) {
        boolean sharded = spec.name().equals("spublish");
        reply.integer(deliver(c.arg(1), c.arg(2), sharded));
    }

    /**
     * Delivers {@code message} on {@code channel} to this shard's subscribers: for PUBLISH those of
     * the channel (a {@code message} frame), then those of each matching pattern (a {@code pmessage}
     * frame per pattern, so a connection subscribed to both gets it twice and counts twice, as in
     * Redis); for SPUBLISH those of the shard channel ({@code smessage}). Returns the deliveries.
     */
    int deliver(byte[] channel, byte[] message, boolean sharded) {
        int n = 0;
        Key key = new Key(channel);
        LinkedHashSet<Subscriber> direct = registry.get((sharded ? SubscriptionKind.SHARD : SubscriptionKind.CHANNEL)
                .ordinal()).get(key);
        if (direct != null) {
            frame.clear();
            frame.pushHeader(3).bulk(sharded ? SMESSAGE : MESSAGE).bulk(channel).bulk(message);
            for (Subscriber s : direct) {
                s.push(frame);
                n++;
            }
        }
        if (sharded) {
            return n;
        }
        for (Map.Entry<Key, LinkedHashSet<Subscriber>> e : registry.get(SubscriptionKind.PATTERN.ordinal()).entrySet()) {
            byte[] pattern = e.getKey().bytes();
            if (Glob.matches(pattern, channel)) {
                frame.clear();
                frame.pushHeader(4).bulk(PMESSAGE).bulk(pattern).bulk(channel).bulk(message);
                for (Subscriber s : e.getValue()) {
                    s.push(frame);
                    n++;
                }
            }
        }
        return n;
    }
}
