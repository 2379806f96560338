package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;

/**
 * The connection and server commands. The server answers them ({@link Routing#SERVER}); only
 * PING and ECHO also have a keyspace handler, for callers that run commands without a server.
 */
final class ServerSpecs {
    private ServerSpecs() {
    }

    static void register(Registry r) {
        r.add("ping", -1, "fast", 0, 0, 0, Routing.SERVER, (c, ks, out, x) -> ping(c, out));
        r.add("echo", 2, "loading stale fast", 0, 0, 0, Routing.SERVER, (c, ks, out, x) -> {
            out.bulk(c.arg(1));
            return null;
        });
        r.server("quit", -1, "noscript loading stale fast no_auth allow_busy");
        r.server("auth", -2, "noscript loading stale fast no_auth allow_busy");
        r.server("select", 2, "loading stale fast");
        r.server("swapdb", 3, "write fast");
        r.server("info", -1, "loading stale");
        r.server("config", -2, "");
        r.server("client", -2, "");
        r.server("command", -1, "loading stale");
        r.server("hello", -1, "noscript loading stale fast no_auth allow_busy");
        r.server("bgrewriteaof", 1, "admin noscript no_async_loading");
        r.server("bgsave", -1, "admin noscript no_async_loading");
        r.server("save", 1, "admin noscript no_async_loading no_multi");
        r.server("lastsave", 1, "loading stale fast");
        r.server("shutdown", -1, "admin noscript loading stale no_multi allow_busy");
        r.server("time", 1, "loading stale fast");
        r.server("wait", 3, "noscript");
        r.server("role", 1, "noscript loading stale fast");
        r.server("monitor", 1, "admin noscript loading stale");
        r.server("slowlog", -2, "");
        r.server("latency", -2, "");
        r.server("debug", -2, "admin noscript loading stale");
        r.server("lolwut", -1, "readonly fast");
        r.server("reset", 1, "noscript loading stale fast no_auth allow_busy");
        // Transactions: the connection answers them (queues, runs the block on the keys' shard).
        r.server("multi", 1, "noscript loading stale fast allow_busy");
        r.server("exec", 1, "noscript loading stale skip_slowlog");
        r.server("discard", 1, "noscript loading stale fast allow_busy");
        r.add("watch", -2, "noscript loading stale fast allow_busy", 1, -1, 1, Routing.SERVER, null);
        r.server("unwatch", 1, "noscript loading stale fast allow_busy");
    }

    private static Command ping(Command c, RespWriter out) {
        if (c.argCount() > 2) {
            out.error(CommandTable.lookup("ping").arityError());
        } else if (c.argCount() == 2) {
            out.bulk(c.arg(1));
        } else {
            out.simpleString("PONG");
        }
        return null;
    }
}
