package io.github.jglommio.net;

import io.github.jglommio.reactor.Reactor;
import io.github.jglommio.sys.Net;

import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A Unix-domain datagram socket on io_uring: Glommio's {@code UnixDatagram}. Message boundaries are
 * kept and, unlike UDP, nothing is lost: a send waits while the receiver's queue is full.
 *
 * {@snippet :
 * try (UnixDatagram server = UnixDatagram.bind(Path.of("/tmp/jg-server.sock"));
 *      UnixDatagram client = UnixDatagram.bind(Path.of("/tmp/jg-client.sock"))) {
 *     client.sendTo("ping".getBytes(), server.localAddr());
 *     byte[] buf = new byte[256];
 *     Datagram<Path> d = server.recvFrom(buf);   // d.from(): /tmp/jg-client.sock
 *     server.sendTo(buf, 0, d.length(), d.from());
 * }
 * }
 *
 * <p>A socket is created {@link #bind bound} to a path (it can then be sent to), {@link #unbound()}
 * (it can send, and receive from a peer it {@link #connect connected} to), or as a connected
 * {@link #pair()}. The receiver of a datagram from an unbound socket sees the empty path as its
 * sender. Closing leaves the socket file of a bound socket behind; delete it.
 *
 * <p>Threading and errors: see the package documentation.
 */
public final class UnixDatagram extends DatagramFd<Path> {

    private UnixDatagram(Reactor owner, int fd, String description) {
        super(owner, fd, AddressFamily.UNIX, description);
    }

    /**
     * A socket bound to {@code path}, which it creates.
     *
     * @throws BindException            when {@code path} already exists: the message names it
     * @throws IllegalArgumentException when the path is longer than 107 bytes
     */
    public static UnixDatagram bind(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        return Sockets.bound("UnixDatagram.bind", AddressFamily.UNIX, path, Net.SOCK_DGRAM,
                (r, fd) -> new UnixDatagram(r, fd, "unix datagram socket on " + path));
    }

    /** A socket bound to no path: it can send, and receive replies once {@link #connect connected}. */
    public static UnixDatagram unbound() throws IOException {
        Reactor r = Reactor.currentOrThrow("UnixDatagram.unbound");
        int fd = NetErrors.check(Net.socket(Net.AF_UNIX, Net.SOCK_DGRAM), "socket", "AF_UNIX, SOCK_DGRAM");
        return new UnixDatagram(r, fd, "unbound unix datagram socket " + fd);
    }

    /**
     * Two connected, unnamed datagram sockets ({@code socketpair(AF_UNIX, SOCK_DGRAM)}).
     *
     * {@snippet :
     * UnixDatagram[] pair = UnixDatagram.pair();
     * pair[0].send("one message".getBytes());
     * int n = pair[1].recv(new byte[64]);           // 11
     * }
     */
    public static UnixDatagram[] pair() throws IOException {
        return Sockets.pair("UnixDatagram.pair", Net.SOCK_DGRAM, "AF_UNIX, SOCK_DGRAM",
                (r, fd) -> new UnixDatagram(r, fd, "unix datagram pair fd " + fd), UnixDatagram[]::new);
    }
}
