package io.github.jglommio.net;

import io.github.jglommio.LocalExecutor;
import io.github.jglommio.LocalExecutorBuilder;
import io.github.jglommio.Task;
import io.github.jglommio.timer.Timer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;

import static io.github.jglommio.net.TcpTest.ANY_LOCAL;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Multishot receives with provided buffers, and write-behind sends. */
class StreamFastPathTest {

    /** {@code n} bytes of a recognisable pattern. */
    static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed + (i >>> 8));
        }
        return b;
    }

    static byte[] readAll(TcpStream s, int n) throws IOException {
        byte[] b = new byte[n];
        s.readFully(b);
        return b;
    }

    @Test
    void shouldReadQueuedDataWithoutSubmittingAnything() {
        LocalExecutor.create().run(() -> {
            try (TcpListener listener = TcpListener.bind(ANY_LOCAL); TcpStream c = TcpStream.connect(listener.localAddr());
                 TcpStream s = listener.accept()) {
                c.read(new byte[0]); // nothing: arms nothing either
                s.writeAll("first".getBytes());
                assertEquals("first", new String(readAll(c, 5))); // arms the multishot receive
                for (int i = 0; i < 10; i++) {
                    s.writeAll(("msg" + i).getBytes());
                }
                Timer.sleep(Duration.ofMillis(20)); // every message is now queued in ring buffers
                long before = LocalExecutor.current().stats().io().submissions();
                StringBuilder got = new StringBuilder();
                byte[] b = new byte[4];
                while (got.length() < 40) {
                    int n = c.read(b);
                    got.append(new String(b, 0, n));
                }
                // The reads found their data queued: no SQE was needed for any of them.
                assertEquals(before, LocalExecutor.current().stats().io().submissions());
                assertEquals("msg0msg1msg2msg3msg4msg5msg6msg7msg8msg9", got.toString());
            }
            return null;
        });
    }

    @Test
    void shouldPauseASlowReaderAndDeliverEverythingIntact() {
        byte[] data = pattern(1 << 20, 7);
        byte[] got = new LocalExecutorBuilder().recvBuffers(64, 512).make().run(() -> {
            try (TcpListener listener = TcpListener.bind(ANY_LOCAL); TcpStream c = TcpStream.connect(listener.localAddr());
                 TcpStream s = listener.accept()) {
                Task<Void> writer = Task.local(() -> {
                    s.writeAll(data);
                    return null;
                });
                c.read(new byte[1], 0, 1); // arm, then stall while the writer fills the ring
                Timer.sleep(Duration.ofMillis(50));
                byte[] rest = readAll(c, data.length - 1);
                writer.join();
                return rest;
            }
        });
        assertArrayEquals(Arrays.copyOfRange(data, 1, data.length), got);
    }

    @Test
    void shouldFallBackToPlainReceivesWhenTheRingRunsDry() {
        byte[] hog = pattern(64 << 10, 1);
        byte[] data = pattern(200 << 10, 2);
        // 16 buffers: one stalled socket can hold all of them (its pause limit is 16).
        byte[] got = new LocalExecutorBuilder().recvBuffers(16, 256).make().run(() -> {
            try (TcpListener listener = TcpListener.bind(ANY_LOCAL);
                 TcpStream a = TcpStream.connect(listener.localAddr()); TcpStream aPeer = listener.accept();
                 TcpStream b = TcpStream.connect(listener.localAddr()); TcpStream bPeer = listener.accept()) {
                aPeer.writeAll(new byte[] {1});
                a.read(new byte[1]); // a's receive is armed; then a stops reading
                Task<Void> hogWriter = Task.local(() -> {
                    aPeer.writeAll(hog);
                    return null;
                });
                Timer.sleep(Duration.ofMillis(30));
                Task<Void> writer = Task.local(() -> {
                    bPeer.writeAll(data);
                    return null;
                });
                byte[] mine = readAll(b, data.length); // the ring is a's: b must still make progress
                writer.join();
                assertArrayEquals(hog, readAll(a, hog.length));
                hogWriter.join();
                return mine;
            }
        });
        assertArrayEquals(data, got);
    }

    @Test
    void shouldWorkWithMultishotReceivesTurnedOff() {
        byte[] data = pattern(300_000, 3);
        byte[] got = new LocalExecutorBuilder().recvBuffers(0, 4096).make().run(() -> {
            try (TcpListener listener = TcpListener.bind(ANY_LOCAL); TcpStream c = TcpStream.connect(listener.localAddr());
                 TcpStream s = listener.accept()) {
                Task<Void> writer = Task.local(() -> {
                    s.writeAll(data);
                    return null;
                });
                byte[] b = readAll(c, data.length);
                writer.join();
                return b;
            }
        });
        assertArrayEquals(data, got);
    }

    @Test
    void shouldServeConcurrentReadersInTurnAndWakeThemAllAtTheEnd() {
        LocalExecutor.create().run(() -> {
            try (TcpListener listener = TcpListener.bind(ANY_LOCAL); TcpStream c = TcpStream.connect(listener.localAddr());
                 TcpStream s = listener.accept()) {
                java.util.List<Task<Integer>> readers = new java.util.ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    readers.add(Task.local(() -> {
                        int total = 0;
                        byte[] b = new byte[7];
                        for (int n; (n = c.read(b)) > 0; ) {
                            total += n;
                        }
                        return total;
                    }));
                }
                Timer.sleep(Duration.ofMillis(10)); // all three are parked
                for (int i = 0; i < 20; i++) {
                    s.writeAll(pattern(100, i));
                    Timer.sleep(Duration.ofMillis(1));
                }
                s.shutdown(TcpStream.Shutdown.WRITE); // end of stream: every reader must return
                int sum = 0;
                for (Task<Integer> r : readers) {
                    sum += r.join();
                }
                assertEquals(2000, sum);
            }
            return null;
        });
    }

    @Test
    void shouldRejectBadReceiveBufferSettings() {
        LocalExecutorBuilder b = new LocalExecutorBuilder();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.recvBuffers(100, 4096));
        assertTrue(e.getMessage().contains("power of two"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.recvBuffers(64, 16));
        assertThrows(IllegalArgumentException.class, () -> b.recvBuffers(65536, 4096));
    }

    @Test
    void shouldDeliverWriteBehindDataBeforeTheCloseAndTheFin() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            InetSocketAddress addr = new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
            Thread client = Thread.ofPlatform().start(() -> LocalExecutor.create().run(() -> {
                try (TcpStream c = TcpStream.connect(addr)) {
                    for (int i = 0; i < 1000; i++) {
                        c.write(pattern(100, i), 0, 100); // each returns at once; the next waits for it
                    }
                    c.shutdown(TcpStream.Shutdown.WRITE);
                }
                return null;
            }));
            try (Socket s = server.accept()) {
                byte[] all = s.getInputStream().readAllBytes(); // ends at the FIN
                assertEquals(100_000, all.length);
                for (int i = 0; i < 1000; i++) {
                    assertArrayEquals(pattern(100, i), Arrays.copyOfRange(all, i * 100, i * 100 + 100), "message " + i);
                }
            }
            client.join();
        }
    }

    @Test
    void shouldNotLetAPeerThatStoppedReadingHoldCloseForever() throws Exception {
        long linger = StreamSocket.closeLingerNs;
        StreamSocket.closeLingerNs = 200_000_000L;
        try (ServerSocket server = new ServerSocket()) {
            server.setReceiveBufferSize(4096); // inherited by the accepted socket: little room at the peer
            server.bind(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 1);
            InetSocketAddress addr = new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
            Thread peer = Thread.ofPlatform().start(() -> {
                try (Socket s = server.accept()) {
                    s.getInputStream().read(); // reads one byte, then nothing until the client gave up
                    Thread.sleep(3_000);
                } catch (IOException | InterruptedException e) {
                    // the client closed: expected
                }
            });
            long[] inUse = new long[2];
            LocalExecutor.create().run(() -> {
                TcpStream c = TcpStream.connect(addr);
                c.setOption(IntOption.SO_SNDBUF, 4096);
                inUse[0] = LocalExecutor.current().stats().io().submissions(); // touch stats: executor alive
                byte[] chunk = pattern(64 << 10, 5);
                Task<Void> writer = Task.local(() -> {
                    c.write(chunk, 0, chunk.length); // write-behind: returns at once
                    return null;
                });
                writer.join();
                Timer.sleep(Duration.ofMillis(50)); // the send is stuck: the peer's window is full
                c.close(); // waits the 200 ms linger, then gives the send up instead of hanging
                assertTrue(!c.isOpen());
                return null;
            });
            peer.interrupt();
            peer.join();
        } finally {
            StreamSocket.closeLingerNs = linger;
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(30)
    void shouldSayWhetherAWriteWouldParkBehindASendThePeerHasNotTaken() throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            server.setReceiveBufferSize(4096);
            server.bind(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 1);
            InetSocketAddress addr = new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
            java.util.concurrent.CountDownLatch drain = new java.util.concurrent.CountDownLatch(1);
            Thread peer = Thread.ofPlatform().start(() -> {
                try (Socket s = server.accept()) {
                    drain.await();
                    s.getInputStream().readNBytes(64 << 10);
                    s.getInputStream().read(); // until the client closes
                } catch (IOException | InterruptedException e) {
                    // the client closed: expected
                }
            });
            LocalExecutor.create().run(() -> {
                TcpStream c = TcpStream.connect(addr);
                c.setOption(IntOption.SO_SNDBUF, 4096);
                assertTrue(c.canWriteWithoutParking(100));
                assertFalse(c.canWriteWithoutParking((64 << 10) + 1), "more than one chunk waits for the peer");
                byte[] chunk = pattern(64 << 10, 5);
                c.write(chunk, 0, chunk.length); // write-behind: returns at once, the send stays in flight
                Timer.sleep(Duration.ofMillis(50));
                assertFalse(c.canWriteWithoutParking(100), "the next write would wait for the stuck send");
                drain.countDown();
                while (!c.canWriteWithoutParking(100)) {
                    Timer.sleep(Duration.ofMillis(5)); // until the peer has taken it all
                }
                c.setWriteTimeout(Duration.ofSeconds(5));
                assertFalse(c.canWriteWithoutParking(100), "a write with a timeout waits for its send");
                c.setWriteTimeout(Duration.ZERO);
                assertTrue(c.canWriteWithoutParking(100));
                c.close();
                assertFalse(c.canWriteWithoutParking(100));
                return null;
            });
            peer.join();
        }
    }

    @Test
    void shouldReportAFailedWriteBehindSendAtTheNextWrite() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            InetSocketAddress addr = new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
            Thread peer = Thread.ofPlatform().start(() -> {
                try (Socket s = server.accept()) {
                    s.setSoLinger(true, 0); // close with RST
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            IOException failure = LocalExecutor.create().run(() -> {
                try (TcpStream c = TcpStream.connect(addr)) {
                    peer.join();
                    Timer.sleep(Duration.ofMillis(20)); // the RST has arrived
                    try {
                        for (int i = 0; i < 100; i++) {
                            c.write(new byte[100], 0, 100);
                        }
                        return null;
                    } catch (IOException e) {
                        return e;
                    }
                }
            });
            assertTrue(failure != null && failure.getMessage().contains("ECONNRESET")
                    || failure != null && failure.getMessage().contains("EPIPE"), String.valueOf(failure));
        }
    }
}
