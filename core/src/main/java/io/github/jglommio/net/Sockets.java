package io.github.jglommio.net;

import io.github.jglommio.reactor.Reactor;
import io.github.jglommio.sys.Net;

import java.io.IOException;
import java.util.function.IntFunction;

/**
 * Creating sockets, the same for every public type: {@code socket(2)} or {@code socketpair(2)} on
 * behalf of the calling task's executor, and the rule that a socket whose setup (options, bind,
 * connect) fails is closed before the failure reaches the caller.
 */
final class Sockets {

    private Sockets() {
    }

    /** Wraps a fresh fd owned by {@code owner} in its socket type. */
    @FunctionalInterface
    interface Opener<S> {
        S open(Reactor owner, int fd);
    }

    /** Finishes setting up a fresh socket (options, bind, connect); see {@link #setUp}. */
    @FunctionalInterface
    interface Setup<S, R> {
        R run(S socket) throws IOException;
    }

    /**
     * {@code socket(2)} of {@code type} for {@code address}'s family, owned by the calling task's
     * executor and wrapped by {@code wrap}; {@code what} names the public call, {@code verb} what it
     * does with the address.
     *
     * @throws IllegalStateException           outside a jglommio task
     * @throws java.net.UnknownHostException when {@code address} is unresolved
     */
    static <A, S extends SocketFd<A>> S open(String what, AddressFamily<A> family, A address, int type, String verb,
            Opener<S> wrap) throws IOException {
        Reactor r = Reactor.currentOrThrow(what);
        family.requireResolved(address, verb);
        return wrap.open(r, NetErrors.check(Net.socket(family.domain(address), type), "socket", address));
    }

    /**
     * Runs {@code setup} on the fresh {@code socket}; when it fails, closes the socket and rethrows the
     * failure (a close error then would only hide it).
     */
    static <S extends SocketFd<?>, R> R setUp(S socket, Setup<? super S, R> setup) throws IOException {
        try {
            return setup.run(socket);
        } catch (IOException | RuntimeException e) {
            try {
                socket.close();
            } catch (IOException | RuntimeException ignored) {
                // the setup failure is what the caller needs to see
            }
            throw e;
        }
    }

    /**
     * {@link #open} for binding: the new socket gets the {@code enabled} options turned on and is bound
     * to {@code address}; closed when either step fails.
     */
    static <A, S extends SocketFd<A>> S bound(String what, AddressFamily<A> family, A address, int type,
            Opener<S> wrap, IntOption... enabled) throws IOException {
        return setUp(open(what, family, address, type, "bind to", wrap), s -> {
            for (IntOption option : enabled) {
                s.setOption(option, 1);
            }
            s.bindTo(address);
            return s;
        });
    }

    /** {@code socketpair(AF_UNIX, type)}: two connected sockets owned by the calling task's executor. */
    static <S extends SocketFd<?>> S[] pair(String what, int type, String target, Opener<S> wrap,
            IntFunction<S[]> array) throws IOException {
        Reactor r = Reactor.currentOrThrow(what);
        int[] fds = new int[2];
        NetErrors.check(Net.socketpair(type, fds), "socketpair", target);
        S[] pair = array.apply(2);
        pair[0] = wrap.open(r, fds[0]);
        pair[1] = wrap.open(r, fds[1]);
        return pair;
    }
}
