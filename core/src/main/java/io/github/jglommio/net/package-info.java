/**
 * Network I/O on io_uring: TCP ({@link io.github.jglommio.net.TcpListener},
 * {@link io.github.jglommio.net.TcpStream}), UDP ({@link io.github.jglommio.net.UdpSocket}) and
 * Unix-domain sockets ({@link io.github.jglommio.net.UnixListener},
 * {@link io.github.jglommio.net.UnixStream}, {@link io.github.jglommio.net.UnixDatagram}).
 *
 * <p>Every operation is one io_uring operation (accept — multishot where the kernel has it —,
 * connect, recv, send, recvmsg/sendmsg for addressed datagrams, shutdown, close): a read on an idle
 * socket parks the task on a {@code RECV} that the kernel completes when data arrives, with no
 * poll-then-syscall hop. Timeouts are {@code LINK_TIMEOUT}s linked to the operation. Only
 * {@code socket}, {@code socketpair}, {@code bind}, {@code listen}, socket options and a datagram
 * socket's {@code connect} (which never blocks) are plain system calls.
 *
 * <p>Threading: a socket belongs to the executor of the task that created or accepted it; use it from
 * that executor's tasks ({@link java.lang.WrongThreadException} otherwise). Several tasks may use one
 * socket at once: each operation in flight has its own native memory (a socket's reusable buffer, or
 * a pooled one when another task holds it). Closing a socket cancels the operations parked on it;
 * their tasks see {@link java.nio.channels.AsynchronousCloseException}.
 *
 * <p>Errors: {@link java.net.ConnectException} (refused), {@link java.net.BindException} (address in
 * use), {@link java.net.SocketException} (reset, broken pipe), {@link java.nio.channels.InterruptedByTimeoutException}
 * (a read/write/connect timeout), {@link java.nio.channels.ClosedChannelException} (use after close),
 * {@link java.net.PortUnreachableException} (a connected UDP socket's peer port is closed);
 * messages name the call, the address and the errno.
 */
package io.github.jglommio.net;

/*
 * Implementation overview. Each public type keeps what is its own (factories, options, the address
 * type); the rest is written once, in package-private bases whose public methods javadoc documents as
 * members of the public types:
 *
 * - SocketFd<A>: fd, owner, the per-socket buffers lent to one operation at a time, op() with linked
 *   timeouts, the copy between the caller's memory and those buffers, options, names and close.
 * - StreamSocket<A> (TcpStream, UnixStream), DatagramFd<A> (UdpSocket, UnixDatagram),
 *   Acceptor<A, S> (TcpListener, UnixListener) and BufferedStream<S> (BufferedTcpStream,
 *   BufferedUnixStream) hold the behaviour of each pair.
 * - AddressFamily<A> is where IP and Unix sockets differ (domain, sockaddr, errors that read
 *   differently for a path); Sockets creates sockets and closes one whose setup failed; IntOption
 *   lists the socket options with their ranges; NetErrors maps errno to the JDK's exceptions.
 */
