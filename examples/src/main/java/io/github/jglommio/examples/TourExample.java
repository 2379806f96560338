package io.github.jglommio.examples;

import io.github.jglommio.ExecutorJoinHandle;
import io.github.jglommio.IoUring;
import io.github.jglommio.LocalExecutor;
import io.github.jglommio.LocalExecutorBuilder;
import io.github.jglommio.Task;
import io.github.jglommio.timer.Timer;
import io.github.jglommio.timer.TimerActionRepeat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * {@code ./jglommio example tour}: a short tour of the runtime, one step per capability, each printing what
 * it did. Grows with every capability the runtime gains.
 */
public final class TourExample {

    private TourExample() {
    }

    private static void step(String title) {
        System.out.println();
        System.out.println("▶ " + title);
    }

    public static void main(String[] args) throws Exception {
        System.out.println("jglommio tour — thread-per-core, io_uring, virtual-thread tasks");
        step("1. the kernel");
        System.out.println("  " + IoUring.describe());

        step("2. an executor on this thread, a task, a timer (guide §2.3)");
        long t0 = System.nanoTime();
        int answer = LocalExecutor.create().run(() -> Task.local(() -> {
            Timer.sleep(Duration.ofMillis(100));
            return 42;
        }).join());
        System.out.printf("  task returned %d after %.1f ms (the task slept 100 ms, so a little over 100 ms is right;"
                + " the executor slept in io_uring_enter meanwhile)%n",
                answer, (System.nanoTime() - t0) / 1e6);

        step("3. many tasks on one thread");
        LocalExecutor.create().run(() -> {
            int n = 100_000;
            long s = System.nanoTime();
            List<Task<Integer>> tasks = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int v = i;
                tasks.add(Task.local(() -> v));
            }
            long sum = 0;
            for (Task<Integer> t : tasks) {
                sum += t.join();
            }
            double ms = (System.nanoTime() - s) / 1e6;
            System.out.printf("  spawned and joined %,d tasks in %.0f ms (%.2f µs each; 1-2 µs on an idle 2-vCPU VM once the JIT"
                            + " has warmed up), sum=%d, on thread '%s'%n",
                    n, ms, ms * 1000 / n, sum, Thread.currentThread().isVirtual() ? "virtual (task)" : "?");
            return null;
        });

        step("4. yielding: two tasks take turns on one thread");
        LocalExecutor.create().run(() -> {
            StringBuilder order = new StringBuilder();
            Task<Void> a = Task.local(() -> {
                for (int i = 0; i < 3; i++) {
                    order.append("A").append(i).append(' ');
                    LocalExecutor.yieldNow();
                }
            });
            Task<Void> b = Task.local(() -> {
                for (int i = 0; i < 3; i++) {
                    order.append("B").append(i).append(' ');
                    LocalExecutor.yieldNow();
                }
            });
            a.join();
            b.join();
            System.out.println("  order: " + order.toString().strip());
            return null;
        });

        step("5. timers: timeout, cancellation, a repeating action");
        LocalExecutor.create().run(() -> {
            try {
                Timer.timeout(Duration.ofMillis(50), () -> {
                    Timer.sleep(Duration.ofSeconds(10));
                    return "too late";
                });
            } catch (TimeoutException e) {
                System.out.println("  Timer.timeout: " + e.getMessage() + " (the slow work was cancelled)");
            }
            Task<Void> sleeper = Task.local(() -> Timer.sleep(Duration.ofHours(1)));
            Timer.sleep(Duration.ofMillis(1));
            sleeper.cancel();
            try {
                sleeper.join();
            } catch (CancellationException e) {
                System.out.println("  Task.cancel: the sleeping task ended with " + e.getClass().getSimpleName());
            }
            int[] ticks = {0};
            long s = System.nanoTime();
            TimerActionRepeat.repeat(() -> ++ticks[0] < 5 ? Optional.of(Duration.ofMillis(10)) : Optional.empty()).join();
            System.out.printf("  TimerActionRepeat: %d runs, 10 ms apart, in %.0f ms (4 waits of 10 ms after the first"
                    + " run: 40 ms plus a little timer lateness is on time)%n", ticks[0], (System.nanoTime() - s) / 1e6);
            return null;
        });

        step("6. an executor on its own thread, fed from this one");
        CompletableFuture<Void> stop = new CompletableFuture<>();
        ExecutorJoinHandle<String> worker = LocalExecutorBuilder.create().name("worker-0").spawn(() -> {
            while (!stop.isDone()) {
                Timer.sleep(Duration.ofMillis(20));
            }
            return "worker-0 stopped";
        });
        String where = worker.handle().submit(() -> "ran on executor '" + LocalExecutor.current().name()
                + "' (thread " + Thread.currentThread() + ")").get();
        System.out.println("  ExecutorHandle.submit " + where);
        stop.complete(null);
        System.out.println("  join: " + worker.join());

        step("7. task queues: shares and latency classes (guide §5)");
        TaskQueuesExample.section52();
        TaskQueuesExample.section53();

        step("8. cooperative preemption: three ways to yield");
        PreemptionExample.yieldIfNeeded();
        PreemptionExample.yieldNow();
        PreemptionExample.yieldTaskQueueNow();

        step("9. statistics (guide §10.1), also as JMX MBeans and JFR events");
        StatsExample.main(new String[0]);

        step("10. placement: executors pinned to CPUs (guide §4)");
        PlacementExample.section41().forEach(s -> System.out.println("  " + s));

        step("11. DMA file I/O (guide §6.1, §6.3)");
        java.nio.file.Path tmp = java.nio.file.Files.createTempDirectory("jglommio-tour");
        DmaFileExample.section61(tmp.resolve("test.dat"));
        DmaFileExample.section63(tmp.resolve("file"));
        java.nio.file.Files.deleteIfExists(tmp.resolve("test.dat"));
        java.nio.file.Files.deleteIfExists(tmp.resolve("file"));
        java.nio.file.Files.deleteIfExists(tmp);

        step("12. network I/O: the guide's echo server (§6.2)");
        EchoExample.Server server = EchoExample.startServer(0);
        try {
            System.out.println("  client got back: " + EchoExample.client(server.address(), java.util.List.of("hello", "echo")));
            System.out.printf("  echo: 32 connections x 64 B ping-pong for 1 s: %,.0f round trips/s (client and server share"
                            + " this JVM and the CPUs; loopback TCP on an idle 2-vCPU VM does about 100,000/s)%n",
                    EchoExample.throughput(server.address(), 32, 64, 1000));
        } finally {
            server.stop().run();
        }

        step("13. between executors (guide §7): a channel mesh, a shared channel, sharding, a gate");
        ChannelsExample.section71(2).forEach(s -> System.out.println("  " + s));
        ChannelsExample.section72();
        ChannelsExample.sharding();
        ChannelsExample.gate();

        step("14. the ring: NOP round trips from one task");
        LocalExecutor.create().run(() -> {
            int n = 200_000;
            for (int i = 0; i < 20_000; i++) {
                IoUring.nop();
            }
            long s = System.nanoTime();
            for (int i = 0; i < n; i++) {
                IoUring.nop();
            }
            double sec = (System.nanoTime() - s) / 1e9;
            System.out.printf("  %,d NOPs in %.2f s: %,.0f round trips/s (one SQE, one enter, one park/unpark each; about"
                    + " 1.2-1.5 M/s on an idle 2-vCPU VM, where a bare FFM loop of NOPs does 1.5 M/s)%n",
                    n, sec, n / sec);
            return null;
        });
        System.out.println();
        System.out.println("done. More: ./jglommio example list");
    }
}
