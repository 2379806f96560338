package io.github.jglommio.net;

/**
 * A buffered view of a {@link UnixStream} ({@link UnixStream#buffered()}): Glommio's {@code UnixStream::buffered}.
 * Small reads are served from an internal buffer refilled by one recv; writes collect until
 * {@link #flush()} (or the buffer fills). Owner-executor tasks only.
 *
 * {@snippet :
 * BufferedUnixStream in = stream.buffered();
 * for (String line; (line = in.readLine()) != null; ) {
 *     in.write((line.toUpperCase() + "\n").getBytes());
 *     in.flush();
 * }
 * }
 */
public final class BufferedUnixStream extends BufferedStream<UnixStream> {

    BufferedUnixStream(UnixStream stream, int size) {
        super(stream, size);
    }
}
