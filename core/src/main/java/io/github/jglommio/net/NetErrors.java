package io.github.jglommio.net;

import io.github.jglommio.sys.Errno;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;

/** Turns {@code -errno} socket results into the JDK's exception types, naming the call and address. */
final class NetErrors {

    private NetErrors() {
    }

    static int check(int res, String op, Object target) throws IOException {
        if (res >= 0) {
            return res;
        }
        throw exception(-res, op, target);
    }

    static IOException exception(int errno, String op, Object target) {
        String message = op + "(" + target + ") failed: " + Errno.describe(errno);
        return switch (errno) {
            case Errno.ECONNREFUSED, Errno.ETIMEDOUT -> new ConnectException(message);
            case Errno.EADDRINUSE, Errno.EADDRNOTAVAIL -> new BindException(message);
            case Errno.EHOSTUNREACH, Errno.ENETUNREACH -> new NoRouteToHostException(message);
            case Errno.ECONNRESET, Errno.EPIPE, Errno.ENOTCONN, Errno.ECONNABORTED -> new SocketException(message);
            default -> new IOException(message);
        };
    }
}
