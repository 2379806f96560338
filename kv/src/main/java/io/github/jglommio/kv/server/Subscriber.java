package io.github.jglommio.kv.server;

import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.kv.store.Key;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * One connection's pub/sub side: what it subscribes to, in each {@link SubscriptionKind}, and the
 * {@link PushOutbox} its frames go out through. Made at the connection's first pub/sub command;
 * {@link #close} at its end takes every subscription out of the shard's registry and the server's
 * counts.
 *
 * <p>Threading: the connection's shard's executor (the connection's task subscribes; any task of
 * the executor delivers through {@link #push}).
 */
final class Subscriber {

    private final Connection conn;
    private final PubSub registry;
    private final PubSubCounts counts;
    private final List<LinkedHashSet<Key>> subscriptions = new ArrayList<>();
    final PushOutbox outbox;
    /** The frames of one (un)subscribe command, before they go to the outbox. */
    final RespWriter frames = new RespWriter(256);

    Subscriber(Connection conn) {
        this.conn = conn;
        this.registry = conn.shard.pubsub;
        this.counts = conn.shard.server.pubsubCounts;
        this.outbox = new PushOutbox(conn, conn.shard.requestQueue);
        for (int k = 0; k < SubscriptionKind.all().length; k++) {
            subscriptions.add(new LinkedHashSet<>());
        }
    }

    /** How many names of {@code kind} this connection subscribes to (CLIENT LIST's sub, psub, ssub). */
    int count(SubscriptionKind kind) {
        return subscriptions.get(kind.ordinal()).size();
    }

    /**
     * Whether the connection is in subscribed mode (RESP2): it subscribes to something, in any
     * namespace, so only the pub/sub commands, PING, QUIT and RESET are allowed.
     */
    boolean subscribed() {
        for (LinkedHashSet<Key> s : subscriptions) {
            if (!s.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the socket's writes must go through the outbox: while subscribed (a frame may come at
     * any moment) and until what the outbox holds is written.
     */
    boolean ownsOutput() {
        return subscribed() || !outbox.idle();
    }

    /** The count a confirmation frame of {@code kind} carries: channels and patterns together, shard channels alone. */
    private int running(SubscriptionKind kind) {
        return kind == SubscriptionKind.SHARD ? count(kind)
                : count(SubscriptionKind.CHANNEL) + count(SubscriptionKind.PATTERN);
    }

    /** (P|S)SUBSCRIBE of arguments 1..n: one confirmation frame per argument, repeats included, into {@code out}. */
    void subscribe(SubscriptionKind kind, Command c, RespWriter out) {
        LinkedHashSet<Key> mine = subscriptions.get(kind.ordinal());
        for (int i = 1; i < c.argCount(); i++) {
            Key name = new Key(c.arg(i));
            if (mine.add(name)) {
                registry.add(kind, name, this);
                counts.add(kind, name);
            }
            confirm(out, kind.subscribeVerb, c.arg(i), running(kind));
        }
    }

    /**
     * (P|S)UNSUBSCRIBE of arguments 1..n, or of every subscription of {@code kind} without
     * arguments (one frame with a nil name when there is none): one frame per name, into {@code out}.
     */
    void unsubscribe(SubscriptionKind kind, Command c, RespWriter out) {
        LinkedHashSet<Key> mine = subscriptions.get(kind.ordinal());
        if (c.argCount() > 1) {
            for (int i = 1; i < c.argCount(); i++) {
                Key name = new Key(c.arg(i));
                if (mine.remove(name)) {
                    forget(kind, name);
                }
                confirm(out, kind.unsubscribeVerb, c.arg(i), running(kind));
            }
        } else if (mine.isEmpty()) {
            confirm(out, kind.unsubscribeVerb, null, running(kind));
        } else {
            for (Key name : new ArrayList<>(mine)) {
                mine.remove(name);
                forget(kind, name);
                confirm(out, kind.unsubscribeVerb, name.bytes(), running(kind));
            }
        }
    }

    /** Ends every subscription without a frame (RESET, the end of the connection). */
    void unsubscribeAll() {
        for (SubscriptionKind kind : SubscriptionKind.all()) {
            LinkedHashSet<Key> mine = subscriptions.get(kind.ordinal());
            for (Key name : mine) {
                forget(kind, name);
            }
            mine.clear();
        }
    }

    /** The connection ends: no subscription stays, and what it queued is written first. */
    void close() {
        unsubscribeAll();
        outbox.finish();
    }

    private static final byte[] PUSH_TYPE = {'>'};

    /**
     * A delivered frame, encoded in RESP2 ({@code *n} then its elements): queued for the writer
     * (never parks). A RESP3 connection gets the push type {@code >n} instead; the elements are the
     * same bytes in both protocols, so the frame is encoded once for every subscriber.
     */
    void push(RespWriter frame) {
        if (conn.protocol == 3) {
            outbox.append(PUSH_TYPE, 0, 1);
            outbox.append(frame.array(), 1, frame.size() - 1);
        } else {
            outbox.append(frame);
        }
    }

    /** CLIENT LIST's {@code  sub=n psub=n ssub=n} for {@code conn}. */
    static String clientFields(Connection conn) {
        Subscriber s = conn.subscriberOrNull();
        return s == null ? " sub=0 psub=0 ssub=0"
                : " sub=" + s.count(SubscriptionKind.CHANNEL) + " psub=" + s.count(SubscriptionKind.PATTERN)
                + " ssub=" + s.count(SubscriptionKind.SHARD);
    }

    private void forget(SubscriptionKind kind, Key name) {
        registry.remove(kind, name, this);
        counts.remove(kind, name);
    }

    private static void confirm(RespWriter out, byte[] verb, byte[] name, int count) {
        out.pushHeader(3).bulk(verb);
        if (name == null) {
            out.nullBulk();
        } else {
            out.bulk(name);
        }
        out.integer(count);
    }
}
