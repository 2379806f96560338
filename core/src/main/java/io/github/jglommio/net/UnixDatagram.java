package io.github.jglommio.net;

import io.github.jglommio.reactor.Reactor;
import io.github.jglommio.sys.Errno;
import io.github.jglommio.sys.Net;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.BindException;
import java.nio.ByteBuffer;
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
        super(owner, fd, description);
    }

    /**
     * A socket bound to {@code path}, which it creates.
     *
     * @throws BindException            when {@code path} already exists: the message names it
     * @throws IllegalArgumentException when the path is longer than 107 bytes
     */
    public static UnixDatagram bind(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        Reactor r = reactor("UnixDatagram.bind");
        int fd = NetErrors.check(Net.socket(Net.AF_UNIX, Net.SOCK_DGRAM), "socket", path);
        UnixDatagram s = new UnixDatagram(r, fd, "unix datagram socket on " + path);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment sa = a.allocate(Net.SOCKADDR_STORAGE, 8);
            int len = Net.encodeUnix(path.toString(), sa);
            int res = Net.bind(fd, sa, len);
            if (res == -Errno.EADDRINUSE) {
                throw new BindException("bind(" + path + ") failed: " + Errno.describe(res)
                        + "; the path exists (a stale socket file?) and must be deleted before binding");
            }
            NetErrors.check(res, "bind", path);
            return s;
        } catch (IOException | RuntimeException e) {
            try {
                s.close();
            } catch (IOException ignored) {
                // report the bind failure
            }
            throw e;
        }
    }

    /** A socket bound to no path: it can send, and receive replies once {@link #connect connected}. */
    public static UnixDatagram unbound() throws IOException {
        Reactor r = reactor("UnixDatagram.unbound");
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
        Reactor r = reactor("UnixDatagram.pair");
        int[] fds = new int[2];
        NetErrors.check(Net.socketpair(Net.SOCK_DGRAM, fds), "socketpair", "AF_UNIX, SOCK_DGRAM");
        return new UnixDatagram[] {
            new UnixDatagram(r, fds[0], "unix datagram pair fd " + fds[0]),
            new UnixDatagram(r, fds[1], "unix datagram pair fd " + fds[1])
        };
    }

    /**
     * Sets the peer: {@link #send(byte[])} goes to the socket bound at {@code path}, and
     * {@link #recv(byte[])} only returns its datagrams. A plain {@code connect(2)}; it never blocks.
     *
     * @throws IOException "ENOENT" when nothing is bound there, "ECONNREFUSED" when the socket file is
     *                     stale
     */
    public void connect(Path path) throws IOException {
        connectTo(path);
    }

    /**
     * Sends {@code length} bytes of {@code b} from {@code offset} as one datagram to the socket bound
     * at {@code to}; waits while its queue is full.
     *
     * @throws IOException "ENOENT" when nothing is bound at {@code to}, "ECONNREFUSED" when the socket
     *                     file is stale, "EMSGSIZE" when larger than the send buffer
     * @throws java.nio.channels.InterruptedByTimeoutException when a write timeout is set and elapsed
     */
    public int sendTo(byte[] b, int offset, int length, Path to) throws IOException {
        check("sendTo");
        return sendArray(b, offset, length, Objects.requireNonNull(to, "to"));
    }

    /** Sends all of {@code b} as one datagram to {@code to}. */
    public int sendTo(byte[] b, Path to) throws IOException {
        return sendTo(b, 0, b.length, to);
    }

    /** Sends the remaining bytes of {@code src} (in place when direct) as one datagram to {@code to}. */
    public int sendTo(ByteBuffer src, Path to) throws IOException {
        check("sendTo");
        return sendBuffer(src, Objects.requireNonNull(to, "to"));
    }

    /**
     * Receives one datagram into {@code b} from {@code offset}, parking until one arrives; returns its
     * length, the sender's path (empty when the sender is unbound) and whether it was cut to fit.
     *
     * @throws java.nio.channels.InterruptedByTimeoutException when a read timeout is set and elapsed
     */
    public Datagram<Path> recvFrom(byte[] b, int offset, int length) throws IOException {
        check("recvFrom");
        return recvFromArray(b, offset, length, 0);
    }

    /** {@link #recvFrom(byte[], int, int)} into all of {@code b}. */
    public Datagram<Path> recvFrom(byte[] b) throws IOException {
        return recvFrom(b, 0, b.length);
    }

    /** Receives one datagram into {@code dst} (in place when direct), reporting its sender. */
    public Datagram<Path> recvFrom(ByteBuffer dst) throws IOException {
        check("recvFrom");
        return recvFromBuffer(dst, 0);
    }

    /** Like {@link #recvFrom(byte[], int, int)}, but the datagram stays queued (MSG_PEEK). */
    public Datagram<Path> peekFrom(byte[] b, int offset, int length) throws IOException {
        check("peekFrom");
        return recvFromArray(b, offset, length, Net.MSG_PEEK);
    }

    /** {@link #peekFrom(byte[], int, int)} into all of {@code b}. */
    public Datagram<Path> peekFrom(byte[] b) throws IOException {
        return peekFrom(b, 0, b.length);
    }

    /** The bound path (getsockname); empty when unbound. */
    public Path localAddr() throws IOException {
        check("localAddr");
        return unixAddress(false);
    }

    /**
     * The connected peer's path (getpeername); empty when the peer is unnamed.
     *
     * @throws java.net.SocketException "ENOTCONN" when not connected
     */
    public Path peerAddr() throws IOException {
        check("peerAddr");
        return unixAddress(true);
    }

    @Override
    int encode(Path address, MemorySegment out) {
        return Net.encodeUnix(address.toString(), out);
    }

    @Override
    Path decode(MemorySegment in, int length) {
        return Path.of(Net.decodeUnix(in, length));
    }

    @Override
    public String toString() {
        return "UnixDatagram[" + description + "]";
    }
}
