package io.github.jglommio.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Socket constants (include/linux/socket.h, asm-generic/socket.h, linux/in.h, linux/in6.h, linux/tcp.h),
 * {@code struct sockaddr_in/in6/un} encoding, {@code struct msghdr}/{@code iovec} for
 * {@code IORING_OP_SENDMSG/RECVMSG}, and the socket calls io_uring has no operation for on every kernel
 * (socket, bind, listen, connect of a datagram socket, options, names). Each returns the result or
 * {@code -errno}.
 */
public final class Net {

    public static final int AF_UNIX = 1;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_NONBLOCK = 04000;
    public static final int SOCK_CLOEXEC = 02000000;

    public static final int SOL_SOCKET = 1;
    public static final int SO_REUSEADDR = 2;
    public static final int SO_ERROR = 4;
    public static final int SO_BROADCAST = 6;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_KEEPALIVE = 9;
    public static final int SO_REUSEPORT = 15;
    public static final int IPPROTO_IP = 0;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_IPV6 = 41;
    public static final int TCP_NODELAY = 1;
    public static final int IP_TTL = 2;
    public static final int IP_MULTICAST_IF = 32;
    public static final int IP_MULTICAST_TTL = 33;
    public static final int IP_MULTICAST_LOOP = 34;
    public static final int IP_ADD_MEMBERSHIP = 35;
    public static final int IP_DROP_MEMBERSHIP = 36;
    public static final int IPV6_UNICAST_HOPS = 16;
    public static final int IPV6_MULTICAST_HOPS = 18;
    public static final int IPV6_MULTICAST_LOOP = 19;
    public static final int IPV6_ADD_MEMBERSHIP = 20;
    public static final int IPV6_DROP_MEMBERSHIP = 21;
    public static final int IPV6_V6ONLY = 26;

    public static final int MSG_PEEK = 0x02;
    /** In {@code msg_flags} after recvmsg: the datagram was longer than the buffer and was cut. */
    public static final int MSG_TRUNC = 0x20;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int MSG_WAITALL = 0x100;
    public static final int MSG_NOSIGNAL = 0x4000;

    public static final int SHUT_RD = 0;
    public static final int SHUT_WR = 1;
    public static final int SHUT_RDWR = 2;

    /** Room for any sockaddr ({@code struct sockaddr_storage}). */
    public static final int SOCKADDR_STORAGE = 128;
    /** {@code sizeof(struct sockaddr_un)}: family + 108 bytes of path. */
    public static final int SOCKADDR_UN = 110;

    /**
     * {@code struct user_msghdr} (include/linux/socket.h) on LP64: pointers and {@code size_t}s are
     * 8 bytes, {@code msg_namelen} and {@code msg_flags} are 4 with explicit tail padding.
     */
    public static final StructLayout MSGHDR = MemoryLayout.structLayout(
            JAVA_LONG.withName("msg_name"), JAVA_INT.withName("msg_namelen"), MemoryLayout.paddingLayout(4),
            JAVA_LONG.withName("msg_iov"), JAVA_LONG.withName("msg_iovlen"),
            JAVA_LONG.withName("msg_control"), JAVA_LONG.withName("msg_controllen"),
            JAVA_INT.withName("msg_flags"), MemoryLayout.paddingLayout(4));
    public static final long MSG_NAME = MSGHDR.byteOffset(groupElement("msg_name"));
    public static final long MSG_NAMELEN = MSGHDR.byteOffset(groupElement("msg_namelen"));
    public static final long MSG_IOV = MSGHDR.byteOffset(groupElement("msg_iov"));
    public static final long MSG_IOVLEN = MSGHDR.byteOffset(groupElement("msg_iovlen"));
    public static final long MSG_CONTROL = MSGHDR.byteOffset(groupElement("msg_control"));
    public static final long MSG_CONTROLLEN = MSGHDR.byteOffset(groupElement("msg_controllen"));
    public static final long MSG_FLAGS = MSGHDR.byteOffset(groupElement("msg_flags"));

    /** {@code struct iovec} (include/uapi/linux/uio.h). */
    public static final StructLayout IOVEC = MemoryLayout.structLayout(
            JAVA_LONG.withName("iov_base"), JAVA_LONG.withName("iov_len"));
    public static final long IOV_BASE = IOVEC.byteOffset(groupElement("iov_base"));
    public static final long IOV_LEN = IOVEC.byteOffset(groupElement("iov_len"));

    /**
     * A message block, the memory one sendmsg/recvmsg needs besides the data: the msghdr at 0, its
     * single iovec at {@value #MSG_BLOCK_IOV}, the peer's sockaddr at {@value #MSG_BLOCK_NAME}
     * ({@value #SOCKADDR_STORAGE} bytes). {@value #MSG_BLOCK_SIZE} bytes in all.
     */
    public static final int MSG_BLOCK_SIZE = 256;
    public static final int MSG_BLOCK_IOV = 64;
    public static final int MSG_BLOCK_NAME = 128;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final MethodHandle SOCKET = handle("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = handle("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle CONNECT = handle("connect",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle LISTEN = handle("listen", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = handle("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKOPT = handle("getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle GETSOCKNAME = handle("getsockname",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle GETPEERNAME = handle("getpeername",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SOCKETPAIR = handle("socketpair",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));

    private Net() {
    }

    private static MethodHandle handle(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), fd, ERRNO);
    }

    private static int errno(MemorySegment slot) {
        return slot.get(JAVA_INT, 0);
    }

    /** {@code socket(2)} with CLOEXEC: the fd, or {@code -errno}. */
    public static int socket(int domain, int type) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment slot = Syscalls.newErrnoSlot(a);
            int r = (int) SOCKET.invokeExact(slot, domain, type | SOCK_CLOEXEC, 0);
            return r < 0 ? -errno(slot) : r;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** {@code socketpair(AF_UNIX, type)}: 0 with the fds in {@code fds}, or {@code -errno}. */
    public static int socketpair(int type, int[] fds) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment slot = Syscalls.newErrnoSlot(a);
            MemorySegment sv = a.allocate(8, 4);
            int r = (int) SOCKETPAIR.invokeExact(slot, AF_UNIX, type | SOCK_CLOEXEC, 0, sv);
            if (r < 0) {
                return -errno(slot);
            }
            fds[0] = sv.get(JAVA_INT, 0);
            fds[1] = sv.get(JAVA_INT, 4);
            return 0;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static int bind(int fd, MemorySegment addr, int len) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment slot = Syscalls.newErrnoSlot(a);
            int r = (int) BIND.invokeExact(slot, fd, addr, len);
            return r < 0 ? -errno(slot) : r;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * {@code connect(2)}. Used for datagram sockets only, where it just records the peer and never
     * blocks; stream sockets connect with {@code IORING_OP_CONNECT}.
     */
    public static int connect(int fd, MemorySegment addr, int len) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment slot = Syscalls.newErrnoSlot(a);
            int r = (int) CONNECT.invokeExact(slot, fd, addr, len);
            return r < 0 ? -errno(slot) : r;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static int listen(int fd, int backlog) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment slot = Syscalls.newErrnoSlot(a);
            int r = (int) LISTEN.invokeExact(slot, fd, backlog);
            return r < 0 ? -errno(slot) : r;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** {@code setsockopt} with an int value. */
    public static int setInt(int fd, int level, int option, int value) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment slot = Syscalls.newErrnoSlot(a);
            MemorySegment v = a.allocate(JAVA_INT);
            v.set(JAVA_INT, 0, value);
            int r = (int) SETSOCKOPT.invokeExact(slot, fd, level, option, v, 4);
            return r < 0 ? -errno(slot) : r;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** {@code setsockopt} with raw bytes (ip_mreq and friends). */
    public static int setBytes(int fd, int level, int option, MemorySegment value) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment slot = Syscalls.newErrnoSlot(a);
            int r = (int) SETSOCKOPT.invokeExact(slot, fd, level, option, value, (int) value.byteSize());
            return r < 0 ? -errno(slot) : r;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** {@code setsockopt} with a {@code struct ip_mreq} (linux/in.h): group then interface, 4 bytes each. */
    public static int setIpMreq(int fd, int option, byte[] group, byte[] iface) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = a.allocate(8, 4);
            MemorySegment.copy(group, 0, m, JAVA_BYTE, 0, 4);
            MemorySegment.copy(iface, 0, m, JAVA_BYTE, 4, 4);
            return setBytes(fd, IPPROTO_IP, option, m);
        }
    }

    /** {@code setsockopt} with a {@code struct ipv6_mreq} (linux/in6.h): 16-byte group, int ifindex. */
    public static int setIpv6Mreq(int fd, int option, byte[] group, int ifindex) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = a.allocate(20, 4);
            MemorySegment.copy(group, 0, m, JAVA_BYTE, 0, 16);
            m.set(JAVA_INT, 16, ifindex);
            return setBytes(fd, IPPROTO_IPV6, option, m);
        }
    }

    /** {@code setsockopt} with a {@code struct in_addr} ({@code IP_MULTICAST_IF}). */
    public static int setInAddr(int fd, int level, int option, byte[] addr) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = a.allocate(4, 4);
            MemorySegment.copy(addr, 0, m, JAVA_BYTE, 0, 4);
            return setBytes(fd, level, option, m);
        }
    }

    /** {@code getsockopt} of an int value; {@code -errno} on failure (values are never negative here). */
    public static int getInt(int fd, int level, int option) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment slot = Syscalls.newErrnoSlot(a);
            MemorySegment v = a.allocate(JAVA_INT);
            MemorySegment len = a.allocate(JAVA_INT);
            len.set(JAVA_INT, 0, 4);
            int r = (int) GETSOCKOPT.invokeExact(slot, fd, level, option, v, len);
            return r < 0 ? -errno(slot) : v.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** The local ({@code peer=false}) or remote address of {@code fd} into {@code storage}: its length or {@code -errno}. */
    public static int name(int fd, boolean peer, MemorySegment storage) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment slot = Syscalls.newErrnoSlot(a);
            MemorySegment len = a.allocate(JAVA_INT);
            len.set(JAVA_INT, 0, (int) storage.byteSize());
            int r = peer ? (int) GETPEERNAME.invokeExact(slot, fd, storage, len)
                    : (int) GETSOCKNAME.invokeExact(slot, fd, storage, len);
            return r < 0 ? -errno(slot) : len.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Encodes {@code address} as a sockaddr_in or sockaddr_in6 into {@code out}; returns its length. */
    public static int encode(InetSocketAddress address, MemorySegment out) throws UnknownHostException {
        InetAddress ip = address.getAddress();
        if (ip == null) {
            throw new UnknownHostException("unresolved address: " + address.getHostString());
        }
        out.asSlice(0, 28).fill((byte) 0);
        short port = Short.reverseBytes((short) address.getPort()); // network byte order
        if (ip instanceof Inet4Address) {
            out.set(JAVA_SHORT, 0, (short) AF_INET);
            out.set(JAVA_SHORT, 2, port);
            MemorySegment.copy(ip.getAddress(), 0, out, JAVA_BYTE, 4, 4);
            return 16;
        }
        out.set(JAVA_SHORT, 0, (short) AF_INET6);
        out.set(JAVA_SHORT, 2, port);
        MemorySegment.copy(ip.getAddress(), 0, out, JAVA_BYTE, 8, 16);
        out.set(JAVA_INT, 24, ((Inet6Address) ip).getScopeId());
        return 28;
    }

    /** Decodes a sockaddr_in/in6 (or null for other families). */
    public static InetSocketAddress decode(MemorySegment in) {
        int family = in.get(JAVA_SHORT, 0);
        int port = Short.reverseBytes(in.get(JAVA_SHORT, 2)) & 0xFFFF;
        try {
            if (family == AF_INET) {
                byte[] b = new byte[4];
                MemorySegment.copy(in, JAVA_BYTE, 4, b, 0, 4);
                return new InetSocketAddress(InetAddress.getByAddress(b), port);
            }
            if (family == AF_INET6) {
                byte[] b = new byte[16];
                MemorySegment.copy(in, JAVA_BYTE, 8, b, 0, 16);
                int scope = in.get(JAVA_INT, 24);
                return new InetSocketAddress(Inet6Address.getByAddress(null, b, scope), port);
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        return null;
    }

    /** Encodes a Unix socket path as sockaddr_un; returns its length. */
    public static int encodeUnix(String path, MemorySegment out) {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        if (p.length > 107) {
            throw new IllegalArgumentException("Unix socket path too long (" + p.length + " bytes, at most 107): " + path);
        }
        out.asSlice(0, 110).fill((byte) 0);
        out.set(JAVA_SHORT, 0, (short) AF_UNIX);
        MemorySegment.copy(p, 0, out, JAVA_BYTE, 2, p.length);
        return 2 + p.length + 1;
    }

    /** Decodes a sockaddr_un of {@code len} bytes: its path ("" when unnamed). */
    public static String decodeUnix(MemorySegment in, int len) {
        if (len <= 2) {
            return "";
        }
        byte[] b = new byte[len - 2];
        MemorySegment.copy(in, JAVA_BYTE, 2, b, 0, b.length);
        int end = 0;
        while (end < b.length && b[end] != 0) {
            end++;
        }
        return new String(b, 0, end, StandardCharsets.UTF_8);
    }

    /**
     * Fills the message block {@code block} (see {@link #MSG_BLOCK_SIZE}) for one sendmsg/recvmsg of
     * {@code len} bytes at native address {@code data}: one iovec, no control data, and
     * {@code msg_name} pointing at the block's sockaddr with {@code nameLen} bytes (the destination's
     * length for sendmsg, the room for the sender for recvmsg, 0 for none). The kernel writes the
     * sender's length and {@code msg_flags} back into the block on recvmsg.
     */
    public static void prepareMsg(MemorySegment block, long data, long len, int nameLen) {
        long base = block.address();
        block.set(JAVA_LONG, MSG_NAME, nameLen == 0 ? 0 : base + MSG_BLOCK_NAME);
        block.set(JAVA_INT, MSG_NAMELEN, nameLen);
        block.set(JAVA_LONG, MSG_IOV, base + MSG_BLOCK_IOV);
        block.set(JAVA_LONG, MSG_IOVLEN, 1);
        block.set(JAVA_LONG, MSG_CONTROL, 0);
        block.set(JAVA_LONG, MSG_CONTROLLEN, 0);
        block.set(JAVA_INT, MSG_FLAGS, 0);
        block.set(JAVA_LONG, MSG_BLOCK_IOV + IOV_BASE, data);
        block.set(JAVA_LONG, MSG_BLOCK_IOV + IOV_LEN, len);
    }

    /** The sockaddr slot of a message block. */
    public static MemorySegment msgName(MemorySegment block) {
        return block.asSlice(MSG_BLOCK_NAME, SOCKADDR_STORAGE);
    }

    /** {@code msg_namelen} of a message block: the sender's address length after recvmsg. */
    public static int msgNameLength(MemorySegment block) {
        return block.get(JAVA_INT, MSG_NAMELEN);
    }

    /** {@code msg_flags} of a message block after recvmsg ({@link #MSG_TRUNC}...). */
    public static int msgFlags(MemorySegment block) {
        return block.get(JAVA_INT, MSG_FLAGS);
    }
}
