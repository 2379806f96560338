package io.github.jglommio.kv.server;

import io.github.jglommio.kv.command.CommandSpec;
import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The pub/sub commands as the connection runs them: (P|S)SUBSCRIBE and (P|S)UNSUBSCRIBE on the
 * connection's {@link Subscriber}, PUBSUB's introspection from the server's {@link PubSubCounts},
 * PING's frame and the refusal of other commands in subscribed mode. PUBLISH itself is planned by
 * the connection as one entry per shard ({@link ShardBatch#PUBLISH}, run by {@link PubSub}).
 * Stateless.
 */
final class PubSubCommands {

    private static final byte[] PONG = "pong".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMPTY = new byte[0];

    private PubSubCommands() {
    }

    /** Whether {@code spec} is one of the six (un)subscribe commands. */
    static boolean isSubscription(CommandSpec spec) {
        return SubscriptionKind.of(spec.name()) != null;
    }

    /** Whether {@code spec} is PUBLISH or SPUBLISH. */
    static boolean isPublish(CommandSpec spec) {
        return spec.name().equals("publish") || spec.name().equals("spublish");
    }

    /**
     * The error a subscribed (RESP2) connection gets for {@code c}, or null if it may run: the
     * pub/sub commands, PING, QUIT and RESET may; so may a container command whose subcommand is
     * unknown or has the wrong arity, because Redis answers that error before this one.
     */
    static String refusalWhenSubscribed(CommandSpec spec, Command c) {
        String name = spec.name();
        if (isSubscription(spec) || name.equals("ping") || name.equals("quit") || name.equals("reset")) {
            return null;
        }
        String full = name;
        if (CommandInfo.isContainer(spec) && c.argCount() > 1) {
            String sub = name + "|" + ServerCommands.text(c, 1).toLowerCase(Locale.ROOT);
            CommandInfo.Entry e = CommandInfo.entry(sub);
            if (e == null || (e.arity() >= 0 ? c.argCount() != e.arity() : c.argCount() < -e.arity())) {
                return null;
            }
            full = sub;
        }
        return "ERR Can't execute '" + full
                + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context";
    }

    /** A (un)subscribe command: its confirmation frames into {@code out}. */
    static void subscription(Connection conn, CommandSpec spec, Command c, RespWriter out) {
        SubscriptionKind kind = SubscriptionKind.of(spec.name());
        Subscriber s = conn.subscriber();
        if (spec.name().contains("unsubscribe")) {
            s.unsubscribe(kind, c, out);
        } else {
            s.subscribe(kind, c, out);
        }
    }

    /** PING in subscribed mode: the frame {@code pong} and the argument (empty without one). */
    static void pong(Command c, RespWriter out) {
        out.arrayHeader(2).bulk(PONG).bulk(c.argCount() > 1 ? c.arg(1) : EMPTY);
    }

    /** PUBSUB CHANNELS / NUMSUB / NUMPAT / SHARDCHANNELS / SHARDNUMSUB / HELP. */
    static void pubsub(Connection conn, Command c, RespWriter out) {
        if (!Subcommands.check(c, out, "pubsub")) {
            return;
        }
        PubSubCounts counts = conn.shard.server.pubsubCounts;
        switch (ServerCommands.text(c, 1).toLowerCase(Locale.ROOT)) {
            case "channels" -> names(counts, SubscriptionKind.CHANNEL, c, out);
            case "shardchannels" -> names(counts, SubscriptionKind.SHARD, c, out);
            case "numsub" -> numsub(counts, SubscriptionKind.CHANNEL, c, out);
            case "shardnumsub" -> numsub(counts, SubscriptionKind.SHARD, c, out);
            case "numpat" -> out.integer(counts.size(SubscriptionKind.PATTERN));
            default -> Subcommands.help(out, "PUBSUB",
                    "CHANNELS [<pattern>]",
                    "    Return the currently active channels matching a <pattern> (default: '*').",
                    "NUMPAT",
                    "    Return number of subscriptions to patterns.",
                    "NUMSUB [<channel> ...]",
                    "    Return the number of subscribers for the specified channels, excluding",
                    "    pattern subscriptions(default: no channels).",
                    "SHARDCHANNELS [<pattern>]",
                    "    Return the currently active shard level channels matching a <pattern> (default: '*').",
                    "SHARDNUMSUB [<shardchannel> ...]",
                    "    Return the number of subscribers for the specified shard level channel(s)");
        }
    }

    private static void names(PubSubCounts counts, SubscriptionKind kind, Command c, RespWriter out) {
        if (c.argCount() > 3) {
            Subcommands.unknownOrArity(c, out, "PUBSUB");
            return;
        }
        List<byte[]> names = counts.names(kind, c.argCount() == 3 ? c.arg(2) : null);
        out.arrayHeader(names.size());
        for (byte[] n : names) {
            out.bulk(n);
        }
    }

    private static void numsub(PubSubCounts counts, SubscriptionKind kind, Command c, RespWriter out) {
        out.arrayHeader(2 * (c.argCount() - 2));
        for (int i = 2; i < c.argCount(); i++) {
            out.bulk(c.arg(i)).integer(counts.subscribers(kind, c.arg(i)));
        }
    }
}
