package io.github.jglommio.kv.server;

import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The slow log: the commands that took at least {@code slowlog-log-slower-than} microseconds, newest
 * first, at most {@code slowlog-max-len} of them, each with Redis's fields (id, unix time, duration,
 * arguments cut as Redis cuts them, client address and name). One for the server, as in Redis.
 *
 * <p>Threading: any shard adds; a lock guards the entries. Only slow commands take it (none under the
 * default threshold of 10 ms in normal operation), so the request path pays a volatile read.
 */
final class SlowLog {

    /** Redis keeps at most this many arguments of an entry, the last one saying how many more there were. */
    private static final int MAX_ARGS = 32;
    /** And at most this many bytes of each. */
    private static final int MAX_ARG_BYTES = 128;

    private record Entry(long id, long unixSeconds, long micros, byte[][] args, String addr, String name) {
    }

    private final LiveConfig config;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long nextId;

    SlowLog(LiveConfig config) {
        this.config = config;
    }

    /** Records {@code c}, which took {@code micros}; {@code client} may be null (unknown). */
    void add(Command c, long micros, Connection client) {
        byte[][] args = trim(c);
        String addr = client == null ? "" : client.client.addr();
        String name = client == null ? "" : client.name;
        long now = System.currentTimeMillis() / 1000;
        synchronized (this) {
            entries.addFirst(new Entry(nextId++, now, micros, args, addr, name));
            trimTo(config.slowlogMaxLen());
        }
    }

    private void trimTo(long max) {
        while (entries.size() > max) {
            entries.removeLast();
        }
    }

    private static byte[][] trim(Command c) {
        int n = Math.min(c.argCount(), MAX_ARGS);
        byte[][] args = new byte[n][];
        for (int i = 0; i < n; i++) {
            if (i == MAX_ARGS - 1 && c.argCount() > MAX_ARGS) {
                args[i] = ("... (" + (c.argCount() - MAX_ARGS + 1) + " more arguments)").getBytes(StandardCharsets.UTF_8);
            } else if (c.arg(i).length > MAX_ARG_BYTES) {
                byte[] head = java.util.Arrays.copyOf(c.arg(i), MAX_ARG_BYTES);
                byte[] tail = ("... (" + (c.arg(i).length - MAX_ARG_BYTES) + " more bytes)").getBytes(StandardCharsets.UTF_8);
                byte[] a = java.util.Arrays.copyOf(head, head.length + tail.length);
                System.arraycopy(tail, 0, a, head.length, tail.length);
                args[i] = a;
            } else {
                args[i] = c.arg(i);
            }
        }
        return args;
    }

    /** SLOWLOG GET|LEN|RESET|HELP. */
    void execute(Command c, RespWriter out) {
        String sub = ServerCommands.text(c, 1).toLowerCase(java.util.Locale.ROOT);
        if (!Subcommands.check(c, out, "slowlog")) {
            return;
        }
        switch (sub) {
            case "get" -> get(c, out);
            case "len" -> {
                synchronized (this) {
                    out.integer(entries.size());
                }
            }
            case "reset" -> {
                synchronized (this) {
                    entries.clear();
                }
                out.ok();
            }
            case "help" -> Subcommands.help(out, "SLOWLOG",
                    "GET [<count>]",
                    "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
                    "    Entries are made of:",
                    "    id, timestamp, time in microseconds, arguments array, client IP and port,",
                    "    client name",
                    "LEN",
                    "    Return the length of the slowlog.",
                    "RESET",
                    "    Reset the slowlog.");
            default -> Subcommands.unknown(c, out, "SLOWLOG");
        }
    }

    private void get(Command c, RespWriter out) {
        long count = 10;
        if (c.argCount() > 3) {
            Subcommands.unknownOrArity(c, out, "SLOWLOG");
            return;
        }
        if (c.argCount() == 3) {
            Long n = ServerCommands.integer(c, 2);
            if (n == null || n < -1) {
                out.error("ERR count should be greater than or equal to -1");
                return;
            }
            count = n == -1 ? Long.MAX_VALUE : n;
        }
        List<Entry> picked = new ArrayList<>();
        synchronized (this) {
            Iterator<Entry> it = entries.iterator();
            while (it.hasNext() && picked.size() < count) {
                picked.add(it.next());
            }
        }
        out.arrayHeader(picked.size());
        for (Entry e : picked) {
            out.arrayHeader(6);
            out.integer(e.id()).integer(e.unixSeconds()).integer(e.micros());
            out.arrayHeader(e.args().length);
            for (byte[] a : e.args()) {
                out.bulk(a);
            }
            out.bulk(e.addr().getBytes(StandardCharsets.UTF_8)).bulk(e.name().getBytes(StandardCharsets.UTF_8));
        }
    }
}
