/**
 * Network I/O on io_uring: {@link io.github.jglommio.net.TcpListener} and
 * {@link io.github.jglommio.net.TcpStream} (plus UDP and Unix sockets).
 *
 * <p>Every operation is one io_uring operation (accept — multishot where the kernel has it —,
 * connect, recv, send, shutdown, close): a read on an idle socket parks the task on a {@code RECV}
 * that the kernel completes when data arrives, with no poll-then-syscall hop. Timeouts are
 * {@code LINK_TIMEOUT}s linked to the operation.
 *
 * <p>Threading: a socket belongs to the executor of the task that created or accepted it; use it from
 * that executor's tasks ({@link java.lang.WrongThreadException} otherwise). Several tasks may use one
 * socket at once (one reading, one writing). Closing a socket cancels the operations parked on it;
 * their tasks see {@link java.nio.channels.AsynchronousCloseException}.
 *
 * <p>Errors: {@link java.net.ConnectException} (refused), {@link java.net.BindException} (address in
 * use), {@link java.net.SocketException} (reset, broken pipe), {@link java.nio.channels.InterruptedByTimeoutException}
 * (a read/write/connect timeout), {@link java.nio.channels.ClosedChannelException} (use after close);
 * messages name the call, the address and the errno.
 */
package io.github.jglommio.net;
