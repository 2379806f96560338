package io.github.jglommio.channels;

/**
 * A bounded channel between two executors (or two tasks of one executor): Glommio's
 * {@code shared_channel}. One side sends, the other receives; messages arrive in order and none
 * is lost.
 *
 * <p>The channel is made anywhere; each end is then {@linkplain SharedSender#connect() connected}
 * by a task of the executor that will use it, which binds it to that executor:
 *
 * {@snippet :
 * SharedChannel<Integer> ch = SharedChannel.newBounded(1024);
 * SharedSender<Integer> unboundTx = ch.sender();
 * SharedReceiver<Integer> unboundRx = ch.receiver();
 *
 * ExecutorJoinHandle<Void> producer = LocalExecutorBuilder.create().name("producer").spawn(() -> {
 *     try (ConnectedSender<Integer> tx = unboundTx.connect()) {
 *         for (int i = 0; i < 100; i++) {
 *             tx.send(i);                      // parks this task while the channel is full
 *         }
 *     }                                        // close(): the receiver sees the end
 * });
 * ExecutorJoinHandle<Integer> consumer = LocalExecutorBuilder.create().name("consumer").spawn(() -> {
 *     ConnectedReceiver<Integer> rx = unboundRx.connect();
 *     int sum = 0;
 *     Integer msg;
 *     while ((msg = rx.recv()) != null) {     // parks while empty; null once closed and drained
 *         sum += msg;
 *     }
 *     return sum;
 * });
 * producer.join();
 * int sum = consumer.join();                   // 4950
 * }
 *
 * <p>Both ends may also live on one executor, in two of its tasks (guide §7.2):
 *
 * {@snippet :
 * LocalExecutor.create().run(() -> {
 *     SharedChannel<Integer> ch = SharedChannel.newBounded(1024);
 *     ConnectedSender<Integer> sender = ch.sender().connect();
 *     ConnectedReceiver<Integer> receiver = ch.receiver().connect();
 *     // producer task
 *     Task.local(() -> {
 *         for (int i = 0; i < 100; i++) {
 *             sender.send(i);
 *         }
 *         sender.close();
 *     }).detach();
 *     // consumer task
 *     Task<Void> consumer = Task.local(() -> {
 *         Integer msg;
 *         while ((msg = receiver.recv()) != null) {
 *             System.out.println("Received: " + msg);
 *         }
 *     });
 *     consumer.join();
 * });
 * }
 *
 * <p>Waiting costs nothing while the peer has nothing to say: a receiver on an empty channel, or a
 * sender on a full one, parks its task, and the peer wakes it only when it is parked; an executor
 * with nothing else to do sleeps. Back-pressure is explicit: {@link ConnectedSender#trySend}
 * returns {@code false} when the channel is full.
 *
 * <p>Threading: {@link #newBounded}, {@link #sender()} and {@link #receiver()} may be called
 * from any thread; the unconnected ends may be handed to any thread; each connected end belongs
 * to the executor that connected it.
 *
 * @param <T> the message type; messages are never {@code null}
 */
public final class SharedChannel<T> {

    /* Implementation overview
     *
     * The buffer is an SpscQueue: the ends are single-threaded by construction (each is bound to one
     * executor, whose tasks all run on that executor's thread), so a lock-free SPSC ring with
     * acquire/release counters suffices. Each side parks in a WaitSlot; the other side wakes it after
     * publishing (Dekker handshake, see WaitSlot). Closing is a volatile flag per side plus a wake.
     */

    private final SpscQueue<T> queue;
    private final SharedSender<T> sender;
    private final SharedReceiver<T> receiver;

    private SharedChannel(int capacity) {
        this.queue = new SpscQueue<>(capacity);
        this.sender = new SharedSender<>(queue);
        this.receiver = new SharedReceiver<>(queue);
    }

    /**
     * A channel holding at most {@code capacity} messages in flight. Any thread. Glommio's
     * {@code shared_channel::new_bounded}.
     *
     * @throws IllegalArgumentException when {@code capacity} is not in 1..2<sup>30</sup>
     */
    public static <T> SharedChannel<T> newBounded(int capacity) {
        return new SharedChannel<>(capacity);
    }

    /** The sending end, to {@linkplain SharedSender#connect() connect} on the producing executor. Any thread. */
    public SharedSender<T> sender() {
        return sender;
    }

    /** The receiving end, to {@linkplain SharedReceiver#connect() connect} on the consuming executor. Any thread. */
    public SharedReceiver<T> receiver() {
        return receiver;
    }

    /** The most messages the channel holds at once. Any thread. */
    public int capacity() {
        return queue.capacity();
    }

    /** The buffer, for tests. */
    SpscQueue<T> queue() {
        return queue;
    }

    @Override
    public String toString() {
        return "SharedChannel[capacity=" + queue.capacity() + "]";
    }
}
