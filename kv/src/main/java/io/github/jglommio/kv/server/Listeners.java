package io.github.jglommio.kv.server;

import io.github.jglommio.LocalExecutor;
import io.github.jglommio.net.TcpListener;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * CONFIG SET port and bind: every shard binds a listener on the new address first; only when all
 * succeeded does each put its new listener in place of the old one (whose accept loop then moves to
 * the new), so a failure leaves the server listening where it was, as Redis does. Connections
 * already open stay.
 *
 * <p>Each shard has one listener, so {@code bind} takes one address, or the wildcards: {@code *}
 * (every IPv4 address), {@code ::*} or {@code * -::*} (every address, IPv4 too). Several specific
 * addresses are refused with Redis's bind error. Port 0 (Redis: no TCP listener) is refused too:
 * the server would be unreachable.
 *
 * <p>Threading: the calling connection's task; the binding runs on each shard's executor.
 */
final class Listeners {

    static final String PORT_FAILED = "Unable to listen on this port. Check server logs.";
    static final String BIND_FAILED = "Failed to bind to specified addresses.";
    private static final System.Logger LOG = System.getLogger(Listeners.class.getName());

    private Listeners() {
    }

    /** The one address a shard listens on for a {@code bind} value, or null when it needs several. */
    static InetAddress address(String bind) {
        boolean v4 = false;
        boolean v6 = false;
        String specific = null;
        for (String entry : bind.trim().split(" +")) {
            String a = entry.startsWith("-") ? entry.substring(1) : entry;
            switch (a) {
                case "*" -> v4 = true;
                case "::*" -> v6 = true;
                case "" -> {
                    return null;
                }
                default -> {
                    if (specific != null) {
                        return null;
                    }
                    specific = a;
                }
            }
        }
        try {
            if (specific != null) {
                return v4 || v6 ? null : InetAddress.getByName(specific);
            }
            return InetAddress.getByName(v6 ? "::" : "0.0.0.0");
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /**
     * Listens on {@code address}:{@code port} on every shard instead of where the shards listen now.
     *
     * @return null when done, else the reason for CONFIG SET's error
     */
    static String rebind(KvServer server, InetAddress address, int port, String failure) {
        if (address == null || port == 0) {
            return failure;
        }
        Map<Integer, TcpListener> fresh = new ConcurrentHashMap<>();
        AtomicBoolean failed = new AtomicBoolean();
        server.onEveryShard(sh -> {
            try {
                fresh.put(sh.id, TcpListener.bind(new InetSocketAddress(address, port)));
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "shard " + sh.id + " cannot listen on " + address + ":" + port
                        + ": " + e.getMessage());
                failed.set(true);
            }
        });
        if (failed.get()) {
            server.onEveryShard(sh -> close(fresh.remove(sh.id)));
            return failure;
        }
        server.onEveryShard(sh -> {
            TcpListener next = fresh.get(sh.id);
            if (LocalExecutor.current().isStopRequested()) {
                close(next); // stopping: the stop hook closed the old one, nothing may listen again
                return;
            }
            TcpListener old = sh.listener;
            sh.listener = next;
            close(old); // its accept loop wakes and goes on with the new one
        });
        server.currentPort = port;
        return null;
    }

    private static void close(TcpListener l) {
        if (l == null) {
            return;
        }
        try {
            l.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing a replaced listener", e);
        }
    }
}
