package io.github.jglommio.net;

import io.github.jglommio.LocalExecutor;
import io.github.jglommio.Task;
import io.github.jglommio.timer.Timer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UnixSocketTest {

    /** Short, so socket paths stay far below the 107-byte sun_path limit. */
    private Path dir;

    @BeforeEach
    void createDir() throws IOException {
        dir = Files.createTempDirectory(Path.of("/tmp"), "jg-");
    }

    @AfterEach
    void deleteDir() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b, int n) {
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    static void echo(UnixStream s) {
        try (s) {
            byte[] buf = new byte[1024];
            for (int n; (n = s.read(buf)) > 0; ) {
                s.writeAll(buf, 0, n);
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    @Test
    void shouldEchoThroughAListener() {
        Path path = dir.resolve("echo.sock");
        LocalExecutor.create().run(() -> {
            try (UnixListener listener = UnixListener.bind(path)) {
                assertTrue(Files.exists(path), "bind creates the socket file");
                assertEquals(path, listener.localAddr());
                Task<Void> server = Task.local(() -> {
                    for (int i = 0; i < 3; i++) {
                        UnixStream s = listener.accept();
                        Task.local(() -> echo(s)).detach();
                    }
                    return null;
                });
                for (int c = 0; c < 3; c++) {
                    try (UnixStream s = UnixStream.connect(path)) {
                        assertEquals(path, s.peerAddr());
                        assertEquals(Path.of(""), s.localAddr(), "a connecting client is unnamed");
                        byte[] msg = bytes("client " + c);
                        s.writeAll(msg);
                        byte[] back = new byte[msg.length];
                        s.readFully(back);
                        assertArrayEquals(msg, back);
                    }
                }
                server.join();
            }
            return null;
        });
    }

    @Test
    void shouldConnectAPairBothWays() {
        LocalExecutor.create().run(() -> {
            UnixStream[] pair = UnixStream.pair();
            try (UnixStream a = pair[0]; UnixStream b = pair[1]) {
                a.writeAll(bytes("to b"));
                byte[] buf = new byte[16];
                assertEquals("to b", text(buf, b.read(buf)));
                ByteBuffer direct = ByteBuffer.allocateDirect(16).put(bytes("to a")).flip();
                assertEquals(4, b.write(direct));
                ByteBuffer in = ByteBuffer.allocateDirect(16);
                assertEquals(4, a.read(in));
                assertEquals(Path.of(""), a.peerAddr());
                // peek leaves the bytes queued
                a.writeAll(bytes("peek"));
                assertEquals("peek", text(buf, b.peek(buf)));
                assertEquals("peek", text(buf, b.read(buf)));
            }
            return null;
        });
    }

    @Test
    void shouldHalfClose() {
        String reply = LocalExecutor.create().run(() -> {
            UnixStream[] pair = UnixStream.pair();
            try (UnixStream client = pair[0]; UnixStream server = pair[1]) {
                Task<Void> serving = Task.local(() -> {
                    byte[] buf = new byte[100];
                    int total = 0;
                    for (int n; (n = server.read(buf, total, buf.length - total)) > 0; ) {
                        total += n;
                    }
                    server.writeAll(bytes("got " + total)); // the client can still read
                    return null;
                });
                client.writeAll(bytes("hello"));
                client.shutdown(UnixStream.Shutdown.WRITE);
                byte[] buf = new byte[20];
                int n = client.read(buf);
                serving.join();
                return text(buf, n);
            }
        });
        assertEquals("got 5", reply);
    }

    @Test
    void shouldTransferSixteenMebibytesIntact() {
        int size = 16 << 20;
        byte[] data = new byte[size];
        new Random(7).nextBytes(data);
        Path path = dir.resolve("big.sock");
        byte[] received = LocalExecutor.create().run(() -> {
            try (UnixListener listener = UnixListener.bind(path)) {
                Task<byte[]> server = Task.local(() -> {
                    try (UnixStream s = listener.accept()) {
                        byte[] all = new byte[size + 1];
                        int done = 0;
                        ByteBuffer direct = ByteBuffer.allocateDirect(128 << 10);
                        boolean heap = false;
                        while (true) {
                            int n;
                            if (heap) { // alternate the heap-array and in-place direct paths
                                n = s.read(all, done, Math.min(100_000, all.length - done));
                            } else {
                                direct.clear();
                                n = s.read(direct);
                                if (n > 0) {
                                    direct.flip().get(all, done, n);
                                }
                            }
                            if (n < 0) {
                                break;
                            }
                            done += n;
                            heap = !heap;
                        }
                        return Arrays.copyOf(all, done);
                    }
                });
                try (UnixStream c = UnixStream.connect(path)) {
                    for (int off = 0; off < size; off += 1 << 20) {
                        c.writeAll(data, off, 1 << 20);
                    }
                    c.shutdown(UnixStream.Shutdown.WRITE);
                    return server.join();
                }
            }
        });
        assertEquals(size, received.length);
        assertArrayEquals(data, received);
    }

    @Test
    void shouldWorkWithBufferedAndJdkStreamViews() {
        LocalExecutor.create().run(() -> {
            UnixStream[] pair = UnixStream.pair();
            try (UnixStream a = pair[0]; UnixStream b = pair[1]) {
                BufferedUnixStream buffered = b.buffered();
                a.writeAll(bytes("line one\r\nline two\n"));
                assertEquals("line one", buffered.readLine());
                assertEquals("line two", buffered.readLine());
                buffered.write(bytes("buffered"));
                buffered.flush();
                byte[] buf = new byte[8];
                a.readFully(buf);
                assertEquals("buffered", text(buf, 8));
                DataOutputStream out = new DataOutputStream(a.outputStream());
                DataInputStream in = new DataInputStream(b.inputStream());
                out.writeLong(42);
                out.writeUTF("unix");
                assertEquals(42, in.readLong());
                assertEquals("unix", in.readUTF());
            }
            return null;
        });
    }

    @Test
    void shouldRefuseToBindAnExistingPathAndNameIt() throws IOException {
        Path taken = dir.resolve("taken.sock");
        Path file = Files.writeString(dir.resolve("plain-file"), "not a socket");
        LocalExecutor.create().run(() -> {
            try (UnixListener first = UnixListener.bind(taken)) {
                assertEquals(taken, first.localAddr());
                BindException e = assertThrows(BindException.class, () -> UnixListener.bind(taken));
                assertTrue(e.getMessage().contains(taken.toString()) && e.getMessage().contains("EADDRINUSE"),
                        e.getMessage());
            }
            // Closing leaves the file: a stale socket still blocks the path.
            assertTrue(Files.exists(taken));
            BindException stale = assertThrows(BindException.class, () -> UnixListener.bind(taken));
            assertTrue(stale.getMessage().contains("stale socket file"), stale.getMessage());
            BindException dgram = assertThrows(BindException.class, () -> UnixDatagram.bind(file));
            assertTrue(dgram.getMessage().contains(file.toString()), dgram.getMessage());
            assertThrows(IllegalArgumentException.class, () -> UnixListener.bind(dir.resolve("x".repeat(120))));
            return null;
        });
    }

    @Test
    void shouldReportConnectingToAMissingPath() {
        Path missing = dir.resolve("nobody.sock");
        ConnectException e = LocalExecutor.create().run(() ->
                assertThrows(ConnectException.class, () -> UnixStream.connect(missing)));
        assertEquals("connect(" + missing + ") failed: ENOENT (No such file or directory)", e.getMessage());
    }

    @Test
    void shouldFailClearlyAfterClose() {
        Path path = dir.resolve("closing.sock");
        LocalExecutor.create().run(() -> {
            UnixListener listener = UnixListener.bind(path);
            Task<Object> accepting = Task.local(listener::accept);
            Timer.sleep(Duration.ofMillis(5));
            listener.close();
            CompletionException woken = assertThrows(CompletionException.class, accepting::join);
            assertInstanceOf(ClosedChannelException.class, woken.getCause(), woken.toString());
            assertThrows(ClosedChannelException.class, listener::accept);

            UnixStream[] pair = UnixStream.pair();
            Task<Object> reading = Task.local(() -> pair[0].read(new byte[4]));
            Timer.sleep(Duration.ofMillis(5));
            pair[0].close();
            CompletionException readWoken = assertThrows(CompletionException.class, reading::join);
            assertInstanceOf(AsynchronousCloseException.class, readWoken.getCause());
            assertFalse(pair[0].isOpen());
            assertThrows(ClosedChannelException.class, () -> pair[0].writeAll(bytes("x")));
            assertThrows(ClosedChannelException.class, () -> pair[0].read(new byte[1]));
            assertEquals(-1, pair[1].read(new byte[1]), "the peer sees end of stream");
            pair[1].close();

            UnixDatagram d = UnixDatagram.unbound();
            d.close();
            assertThrows(ClosedChannelException.class, () -> d.sendTo(bytes("x"), path));
            assertThrows(ClosedChannelException.class, () -> d.recvFrom(new byte[1]));
            return null;
        });
    }

    @Test
    void shouldKeepDatagramBoundariesOnAPair() {
        LocalExecutor.create().run(() -> {
            UnixDatagram[] pair = UnixDatagram.pair();
            try (UnixDatagram a = pair[0]; UnixDatagram b = pair[1]) {
                a.send(bytes("one"));
                a.send(bytes("three"));
                a.send(ByteBuffer.allocateDirect(8).put(bytes("four")).flip());
                byte[] buf = new byte[64];
                assertEquals("one", text(buf, b.peek(buf)));
                assertEquals("one", text(buf, b.recv(buf)));
                assertEquals("three", text(buf, b.recv(buf)));
                ByteBuffer in = ByteBuffer.allocate(64);
                assertEquals(4, b.recv(in));
                b.setReadTimeout(Duration.ofMillis(20));
                assertThrows(InterruptedByTimeoutException.class, () -> b.recv(buf));
            }
            return null;
        });
    }

    @Test
    void shouldSendToAndReceiveFromPaths() {
        Path serverPath = dir.resolve("server.sock");
        Path clientPath = dir.resolve("client.sock");
        LocalExecutor.create().run(() -> {
            try (UnixDatagram server = UnixDatagram.bind(serverPath);
                 UnixDatagram client = UnixDatagram.bind(clientPath);
                 UnixDatagram anonymous = UnixDatagram.unbound()) {
                assertEquals(serverPath, server.localAddr());
                assertEquals(4, client.sendTo(bytes("ping"), serverPath));
                byte[] buf = new byte[64];
                Datagram<Path> d = server.recvFrom(buf);
                assertEquals("ping", text(buf, d.length()));
                assertEquals(clientPath, d.from());
                server.sendTo(bytes("pong"), d.from());
                Datagram<Path> reply = client.peekFrom(buf);
                assertEquals(serverPath, reply.from());
                assertEquals("pong", text(buf, client.recvFrom(ByteBuffer.wrap(buf)).length()));

                anonymous.sendTo(bytes("who?"), serverPath);
                Datagram<Path> unnamed = server.recvFrom(ByteBuffer.allocateDirect(64));
                assertEquals(4, unnamed.length());
                assertEquals(Path.of(""), unnamed.from(), "an unbound sender has the empty path");

                anonymous.connect(serverPath);
                assertEquals(serverPath, anonymous.peerAddr());
                anonymous.send(bytes("connected"));
                assertEquals("connected", text(buf, server.recv(buf)));

                IOException nobody = assertThrows(IOException.class,
                        () -> client.sendTo(bytes("x"), dir.resolve("nobody.sock")));
                assertTrue(nobody.getMessage().contains("nobody.sock") && nobody.getMessage().contains("ENOENT"),
                        nobody.getMessage());
            }
            return null;
        });
    }
}
