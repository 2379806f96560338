package io.github.jglommio.net;

import io.github.jglommio.reactor.Reactor;
import io.github.jglommio.sys.Net;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A listening TCP socket: Glommio's {@code TcpListener}. Binds with {@code SO_REUSEPORT}, so every
 * shard of a pool can bind the same port and the kernel spreads connections over them.
 *
 * {@snippet :
 * try (TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 8080))) {
 *     while (true) {
 *         TcpStream stream = listener.accept();
 *         Task.local(() -> handle(stream)).detach();
 *     }
 * }
 * }
 *
 * <p>Accepting uses one multishot {@code IORING_OP_ACCEPT} where the kernel has it: armed once, it
 * completes once per connection, and connections queue here until {@link #accept()} takes them.
 * Threading and errors: see the package documentation.
 */
public final class TcpListener implements AutoCloseable {

    /** Default listen backlog. */
    public static final int BACKLOG_DEFAULT = 1024;

    private final Acceptor acceptor;
    private final InetSocketAddress localAddress;

    private TcpListener(SocketFd socket, InetSocketAddress local) {
        this.acceptor = new Acceptor(socket, local);
        this.localAddress = local;
    }

    /** Binds and listens on {@code address} with the default backlog. */
    public static TcpListener bind(InetSocketAddress address) throws IOException {
        return bind(address, BACKLOG_DEFAULT);
    }

    /**
     * Binds and listens on {@code address} (port 0: any free port, see {@link #localAddr()}), with
     * {@code SO_REUSEADDR} and {@code SO_REUSEPORT}.
     *
     * @throws java.net.BindException when the address is in use or not local
     */
    public static TcpListener bind(InetSocketAddress address, int backlog) throws IOException {
        Objects.requireNonNull(address, "address");
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be positive, got " + backlog);
        }
        Reactor r = SocketFd.reactor("TcpListener.bind");
        if (address.isUnresolved()) {
            throw new java.net.UnknownHostException("cannot bind to unresolved address " + address.getHostString());
        }
        int domain = address.getAddress() instanceof java.net.Inet6Address ? Net.AF_INET6 : Net.AF_INET;
        int fd = NetErrors.check(Net.socket(domain, Net.SOCK_STREAM), "socket", address);
        SocketFd s = new SocketFd(r, fd, "tcp listener on " + address);
        try (Arena a = Arena.ofConfined()) {
            s.setOption(Net.SOL_SOCKET, Net.SO_REUSEADDR, 1, "SO_REUSEADDR");
            s.setOption(Net.SOL_SOCKET, Net.SO_REUSEPORT, 1, "SO_REUSEPORT");
            MemorySegment sa = a.allocate(Net.SOCKADDR_STORAGE, 8);
            int len = Net.encode(address, sa);
            NetErrors.check(Net.bind(fd, sa, len), "bind", address);
            NetErrors.check(Net.listen(fd, backlog), "listen", address);
            InetSocketAddress local = s.address(false);
            return new TcpListener(s, local);
        } catch (IOException | RuntimeException e) {
            try {
                s.closeFd();
            } catch (IOException ignored) {
                // report the bind failure
            }
            throw e;
        }
    }

    /** The bound address (with the actual port when bound to port 0). */
    public InetSocketAddress localAddr() {
        return localAddress;
    }

    /**
     * Waits for and returns the next connection, which belongs to this executor.
     *
     * @throws java.nio.channels.ClosedChannelException       when the listener is closed
     * @throws java.nio.channels.AsynchronousCloseException when it is closed while waiting
     */
    public TcpStream accept() throws IOException {
        return TcpStream.accepted(acceptor.socket().owner, acceptor.accept());
    }

    /** Connections accepted by the kernel and not yet taken by {@link #accept()}. */
    public int pending() {
        return acceptor.pending();
    }

    /** Stops listening: cancels the armed accept, closes queued connections and the socket. */
    @Override
    public void close() throws IOException {
        acceptor.close();
    }

    @Override
    public String toString() {
        return "TcpListener[" + localAddress + "]";
    }
}
