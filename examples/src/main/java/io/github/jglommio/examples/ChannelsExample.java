package io.github.jglommio.examples;

import io.github.jglommio.LocalExecutor;
import io.github.jglommio.LocalExecutorPoolBuilder;
import io.github.jglommio.PoolPlacement;
import io.github.jglommio.Task;
import io.github.jglommio.channels.ConnectedReceiver;
import io.github.jglommio.channels.ConnectedSender;
import io.github.jglommio.channels.MeshBuilder;
import io.github.jglommio.channels.MeshConnection;
import io.github.jglommio.channels.Sharded;
import io.github.jglommio.channels.SharedChannel;
import io.github.jglommio.sync.Gate;
import io.github.jglommio.timer.Timer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The guide's §7: a channel mesh between executors (§7.1), a shared channel (§7.2), sharding messages
 * by key, and a gate that waits for its tasks.
 */
public final class ChannelsExample {

    private ChannelsExample() {
    }

    /** §7.1: every executor greets every other one, then prints what it received. Returns the lines. */
    static List<String> section71(int numExecutors) {
        MeshBuilder<String> meshBuilder = MeshBuilder.full(numExecutors, 64);
        List<List<String>> received = new LocalExecutorPoolBuilder(PoolPlacement.unbound(numExecutors)).name("mesh")
                .onAllShards(() -> {
                    MeshConnection<String> mesh = meshBuilder.join();
                    int me = mesh.peerId();
                    for (int peer = 0; peer < mesh.nrPeers(); peer++) {
                        if (peer != me) {
                            mesh.senders().sendTo(peer, "Hello from " + me);
                        }
                    }
                    List<String> lines = new ArrayList<>();
                    for (int i = 0; i < mesh.nrPeers() - 1; i++) {
                        lines.add("Executor " + me + " received: " + mesh.receivers().recv());
                    }
                    mesh.close();
                    return lines;
                }).joinAll();
        List<String> all = new ArrayList<>();
        received.forEach(all::addAll);
        return all;
    }

    /** §7.2: a producer and a consumer task over a shared channel; returns the sum received. */
    static long section72() {
        return LocalExecutor.create().run(() -> {
            SharedChannel<Integer> channel = SharedChannel.newBounded(1024);
            ConnectedSender<Integer> sender = channel.sender().connect();
            ConnectedReceiver<Integer> receiver = channel.receiver().connect();
            Task<Void> producer = Task.local(() -> {
                for (int i = 0; i < 100; i++) {
                    sender.send(i);
                }
                sender.close();
            });
            Task<Long> consumer = Task.local(() -> {
                long sum = 0;
                for (Integer msg; (msg = receiver.recv()) != null; ) {
                    sum += msg;
                }
                return sum;
            });
            producer.join();
            long sum = consumer.join();
            System.out.println("  received 100 messages, sum " + sum);
            return sum;
        });
    }

    /** Sharding: keys go to shard key % 2; each shard counts what it handled. */
    static List<Integer> sharding() {
        MeshBuilder<Integer> mesh = MeshBuilder.full(2, 128);
        return new LocalExecutorPoolBuilder(PoolPlacement.unbound(2)).name("shard").onAllShards(() -> {
            AtomicInteger handled = new AtomicInteger();
            AtomicInteger wrongShard = new AtomicInteger();
            int[] me = new int[1];
            Sharded<Integer> sharded = Sharded.join(mesh, key -> key, key -> {
                handled.incrementAndGet();
                if (key % 2 != me[0]) {
                    wrongShard.incrementAndGet();
                }
            });
            me[0] = sharded.shardId();
            for (int key = 0; key < 1000; key++) {
                if (key % 2 == me[0] || key % 3 == 0) {
                    sharded.handle(key); // routed to shard key % 2, locally or over the mesh
                }
            }
            sharded.close();
            System.out.printf("  shard %d handled %d keys, %d on the wrong shard%n", me[0], handled.get(), wrongShard.get());
            return wrongShard.get();
        }).joinAll();
    }

    /** A gate: close() waits for every task spawned through it. Returns the tasks that finished. */
    static int gate() {
        return LocalExecutor.create().run(() -> {
            Gate gate = new Gate();
            AtomicInteger finished = new AtomicInteger();
            for (int i = 0; i < 10; i++) {
                int ms = i;
                gate.spawn(() -> {
                    Timer.sleep(Duration.ofMillis(ms));
                    finished.incrementAndGet();
                });
            }
            gate.close(); // parks until all 10 are done
            System.out.println("  gate closed after " + finished.get() + " tasks finished");
            return finished.get();
        });
    }

    /** {@code ./jglommio example mesh}: guide §7.1 alone. */
    static void mesh(String[] args) {
        section71(4).forEach(s -> System.out.println("  " + s));
    }

    /** {@code ./jglommio example shared-channel}: guide §7.2 alone. */
    static void sharedChannel(String[] args) {
        section72();
    }

    public static void main(String[] args) {
        System.out.println("== guide §7.1: channel mesh ==");
        section71(4).forEach(s -> System.out.println("  " + s));
        System.out.println("== guide §7.2: shared channel ==");
        section72();
        System.out.println("== sharding ==");
        sharding();
        System.out.println("== gate ==");
        gate();
    }
}
