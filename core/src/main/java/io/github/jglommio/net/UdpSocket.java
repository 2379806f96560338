package io.github.jglommio.net;

import io.github.jglommio.reactor.Reactor;
import io.github.jglommio.sys.Errno;
import io.github.jglommio.sys.Net;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A UDP socket on io_uring: Glommio's {@code UdpSocket}. Datagrams to and from any address
 * ({@link #sendTo}, {@link #recvFrom}, with the sender reported), or to and from one peer after
 * {@link #connect}; each call parks only the calling task.
 *
 * {@snippet :
 * try (UdpSocket socket = UdpSocket.bind(new InetSocketAddress("127.0.0.1", 5353))) {
 *     byte[] buf = new byte[1500];
 *     while (true) {
 *         Datagram<InetSocketAddress> d = socket.recvFrom(buf);
 *         socket.sendTo(buf, 0, d.length(), d.from());         // echo
 *     }
 * }
 * }
 *
 * <p>Binds with {@code SO_REUSEPORT}, as Glommio does, so every shard can bind the same port and the
 * kernel spreads datagrams over them. Addressed calls use {@code IORING_OP_SENDMSG/RECVMSG}; the
 * connected ones {@code IORING_OP_SEND/RECV}. Data is copied once between the caller's array and a
 * per-socket native buffer; a direct {@link ByteBuffer} is used in place. Several tasks may send and
 * receive at once: a task that finds the socket's buffer busy gets its own.
 *
 * <p>An IPv6 socket bound to {@code ::} is dual-stack: it reaches IPv4 peers too, and reports them as
 * plain IPv4 addresses.
 *
 * <p>Threading and errors: see the package documentation. A connected socket whose peer port is
 * closed sees {@link PortUnreachableException} on a later send or receive (the ICMP error).
 */
public final class UdpSocket extends DatagramFd<InetSocketAddress> {

    private static final byte[] ANY_V4 = new byte[4];

    private final boolean v6;

    private UdpSocket(Reactor owner, int fd, String description, boolean v6) {
        super(owner, fd, description);
        this.v6 = v6;
    }

    /**
     * A socket bound to {@code address} (port 0: any free port, see {@link #localAddr()}), with
     * {@code SO_REUSEPORT}.
     *
     * @throws java.net.BindException when the address is in use (by a socket without
     *                                {@code SO_REUSEPORT}) or not local
     */
    public static UdpSocket bind(InetSocketAddress address) throws IOException {
        Objects.requireNonNull(address, "address");
        Reactor r = reactor("UdpSocket.bind");
        if (address.isUnresolved()) {
            throw new UnknownHostException("cannot bind to unresolved address " + address.getHostString());
        }
        boolean v6 = address.getAddress() instanceof Inet6Address;
        int fd = NetErrors.check(Net.socket(v6 ? Net.AF_INET6 : Net.AF_INET, Net.SOCK_DGRAM), "socket", address);
        UdpSocket s = new UdpSocket(r, fd, "udp socket on " + address, v6);
        try (Arena a = Arena.ofConfined()) {
            s.setOption(Net.SOL_SOCKET, Net.SO_REUSEPORT, 1, "SO_REUSEPORT");
            MemorySegment sa = a.allocate(Net.SOCKADDR_STORAGE, 8);
            int len = Net.encode(address, sa);
            NetErrors.check(Net.bind(fd, sa, len), "bind", address);
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

    /**
     * Sets the peer: {@link #send(byte[])} goes there and {@link #recv(byte[])} only returns its
     * datagrams. A plain {@code connect(2)}: nothing is sent and it never blocks. Call again to change
     * the peer.
     */
    public void connect(InetSocketAddress peer) throws IOException {
        connectTo(peer);
    }

    /**
     * Sends {@code length} bytes of {@code b} from {@code offset} as one datagram to {@code to};
     * returns the bytes sent.
     *
     * @throws IOException "EMSGSIZE" when larger than a datagram can be; "EACCES" for a broadcast
     *                     address without {@link #setBroadcast}
     * @throws java.nio.channels.InterruptedByTimeoutException when a write timeout is set and elapsed
     */
    public int sendTo(byte[] b, int offset, int length, InetSocketAddress to) throws IOException {
        check("sendTo");
        return sendArray(b, offset, length, Objects.requireNonNull(to, "to"));
    }

    /** Sends all of {@code b} as one datagram to {@code to}. */
    public int sendTo(byte[] b, InetSocketAddress to) throws IOException {
        return sendTo(b, 0, b.length, to);
    }

    /** Sends the remaining bytes of {@code src} (in place when direct) as one datagram to {@code to}. */
    public int sendTo(ByteBuffer src, InetSocketAddress to) throws IOException {
        check("sendTo");
        return sendBuffer(src, Objects.requireNonNull(to, "to"));
    }

    /**
     * Receives one datagram into {@code b} from {@code offset}, parking until one arrives; returns its
     * length, sender and whether it was cut to fit {@code length}.
     *
     * @throws java.nio.channels.InterruptedByTimeoutException when a read timeout is set and elapsed
     */
    public Datagram<InetSocketAddress> recvFrom(byte[] b, int offset, int length) throws IOException {
        check("recvFrom");
        return recvFromArray(b, offset, length, 0);
    }

    /** {@link #recvFrom(byte[], int, int)} into all of {@code b}. */
    public Datagram<InetSocketAddress> recvFrom(byte[] b) throws IOException {
        return recvFrom(b, 0, b.length);
    }

    /** Receives one datagram into {@code dst} (in place when direct), reporting its sender. */
    public Datagram<InetSocketAddress> recvFrom(ByteBuffer dst) throws IOException {
        check("recvFrom");
        return recvFromBuffer(dst, 0);
    }

    /** Like {@link #recvFrom(byte[], int, int)}, but the datagram stays queued (MSG_PEEK). */
    public Datagram<InetSocketAddress> peekFrom(byte[] b, int offset, int length) throws IOException {
        check("peekFrom");
        return recvFromArray(b, offset, length, Net.MSG_PEEK);
    }

    /** {@link #peekFrom(byte[], int, int)} into all of {@code b}. */
    public Datagram<InetSocketAddress> peekFrom(byte[] b) throws IOException {
        return peekFrom(b, 0, b.length);
    }

    // ---------------------------------------------------------------- options

    /** Allows (true) sending to broadcast addresses ({@code SO_BROADCAST}). */
    public void setBroadcast(boolean broadcast) throws IOException {
        check("setBroadcast");
        setOption(Net.SOL_SOCKET, Net.SO_BROADCAST, broadcast ? 1 : 0, "SO_BROADCAST");
    }

    /** Whether sending to broadcast addresses is allowed ({@code SO_BROADCAST}). */
    public boolean broadcast() throws IOException {
        check("broadcast");
        return getOption(Net.SOL_SOCKET, Net.SO_BROADCAST, "SO_BROADCAST") != 0;
    }

    /** Time-to-live (hop limit for IPv6) of outgoing unicast datagrams, 1..255. */
    public void setTtl(int ttl) throws IOException {
        check("setTtl");
        checkTtl(ttl);
        if (v6) {
            setOption(Net.IPPROTO_IPV6, Net.IPV6_UNICAST_HOPS, ttl, "IPV6_UNICAST_HOPS");
        } else {
            setOption(Net.IPPROTO_IP, Net.IP_TTL, ttl, "IP_TTL");
        }
    }

    /** Time-to-live (hop limit for IPv6) of outgoing unicast datagrams. */
    public int ttl() throws IOException {
        check("ttl");
        return v6 ? getOption(Net.IPPROTO_IPV6, Net.IPV6_UNICAST_HOPS, "IPV6_UNICAST_HOPS")
                : getOption(Net.IPPROTO_IP, Net.IP_TTL, "IP_TTL");
    }

    private static void checkTtl(int ttl) {
        if (ttl < 1 || ttl > 255) {
            throw new IllegalArgumentException("ttl must be between 1 and 255, got " + ttl);
        }
    }

    /**
     * Joins the IPv4 multicast {@code group} on the interface with address {@code iface} (null: the
     * kernel picks one) — {@code IP_ADD_MEMBERSHIP}.
     *
     * {@snippet :
     * UdpSocket s = UdpSocket.bind(new InetSocketAddress("0.0.0.0", 5000));
     * s.joinMulticastV4((Inet4Address) InetAddress.getByName("239.1.2.3"), null);
     * }
     *
     * @throws SocketException when {@code group} is not multicast, the interface has no multicast, or
     *                         the socket already joined
     */
    public void joinMulticastV4(Inet4Address group, Inet4Address iface) throws IOException {
        membershipV4(group, iface, Net.IP_ADD_MEMBERSHIP, "IP_ADD_MEMBERSHIP");
    }

    /** Leaves a group joined with {@link #joinMulticastV4} ({@code IP_DROP_MEMBERSHIP}). */
    public void leaveMulticastV4(Inet4Address group, Inet4Address iface) throws IOException {
        membershipV4(group, iface, Net.IP_DROP_MEMBERSHIP, "IP_DROP_MEMBERSHIP");
    }

    private void membershipV4(Inet4Address group, Inet4Address iface, int option, String name) throws IOException {
        check(name);
        Objects.requireNonNull(group, "group");
        byte[] i = iface == null ? ANY_V4 : iface.getAddress();
        optionResult(Net.setIpMreq(fd, option, group.getAddress(), i), name, group.getHostAddress());
    }

    /**
     * Joins the IPv6 multicast {@code group} on the interface with index {@code interfaceIndex} (0: the
     * kernel picks one; see {@link java.net.NetworkInterface#getIndex()}) — {@code IPV6_ADD_MEMBERSHIP}.
     */
    public void joinMulticastV6(Inet6Address group, int interfaceIndex) throws IOException {
        membershipV6(group, interfaceIndex, Net.IPV6_ADD_MEMBERSHIP, "IPV6_ADD_MEMBERSHIP");
    }

    /** Leaves a group joined with {@link #joinMulticastV6} ({@code IPV6_DROP_MEMBERSHIP}). */
    public void leaveMulticastV6(Inet6Address group, int interfaceIndex) throws IOException {
        membershipV6(group, interfaceIndex, Net.IPV6_DROP_MEMBERSHIP, "IPV6_DROP_MEMBERSHIP");
    }

    private void membershipV6(Inet6Address group, int index, int option, String name) throws IOException {
        check(name);
        Objects.requireNonNull(group, "group");
        optionResult(Net.setIpv6Mreq(fd, option, group.getAddress(), index), name, group.getHostAddress());
    }

    /** Sends outgoing IPv4 multicast through the interface with address {@code iface} ({@code IP_MULTICAST_IF}). */
    public void setMulticastInterfaceV4(Inet4Address iface) throws IOException {
        check("setMulticastInterfaceV4");
        Objects.requireNonNull(iface, "iface");
        optionResult(Net.setInAddr(fd, Net.IPPROTO_IP, Net.IP_MULTICAST_IF, iface.getAddress()), "IP_MULTICAST_IF",
                iface.getHostAddress());
    }

    private void optionResult(int res, String name, String value) throws SocketException {
        if (res < 0) {
            // Option failures are socket-level errors whatever the errno (EADDRNOTAVAIL is not a bind here).
            throw new SocketException("setsockopt " + name + "(" + description + ", " + value + ") failed: "
                    + Errno.describe(res));
        }
    }

    /** Whether this socket receives the IPv4 multicast it sends ({@code IP_MULTICAST_LOOP}; default on). */
    public void setMulticastLoopV4(boolean loop) throws IOException {
        check("setMulticastLoopV4");
        setOption(Net.IPPROTO_IP, Net.IP_MULTICAST_LOOP, loop ? 1 : 0, "IP_MULTICAST_LOOP");
    }

    /** See {@link #setMulticastLoopV4}. */
    public boolean multicastLoopV4() throws IOException {
        check("multicastLoopV4");
        return getOption(Net.IPPROTO_IP, Net.IP_MULTICAST_LOOP, "IP_MULTICAST_LOOP") != 0;
    }

    /** Time-to-live of outgoing IPv4 multicast, 0..255 ({@code IP_MULTICAST_TTL}; default 1: the local network). */
    public void setMulticastTtlV4(int ttl) throws IOException {
        check("setMulticastTtlV4");
        if (ttl < 0 || ttl > 255) {
            throw new IllegalArgumentException("multicast ttl must be between 0 and 255, got " + ttl);
        }
        setOption(Net.IPPROTO_IP, Net.IP_MULTICAST_TTL, ttl, "IP_MULTICAST_TTL");
    }

    /** See {@link #setMulticastTtlV4}. */
    public int multicastTtlV4() throws IOException {
        check("multicastTtlV4");
        return getOption(Net.IPPROTO_IP, Net.IP_MULTICAST_TTL, "IP_MULTICAST_TTL");
    }

    /** Whether this socket receives the IPv6 multicast it sends ({@code IPV6_MULTICAST_LOOP}; default on). */
    public void setMulticastLoopV6(boolean loop) throws IOException {
        check("setMulticastLoopV6");
        setOption(Net.IPPROTO_IPV6, Net.IPV6_MULTICAST_LOOP, loop ? 1 : 0, "IPV6_MULTICAST_LOOP");
    }

    /** See {@link #setMulticastLoopV6}. */
    public boolean multicastLoopV6() throws IOException {
        check("multicastLoopV6");
        return getOption(Net.IPPROTO_IPV6, Net.IPV6_MULTICAST_LOOP, "IPV6_MULTICAST_LOOP") != 0;
    }

    /** Hop limit of outgoing IPv6 multicast, 0..255 ({@code IPV6_MULTICAST_HOPS}). */
    public void setMulticastHopsV6(int hops) throws IOException {
        check("setMulticastHopsV6");
        if (hops < 0 || hops > 255) {
            throw new IllegalArgumentException("multicast hops must be between 0 and 255, got " + hops);
        }
        setOption(Net.IPPROTO_IPV6, Net.IPV6_MULTICAST_HOPS, hops, "IPV6_MULTICAST_HOPS");
    }

    /** See {@link #setMulticastHopsV6}. */
    public int multicastHopsV6() throws IOException {
        check("multicastHopsV6");
        return getOption(Net.IPPROTO_IPV6, Net.IPV6_MULTICAST_HOPS, "IPV6_MULTICAST_HOPS");
    }

    // ---------------------------------------------------------------- addresses

    /** The bound address, with the actual port when bound to port 0 (getsockname). */
    public InetSocketAddress localAddr() throws IOException {
        check("localAddr");
        return address(false);
    }

    /**
     * The connected peer (getpeername).
     *
     * @throws SocketException "ENOTCONN" when {@link #connect} was not called
     */
    public InetSocketAddress peerAddr() throws IOException {
        check("peerAddr");
        return address(true);
    }

    @Override
    int encode(InetSocketAddress address, MemorySegment out) throws IOException {
        if (address.isUnresolved()) {
            throw new UnknownHostException("cannot send to unresolved address " + address.getHostString());
        }
        if (v6 && address.getAddress() instanceof Inet4Address v4) {
            // A dual-stack IPv6 socket reaches an IPv4 peer through its IPv4-mapped address ::ffff:a.b.c.d.
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xFF;
            mapped[11] = (byte) 0xFF;
            System.arraycopy(v4.getAddress(), 0, mapped, 12, 4);
            address = new InetSocketAddress(Inet6Address.getByAddress(null, mapped, 0), address.getPort());
        }
        return Net.encode(address, out);
    }

    @Override
    InetSocketAddress decode(MemorySegment in, int length) {
        return SocketFd.plain(Net.decode(in));
    }

    @Override
    IOException error(int errno, String op, Object target) {
        if (errno == Errno.ECONNREFUSED) {
            return new PortUnreachableException(op + "(" + target + ") failed: " + Errno.describe(errno)
                    + "; the peer's port is closed (ICMP port unreachable)");
        }
        return super.error(errno, op, target);
    }

    @Override
    public String toString() {
        return "UdpSocket[" + description + "]";
    }
}
