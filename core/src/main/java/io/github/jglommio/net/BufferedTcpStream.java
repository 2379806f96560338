package io.github.jglommio.net;

/**
 * A buffered view of a {@link TcpStream} ({@link TcpStream#buffered()}): Glommio's {@code TcpStream::buffered}.
 * Small reads are served from an internal buffer refilled by one recv; writes collect until
 * {@link #flush()} (or the buffer fills). Owner-executor tasks only.
 *
 * {@snippet :
 * BufferedTcpStream in = stream.buffered();
 * for (String line; (line = in.readLine()) != null; ) {
 *     in.write((line.toUpperCase() + "\n").getBytes());
 *     in.flush();
 * }
 * }
 */
public final class BufferedTcpStream extends BufferedStream<TcpStream> {

    BufferedTcpStream(TcpStream stream, int size) {
        super(stream, size);
    }
}
