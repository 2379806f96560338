package io.github.jglommio.channels;

import io.github.jglommio.LocalExecutor;
import io.github.jglommio.LocalExecutorBuilder;
import io.github.jglommio.Task;
import io.github.jglommio.timer.Timer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LocalChannelTest {

    /** Lets every runnable task of the executor run until it parks or ends. */
    private static void settle() {
        for (int i = 0; i < 10; i++) {
            LocalExecutor.yieldNow();
        }
    }

    /** Joins {@code t}, failing instead of hanging when it never ends. */
    private static <T> T joinWithin(Task<T> t) throws Exception {
        return Timer.timeout(Duration.ofSeconds(5), t::join);
    }

    @Test
    void shouldRejectBadCapacitiesAndNullMessages() {
        LocalExecutor.create().run(() -> {
            IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> LocalChannel.newBounded(0));
            assertTrue(zero.getMessage().startsWith("capacity must be positive, got 0"), zero.getMessage());
            assertThrows(IllegalArgumentException.class, () -> LocalChannel.newBounded(-5));
            LocalChannel<String> ch = LocalChannel.newBounded(1);
            assertThrows(NullPointerException.class, () -> ch.send(null));
            assertThrows(NullPointerException.class, () -> ch.trySend(null));
            assertEquals(0, ch.len());
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, LocalChannel::newUnbounded);
        assertTrue(e.getMessage().contains("must be called from a jglommio task"), e.getMessage());
    }

    @Test
    void shouldKeepOrderAndReportFullnessWithoutParking() {
        LocalExecutor.create().run(() -> {
            LocalChannel<Integer> ch = LocalChannel.newBounded(4);
            assertEquals(4, ch.capacity());
            for (int i = 1; i <= 4; i++) {
                assertTrue(ch.trySend(i));
            }
            assertTrue(ch.isFull());
            assertFalse(ch.trySend(5), "back-pressure is a return value");
            assertEquals(4, ch.len());
            for (int i = 1; i <= 4; i++) {
                assertEquals(i, ch.tryRecv());
            }
            assertNull(ch.tryRecv());
            assertFalse(ch.isFull());

            LocalChannel<Integer> unbounded = LocalChannel.newUnbounded();
            assertEquals(Integer.MAX_VALUE, unbounded.capacity());
            for (int i = 0; i < 10_000; i++) {
                assertTrue(unbounded.trySend(i));
            }
            assertEquals(10_000, unbounded.len());
            assertEquals(0, unbounded.recv());
        });
    }

    @Test
    void shouldParkASenderWhileFull() {
        LocalExecutor.create().run(() -> {
            LocalChannel<Integer> ch = LocalChannel.newBounded(2);
            ch.send(1);
            ch.send(2);
            Task<Void> sender = Task.local(() -> ch.send(3));
            settle();
            assertFalse(sender.isDone(), "the channel is full: send parks");
            assertEquals(2, ch.len());
            assertEquals(1, ch.recv());
            joinWithin(sender);
            assertEquals(2, ch.len());
            assertEquals(2, ch.recv());
            assertEquals(3, ch.recv());
            return null;
        });
    }

    @Test
    void shouldParkAReceiverWhileEmpty() {
        String got = LocalExecutor.create().run(() -> {
            LocalChannel<String> ch = LocalChannel.newBounded(2);
            Task<String> receiver = Task.local(ch::recv);
            settle();
            assertFalse(receiver.isDone(), "nothing to receive: recv parks");
            assertTrue(ch.trySend("hello"));
            return joinWithin(receiver);
        });
        assertEquals("hello", got);
    }

    @Test
    void shouldDrainThenReturnNullAfterClose() {
        LocalExecutor.create().run(() -> {
            LocalChannel<String> ch = LocalChannel.newBounded(4);
            ch.send("a");
            ch.send("b");
            ch.close();
            assertTrue(ch.isClosed());
            ChannelClosedException e = assertThrows(ChannelClosedException.class, () -> ch.send("c"));
            assertEquals("LocalChannel.send: the channel is closed", e.getMessage());
            assertThrows(ChannelClosedException.class, () -> ch.trySend("c"));
            assertEquals("a", ch.recv());
            assertEquals("b", ch.tryRecv());
            assertNull(ch.recv(), "closed and drained");
            assertNull(ch.tryRecv());
            ch.close(); // idempotent
        });
    }

    @Test
    void shouldWakeParkedTasksOnClose() {
        LocalExecutor.create().run(() -> {
            LocalChannel<Integer> empty = LocalChannel.newBounded(1);
            Task<Integer> r1 = Task.local(empty::recv);
            Task<Integer> r2 = Task.local(empty::recv);
            LocalChannel<Integer> full = LocalChannel.newBounded(1);
            full.send(7);
            Task<Void> s1 = Task.local(() -> full.send(8));
            settle();
            empty.close();
            full.close();
            assertNull(joinWithin(r1));
            assertNull(joinWithin(r2));
            assertThrows(ChannelClosedException.class, () -> joinWithin(s1));
            assertEquals(7, full.recv(), "what was buffered before close is still delivered");
            assertNull(full.recv());
            return null;
        });
    }

    @Test
    void shouldMoveManyMessagesInOrderWithoutLossOrDuplicates() {
        int producers = 4;
        int consumers = 3;
        int perProducer = 25_000;
        List<List<Integer>> received = LocalExecutor.create().run(() -> {
            LocalChannel<Integer> ch = LocalChannel.newBounded(16);
            List<Task<List<Integer>>> cs = new ArrayList<>();
            for (int c = 0; c < consumers; c++) {
                boolean polling = c == 0; // one consumer polls with tryRecv, the others park in recv
                cs.add(Task.local(() -> {
                    List<Integer> mine = new ArrayList<>();
                    while (true) {
                        Integer v = polling ? ch.tryRecv() : ch.recv();
                        if (v == null) {
                            if (!polling || ch.isClosed() && ch.len() == 0) {
                                return mine;
                            }
                            LocalExecutor.yieldNow();
                            continue;
                        }
                        mine.add(v);
                    }
                }));
            }
            List<Task<Void>> ps = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int base = p * 1_000_000;
                boolean trying = p == 0; // one producer uses trySend and yields when full
                ps.add(Task.local(() -> {
                    for (int i = 0; i < perProducer; i++) {
                        if (trying) {
                            while (!ch.trySend(base + i)) {
                                LocalExecutor.yieldNow();
                            }
                        } else {
                            ch.send(base + i);
                        }
                    }
                }));
            }
            for (Task<Void> p : ps) {
                p.join();
            }
            ch.close();
            List<List<Integer>> all = new ArrayList<>();
            for (Task<List<Integer>> c : cs) {
                all.add(c.join());
            }
            return all;
        });
        boolean[] seen = new boolean[producers * perProducer];
        int total = 0;
        for (List<Integer> mine : received) {
            int[] last = new int[producers];
            java.util.Arrays.fill(last, -1);
            for (int v : mine) {
                int p = v / 1_000_000;
                int seq = v % 1_000_000;
                assertTrue(seq > last[p], "producer " + p + "'s messages arrived out of order: " + seq + " after " + last[p]);
                last[p] = seq;
                assertFalse(seen[p * perProducer + seq], "duplicate message " + v);
                seen[p * perProducer + seq] = true;
                total++;
            }
        }
        assertEquals(producers * perProducer, total, "messages lost");
    }

    @Test
    void shouldServeParkedReceiversInArrivalOrder() {
        List<String> got = LocalExecutor.create().run(() -> {
            LocalChannel<String> ch = LocalChannel.newUnbounded();
            List<Task<String>> rs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int id = i;
                rs.add(Task.local(() -> id + ":" + ch.recv()));
                settle(); // park them in a known order
            }
            ch.send("a");
            assertNull(ch.tryRecv(), "the message is promised to the first parked receiver");
            ch.send("b");
            ch.send("c");
            List<String> l = new ArrayList<>();
            for (Task<String> r : rs) {
                l.add(joinWithin(r));
            }
            return l;
        });
        assertEquals(List.of("0:a", "1:b", "2:c"), got);
    }

    @Test
    void shouldServeParkedSendersInArrivalOrder() {
        List<Integer> got = LocalExecutor.create().run(() -> {
            LocalChannel<Integer> ch = LocalChannel.newBounded(1);
            ch.send(0);
            List<Task<Void>> ss = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                int v = i;
                ss.add(Task.local(() -> ch.send(v)));
                settle();
            }
            List<Integer> l = new ArrayList<>();
            l.add(ch.recv());
            assertFalse(ch.trySend(99), "the freed slot is promised to the first parked sender");
            for (int i = 0; i < 3; i++) {
                l.add(ch.recv());
            }
            for (Task<Void> s : ss) {
                joinWithin(s);
            }
            assertNull(ch.tryRecv());
            return l;
        });
        assertEquals(List.of(0, 1, 2, 3), got);
    }

    @Test
    void shouldDropTheMessageOfACancelledParkedSender() {
        LocalExecutor.create().run(() -> {
            LocalChannel<Integer> ch = LocalChannel.newBounded(1);
            ch.send(0);
            Task<Void> a = Task.local(() -> ch.send(1));
            Task<Void> b = Task.local(() -> ch.send(2));
            settle();
            a.cancel();
            assertThrows(CancellationException.class, a::join);
            assertEquals(0, ch.recv());
            joinWithin(b);
            assertEquals(2, ch.recv(), "the cancelled send never happened; the next sender took its turn");
            assertNull(ch.tryRecv());
            return null;
        });
    }

    @Test
    void shouldPassRoomReservedForACancelledSenderToTheNextOne() {
        LocalExecutor.create().run(() -> {
            LocalChannel<Integer> ch = LocalChannel.newBounded(1);
            ch.send(0);
            Task<Void> a = Task.local(() -> ch.send(1));
            settle();
            Task<Void> b = Task.local(() -> ch.send(2));
            settle();
            assertEquals(0, ch.recv()); // the slot is now reserved for `a`, which has not run yet
            a.cancel();
            assertThrows(CancellationException.class, a::join);
            joinWithin(b);
            assertEquals(2, ch.recv());
            assertNull(ch.tryRecv(), "nothing from the cancelled sender");
            return null;
        });
    }

    @Test
    void shouldForgetACancelledParkedReceiver() {
        LocalExecutor.create().run(() -> {
            LocalChannel<String> ch = LocalChannel.newBounded(4);
            boolean[] interrupted = new boolean[1];
            Task<String> r = Task.local(() -> {
                try {
                    return ch.recv();
                } finally {
                    interrupted[0] = Thread.currentThread().isInterrupted();
                }
            });
            settle();
            r.cancel();
            assertThrows(CancellationException.class, r::join);
            assertTrue(interrupted[0], "the interrupt flag stays set");
            ch.send("x");
            assertEquals("x", ch.tryRecv(), "the message is not reserved for the cancelled receiver");
            return null;
        });
    }

    @Test
    void shouldNotLoseAMessagePromisedToAReceiverCancelledBeforeItRan() {
        LocalExecutor.create().run(() -> {
            LocalChannel<String> ch = LocalChannel.newBounded(4);
            Task<String> first = Task.local(ch::recv);
            settle();
            Task<String> second = Task.local(ch::recv);
            settle();
            ch.send("x");  // promised to `first`, which has not run yet
            first.cancel();
            assertThrows(CancellationException.class, first::join);
            assertEquals("x", joinWithin(second), "the message went to the next receiver");

            Task<String> lone = Task.local(ch::recv);
            settle();
            ch.send("y");
            lone.cancel();
            assertThrows(CancellationException.class, lone::join);
            assertEquals(1, ch.len());
            assertEquals("y", ch.tryRecv(), "with nobody waiting, the message stays in the channel");
            return null;
        });
    }

    @Test
    void shouldRefuseUseFromAnotherExecutorOrThread() {
        LocalChannel<Integer> ch = LocalExecutor.create().run(() -> {
            LocalChannel<Integer> c = LocalChannel.newBounded(4);
            Throwable fromOther = LocalExecutorBuilder.create().name("elsewhere").spawn(() -> {
                try {
                    c.trySend(1);
                    return null;
                } catch (RuntimeException e) {
                    return e;
                }
            }).join();
            WrongThreadException e = assertInstanceOf(WrongThreadException.class, fromOther);
            assertTrue(e.getMessage().startsWith("LocalChannel.trySend must be called from a task of"), e.getMessage());
            assertTrue(e.getMessage().contains("elsewhere"), e.getMessage());
            assertEquals(0, c.len(), "the foreign send did not happen");
            return c;
        });
        WrongThreadException e = assertThrows(WrongThreadException.class, ch::tryRecv);
        assertTrue(e.getMessage().contains("not a jglommio task"), e.getMessage());
        assertEquals(4, ch.capacity(), "capacity is readable anywhere");
    }
}
