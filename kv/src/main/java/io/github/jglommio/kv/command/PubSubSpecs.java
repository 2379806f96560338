package io.github.jglommio.kv.command;

/**
 * The pub/sub commands. The connection answers them ({@link Routing#SERVER}): subscriptions belong
 * to the connection, and PUBLISH goes to every shard as its own kind of batch entry, so none has a
 * keyspace handler. The shard-channel commands name their channels as keys (flag {@code not_key} in
 * Redis's key specs), so COMMAND INFO and GETKEYS report them as Redis 7.0 does, but the server never
 * routes them by key: this server is one Redis, not a cluster.
 */
final class PubSubSpecs {
    private PubSubSpecs() {
    }

    static void register(Registry r) {
        r.server("subscribe", -2, "pubsub noscript loading stale");
        r.server("unsubscribe", -1, "pubsub noscript loading stale");
        r.server("psubscribe", -2, "pubsub noscript loading stale");
        r.server("punsubscribe", -1, "pubsub noscript loading stale");
        r.server("publish", 3, "pubsub loading stale fast");
        r.server("pubsub", -2, "");
        r.add("ssubscribe", -2, "pubsub noscript loading stale", 1, -1, 1, Routing.SERVER, null);
        r.add("sunsubscribe", -1, "pubsub noscript loading stale", 1, -1, 1, Routing.SERVER, null);
        r.add("spublish", 3, "pubsub loading stale fast", 1, 1, 1, Routing.SERVER, null);
    }
}
