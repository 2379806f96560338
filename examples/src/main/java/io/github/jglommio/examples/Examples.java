package io.github.jglommio.examples;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Entry point of {@code ./jglommio example NAME}: dispatches to one
 * example's {@code main}.
 */
public final class Examples {

    /** A runnable example: its name, what it shows, and its main method. */
    record Example(String name, String description, Main main) {
    }

    @FunctionalInterface
    interface Main {
        void run(String[] args) throws Exception;
    }

    static final Map<String, Example> ALL = new LinkedHashMap<>();

    static {
        add("tour", "a short tour of what the runtime does, one step per capability", TourExample::main);
        add("hello", "guide §1.1 and §2.3: the first programs (Task.local, Timer.sleep, join)", HelloExample::main);
        add("dma-file", "guide §6.1 and §6.3: DmaFile writes, zero-copy reads", DmaFileExample::main);
        add("storage", "buffered vs direct write, scan and random reads in GB/s and IOPS", StorageExample::main);
        add("echo", "guide §6.2: TCP echo server, a client, and an echo throughput run", EchoExample::main);
        add("channels", "guide §7.1, §7.2: channel mesh, shared channel, sharding, gate", ChannelsExample::main);
        add("mesh", "guide §7.1: a channel mesh of 4 executors", ChannelsExample::mesh);
        add("shared-channel", "guide §7.2: a producer and a consumer over a shared channel", ChannelsExample::sharedChannel);
        add("sharding", "messages routed to shards by key over a mesh", a -> ChannelsExample.sharding());
        add("gate", "a gate whose close() waits for the tasks spawned through it", a -> ChannelsExample.gate());
        add("placement", "guide §3.3, §4.1, §4.2, §11.1: pinning, pools, NUMA, production config", PlacementExample::main);
        add("task-queues", "guide §5.1–5.3: task queues, shares, latency classes", TaskQueuesExample::main);
        add("preemption", "cooperative preemption: yieldIfNeeded, yieldNow, yieldTaskQueueNow", PreemptionExample::main);
        add("stats", "guide §10.1: executor and task-queue statistics, JMX and JFR", StatsExample::main);
    }

    private static void add(String name, String description, Main main) {
        ALL.put(name, new Example(name, description, main));
    }

    private Examples() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("list")) {
            System.out.println("examples (./jglommio example NAME):");
            ALL.values().forEach(e -> System.out.printf("  %-16s %s%n", e.name(), e.description()));
            return;
        }
        Example e = ALL.get(args[0]);
        if (e == null) {
            System.err.println("unknown example '" + args[0] + "'; available: " + String.join(", ", ALL.keySet()));
            System.exit(2);
            return;
        }
        String[] rest = new String[args.length - 1];
        System.arraycopy(args, 1, rest, 0, rest.length);
        e.main().run(rest);
    }
}
