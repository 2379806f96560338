package io.github.jglommio.net;

import io.github.jglommio.reactor.Reactor;

import java.io.IOException;
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
public final class TcpListener extends Acceptor<InetSocketAddress, TcpStream> implements AutoCloseable {

    /** Default listen backlog. */
    public static final int BACKLOG_DEFAULT = 1024;

    private TcpListener(SocketFd<InetSocketAddress> socket, InetSocketAddress local) {
        super(socket, local);
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
        return listen("TcpListener.bind", AddressFamily.INET, address, backlog, "tcp listener on " + address,
                TcpListener::new, IntOption.SO_REUSEADDR, IntOption.SO_REUSEPORT);
    }

    @Override
    TcpStream accepted(Reactor owner, int fd) {
        return TcpStream.accepted(owner, fd);
    }
}
