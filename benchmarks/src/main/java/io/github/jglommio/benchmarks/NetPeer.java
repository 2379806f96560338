package io.github.jglommio.benchmarks;

/**
 * The servers of the {@code net} suite. Each runs in a child JVM of its own ({@link NetServer}),
 * pinned to the server CPU, and serves the echo and the HTTP protocol on two ports.
 */
enum NetPeer {
    /** One executor pinned to the server CPU, TcpListener, a task per connection, 4 KiB buffer. */
    JGLOMMIO("jglommio", "jglommio"),
    /** Netty 4.2 io_uring transport, one event loop for accept and I/O (the target to beat). */
    NETTY_IO_URING("netty-io_uring", "Netty io_uring"),
    /** Netty 4.2 epoll transport, one event loop. */
    NETTY_EPOLL("netty-epoll", "Netty epoll"),
    /** java.net.ServerSocket/Socket, blocking, a virtual thread per connection, default scheduler. */
    JDK("jdk", "JDK virtual threads");

    /** The name on the command line ({@code --peers}, the child's argument). */
    final String id;
    /** The name in tables. */
    final String label;

    NetPeer(String id, String label) {
        this.id = id;
        this.label = label;
    }

    static NetPeer byId(String id) {
        for (NetPeer p : values()) {
            if (p.id.equals(id)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown peer '" + id + "'; known: jglommio, netty-io_uring, netty-epoll, jdk");
    }
}
