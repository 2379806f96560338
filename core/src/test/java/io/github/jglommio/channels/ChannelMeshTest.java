package io.github.jglommio.channels;

import io.github.jglommio.ExecutorJoinHandle;
import io.github.jglommio.ExecutorStats;
import io.github.jglommio.LocalExecutor;
import io.github.jglommio.LocalExecutorBuilder;
import io.github.jglommio.LocalExecutorPoolBuilder;
import io.github.jglommio.PoolPlacement;
import io.github.jglommio.Task;
import io.github.jglommio.timer.Timer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ChannelMeshTest {

    /** A message stamped with its producer and consumer ids and its rank in that stream. */
    record Msg(int from, int to, int seq) {
    }

    private record Joined(long executorId, int peerId, int received) {
    }

    private static final int PER_PEER = 2_000;

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4})
    void shouldExchangeMessagesBetweenEveryPairOfAFullMesh(int nrPeers) {
        MeshBuilder<Msg> mesh = MeshBuilder.full(nrPeers, 8);
        List<Joined> joined = new LocalExecutorPoolBuilder(PoolPlacement.unbound(nrPeers)).onAllShards(() -> {
            MeshConnection<Msg> m = mesh.join();
            int me = m.peerId();
            assertEquals(nrPeers, m.nrPeers());
            assertEquals(nrPeers, m.senders().nrConsumers());
            assertEquals(nrPeers, m.receivers().nrProducers());
            assertEquals(me, m.producerId().getAsInt());
            assertEquals(me, m.consumerId().getAsInt());
            Task<Void> sender = Task.local(() -> {
                for (int seq = 0; seq < PER_PEER; seq++) {
                    for (int peer = 0; peer < nrPeers; peer++) {
                        if (peer != me) {
                            m.senders().sendTo(peer, new Msg(me, peer, seq));
                        }
                    }
                }
                m.senders().close();
            });
            // One receiving task per producer: recvFrom(peer) yields that peer's stream, in order.
            List<Task<Integer>> readers = new ArrayList<>();
            for (int peer = 0; peer < nrPeers; peer++) {
                if (peer == me) {
                    continue;
                }
                int from = peer;
                readers.add(Task.local(() -> {
                    int n = 0;
                    Msg msg;
                    while ((msg = m.receivers().recvFrom(from)) != null) {
                        assertEquals(new Msg(from, me, n), msg);
                        n++;
                    }
                    return n;
                }));
            }
            sender.join();
            int received = 0;
            for (Task<Integer> r : readers) {
                received += r.join();
            }
            m.close();
            return new Joined(LocalExecutor.current().id(), me, received);
        }).joinAll();
        List<Joined> byExecutor = new ArrayList<>(joined);
        byExecutor.sort(Comparator.comparingLong(Joined::executorId));
        for (int i = 0; i < nrPeers; i++) {
            assertEquals(i, byExecutor.get(i).peerId(), "peer ids follow executor ids");
            assertEquals((nrPeers - 1) * PER_PEER, byExecutor.get(i).received());
        }
    }

    @Test
    void shouldRunTheGuidePatternWithFairRecvUntilEveryPeerCloses() {
        // Guide §7.1: greet every other peer, close, then read from anyone until all have closed.
        int nrPeers = 4;
        MeshBuilder<String> meshBuilder = MeshBuilder.full(nrPeers, 1024);
        List<List<String>> inboxes = new LocalExecutorPoolBuilder(PoolPlacement.unbound(nrPeers)).onAllShards(() -> {
            MeshConnection<String> mesh = meshBuilder.join();
            int me = mesh.peerId();
            for (int peer = 0; peer < nrPeers; peer++) {
                if (peer != me) {
                    mesh.senders().sendTo(peer, "Hello from " + me);
                }
            }
            mesh.senders().close();
            List<String> got = new ArrayList<>();
            String msg;
            while ((msg = mesh.receivers().recv()) != null) {
                got.add(me + "<" + msg);
            }
            return got.stream().sorted().toList();
        }).joinAll();
        for (List<String> inbox : inboxes) {
            assertEquals(nrPeers - 1, inbox.size(), inbox.toString());
        }
        List<String> all = inboxes.stream().flatMap(List::stream).sorted().toList();
        assertEquals(List.of("0<Hello from 1", "0<Hello from 2", "0<Hello from 3", "1<Hello from 0", "1<Hello from 2",
                "1<Hello from 3", "2<Hello from 0", "2<Hello from 1", "2<Hello from 3", "3<Hello from 0",
                "3<Hello from 1", "3<Hello from 2"), all);
    }

    @Test
    void shouldReceiveRoundRobinFromAllProducers() {
        int nrPeers = 4;
        int each = 50;
        MeshBuilder<Msg> mesh = MeshBuilder.full(nrPeers, each);
        CountDownLatch allSent = new CountDownLatch(nrPeers - 1);
        List<List<Integer>> sources = new LocalExecutorPoolBuilder(PoolPlacement.unbound(nrPeers)).onAllShards(() -> {
            MeshConnection<Msg> m = mesh.join();
            int me = m.peerId();
            if (me != 0) {
                for (int seq = 0; seq < each; seq++) {
                    assertTrue(m.senders().trySendTo(0, new Msg(me, 0, seq)), "capacity holds them all");
                }
                assertFalse(m.senders().trySendTo(0, new Msg(me, 0, each)), "full: back-pressure, not an error");
                m.close();
                allSent.countDown();
                return List.<Integer>of();
            }
            allSent.await(); // parks this task; a countDown from another executor unparks it
            List<Integer> from = new ArrayList<>();
            int[] nextSeq = new int[nrPeers];
            Msg msg;
            while ((msg = m.receivers().recv()) != null) {
                assertEquals(nextSeq[msg.from()]++, msg.seq(), "each producer's order is kept");
                from.add(msg.from());
            }
            m.close();
            return from;
        }).joinAll();
        List<Integer> order = sources.stream().filter(l -> !l.isEmpty()).findFirst().orElseThrow();
        assertEquals((nrPeers - 1) * each, order.size());
        for (int i = 0; i < order.size(); i++) {
            assertEquals(1 + i % (nrPeers - 1), order.get(i), "round robin at " + i + ": " + order);
        }
    }

    @Test
    void shouldDrainWhatArrivedWithTryRecvWithoutParking() {
        int nrPeers = 3;
        int each = 4;
        MeshBuilder<Msg> mesh = MeshBuilder.full(nrPeers, each);
        CountDownLatch allSent = new CountDownLatch(nrPeers - 1);
        CountDownLatch drained = new CountDownLatch(1);
        List<List<Msg>> got = new LocalExecutorPoolBuilder(PoolPlacement.unbound(nrPeers)).onAllShards(() -> {
            MeshConnection<Msg> m = mesh.join();
            int me = m.peerId();
            if (me != 0) {
                for (int seq = 0; seq < each; seq++) {
                    m.senders().sendTo(0, new Msg(me, 0, seq));
                }
                allSent.countDown();
                drained.await(); // the channels stay open while peer 0 drains them
                m.close();
                return List.<Msg>of();
            }
            allSent.await();
            List<Msg> from = new ArrayList<>();
            Msg msg;
            while ((msg = m.receivers().tryRecv()) != null) {
                from.add(msg);
            }
            assertNull(m.receivers().tryRecv(), "empty and open: null at once, no park");
            drained.countDown();
            assertNull(m.receivers().recv(), "recv then waits for the producers to close");
            m.close();
            return from;
        }).joinAll();
        List<Msg> order = got.stream().filter(l -> !l.isEmpty()).findFirst().orElseThrow();
        assertEquals((nrPeers - 1) * each, order.size());
        for (int i = 0; i < order.size(); i++) {
            assertEquals(new Msg(1 + i % (nrPeers - 1), 0, i / (nrPeers - 1)), order.get(i), "round robin at " + i);
        }
    }

    @Test
    void shouldConnectProducersToConsumersInAPartialMesh() {
        // Executors are created (and so numbered) in this order.
        List<Role> roles = List.of(Role.PRODUCER, Role.CONSUMER, Role.BOTH, Role.PRODUCER, Role.CONSUMER);
        MeshBuilder<Msg> mesh = MeshBuilder.partial(roles.size(), 4);
        int perStream = 500;
        List<ExecutorJoinHandle<List<Msg>>> handles = new ArrayList<>();
        for (Role role : roles) {
            handles.add(LocalExecutorBuilder.create().name("partial-" + role).spawn(() -> {
                MeshConnection<Msg> m = mesh.join(role);
                assertEquals(role, m.role());
                assertEquals(role.produces(), m.producerId().isPresent());
                assertEquals(role.consumes(), m.consumerId().isPresent());
                assertEquals(role.produces() ? 3 : 0, m.senders().nrConsumers());
                assertEquals(role.consumes() ? 3 : 0, m.receivers().nrProducers());
                Task<Void> sender = Task.local(() -> {
                    if (role.produces()) {
                        int p = m.producerId().getAsInt();
                        for (int seq = 0; seq < perStream; seq++) {
                            for (int c = 0; c < m.senders().nrConsumers(); c++) {
                                if (role != Role.BOTH || c != m.consumerId().getAsInt()) {
                                    m.senders().sendTo(c, new Msg(p, c, seq));
                                }
                            }
                        }
                    }
                    m.senders().close();
                });
                List<Msg> got = new ArrayList<>();
                Msg msg;
                while ((msg = m.receivers().recv()) != null) {
                    got.add(msg);
                }
                sender.join();
                if (role == Role.BOTH) {
                    int self = m.consumerId().getAsInt();
                    assertThrows(IllegalArgumentException.class, () -> m.senders().sendTo(self, new Msg(0, 0, 0)));
                }
                m.close();
                return got;
            }));
        }
        // producers (ids): P0=executor 0, B1=executor 2, P2=executor 3; consumers: C0=executor 1, B1=executor 2, C2=executor 4
        int[] consumerIdOf = {-1, 0, 1, -1, 2};
        int[] producersFeeding = {0, 3, 2, 0, 3};
        for (int i = 0; i < roles.size(); i++) {
            List<Msg> got = handles.get(i).join();
            assertEquals(producersFeeding[i] * perStream, got.size(), "executor " + i + " (" + roles.get(i) + ")");
            int[] next = new int[3];
            for (Msg msg : got) {
                assertEquals(consumerIdOf[i], msg.to());
                assertEquals(next[msg.from()]++, msg.seq());
            }
        }
    }

    @Test
    void shouldRejectMessagesToItselfInAFullMesh() {
        MeshBuilder<Integer> mesh = MeshBuilder.full(2, 4);
        new LocalExecutorPoolBuilder(PoolPlacement.unbound(2)).onAllShards(() -> {
            MeshConnection<Integer> m = mesh.join();
            int me = m.peerId();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.senders().sendTo(me, 1));
            assertTrue(e.getMessage().contains("itself"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> m.senders().trySendTo(me, 1));
            assertThrows(IllegalArgumentException.class, () -> m.receivers().recvFrom(me));
            assertThrows(IndexOutOfBoundsException.class, () -> m.senders().sendTo(2, 1));
            m.senders().sendTo(1 - me, me);
            assertEquals(1 - me, m.receivers().recvFrom(1 - me));
            m.close();
        }).joinAll();
    }

    @Test
    void shouldParkLatePeersUntilTheLastJoinsWithoutSpinning() {
        int nrPeers = 3;
        MeshBuilder<Integer> mesh = MeshBuilder.full(nrPeers, 4);
        List<Long> runs = new LocalExecutorPoolBuilder(PoolPlacement.unbound(nrPeers)).onAllShards(() -> {
            ExecutorStats before = LocalExecutor.current().stats();
            if (LocalExecutor.current().name().endsWith("2")) {
                Timer.sleep(Duration.ofMillis(200));
            }
            MeshConnection<Integer> m = mesh.join();
            long taskRuns = LocalExecutor.current().stats().delta(before).taskRuns();
            m.close();
            return taskRuns;
        }).joinAll();
        for (long r : runs) {
            assertTrue(r < 20, "a waiting peer is parked, not polling: " + runs);
        }
    }

    @Test
    void shouldRejectJoiningTwiceOrBeyondCapacity() {
        MeshBuilder<Integer> one = MeshBuilder.full(1, 4);
        LocalExecutor.create().run(() -> {
            MeshConnection<Integer> m = one.join(); // a mesh of one is complete at once
            assertEquals(0, m.peerId());
            assertNull(m.receivers().recv(), "no producers: nothing will ever come");
            IllegalStateException e = assertThrows(IllegalStateException.class, one::join);
            assertTrue(e.getMessage().contains("full"), e.getMessage());
        });
        MeshBuilder<Integer> two = MeshBuilder.full(2, 4);
        LocalExecutor.create().run(() -> {
            Task<MeshConnection<Integer>> first = Task.local(() -> two.join());
            Timer.sleep(Duration.ofMillis(10));
            IllegalStateException e = assertThrows(IllegalStateException.class, two::join);
            assertTrue(e.getMessage().contains("already joined"), e.getMessage());
            first.cancel();
            assertThrows(CancellationException.class, first::join);
        });
        assertThrows(IllegalStateException.class, () -> MeshBuilder.partial(2, 4).join());
        assertThrows(IllegalArgumentException.class, () -> MeshBuilder.full(2, 4).join(Role.PRODUCER));
        assertThrows(IllegalStateException.class, () -> MeshBuilder.full(2, 4).join(), "outside a task");
    }

    @Test
    void shouldLetAnotherExecutorTakeTheSlotOfACancelledJoin() {
        MeshBuilder<Integer> mesh = MeshBuilder.full(2, 4);
        LocalExecutor.create().run(() -> {
            Task<MeshConnection<Integer>> t = Task.local(() -> mesh.join());
            Timer.sleep(Duration.ofMillis(10));
            t.cancel();
            assertThrows(CancellationException.class, t::join);
        });
        ExecutorJoinHandle<Integer> a = LocalExecutorBuilder.create().spawn(() -> {
            MeshConnection<Integer> m = mesh.join();
            m.senders().sendTo(1 - m.peerId(), 10 + m.peerId());
            int got = m.receivers().recvFrom(1 - m.peerId());
            m.close();
            return got;
        });
        ExecutorJoinHandle<Integer> b = LocalExecutorBuilder.create().spawn(() -> {
            MeshConnection<Integer> m = mesh.join();
            m.senders().sendTo(1 - m.peerId(), 10 + m.peerId());
            int got = m.receivers().recvFrom(1 - m.peerId());
            m.close();
            return got;
        });
        assertEquals(11, a.join());
        assertEquals(10, b.join());
    }
}
