package io.github.jglommio.examples;

import io.github.jglommio.CpuLocation;
import io.github.jglommio.CpuSet;
import io.github.jglommio.ExecutorJoinHandle;
import io.github.jglommio.LocalExecutor;
import io.github.jglommio.LocalExecutorBuilder;
import io.github.jglommio.LocalExecutorPoolBuilder;
import io.github.jglommio.Placement;
import io.github.jglommio.PoolPlacement;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The guide's §3.3 (an executor pinned to a core), §4.1 (three ways to pin), §4.2 (NUMA: one
 * executor per CPU of each node, with node-local memory) and §11.1 (a production configuration).
 * Every executor reports where it runs, read back from the kernel: its affinity
 * ({@code sched_getaffinity}), the CPU it last ran on ({@code /proc/self/task/<tid>/stat}) and that
 * CPU's NUMA node.
 */
public final class PlacementExample {

    private PlacementExample() {
    }

    /** Where the calling task's executor runs, as the kernel reports it. */
    static String whereAmI() throws Exception {
        LocalExecutor ex = LocalExecutor.current();
        int tid = ex.osThreadId();
        String stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
        // Field 39 ("processor"); fields start after the ")" that closes the command name.
        int lastCpu = Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[36]);
        CpuSet allowed = CpuSet.currentThreadAffinity();
        CpuLocation loc = CpuSet.online().location(lastCpu);
        return String.format("executor '%s' (tid %d): allowed CPUs %s, running on CPU %d (core %d, package %d, "
                + "NUMA node %d)", ex.name(), tid, allowed, lastCpu, loc.core(), loc.packageId(), loc.numaNode());
    }

    /** §3.3: pin explicitly to one core. */
    static String section33() {
        ExecutorJoinHandle<String> handle = LocalExecutorBuilder.create()
                .pinToCpu(0)                       // bound to core 0
                .name("worker-0")
                .spawn(PlacementExample::whereAmI);
        return handle.join();
    }

    /** §4.1: the three methods. */
    static List<String> section41() {
        List<String> out = new ArrayList<>();
        // Method 1: one core
        out.add(LocalExecutorBuilder.create().pinToCpu(0).spawn(PlacementExample::whereAmI).join());
        // Method 2: a Placement (here Fixed(0); Placement.fenced(cpuSet) allows a set)
        CpuSet cpuSet = CpuSet.online();
        out.add(LocalExecutorBuilder.create().placement(Placement.fixed(0)).spawn(PlacementExample::whereAmI).join());
        out.add(LocalExecutorBuilder.create().placement(Placement.fenced(cpuSet)).spawn(PlacementExample::whereAmI).join());
        // Method 3: one executor per core, in parallel
        int numCores = cpuSet.size();
        List<ExecutorJoinHandle<String>> handles = new ArrayList<>();
        for (int coreId = 0; coreId < numCores; coreId++) {
            handles.add(LocalExecutorBuilder.create().pinToCpu(coreId).name("core-" + coreId)
                    .spawn(PlacementExample::whereAmI));
        }
        for (ExecutorJoinHandle<String> h : handles) {
            out.add(h.join());
        }
        // ...or, as a pool: one shard per CPU, spread as far apart as possible
        out.addAll(new LocalExecutorPoolBuilder(PoolPlacement.maxSpread(numCores)).name("shard")
                .onAllShards(PlacementExample::whereAmI).joinAll());
        return out;
    }

    /** §4.2: per NUMA node, one executor per CPU, each touching a buffer first so it lands on its node. */
    static List<String> section42() {
        List<String> out = new ArrayList<>();
        List<ExecutorJoinHandle<String>> handles = new ArrayList<>();
        for (Map.Entry<Integer, CpuSet> node : CpuSet.online().numaNodes().entrySet()) {
            int nodeId = node.getKey();
            for (CpuLocation cpu : node.getValue().locations()) {
                handles.add(LocalExecutorBuilder.create().pinToCpu(cpu.cpu()).name("node" + nodeId + "-cpu" + cpu.cpu())
                        .spawn(() -> {
                            // "allocate_on_numa_node": the executor thread is pinned (and on multi-node
                            // machines prefers its node), so the pages it touches first are node-local.
                            try (Arena arena = Arena.ofConfined()) {
                                MemorySegment localBuffer = arena.allocate(1 << 20, 4096);
                                localBuffer.fill((byte) 1);
                                return whereAmI() + ", touched a 1 MiB buffer on node " + nodeId;
                            }
                        }));
            }
        }
        for (ExecutorJoinHandle<String> h : handles) {
            out.add(h.join());
        }
        return out;
    }

    /** §11.1: a production configuration. */
    static String section111() {
        int coreId = 0;
        return LocalExecutorBuilder.create()
                .pinToCpu(coreId)
                .name("prod-worker-" + coreId)
                .ringDepth(1024)                              // a deeper io_uring queue
                .preemptTimer(Duration.ofMillis(1))           // 1 ms time slices
                .spawn(() -> whereAmI() + ", ring depth 1024, 1 ms preempt timer")
                .join();
    }

    public static void main(String[] args) {
        System.out.println("machine: " + CpuSet.online().size() + " CPUs online (" + CpuSet.online() + "), NUMA nodes "
                + CpuSet.online().numaNodes().keySet());
        System.out.println("== guide §3.3: pin explicitly ==");
        System.out.println("  " + section33());
        System.out.println("== guide §4.1: three ways to pin ==");
        section41().forEach(s -> System.out.println("  " + s));
        System.out.println("== guide §4.2: NUMA ==");
        section42().forEach(s -> System.out.println("  " + s));
        System.out.println("== guide §11.1: production configuration ==");
        System.out.println("  " + section111());
    }
}
