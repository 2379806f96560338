package io.github.jglommio.kv.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A raw RESP2 client for protocol-level tests: writes bytes as given, reads one reply at a time as
 * its wire text. Plain blocking JDK sockets; the test's thread.
 */
final class RespClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RespClient(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Sends {@code args} as one multibulk request. */
    RespClient send(String... args) throws IOException {
        out.write(encode(args));
        return this;
    }

    static byte[] encode(String... args) {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            byte[] b = a.getBytes(StandardCharsets.UTF_8);
            sb.append('$').append(b.length).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    RespClient raw(String bytes) throws IOException {
        out.write(bytes.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** Sends one request and reads its reply. */
    String call(String... args) throws IOException {
        send(args);
        return reply();
    }

    /** The next reply's wire text (e.g. {@code "$3\r\nbar\r\n"}), or null at end of stream. */
    String reply() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        if (!element(b)) {
            return null;
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    /** As {@link #reply()}, one char per byte (ISO-8859-1), so that binary replies keep their lengths. */
    String byteReply() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        if (!element(b)) {
            return null;
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    private boolean element(ByteArrayOutputStream b) throws IOException {
        String line = line();
        if (line == null) {
            return false;
        }
        b.writeBytes((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        char type = line.charAt(0);
        if (type == '$' || type == '=' || type == '!') {
            int len = Integer.parseInt(line.substring(1));
            if (len >= 0) {
                b.writeBytes(in.readNBytes(len + 2));
            }
        } else if (type == '*' || type == '~' || type == '>' || type == '%' || type == '|') {
            // RESP2 arrays; RESP3 sets, pushes, maps and attributes (two elements per entry).
            int n = Integer.parseInt(line.substring(1)) * (type == '%' || type == '|' ? 2 : 1);
            for (int i = 0; i < n; i++) {
                element(b);
            }
            if (type == '|') {
                element(b); // an attribute precedes the reply it describes
            }
        }
        return true;
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\r') {
                in.read();
                return sb.toString();
            }
            sb.append((char) c);
        }
        return sb.isEmpty() ? null : sb.toString();
    }

    /** True when the server closed the connection (reads end of stream). */
    boolean closedByServer() throws IOException {
        try {
            return in.read() == -1;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
