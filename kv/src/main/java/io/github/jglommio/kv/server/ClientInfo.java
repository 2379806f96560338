package io.github.jglommio.kv.server;

import io.github.jglommio.kv.command.CommandSpec;
import io.github.jglommio.kv.resp.Command;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What the server commands know of one connection beyond its requests: its addresses, when it last
 * sent something, its last command, whether it monitors, CLIENT NO-EVICT, and whether CLIENT KILL
 * marked it; and its CLIENT LIST line.
 *
 * <p>Threading: the connection's shard only (the connection's task, and the tasks
 * {@code KvServer.onEveryShard} runs there for CLIENT LIST and KILL).
 */
final class ClientInfo {

    /** The size of the read buffer a connection borrows while it is served, for qbuf-free and rbs. */
    private static final int READ_BUFFER = ReadBuffers.SIZE;

    private final Connection conn;
    private String addr;
    private String laddr;
    /** When the client last sent bytes, for {@code timeout} and the idle field. */
    long lastActiveMillis = System.currentTimeMillis();
    private CommandSpec lastSpec;
    private byte[] lastSubcommand;
    /** Set while the connection is a MONITOR. */
    Monitor monitor;
    /** True while the connection waits (CLIENT PAUSE): {@code timeout} does not close it. */
    boolean blocked;
    /** CLIENT NO-EVICT ON. */
    boolean noEvict;
    /** Bytes of a request read but not complete yet (between reads), or of the running one and those after it. */
    int queryBuffered;
    /** Bytes of the running command's arguments (Redis's argv-mem); 0 between commands. */
    private long argvBytes;

    ClientInfo(Connection conn) {
        this.conn = conn;
    }

    /** RESET, or the end of the connection: no MONITOR, no NO-EVICT. */
    void reset(Admin admin) {
        if (monitor != null) {
            admin.monitors.remove(monitor);
            monitor = null;
        }
        noEvict = false;
    }

    /** The connection is about to plan {@code c}, with {@code buffered} bytes of its read from {@code c} on. */
    void running(int buffered, Command c) {
        queryBuffered = buffered;
        long sum = 0;
        for (int i = 0; i < c.argCount(); i++) {
            sum += c.arg(i).length;
        }
        argvBytes = sum;
    }

    /** The read's complete commands were planned: only a partial request stays in the query buffer. */
    void ran() {
        argvBytes = 0;
    }

    /** The connection read: it is not idle. */
    void touched() {
        lastActiveMillis = System.currentTimeMillis();
    }

    /** The connection is about to run {@code c}: the {@code cmd=} field of CLIENT LIST. */
    void command(CommandSpec spec, Command c) {
        lastSpec = spec;
        lastSubcommand = c.argCount() > 1 && CommandInfo.isContainer(spec) ? c.arg(1) : null;
    }

    /**
     * Reads the connection's addresses once, on its own shard (a socket answers only there), so
     * that the other shards can read them too: the slow log of a command it sent elsewhere.
     */
    void resolveAddresses() {
        addr = address(true);
        laddr = address(false);
    }

    /** The peer's {@code ip:port}, as Redis writes it. */
    String addr() {
        return addr == null ? "?:0" : addr;
    }

    /** This end's {@code ip:port}. */
    String laddr() {
        return laddr == null ? "?:0" : laddr;
    }

    private String address(boolean peer) {
        try {
            InetSocketAddress a = peer ? conn.stream.peerAddr() : conn.stream.localAddr();
            String host = a.getAddress().getHostAddress();
            return host + ":" + a.getPort();
        } catch (IOException | RuntimeException e) {
            return "?:0"; // the socket is already gone
        }
    }

    /** {@code client|list} style: the last command, with its subcommand for a container. */
    String lastCommand() {
        if (lastSpec == null) {
            return "NULL";
        }
        if (lastSubcommand == null) {
            return lastSpec.name();
        }
        String sub = new String(lastSubcommand, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
        return CommandInfo.entry(lastSpec.name() + "|" + sub) == null ? lastSpec.name() : lastSpec.name() + "|" + sub;
    }

    /** Redis's client type: {@code pubsub} while subscribed, else {@code normal} (monitors too, as in Redis). */
    String type() {
        return conn.subscribed() ? "pubsub" : "normal";
    }

    /** The CLIENT LIST / CLIENT INFO line, without the newline; fields as Redis 7.0 prints them. */
    String line() {
        long now = System.currentTimeMillis();
        Transaction tx = conn.tx;
        StringBuilder flags = new StringBuilder();
        if (monitor != null) {
            flags.append('O');
        }
        if (conn.subscribed()) {
            flags.append('P');
        }
        if (tx.active) {
            flags.append('x');
        }
        if (conn.blockedOn != null || blocked) {
            flags.append('b'); // in a blocking pop (BlockingCall), or waiting for CLIENT PAUSE to end
        }
        if (noEvict) {
            flags.append('e');
        }
        if (flags.isEmpty()) {
            flags.append('N');
        }
        // Figures this server does not keep per connection (queued commands' memory, output list)
        // are 0; the buffers are the connection's fixed 16 KiB read buffer, which qbuf counts in.
        int qbuf = queryBuffered;
        return "id=" + conn.id
                + " addr=" + addr()
                + " laddr=" + laddr()
                + " fd=-1"
                + " name=" + conn.name
                + " age=" + (now - conn.createdMillis) / 1000
                + " idle=" + (now - lastActiveMillis) / 1000
                + " flags=" + flags
                + " db=" + conn.db + Subscriber.clientFields(conn)
                + " multi=" + (tx.active ? tx.commands.size() : -1)
                + " qbuf=" + qbuf + " qbuf-free=" + Math.max(0, READ_BUFFER - qbuf)
                + " argv-mem=" + argvBytes + " multi-mem=0"
                + " rbs=" + READ_BUFFER + " rbp=0"
                + " obl=0 oll=0 omem=0"
                + " tot-mem=" + (2 * READ_BUFFER)
                + " events=r"
                + " cmd=" + lastCommand()
                + " user=default redir=-1 resp=" + conn.protocol;
    }
}
