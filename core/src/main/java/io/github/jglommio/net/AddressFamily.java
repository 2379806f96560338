package io.github.jglommio.net;

import io.github.jglommio.sys.Errno;
import io.github.jglommio.sys.Net;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.BindException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;

/**
 * What differs between IP and Unix-domain sockets, so that the socket code above is written once:
 * the address type {@code A}, the {@code socket(2)} domain, the sockaddr encoding, the address a
 * listener reports, and the errors that read differently for a path. Two instances: {@link #INET}
 * ({@link InetSocketAddress}) and {@link #UNIX} ({@link Path}).
 */
abstract sealed class AddressFamily<A> {

    /** IPv4 and IPv6: {@code AF_INET} or {@code AF_INET6} by the address. */
    static final AddressFamily<InetSocketAddress> INET = new Inet();
    /** {@code AF_UNIX}, addressed by filesystem path; an unnamed end has the empty path. */
    static final AddressFamily<Path> UNIX = new Unix();

    /** The {@code socket(2)} domain for a socket that will use {@code address}. */
    abstract int domain(A address);

    /**
     * Throws {@link UnknownHostException} when {@code address} is an unresolved host name, naming the
     * {@code verb} ({@code "connect to"}); paths are always usable.
     */
    void requireResolved(A address, String verb) throws UnknownHostException {
    }

    /** Writes {@code address} as a sockaddr into {@code out}; returns its length. */
    abstract int encode(A address, MemorySegment out) throws IOException;

    /** Reads the sockaddr of {@code length} bytes that the kernel wrote into {@code in}. */
    abstract A decode(MemorySegment in, int length);

    /** The address a listener bound to {@code requested} reports as its own. */
    abstract A listening(SocketFd<A> socket, A requested) throws IOException;

    /** The exception for a failed {@code bind(2)} to {@code address}. */
    IOException bindError(int errno, A address) {
        return NetErrors.exception(errno, "bind", address);
    }

    /** The exception for a failed connect of a stream socket to {@code address}. */
    IOException connectError(int errno, A address) {
        return NetErrors.exception(errno, "connect", address);
    }

    private static final class Inet extends AddressFamily<InetSocketAddress> {

        @Override
        int domain(InetSocketAddress address) {
            return address.getAddress() instanceof Inet6Address ? Net.AF_INET6 : Net.AF_INET;
        }

        @Override
        void requireResolved(InetSocketAddress address, String verb) throws UnknownHostException {
            if (address.isUnresolved()) {
                throw new UnknownHostException("cannot " + verb + " unresolved address " + address.getHostString());
            }
        }

        @Override
        int encode(InetSocketAddress address, MemorySegment out) throws IOException {
            return Net.encode(address, out);
        }

        /**
         * The address as the JDK's own sockets report it: an IPv4-mapped IPv6 address
         * ({@code ::ffff:a.b.c.d}, a dual-stack socket's IPv4 peer) as the IPv4 address, and no
         * {@code %0} on an unscoped IPv6 one.
         */
        @Override
        InetSocketAddress decode(MemorySegment in, int length) {
            InetSocketAddress a = Net.decode(in);
            if (a == null || !(a.getAddress() instanceof Inet6Address v6) || v6.getScopeId() != 0) {
                return a;
            }
            try {
                // getByAddress(byte[16]) turns a mapped address into an Inet4Address and sets no scope.
                return new InetSocketAddress(InetAddress.getByAddress(v6.getAddress()), a.getPort());
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Asks the kernel: a listener bound to port 0 reports the port it got. */
        @Override
        InetSocketAddress listening(SocketFd<InetSocketAddress> socket, InetSocketAddress requested)
                throws IOException {
            return socket.name(false);
        }
    }

    private static final class Unix extends AddressFamily<Path> {

        @Override
        int domain(Path address) {
            return Net.AF_UNIX;
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
        Path listening(SocketFd<Path> socket, Path requested) {
            return requested;
        }

        /** A path that exists is the common case (a stale socket file): say what to do about it. */
        @Override
        IOException bindError(int errno, Path path) {
            if (errno == Errno.EADDRINUSE) {
                return new BindException("bind(" + path + ") failed: " + Errno.describe(errno)
                        + "; the path exists (a stale socket file?) and must be deleted before binding");
            }
            return super.bindError(errno, path);
        }

        /** No socket file at the path is the Unix form of a refused connection. */
        @Override
        IOException connectError(int errno, Path path) {
            if (errno == Errno.ENOENT) {
                return new ConnectException("connect(" + path + ") failed: " + Errno.describe(errno));
            }
            return super.connectError(errno, path);
        }
    }
}
