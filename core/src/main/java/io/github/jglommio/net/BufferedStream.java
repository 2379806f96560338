package io.github.jglommio.net;

import java.io.IOException;

/**
 * The buffering behind {@link BufferedTcpStream} and {@link BufferedUnixStream}; its public methods
 * are documented as members of those classes.
 */
abstract class BufferedStream<S extends StreamSocket<?>> implements AutoCloseable {

    private final S stream;
    private final byte[] in;
    private int inPos;
    private int inLimit;
    private final byte[] out;
    private int outLen;
    private final byte[] one = new byte[1];

    BufferedStream(S stream, int size) {
        this.stream = stream;
        this.in = new byte[size];
        this.out = new byte[size];
    }

    /** The underlying connection. */
    public S stream() {
        return stream;
    }

    /** Reads into {@code b}; -1 at end of stream. */
    public int read(byte[] b, int offset, int length) throws IOException {
        if (inPos == inLimit) {
            if (length >= in.length) {
                return stream.read(b, offset, length);
            }
            int n = stream.read(in, 0, in.length);
            if (n < 0) {
                return -1;
            }
            inPos = 0;
            inLimit = n;
        }
        int n = Math.min(length, inLimit - inPos);
        System.arraycopy(in, inPos, b, offset, n);
        inPos += n;
        return n;
    }

    /** One byte, or -1 at end of stream. */
    public int read() throws IOException {
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    /** Reads a line ending in LF (CRLF stripped), or null at end of stream. */
    public String readLine() throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = read()) >= 0) {
            if (c == '\n') {
                int len = sb.length();
                if (len > 0 && sb.charAt(len - 1) == '\r') {
                    sb.setLength(len - 1);
                }
                return sb.toString();
            }
            sb.append((char) c);
        }
        return sb.isEmpty() ? null : sb.toString();
    }

    /** Buffers {@code b}; writes through when the buffer fills. */
    public void write(byte[] b, int offset, int length) throws IOException {
        if (length >= out.length) {
            flush();
            stream.writeAll(b, offset, length);
            return;
        }
        if (outLen + length > out.length) {
            flush();
        }
        System.arraycopy(b, offset, out, outLen, length);
        outLen += length;
    }

    /** Buffers all of {@code b}. */
    public void write(byte[] b) throws IOException {
        write(b, 0, b.length);
    }

    /** Sends buffered bytes. */
    public void flush() throws IOException {
        if (outLen > 0) {
            stream.writeAll(out, 0, outLen);
            outLen = 0;
        }
    }

    /** Flushes and closes the connection. */
    @Override
    public void close() throws IOException {
        try {
            flush();
        } finally {
            stream.close();
        }
    }
}
