package io.github.jglommio.net;

import io.github.jglommio.LocalExecutor;
import io.github.jglommio.LocalExecutorBuilder;
import io.github.jglommio.Task;
import io.github.jglommio.timer.Timer;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.InterruptedByTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TcpTest {

    static final InetSocketAddress ANY_LOCAL = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    /** The guide's §6.2 handler. */
    static void echo(TcpStream s) {
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
    void shouldEchoForAThousandConcurrentConnectionsOnOneExecutor() {
        int connections = 1000;
        int rounds = 5;
        long ok = new LocalExecutorBuilder().ringDepth(1024).make().run(() -> {
            TcpListener listener = TcpListener.bind(ANY_LOCAL);
            InetSocketAddress addr = listener.localAddr();
            Task<Void> server = Task.local(() -> {
                try {
                    while (true) {
                        TcpStream s = listener.accept();
                        Task.local(() -> echo(s)).detach();
                    }
                } catch (ClosedChannelException e) {
                    return null;
                }
            });
            List<Task<Boolean>> clients = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                int id = c;
                clients.add(Task.local(() -> {
                    try (TcpStream s = TcpStream.connect(addr)) {
                        for (int r = 0; r < rounds; r++) {
                            byte[] msg = ("client " + id + " round " + r).getBytes();
                            s.writeAll(msg);
                            byte[] back = new byte[msg.length];
                            s.readFully(back);
                            if (!Arrays.equals(msg, back)) {
                                return false;
                            }
                        }
                    }
                    return true;
                }));
            }
            long good = 0;
            for (Task<Boolean> t : clients) {
                good += t.join() ? 1 : 0;
            }
            listener.close();
            server.join();
            return good;
        });
        assertEquals(connections, ok);
    }

    @Test
    void shouldTransferLargeDataIntact() {
        int size = 64 << 20;
        byte[] data = new byte[size];
        new Random(1).nextBytes(data);
        byte[] received = LocalExecutor.create().run(() -> {
            TcpListener listener = TcpListener.bind(ANY_LOCAL);
            Task<byte[]> server = Task.local(() -> {
                try (TcpStream s = listener.accept()) {
                    byte[] all = new byte[size];
                    int done = 0;
                    ByteBuffer direct = ByteBuffer.allocateDirect(256 << 10);
                    while (done < size) {
                        direct.clear();
                        int n = s.read(direct);
                        if (n < 0) {
                            break;
                        }
                        direct.flip();
                        direct.get(all, done, n);
                        done += n;
                    }
                    assertEquals(-1, s.read(new byte[1]), "end of stream after the data");
                    return Arrays.copyOf(all, done);
                }
            });
            try (TcpStream c = TcpStream.connect(listener.localAddr())) {
                for (int off = 0; off < size; off += 1 << 20) {
                    c.writeAll(data, off, 1 << 20);
                }
                c.shutdown(TcpStream.Shutdown.WRITE);
                byte[] r = server.join();
                listener.close();
                return r;
            }
        });
        assertEquals(size, received.length);
        assertArrayEquals(data, received);
    }

    @Test
    void shouldSendLargeWritesWithZeroCopyIntact() {
        int size = 16 << 20;
        byte[] data = new byte[size];
        new Random(2).nextBytes(data);
        byte[] received = LocalExecutor.create().run(() -> {
            TcpListener listener = TcpListener.bind(ANY_LOCAL);
            Task<byte[]> server = Task.local(() -> {
                try (TcpStream s = listener.accept()) {
                    byte[] all = new byte[size];
                    s.readFully(all);
                    return all;
                }
            });
            try (TcpStream c = TcpStream.connect(listener.localAddr())) {
                c.forceZeroCopy(true);     // loopback would not choose it by itself
                c.setZeroCopyThreshold(32 << 10);
                ByteBuffer direct = ByteBuffer.allocateDirect(256 << 10);
                for (int off = 0; off < size; off += direct.capacity()) {
                    direct.clear();
                    direct.put(data, off, direct.capacity()).flip();
                    while (direct.hasRemaining()) {
                        c.write(direct);
                    }
                }
                byte[] r = server.join();
                listener.close();
                return r;
            }
        });
        assertArrayEquals(data, received);
    }

    @Test
    void shouldHalfClose() {
        String reply = LocalExecutor.create().run(() -> {
            TcpListener listener = TcpListener.bind(ANY_LOCAL);
            Task<Void> server = Task.local(() -> {
                try (TcpStream s = listener.accept()) {
                    byte[] buf = new byte[100];
                    int total = 0;
                    for (int n; (n = s.read(buf, total, buf.length - total)) > 0; ) {
                        total += n;
                    }
                    // The client shut down its writing side; we can still answer.
                    s.writeAll(("got " + total).getBytes());
                }
                return null;
            });
            try (TcpStream c = TcpStream.connect(listener.localAddr())) {
                c.writeAll("hello".getBytes());
                c.shutdown(TcpStream.Shutdown.WRITE);
                byte[] buf = new byte[20];
                int n = c.read(buf);
                server.join();
                listener.close();
                return new String(buf, 0, n);
            }
        });
        assertEquals("got 5", reply);
    }

    @Test
    void shouldWorkWithJdkStreamsAndAJdkPeer() throws Exception {
        try (ServerSocket jdk = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread peer = Thread.ofPlatform().start(() -> {
                try (Socket s = jdk.accept(); DataInputStream in = new DataInputStream(s.getInputStream());
                     DataOutputStream out = new DataOutputStream(s.getOutputStream())) {
                    out.writeLong(in.readLong() * 2);
                    out.writeUTF(in.readUTF().toUpperCase());
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            String r = LocalExecutor.create().run(() -> {
                try (TcpStream s = TcpStream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), jdk.getLocalPort()))) {
                    s.setNoDelay(true);
                    assertTrue(s.noDelay());
                    assertEquals(jdk.getLocalPort(), s.peerAddr().getPort());
                    DataOutputStream out = new DataOutputStream(s.outputStream());
                    DataInputStream in = new DataInputStream(s.inputStream());
                    out.writeLong(21);
                    out.writeUTF("shout");
                    return in.readLong() + " " + in.readUTF();
                }
            });
            peer.join();
            assertEquals("42 SHOUT", r);
        }
    }

    @Test
    void shouldReportConnectionRefused() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        InetSocketAddress closed = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        ConnectException e = LocalExecutor.create().run(() ->
                assertThrows(ConnectException.class, () -> TcpStream.connect(closed)));
        assertEquals("connect(" + closed + ") failed: ECONNREFUSED (Connection refused)", e.getMessage());
    }

    @Test
    void shouldReportAddressInUse() throws Exception {
        try (ServerSocket jdk = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetSocketAddress taken = new InetSocketAddress(InetAddress.getLoopbackAddress(), jdk.getLocalPort());
            BindException e = LocalExecutor.create().run(() ->
                    assertThrows(BindException.class, () -> TcpListener.bind(taken)));
            assertTrue(e.getMessage().contains("EADDRINUSE"), e.getMessage());
        }
    }

    @Test
    void shouldLetShardsShareAPortWithReusePort() {
        LocalExecutor.create().run(() -> {
            try (TcpListener a = TcpListener.bind(ANY_LOCAL); TcpListener b = TcpListener.bind(a.localAddr())) {
                assertEquals(a.localAddr(), b.localAddr());
            }
            return null;
        });
    }

    @Test
    void shouldSeePeerCloseAndReset() throws Exception {
        try (ServerSocket jdk = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread peer = Thread.ofPlatform().start(() -> {
                try {
                    try (Socket s = jdk.accept()) {
                        s.getOutputStream().write(1); // then a graceful close
                    }
                    Socket s = jdk.accept();
                    s.setSoLinger(true, 0);
                    s.getInputStream().read(); // wait for the client's byte, then reset
                    s.close();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            InetSocketAddress addr = new InetSocketAddress(InetAddress.getLoopbackAddress(), jdk.getLocalPort());
            LocalExecutor.create().run(() -> {
                try (TcpStream s = TcpStream.connect(addr)) {
                    byte[] b = new byte[10];
                    assertEquals(1, s.read(b));
                    assertEquals(-1, s.read(b), "peer closed: end of stream");
                }
                try (TcpStream s = TcpStream.connect(addr)) {
                    s.writeAll(new byte[] {1});
                    IOException e = assertThrows(IOException.class, () -> {
                        byte[] chunk = new byte[64 << 10];
                        for (int i = 0; i < 10_000; i++) {
                            s.writeAll(chunk);
                            Timer.sleep(Duration.ofMillis(1));
                        }
                    });
                    assertTrue(e instanceof SocketException, e.toString());
                    assertTrue(e.getMessage().contains("ECONNRESET") || e.getMessage().contains("EPIPE"), e.getMessage());
                }
                return null;
            });
            peer.join();
        }
    }

    @Test
    void shouldTimeOutReadsAndConnects() {
        LocalExecutor.create().run(() -> {
            try (TcpListener listener = TcpListener.bind(ANY_LOCAL);
                 TcpStream c = TcpStream.connect(listener.localAddr())) {
                TcpStream server = listener.accept();
                c.setReadTimeout(Duration.ofMillis(30));
                assertThrows(InterruptedByTimeoutException.class, () -> c.read(new byte[10]));
                // The connection still works after a timeout.
                server.writeAll("late".getBytes());
                byte[] b = new byte[4];
                c.readFully(b);
                assertEquals("late", new String(b));
                server.close();
                assertThrows(IllegalArgumentException.class, () -> c.setReadTimeout(Duration.ofMillis(-1)));
            }
            return null;
        });
    }

    @Test
    void shouldFailOperationsAfterClose() {
        LocalExecutor.create().run(() -> {
            TcpListener listener = TcpListener.bind(ANY_LOCAL);
            TcpStream c = TcpStream.connect(listener.localAddr());
            c.close();
            c.close();
            assertFalse(c.isOpen());
            assertThrows(ClosedChannelException.class, () -> c.read(new byte[1]));
            assertThrows(ClosedChannelException.class, () -> c.writeAll(new byte[1]));
            listener.close();
            assertThrows(ClosedChannelException.class, listener::accept);
            return null;
        });
    }

    @Test
    void shouldWakeAParkedReaderWhenTheStreamIsClosed() {
        LocalExecutor.create().run(() -> {
            try (TcpListener listener = TcpListener.bind(ANY_LOCAL)) {
                TcpStream c = TcpStream.connect(listener.localAddr());
                TcpStream s = listener.accept();
                Task<Object> reader = Task.local(() -> c.read(new byte[10]));
                Timer.sleep(Duration.ofMillis(5));
                c.close();
                Throwable t = assertThrows(java.util.concurrent.CompletionException.class, reader::join);
                assertTrue(t.getCause() instanceof AsynchronousCloseException, t.toString());
                s.close();
            }
            return null;
        });
    }

    @Test
    void shouldPeekWithoutConsuming() {
        LocalExecutor.create().run(() -> {
            try (TcpListener listener = TcpListener.bind(ANY_LOCAL); TcpStream c = TcpStream.connect(listener.localAddr());
                 TcpStream s = listener.accept()) {
                s.writeAll("abc".getBytes());
                byte[] b = new byte[3];
                int n = c.peek(b);
                assertTrue(n > 0);
                c.readFully(b);
                assertEquals("abc", new String(b));
                BufferedTcpStream buffered = s.buffered();
                c.writeAll("line one\r\nline two\n".getBytes());
                assertEquals("line one", buffered.readLine());
                assertEquals("line two", buffered.readLine());
            }
            return null;
        });
    }

    @Test
    void shouldWorkOverIpv6() {
        InetSocketAddress v6 = new InetSocketAddress("::1", 0);
        String r = LocalExecutor.create().run(() -> {
            try (TcpListener l = TcpListener.bind(v6); TcpStream c = TcpStream.connect(l.localAddr());
                 TcpStream s = l.accept()) {
                c.writeAll("six".getBytes());
                byte[] b = new byte[3];
                s.readFully(b);
                return new String(b) + " " + s.localAddr().getAddress().getHostAddress();
            }
        });
        assertTrue(r.startsWith("six "), r);
    }
}
