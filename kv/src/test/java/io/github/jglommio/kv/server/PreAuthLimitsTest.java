package io.github.jglommio.kv.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redis's limits before AUTH: with a password set, a client that has not authenticated may send at
 * most 10 arguments of at most 16 KiB each; past that it gets a protocol error and the connection
 * closes before the argument is read, so an unauthenticated client cannot make the server buffer a
 * large request.
 */
class PreAuthLimitsTest {

    private static final String CLOSED = "<closed>";
    private static final String OPEN = "<open>";
    private static final List<String> EXCHANGES = List.of(
            "*11\r\n",
            "*2\r\n$16385\r\n",
            "*2\r\n$16384\r\n",
            "*10\r\n$4\r\nPING\r\n",
            "AUTH s3cret\r\n*11\r\n",
            "*3\r\n$4\r\nAUTH\r\n$7\r\ndefault\r\n$6\r\ns3cret\r\n*2\r\n$3\r\nGET\r\n$16385\r\n",
            "*-1\r\nPING\r\n",
            "*1\r\n$-1\r\n");

    @TempDir
    Path dir;

    @Test
    void shouldRefuseLargeRequestsBeforeAuthAsRedisDoes() throws Exception {
        KvServer ours = KvServer.start(KvServerTest.config(dir.resolve("kv")).with("shards", "2")
                .with("appendonly", "no").with("requirepass", "s3cret"));
        Process redis = null;
        try {
            assertEquals("-ERR Protocol error: unauthenticated multibulk length\r\n" + CLOSED,
                    exchange(ours.port(), "*11\r\n"));
            assertEquals("-ERR Protocol error: unauthenticated bulk length\r\n" + CLOSED,
                    exchange(ours.port(), "*2\r\n$16385\r\n"));
            assertEquals("+OK\r\n" + OPEN, exchange(ours.port(), "AUTH s3cret\r\n*11\r\n"),
                    "AUTH lifts the limits for the rest of the same read");
            if (Oracle.available()) {
                int port = freePort();
                redis = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                        "--save", "", "--appendonly", "no", "--requirepass", "s3cret", "--dir", dir.toString())
                        .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
                awaitListening(port);
                for (String e : EXCHANGES) {
                    assertEquals(exchange(port, e), exchange(ours.port(), e), "reply to " + e.replace("\r\n", "\\r\\n"));
                }
            }
        } finally {
            if (redis != null) {
                redis.destroyForcibly();
            }
            ours.close();
        }
    }

    @Test
    void shouldNotBufferAHugeUnauthenticatedBulk() throws Exception {
        int port = freePort();
        Process child = PersistenceTest.startServer(port, dir, "--requirepass", "s3cret", "--appendonly", "no");
        try {
            awaitListening(port);
            long before = rssKb(child.pid());
            String reply;
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                out.write("*2\r\n$3\r\nSET\r\n$100000000\r\n".getBytes(StandardCharsets.US_ASCII));
                byte[] chunk = new byte[1 << 20];
                try {
                    for (int i = 0; i < 100; i++) {
                        out.write(chunk); // the server closes after the header: this write fails soon
                    }
                } catch (IOException closedByServer) {
                    // expected: the server refused the header and closed
                }
                reply = readAll(s.getInputStream());
            } catch (IOException e) {
                reply = "reset: " + e.getMessage();
            }
            long after = rssKb(child.pid());
            assertTrue(reply.isEmpty() || reply.startsWith("-ERR Protocol error: unauthenticated bulk length")
                    || reply.startsWith("reset"), "refused: " + reply);
            assertTrue(after - before < 32 * 1024, "RSS grew by " + (after - before) + " KiB for a refused 100 MB bulk");
        } finally {
            child.destroyForcibly();
            child.waitFor();
        }
    }

    /** Sends {@code request} and returns what came back in a second, then whether the server closed. */
    private static String exchange(int port, String request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            s.setSoTimeout(1000);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    got.write(buf, 0, n);
                }
                return got.toString(StandardCharsets.UTF_8) + CLOSED;
            } catch (SocketTimeoutException stillOpen) {
                return got.toString(StandardCharsets.UTF_8) + OPEN;
            }
        }
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    private static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS for " + pid);
    }

    private static void awaitListening(int port) throws Exception {
        List<IOException> errors = new ArrayList<>();
        for (int attempt = 0; attempt < 300; attempt++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                s.setSoTimeout(2000);
                byte[] b = new byte[1];
                if (s.getInputStream().read(b) == 1) {
                    return; // +PONG or -NOAUTH: the server answers
                }
            } catch (IOException notYet) {
                errors.add(notYet);
                Thread.sleep(100);
            }
        }
        throw new AssertionError("server on port " + port + " did not answer: " + errors.getLast());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
