package io.github.jglommio.kv.server;

import java.nio.charset.StandardCharsets;

/**
 * The three namespaces of pub/sub subscriptions, each with the verbs of its confirmation frames.
 * Shard channels are a namespace of their own even in a non-cluster Redis: SPUBLISH reaches only
 * SSUBSCRIBE, and PUBLISH never does.
 */
enum SubscriptionKind {
    /** SUBSCRIBE / UNSUBSCRIBE, reached by PUBLISH. */
    CHANNEL("subscribe", "unsubscribe"),
    /** PSUBSCRIBE / PUNSUBSCRIBE: glob patterns over PUBLISH's channels. */
    PATTERN("psubscribe", "punsubscribe"),
    /** SSUBSCRIBE / SUNSUBSCRIBE, reached by SPUBLISH. */
    SHARD("ssubscribe", "sunsubscribe");

    /** The first element of the confirmation frame of a subscription. */
    final byte[] subscribeVerb;
    /** The first element of the confirmation frame of an unsubscription. */
    final byte[] unsubscribeVerb;

    SubscriptionKind(String subscribe, String unsubscribe) {
        this.subscribeVerb = subscribe.getBytes(StandardCharsets.US_ASCII);
        this.unsubscribeVerb = unsubscribe.getBytes(StandardCharsets.US_ASCII);
    }

    private static final SubscriptionKind[] VALUES = values();

    /** The namespace a (un)subscribe command's lower-case {@code name} works on, or null for another command. */
    static SubscriptionKind of(String name) {
        return switch (name) {
            case "subscribe", "unsubscribe" -> CHANNEL;
            case "psubscribe", "punsubscribe" -> PATTERN;
            case "ssubscribe", "sunsubscribe" -> SHARD;
            default -> null;
        };
    }

    /** Every kind, without the copy {@code values()} makes. */
    static SubscriptionKind[] all() {
        return VALUES;
    }
}
