package io.github.jglommio.kv.server;

import io.github.jglommio.kv.command.CommandSpec;
import io.github.jglommio.kv.resp.Command;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The MONITOR clients of the server and the feed every shard sends them: each command a client
 * sends, once it passed the checks before it runs, as Redis's line
 * {@code +1700000000.123456 [0 127.0.0.1:5555] "set" "k" "v"}, arguments quoted and escaped as Redis
 * does, passwords of AUTH and HELLO shown as {@code (redacted)}, admin commands and subcommands
 * (CONFIG GET, SLOWLOG...) left out, as Redis leaves them out.
 *
 * <p>Threading: any thread; {@link #active} is one volatile read, all the request path pays while no
 * client monitors.
 */
final class Monitors {

    private static final byte[] REDACTED = "(redacted)".getBytes(StandardCharsets.US_ASCII);

    private final CopyOnWriteArrayList<Monitor> monitors = new CopyOnWriteArrayList<>();
    private volatile boolean active;

    /** Whether some client monitors. */
    boolean active() {
        return active;
    }

    void add(Monitor m) {
        monitors.add(m);
        active = true;
    }

    void remove(Monitor m) {
        monitors.remove(m);
        active = !monitors.isEmpty();
    }

    /** {@code from} runs {@code c}: every monitor gets its line. */
    void feed(Connection from, CommandSpec spec, Command c) {
        java.util.List<String> flags = spec.flags();
        if (c.argCount() > 1 && CommandInfo.isContainer(spec)) {
            CommandInfo.Entry sub = CommandInfo.entry(spec.name() + "|"
                    + new String(c.arg(1), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT));
            if (sub != null) {
                flags = sub.flags(); // CONFIG GET is admin, CONFIG itself is not
            }
        }
        if (flags.contains("admin") || flags.contains("skip_monitor")) {
            return;
        }
        byte[] line = line(Instant.now(), from.db, from.client.addr(), redacted(spec, c));
        for (Monitor m : monitors) {
            m.offer(line);
        }
    }

    /** The arguments as a monitor may see them: the passwords of AUTH and HELLO AUTH hidden. */
    static byte[][] redacted(CommandSpec spec, Command c) {
        byte[][] args = c.args().clone();
        switch (spec.name()) {
            case "auth" -> {
                for (int i = 1; i < args.length; i++) {
                    args[i] = REDACTED;
                }
            }
            case "hello" -> {
                for (int i = 2; i + 2 < args.length; i++) {
                    if (new String(args[i], StandardCharsets.UTF_8).equalsIgnoreCase("auth")) {
                        args[i + 1] = REDACTED;
                        args[i + 2] = REDACTED;
                        i += 2;
                    }
                }
            }
            default -> {
            }
        }
        return args;
    }

    /** One feed line: time with microseconds, database, client address, the quoted arguments. */
    static byte[] line(Instant at, int db, String addr, byte[][] args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        String head = String.format(Locale.ROOT, "+%d.%06d [%d %s]", at.getEpochSecond(), at.getNano() / 1000, db, addr);
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        for (byte[] a : args) {
            out.write(' ');
            quote(a, out);
        }
        out.write('\r');
        out.write('\n');
        return out.toByteArray();
    }

    /** Redis's quoting of a string: {@code "..."} with \\, \", \n, \r, \t, \a, \b and \xHH for the rest. */
    static void quote(byte[] a, ByteArrayOutputStream out) {
        out.write('"');
        for (byte b : a) {
            int c = b & 0xff;
            switch (c) {
                case '\\' -> out.writeBytes(new byte[] {'\\', '\\'});
                case '"' -> out.writeBytes(new byte[] {'\\', '"'});
                case '\n' -> out.writeBytes(new byte[] {'\\', 'n'});
                case '\r' -> out.writeBytes(new byte[] {'\\', 'r'});
                case '\t' -> out.writeBytes(new byte[] {'\\', 't'});
                case 7 -> out.writeBytes(new byte[] {'\\', 'a'});
                case '\b' -> out.writeBytes(new byte[] {'\\', 'b'});
                default -> {
                    if (c >= 0x20 && c <= 0x7e) {
                        out.write(c);
                    } else {
                        out.writeBytes(String.format(Locale.ROOT, "\\x%02x", c).getBytes(StandardCharsets.US_ASCII));
                    }
                }
            }
        }
        out.write('"');
    }
}
