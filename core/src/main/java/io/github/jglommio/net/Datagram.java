package io.github.jglommio.net;

/**
 * What a {@code recvFrom}/{@code peekFrom} of a datagram socket received: its length, its sender, and
 * whether it was cut to fit. {@code A} is {@link java.net.InetSocketAddress} for {@link UdpSocket} and
 * {@link java.nio.file.Path} for {@link UnixDatagram}.
 *
 * {@snippet :
 * byte[] buf = new byte[1500];
 * Datagram<InetSocketAddress> d = socket.recvFrom(buf);
 * socket.sendTo(buf, 0, d.length(), d.from());   // echo it back
 * }
 *
 * @param length    bytes stored into the caller's buffer (0 for an empty datagram)
 * @param from      the sender: an address, or an empty path for an unnamed Unix sender
 * @param truncated true when the datagram was longer than the buffer; the rest was discarded
 *                  ({@code MSG_TRUNC})
 * @param <A>       the address type
 */
public record Datagram<A>(int length, A from, boolean truncated) {
}
