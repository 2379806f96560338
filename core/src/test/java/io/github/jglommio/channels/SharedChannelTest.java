package io.github.jglommio.channels;

import io.github.jglommio.ExecutorJoinHandle;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SharedChannelTest {

    /** Parks the calling task (1 ms steps) until {@code condition} holds. */
    private static void awaitCondition(BooleanSupplier condition) {
        while (!condition.getAsBoolean()) {
            Timer.sleep(Duration.ofMillis(1));
        }
    }

    @Test
    void shouldKeepOrderAndLoseNothingWhileBothSidesSleepAndWake() {
        int total = 2_000_000;
        int pauseEvery = 100_000;
        SharedChannel<Integer> ch = SharedChannel.newBounded(16);
        ExecutorJoinHandle<Long> producer = LocalExecutorBuilder.create().name("producer").spawn(() -> {
            ConnectedSender<Integer> tx = ch.sender().connect();
            for (int i = 0; i < total; i++) {
                if (i % pauseEvery == pauseEvery / 2) {
                    // The consumer drains the channel and parks; its executor falls asleep.
                    Timer.sleep(Duration.ofMillis(2));
                }
                tx.send(i);
            }
            tx.close();
            return tx.parks;
        });
        ExecutorJoinHandle<long[]> consumer = LocalExecutorBuilder.create().name("consumer").spawn(() -> {
            ConnectedReceiver<Integer> rx = ch.receiver().connect();
            long received = 0;
            Integer msg;
            while ((msg = rx.recv()) != null) {
                if (msg != received) {
                    throw new AssertionError("message " + received + " arrived as " + msg);
                }
                received++;
                if (received % pauseEvery == 0) {
                    // The producer fills the channel and parks; its executor falls asleep.
                    Timer.sleep(Duration.ofMillis(2));
                }
            }
            return new long[] {received, rx.parks};
        });
        long producerParks = producer.join();
        long[] result = consumer.join();
        assertEquals(total, result[0], "every message arrives once, in order");
        assertTrue(producerParks >= total / pauseEvery, "the producer parked on a full channel: " + producerParks);
        assertTrue(result[1] >= total / pauseEvery, "the consumer parked on an empty channel: " + result[1]);
        assertTrue(ch.queue().producerWaiters.isEmpty() && ch.queue().consumerWaiters.isEmpty());
    }

    @Test
    void shouldDeliverEverythingSentBeforeCloseThenNull() {
        SharedChannel<String> ch = SharedChannel.newBounded(16);
        LocalExecutorBuilder.create().name("early-producer").spawn(() -> {
            // The receiver is not connected yet: messages wait in the channel.
            try (ConnectedSender<String> tx = ch.sender().connect()) {
                for (int i = 0; i < 10; i++) {
                    tx.send("m" + i);
                }
            }
        }).join();
        List<String> got = LocalExecutorBuilder.create().name("late-consumer").spawn(() -> {
            ConnectedReceiver<String> rx = ch.receiver().connect();
            List<String> out = new ArrayList<>();
            String m;
            while ((m = rx.recv()) != null) {
                out.add(m);
            }
            assertNull(rx.recv(), "stays at end of stream");
            assertNull(rx.tryRecv());
            return out;
        }).join();
        assertEquals(List.of("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9"), got);
    }

    @Test
    void shouldWakeAParkedReceiverOnAnotherExecutorWhenTheSenderCloses() {
        SharedChannel<Integer> ch = SharedChannel.newBounded(4);
        ExecutorJoinHandle<Integer> consumer = LocalExecutorBuilder.create().name("consumer").spawn(() -> {
            ConnectedReceiver<Integer> rx = ch.receiver().connect();
            Integer first = rx.recv();
            assertNull(rx.recv(), "woken by close, not by a message");
            return first;
        });
        LocalExecutorBuilder.create().name("producer").spawn(() -> {
            ConnectedSender<Integer> tx = ch.sender().connect();
            tx.send(7);
            awaitCondition(() -> !ch.queue().consumerWaiters.isEmpty());
            tx.close();
            assertThrows(ChannelClosedException.class, () -> tx.send(8));
            assertThrows(ChannelClosedException.class, () -> tx.trySend(8));
        }).join();
        assertEquals(7, consumer.join());
    }

    @Test
    void shouldFailAParkedSenderOnAnotherExecutorWhenTheReceiverCloses() {
        SharedChannel<Integer> ch = SharedChannel.newBounded(2);
        ExecutorJoinHandle<Void> consumer = LocalExecutorBuilder.create().name("consumer").spawn(() -> {
            ConnectedReceiver<Integer> rx = ch.receiver().connect();
            awaitCondition(() -> !ch.queue().producerWaiters.isEmpty());
            rx.close();
            assertNull(rx.recv(), "a closed receiver returns null");
        });
        Class<?> failure = LocalExecutorBuilder.create().name("producer").spawn(() -> {
            ConnectedSender<Integer> tx = ch.sender().connect();
            tx.send(1);
            tx.send(2);
            try {
                tx.send(3); // full: parks until the receiver closes
                return null;
            } catch (ChannelClosedException e) {
                assertTrue(tx.isClosed());
                assertThrows(ChannelClosedException.class, () -> tx.trySend(4));
                return e.getClass();
            }
        }).join();
        consumer.join();
        assertEquals(ChannelClosedException.class, failure);
    }

    @Test
    void shouldReportBackPressureFromTrySend() {
        LocalExecutor.create().run(() -> {
            SharedChannel<Integer> ch = SharedChannel.newBounded(3);
            ConnectedSender<Integer> tx = ch.sender().connect();
            ConnectedReceiver<Integer> rx = ch.receiver().connect();
            assertTrue(tx.trySend(1));
            assertTrue(tx.trySend(2));
            assertTrue(tx.trySend(3));
            assertFalse(tx.trySend(4), "capacity 3 is honoured although the ring is 4 slots");
            assertEquals(1, rx.tryRecv());
            assertTrue(tx.trySend(4));
            assertEquals(2, rx.recv());
            assertEquals(3, rx.recv());
            assertEquals(4, rx.recv());
            assertNull(rx.tryRecv());
            assertThrows(NullPointerException.class, () -> tx.trySend(null));
        });
    }

    @Test
    void shouldWorkWithBothEndsOnOneExecutor() {
        // Guide §7.2: a producer task and a consumer task of the same executor.
        List<Integer> got = LocalExecutor.create().run(() -> {
            SharedChannel<Integer> ch = SharedChannel.newBounded(4);
            ConnectedSender<Integer> sender = ch.sender().connect();
            ConnectedReceiver<Integer> receiver = ch.receiver().connect();
            Task<Void> producer = Task.local(() -> {
                for (int i = 0; i < 1000; i++) {
                    sender.send(i);
                }
                sender.close();
            });
            Task<List<Integer>> consumer = Task.local(() -> {
                List<Integer> out = new ArrayList<>();
                Integer msg;
                while ((msg = receiver.recv()) != null) {
                    out.add(msg);
                }
                return out;
            });
            producer.join();
            List<Integer> out = consumer.join();
            assertTrue(sender.parks > 0, "the producer waited for room");
            return out;
        });
        assertEquals(1000, got.size());
        for (int i = 0; i < got.size(); i++) {
            assertEquals(i, got.get(i));
        }
    }

    @Test
    void shouldShareOneReceiverBetweenSeveralTasks() {
        int total = 30_000;
        SharedChannel<Integer> ch = SharedChannel.newBounded(8);
        ExecutorJoinHandle<long[]> consumer = LocalExecutorBuilder.create().name("consumers").spawn(() -> {
            ConnectedReceiver<Integer> rx = ch.receiver().connect();
            boolean[] seen = new boolean[total];
            List<Task<Long>> workers = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                workers.add(Task.local(() -> {
                    long n = 0;
                    Integer m;
                    while ((m = rx.recv()) != null) {
                        if (seen[m]) {
                            throw new AssertionError("received twice: " + m);
                        }
                        seen[m] = true;
                        n++;
                        if (n % 1000 == 0) {
                            LocalExecutor.yieldNow(); // let the other workers park and wake too
                        }
                    }
                    return n;
                }));
            }
            long sum = 0;
            long busyWorkers = 0;
            for (Task<Long> t : workers) {
                long n = t.join();
                sum += n;
                busyWorkers += n > 0 ? 1 : 0;
            }
            for (boolean b : seen) {
                if (!b) {
                    throw new AssertionError("a message was lost");
                }
            }
            return new long[] {sum, busyWorkers};
        });
        LocalExecutorBuilder.create().name("producer").spawn(() -> {
            try (ConnectedSender<Integer> tx = ch.sender().connect()) {
                for (int i = 0; i < total; i++) {
                    tx.send(i);
                }
            }
        }).join();
        long[] r = consumer.join();
        assertEquals(total, r[0]);
        assertTrue(r[1] >= 2, "several workers took messages: " + r[1]);
    }

    @Test
    void shouldCancelAParkedReceiverWithoutLosingTheNextMessage() {
        LocalExecutor.create().run(() -> {
            SharedChannel<Integer> ch = SharedChannel.newBounded(2);
            ConnectedSender<Integer> tx = ch.sender().connect();
            ConnectedReceiver<Integer> rx = ch.receiver().connect();
            Task<Integer> waiting = Task.local(rx::recv);
            awaitCondition(() -> !ch.queue().consumerWaiters.isEmpty());
            assertTrue(waiting.cancel());
            assertThrows(CancellationException.class, waiting::join);
            assertTrue(ch.queue().consumerWaiters.isEmpty(), "the cancelled task left the wait slot");
            tx.send(5);
            assertEquals(5, Task.local(rx::recv).join(), "the message went to the next receive");
        });
    }

    @Test
    void shouldCancelAParkedSenderWithoutSendingItsMessage() {
        LocalExecutor.create().run(() -> {
            SharedChannel<Integer> ch = SharedChannel.newBounded(1);
            ConnectedSender<Integer> tx = ch.sender().connect();
            ConnectedReceiver<Integer> rx = ch.receiver().connect();
            tx.send(1);
            Task<Void> waiting = Task.local(() -> tx.send(2));
            awaitCondition(() -> !ch.queue().producerWaiters.isEmpty());
            assertTrue(waiting.cancel());
            assertThrows(CancellationException.class, waiting::join);
            assertTrue(ch.queue().producerWaiters.isEmpty(), "the cancelled task left the wait slot");
            assertEquals(1, rx.recv());
            assertNull(rx.tryRecv(), "the cancelled send did not publish its message");
            tx.send(3);
            assertEquals(3, rx.recv());
        });
    }

    @Test
    void shouldCancelAReceiverParkedAcrossExecutors() {
        SharedChannel<Integer> ch = SharedChannel.newBounded(2);
        AtomicBoolean cancelled = new AtomicBoolean();
        ExecutorJoinHandle<Integer> consumer = LocalExecutorBuilder.create().name("consumer").spawn(() -> {
            ConnectedReceiver<Integer> rx = ch.receiver().connect();
            Task<Integer> waiting = Task.local(rx::recv);
            awaitCondition(() -> !ch.queue().consumerWaiters.isEmpty());
            waiting.cancel();
            assertThrows(CancellationException.class, waiting::join);
            assertTrue(ch.queue().consumerWaiters.isEmpty());
            cancelled.set(true);
            return rx.recv(); // parks again; only the producer's message can wake it
        });
        LocalExecutorBuilder.create().name("producer").spawn(() -> {
            ConnectedSender<Integer> tx = ch.sender().connect();
            awaitCondition(() -> cancelled.get() && !ch.queue().consumerWaiters.isEmpty());
            tx.send(42);
        }).join();
        assertEquals(42, consumer.join());
    }

    @Test
    void shouldRejectMisuseWithClearErrors() {
        SharedChannel<Integer> ch = SharedChannel.newBounded(4);
        IllegalStateException outside = assertThrows(IllegalStateException.class, () -> ch.sender().connect());
        assertTrue(outside.getMessage().contains("jglommio task"), outside.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SharedChannel.newBounded(0));
        ConnectedReceiver<Integer> rx = LocalExecutorBuilder.create().name("owner").spawn(() -> {
            ConnectedReceiver<Integer> r = ch.receiver().connect();
            IllegalStateException twice = assertThrows(IllegalStateException.class, () -> ch.receiver().connect());
            assertTrue(twice.getMessage().contains("already connected"), twice.getMessage());
            return r;
        }).join();
        LocalExecutorBuilder.create().name("intruder").spawn(() -> {
            WrongThreadException e = assertThrows(WrongThreadException.class, rx::tryRecv);
            assertTrue(e.getMessage().contains("'owner'"), e.getMessage());
        }).join();
        assertThrows(WrongThreadException.class, rx::recv, "not from a plain thread either");
    }
}
