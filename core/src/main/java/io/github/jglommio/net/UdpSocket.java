package io.github.jglommio.net;

import io.github.jglommio.reactor.Reactor;
import io.github.jglommio.sys.Errno;
import io.github.jglommio.sys.Net;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketException;
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
        super(owner, fd, AddressFamily.INET, description);
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
        return Sockets.bound("UdpSocket.bind", AddressFamily.INET, address, Net.SOCK_DGRAM,
                (r, fd) -> new UdpSocket(r, fd, "udp socket on " + address,
                        address.getAddress() instanceof Inet6Address), IntOption.SO_REUSEPORT);
    }

    // ---------------------------------------------------------------- options

    /** Allows (true) sending to broadcast addresses ({@code SO_BROADCAST}). */
    public void setBroadcast(boolean broadcast) throws IOException {
        setOption("setBroadcast", IntOption.SO_BROADCAST, broadcast ? 1 : 0);
    }

    /** Whether sending to broadcast addresses is allowed ({@code SO_BROADCAST}). */
    public boolean broadcast() throws IOException {
        return getOption("broadcast", IntOption.SO_BROADCAST) != 0;
    }

    /** Time-to-live (hop limit for IPv6) of outgoing unicast datagrams, 1..255. */
    public void setTtl(int ttl) throws IOException {
        setOption("setTtl", v6 ? IntOption.IPV6_UNICAST_HOPS : IntOption.IP_TTL, ttl);
    }

    /** Time-to-live (hop limit for IPv6) of outgoing unicast datagrams. */
    public int ttl() throws IOException {
        return getOption("ttl", v6 ? IntOption.IPV6_UNICAST_HOPS : IntOption.IP_TTL);
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
        setOption("setMulticastLoopV4", IntOption.IP_MULTICAST_LOOP, loop ? 1 : 0);
    }

    /** See {@link #setMulticastLoopV4}. */
    public boolean multicastLoopV4() throws IOException {
        return getOption("multicastLoopV4", IntOption.IP_MULTICAST_LOOP) != 0;
    }

    /** Time-to-live of outgoing IPv4 multicast, 0..255 ({@code IP_MULTICAST_TTL}; default 1: the local network). */
    public void setMulticastTtlV4(int ttl) throws IOException {
        setOption("setMulticastTtlV4", IntOption.IP_MULTICAST_TTL, ttl);
    }

    /** See {@link #setMulticastTtlV4}. */
    public int multicastTtlV4() throws IOException {
        return getOption("multicastTtlV4", IntOption.IP_MULTICAST_TTL);
    }

    /** Whether this socket receives the IPv6 multicast it sends ({@code IPV6_MULTICAST_LOOP}; default on). */
    public void setMulticastLoopV6(boolean loop) throws IOException {
        setOption("setMulticastLoopV6", IntOption.IPV6_MULTICAST_LOOP, loop ? 1 : 0);
    }

    /** See {@link #setMulticastLoopV6}. */
    public boolean multicastLoopV6() throws IOException {
        return getOption("multicastLoopV6", IntOption.IPV6_MULTICAST_LOOP) != 0;
    }

    /** Hop limit of outgoing IPv6 multicast, 0..255 ({@code IPV6_MULTICAST_HOPS}). */
    public void setMulticastHopsV6(int hops) throws IOException {
        setOption("setMulticastHopsV6", IntOption.IPV6_MULTICAST_HOPS, hops);
    }

    /** See {@link #setMulticastHopsV6}. */
    public int multicastHopsV6() throws IOException {
        return getOption("multicastHopsV6", IntOption.IPV6_MULTICAST_HOPS);
    }

    @Override
    int encode(InetSocketAddress address, MemorySegment out) throws IOException {
        AddressFamily.INET.requireResolved(address, "send to");
        if (v6 && address.getAddress() instanceof Inet4Address v4) {
            // A dual-stack IPv6 socket reaches an IPv4 peer through its IPv4-mapped address ::ffff:a.b.c.d.
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xFF;
            mapped[11] = (byte) 0xFF;
            System.arraycopy(v4.getAddress(), 0, mapped, 12, 4);
            address = new InetSocketAddress(Inet6Address.getByAddress(null, mapped, 0), address.getPort());
        }
        return super.encode(address, out);
    }

    @Override
    IOException error(int errno, String op, Object target) {
        if (errno == Errno.ECONNREFUSED) {
            return new PortUnreachableException(op + "(" + target + ") failed: " + Errno.describe(errno)
                    + "; the peer's port is closed (ICMP port unreachable)");
        }
        return super.error(errno, op, target);
    }
}
