package io.github.jglommio.net;

import io.github.jglommio.LocalExecutor;
import io.github.jglommio.Task;
import io.github.jglommio.timer.Timer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UdpSocketTest {

    static final InetSocketAddress LOCAL = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b, int n) {
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    @Test
    void shouldRoundTripWithTheSendersAddress() {
        LocalExecutor.create().run(() -> {
            try (UdpSocket a = UdpSocket.bind(LOCAL); UdpSocket b = UdpSocket.bind(LOCAL)) {
                assertNotEquals(0, a.localAddr().getPort(), "port 0 resolves to a real port");
                assertEquals(5, a.sendTo(bytes("hello"), b.localAddr()));
                byte[] buf = new byte[100];
                Datagram<InetSocketAddress> d = b.recvFrom(buf);
                assertEquals("hello", text(buf, d.length()));
                assertEquals(a.localAddr(), d.from());
                assertFalse(d.truncated());
                // Reply to the reported sender, this time through direct and heap ByteBuffers.
                ByteBuffer out = ByteBuffer.allocateDirect(16).put(bytes("world")).flip();
                assertEquals(5, b.sendTo(out, d.from()));
                assertEquals(0, out.remaining(), "the buffer was consumed");
                ByteBuffer in = ByteBuffer.allocate(16);
                Datagram<InetSocketAddress> back = a.recvFrom(in);
                assertEquals(b.localAddr(), back.from());
                assertEquals(5, in.position());
                assertEquals("world", text(Arrays.copyOf(in.array(), 5), 5));
                // A direct receive buffer is filled in place.
                a.sendTo(bytes("direct"), b.localAddr());
                ByteBuffer direct = ByteBuffer.allocateDirect(32);
                assertEquals(6, b.recvFrom(direct).length());
                byte[] got = new byte[6];
                direct.flip().get(got);
                assertEquals("direct", text(got, 6));
            }
            return null;
        });
    }

    @Test
    void shouldSendAndReceiveOnAConnectedSocketOnlyFromItsPeer() {
        LocalExecutor.create().run(() -> {
            try (UdpSocket a = UdpSocket.bind(LOCAL); UdpSocket b = UdpSocket.bind(LOCAL);
                 UdpSocket stranger = UdpSocket.bind(LOCAL)) {
                a.connect(b.localAddr());
                b.connect(a.localAddr());
                assertEquals(b.localAddr(), a.peerAddr());
                stranger.sendTo(bytes("not for you"), b.localAddr());
                assertEquals(4, a.send(bytes("ping")));
                byte[] buf = new byte[64];
                int n = b.recv(buf);
                assertEquals("ping", text(buf, n), "the stranger's datagram is filtered by connect");
                b.send(ByteBuffer.wrap(bytes("pong")));
                ByteBuffer in = ByteBuffer.allocateDirect(64);
                assertEquals(4, a.recv(in));
                assertEquals(4, in.position());
                // An empty datagram is a datagram, not an end of stream.
                a.send(new byte[0]);
                assertEquals(0, b.recv(buf));
            }
            return null;
        });
    }

    @Test
    void shouldPeekWithoutConsumingTheDatagram() {
        LocalExecutor.create().run(() -> {
            try (UdpSocket a = UdpSocket.bind(LOCAL); UdpSocket b = UdpSocket.bind(LOCAL)) {
                a.sendTo(bytes("first"), b.localAddr());
                a.sendTo(bytes("second"), b.localAddr());
                byte[] buf = new byte[64];
                Datagram<InetSocketAddress> peeked = b.peekFrom(buf);
                assertEquals("first", text(buf, peeked.length()));
                assertEquals(a.localAddr(), peeked.from());
                Arrays.fill(buf, (byte) 0);
                assertEquals("first", text(buf, b.peek(buf)), "still queued after peekFrom");
                assertEquals("first", text(buf, b.recvFrom(buf).length()));
                assertEquals("second", text(buf, b.recvFrom(buf).length()));
            }
            return null;
        });
    }

    @Test
    void shouldReportATruncatedDatagram() {
        LocalExecutor.create().run(() -> {
            try (UdpSocket a = UdpSocket.bind(LOCAL); UdpSocket b = UdpSocket.bind(LOCAL)) {
                byte[] big = new byte[1000];
                Arrays.fill(big, (byte) 7);
                a.sendTo(big, b.localAddr());
                a.sendTo(bytes("next"), b.localAddr());
                byte[] small = new byte[10];
                Datagram<InetSocketAddress> d = b.recvFrom(small);
                assertEquals(10, d.length());
                assertTrue(d.truncated());
                assertEquals(7, small[9]);
                Datagram<InetSocketAddress> next = b.recvFrom(new byte[64]);
                assertEquals(4, next.length(), "the cut remainder was discarded, not delivered");
                assertFalse(next.truncated());
            }
            return null;
        });
    }

    @Test
    void shouldSetAndGetOptions() {
        LocalExecutor.create().run(() -> {
            try (UdpSocket s = UdpSocket.bind(LOCAL)) {
                assertFalse(s.broadcast());
                s.setBroadcast(true);
                assertTrue(s.broadcast());
                s.setBroadcast(false);
                assertFalse(s.broadcast());
                s.setTtl(17);
                assertEquals(17, s.ttl());
                assertThrows(IllegalArgumentException.class, () -> s.setTtl(0));
                s.setMulticastTtlV4(4);
                assertEquals(4, s.multicastTtlV4());
                s.setMulticastLoopV4(false);
                assertFalse(s.multicastLoopV4());
                s.setMulticastLoopV4(true);
                assertTrue(s.multicastLoopV4());
                s.setRecvBufferSize(64 << 10);
                assertEquals(128 << 10, s.recvBufferSize(), "the kernel reports the doubled size");
                s.setSendBufferSize(32 << 10);
                assertEquals(64 << 10, s.sendBufferSize());
                assertThrows(IllegalArgumentException.class, () -> s.setRecvBufferSize(0));
            }
            return null;
        });
    }

    @Test
    void shouldJoinAndLeaveAMulticastGroupOnLoopback() {
        LocalExecutor.create().run(() -> {
            Inet4Address group = (Inet4Address) InetAddress.getByName("239.255.42.99");
            Inet4Address lo = (Inet4Address) InetAddress.getByName("127.0.0.1");
            try (UdpSocket receiver = UdpSocket.bind(new InetSocketAddress("0.0.0.0", 0));
                 UdpSocket sender = UdpSocket.bind(LOCAL)) {
                try {
                    receiver.joinMulticastV4(group, lo);
                } catch (SocketException e) {
                    Assumptions.abort("the kernel refuses multicast on loopback: " + e.getMessage());
                }
                SocketException twice = assertThrows(SocketException.class, () -> receiver.joinMulticastV4(group, lo));
                assertTrue(twice.getMessage().contains("IP_ADD_MEMBERSHIP") && twice.getMessage().contains("239.255.42.99"),
                        twice.getMessage());
                sender.setMulticastInterfaceV4(lo);
                sender.setMulticastLoopV4(true);
                InetSocketAddress target = new InetSocketAddress(group, receiver.localAddr().getPort());
                boolean delivered;
                try {
                    sender.sendTo(bytes("to the group"), target);
                    receiver.setReadTimeout(Duration.ofMillis(500));
                    byte[] buf = new byte[64];
                    Datagram<InetSocketAddress> d = receiver.recvFrom(buf);
                    assertEquals("to the group", text(buf, d.length()));
                    assertEquals(sender.localAddr().getPort(), d.from().getPort());
                    delivered = true;
                } catch (InterruptedByTimeoutException | SocketException e) {
                    delivered = false; // loopback without a multicast route: membership is still tested
                }
                receiver.leaveMulticastV4(group, lo);
                SocketException notMember = assertThrows(SocketException.class, () -> receiver.leaveMulticastV4(group, lo));
                assertTrue(notMember.getMessage().contains("IP_DROP_MEMBERSHIP"), notMember.getMessage());
                Assumptions.assumeTrue(delivered, "multicast is not routed over loopback here");
            }
            return null;
        });
    }

    @Test
    void shouldTimeOutAReceiveAndStayUsable() {
        LocalExecutor.create().run(() -> {
            try (UdpSocket a = UdpSocket.bind(LOCAL); UdpSocket b = UdpSocket.bind(LOCAL)) {
                b.setReadTimeout(Duration.ofMillis(30));
                long start = System.nanoTime();
                assertThrows(InterruptedByTimeoutException.class, () -> b.recvFrom(new byte[10]));
                assertTrue(System.nanoTime() - start >= 25_000_000L, "waited for the timeout");
                assertThrows(InterruptedByTimeoutException.class, () -> b.recv(new byte[10]));
                a.sendTo(bytes("late"), b.localAddr());
                byte[] buf = new byte[10];
                assertEquals("late", text(buf, b.recvFrom(buf).length()));
                assertThrows(IllegalArgumentException.class, () -> b.setReadTimeout(Duration.ofMillis(-1)));
            }
            return null;
        });
    }

    @Test
    void shouldNotLoseDatagramsThatFitTheReceiveBuffer() {
        int received = LocalExecutor.create().run(() -> {
            try (UdpSocket a = UdpSocket.bind(LOCAL); UdpSocket b = UdpSocket.bind(LOCAL)) {
                b.setRecvBufferSize(1 << 20);
                // Each queued datagram costs its payload plus an skb (~1 KiB); stay well under the buffer.
                int count = Math.min(500, b.recvBufferSize() / 2048);
                assertTrue(count >= 50, "receive buffer too small for the test: " + b.recvBufferSize());
                byte[] payload = new byte[200];
                for (int i = 0; i < count; i++) {
                    Arrays.fill(payload, (byte) i);
                    payload[0] = (byte) (i >> 8);
                    payload[1] = (byte) i;
                    a.sendTo(payload, b.localAddr());
                }
                byte[] buf = new byte[500];
                for (int i = 0; i < count; i++) {
                    Datagram<InetSocketAddress> d = b.recvFrom(buf);
                    assertEquals(200, d.length());
                    assertEquals(i, ((buf[0] & 0xFF) << 8) | (buf[1] & 0xFF), "datagrams arrive in order");
                    assertEquals((byte) i, buf[199]);
                }
                b.setReadTimeout(Duration.ofMillis(20));
                assertThrows(InterruptedByTimeoutException.class, () -> b.recv(buf), "nothing extra");
                return count;
            }
        });
        assertTrue(received >= 50);
    }

    @Test
    void shouldGiveConcurrentSendersAndReceiversTheirOwnBuffers() {
        LocalExecutor.create().run(() -> {
            try (UdpSocket a = UdpSocket.bind(LOCAL); UdpSocket b = UdpSocket.bind(LOCAL)) {
                byte[] ones = new byte[1000];
                Arrays.fill(ones, (byte) 1);
                byte[] twos = new byte[700];
                Arrays.fill(twos, (byte) 2);
                // Both sends are prepared before the loop submits either: they must not share memory.
                Task<Integer> s1 = Task.local(() -> a.sendTo(ones, b.localAddr()));
                Task<Integer> s2 = Task.local(() -> a.sendTo(twos, b.localAddr()));
                assertEquals(1000, s1.join());
                assertEquals(700, s2.join());
                // Both datagrams are queued, so both receives complete in the same submission.
                Task<byte[]> r1 = Task.local(() -> {
                    byte[] buf = new byte[1000];
                    return Arrays.copyOf(buf, b.recvFrom(buf).length());
                });
                Task<byte[]> r2 = Task.local(() -> {
                    byte[] buf = new byte[1000];
                    return Arrays.copyOf(buf, b.recvFrom(buf).length());
                });
                byte[] x = r1.join();
                byte[] y = r2.join();
                byte[] first = x.length == 1000 ? x : y;
                byte[] second = x.length == 1000 ? y : x;
                assertArrayEquals(ones, first);
                assertArrayEquals(twos, second);
            }
            return null;
        });
    }

    @Test
    void shouldRoundTripOverIpv6AndDualStack() {
        LocalExecutor.create().run(() -> {
            try (UdpSocket a = UdpSocket.bind(new InetSocketAddress("::1", 0));
                 UdpSocket b = UdpSocket.bind(new InetSocketAddress("::1", 0))) {
                a.sendTo(bytes("six"), b.localAddr());
                byte[] buf = new byte[10];
                Datagram<InetSocketAddress> d = b.recvFrom(buf);
                assertEquals("six", text(buf, d.length()));
                assertEquals(a.localAddr(), d.from());
                assertEquals("0:0:0:0:0:0:0:1", d.from().getAddress().getHostAddress());
                b.setTtl(9);
                assertEquals(9, b.ttl());
            }
            try (UdpSocket dual = UdpSocket.bind(new InetSocketAddress("::", 0)); UdpSocket v4 = UdpSocket.bind(LOCAL)) {
                InetSocketAddress dualV4 = new InetSocketAddress(InetAddress.getLoopbackAddress(), dual.localAddr().getPort());
                v4.sendTo(bytes("four"), dualV4);
                byte[] buf = new byte[10];
                Datagram<InetSocketAddress> d = dual.recvFrom(buf);
                assertInstanceOf(Inet4Address.class, d.from().getAddress(), "IPv4-mapped senders are reported as IPv4");
                assertEquals(v4.localAddr(), d.from());
                dual.sendTo(bytes("back"), d.from());
                assertEquals("back", text(buf, v4.recvFrom(buf).length()));
            }
            return null;
        });
    }

    @Test
    void shouldReportAnUnreachablePortOnAConnectedSocket() throws Exception {
        int closedPort;
        try (java.net.DatagramSocket probe = new java.net.DatagramSocket(LOCAL)) {
            closedPort = probe.getLocalPort();
        }
        InetSocketAddress nobody = new InetSocketAddress(InetAddress.getLoopbackAddress(), closedPort);
        PortUnreachableException e = LocalExecutor.create().run(() -> {
            try (UdpSocket a = UdpSocket.bind(LOCAL)) {
                a.connect(nobody);
                a.setReadTimeout(Duration.ofSeconds(2));
                a.send(bytes("anyone?"));
                return assertThrows(PortUnreachableException.class, () -> a.recv(new byte[10]));
            }
        });
        assertTrue(e.getMessage().contains("ECONNREFUSED"), e.getMessage());
    }

    @Test
    void shouldFailClearlyAfterCloseAndFromAnotherThread() {
        UdpSocket leaked = LocalExecutor.create().run(() -> {
            UdpSocket s = UdpSocket.bind(LOCAL);
            UdpSocket peer = UdpSocket.bind(LOCAL);
            Task<Object> parked = Task.local(() -> s.recvFrom(new byte[10]));
            Timer.sleep(Duration.ofMillis(5));
            s.close();
            CompletionException woken = assertThrows(CompletionException.class, parked::join);
            assertInstanceOf(AsynchronousCloseException.class, woken.getCause());
            s.close(); // idempotent
            assertFalse(s.isOpen());
            assertThrows(ClosedChannelException.class, () -> s.sendTo(bytes("x"), peer.localAddr()));
            assertThrows(ClosedChannelException.class, () -> s.recvFrom(new byte[1]));
            assertThrows(ClosedChannelException.class, () -> s.send(bytes("x")));
            assertThrows(ClosedChannelException.class, () -> s.setBroadcast(true));
            assertThrows(ClosedChannelException.class, s::localAddr);
            IOException notConnected = assertThrows(IOException.class, () -> peer.send(bytes("x")));
            assertTrue(notConnected.getMessage().contains("EDESTADDRREQ"), notConnected.getMessage());
            return peer;
        });
        assertThrows(WrongThreadException.class, () -> leaked.recv(new byte[1]));
        assertThrows(IllegalStateException.class, () -> UdpSocket.bind(LOCAL), "outside any executor");
    }
}
