package io.github.jglommio;

import io.github.jglommio.sys.Affinity;
import io.github.jglommio.sys.Syscalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Real pinning on this machine, read back through sched_getaffinity and /proc. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PinningTest {

    /** The calling carrier thread's affinity, as the kernel reports it. */
    static BitSet affinity() {
        int[] err = new int[1];
        BitSet b = Affinity.threadAffinity(err);
        assertTrue(b != null, "sched_getaffinity failed: errno " + err[0]);
        return b;
    }

    /** Field 39 of /proc/self/task/<tid>/stat: the CPU the thread last ran on. */
    static int lastCpuFromProc() throws Exception {
        String stat = Files.readString(Path.of("/proc/self/task/" + Syscalls.gettid() + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[39 - 3]);
    }

    static int lastCpu() {
        return CpuSet.online().size() - 1;
    }

    @Test
    void shouldPinAnExecutorToOneCpu() {
        int cpu = lastCpu();
        int[] seen = LocalExecutorBuilder.create().pinToCpu(cpu).spawn(() -> {
            BitSet mask = affinity();
            LocalExecutor.yieldNow();
            return new int[] {mask.cardinality(), mask.nextSetBit(0), lastCpuFromProc(), Affinity.currentCpu(),
                    LocalExecutor.current().cpu().orElse(-1)};
        }).join();
        assertEquals(1, seen[0]);
        assertEquals(cpu, seen[1]);
        assertEquals(cpu, seen[2], "/proc/self/task/<tid>/stat says where the executor ran");
        assertEquals(cpu, seen[3]);
        assertEquals(cpu, seen[4]);
    }

    @Test
    void shouldRestoreTheCallersAffinityAfterRun() {
        BitSet before = affinity();
        BitSet inside = new LocalExecutorBuilder(Placement.fixed(0)).make().run(PinningTest::affinity);
        assertEquals(1, inside.cardinality());
        assertEquals(before, affinity());
    }

    @Test
    void shouldFenceAnExecutor() {
        CpuSet online = CpuSet.online();
        BitSet seen = LocalExecutorBuilder.create().placement(Placement.fenced(online)).spawn(PinningTest::affinity).join();
        assertEquals(online.toBitSet(), seen);
        assertEquals(OptionalInt.empty(), new LocalExecutorBuilder(Placement.fenced(online)).make().cpu());
    }

    @Test
    void shouldSpreadAPoolOverTheCpus() {
        int n = CpuSet.online().size();
        List<Integer> cpus = new LocalExecutorPoolBuilder(PoolPlacement.maxSpread(n)).name("spread")
                .onAllShards(() -> {
                    BitSet mask = affinity();
                    assertEquals(1, mask.cardinality());
                    assertTrue(Thread.currentThread().isVirtual());
                    assertTrue(LocalExecutor.current().name().startsWith("spread-"));
                    return mask.nextSetBit(0);
                }).joinAll();
        assertEquals(n, cpus.size());
        assertEquals(n, cpus.stream().distinct().count(), "each shard on its own CPU: " + cpus);
    }

    @Test
    void shouldPinTheBlockingPool() {
        int cpu = lastCpu();
        BitSet seen = new LocalExecutorBuilder().blockingPoolPlacement(Placement.fixed(cpu)).make()
                .run(() -> LocalExecutor.current().spawnBlocking(PinningTest::affinity));
        assertEquals(1, seen.cardinality());
        assertEquals(cpu, seen.nextSetBit(0));
    }

    @Test
    void shouldRejectOfflineCpus() {
        int offline = 4096;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LocalExecutorBuilder.create().pinToCpu(offline).make());
        assertEquals("placement: CPU 4096 is not online; online CPUs: " + CpuSet.online(), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Placement.fixed(-1));
        int n = CpuSet.online().size();
        IllegalArgumentException pool = assertThrows(IllegalArgumentException.class,
                () -> new LocalExecutorPoolBuilder(PoolPlacement.maxPack(n + 1)).onAllShards(() -> 1));
        assertTrue(pool.getMessage().contains("needs " + (n + 1) + " CPUs"), pool.getMessage());
    }

    @Test
    void shouldStartAPoolAllOrNothing() {
        AtomicInteger ran = new AtomicInteger();
        LocalExecutor.failStartForTest = name -> name.equals("fragile-1");
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> new LocalExecutorPoolBuilder(PoolPlacement.unbound(3)).name("fragile").onAllShards(() -> {
                        ran.incrementAndGet();
                        return null;
                    }));
            assertTrue(e.getMessage().contains("pool 'fragile' did not start"), e.getMessage());
            assertTrue(e.getMessage().contains("fragile-1"), e.getMessage());
        } finally {
            LocalExecutor.failStartForTest = null;
        }
        assertEquals(0, ran.get(), "no shard ran user code");
    }

    @Test
    void shouldSubmitToShardsFromOutside() throws Exception {
        java.util.concurrent.CompletableFuture<Void> stop = new java.util.concurrent.CompletableFuture<>();
        PoolThreadHandles<Void> pool = new LocalExecutorPoolBuilder(PoolPlacement.unbound(2)).onAllShards(() -> {
            while (!stop.isDone()) {
                io.github.jglommio.timer.Timer.sleep(java.time.Duration.ofMillis(2));
            }
        });
        assertEquals(2, pool.size());
        assertEquals("shard-0", pool.executors().get(0).submit(() -> LocalExecutor.current().name()).get());
        assertEquals("shard-1", pool.executors().get(1).submit(() -> LocalExecutor.current().name()).get());
        stop.complete(null);
        pool.joinAll();
    }

    @Test
    void shouldSetAThreadMemoryPolicy() {
        assumeTrue(Files.isDirectory(Path.of("/sys/devices/system/node/node0")), "no NUMA node 0 in sysfs");
        BitSet node0 = new BitSet();
        node0.set(0);
        assertEquals(0, Affinity.setThreadMemoryPolicy(Affinity.MPOL_PREFERRED, node0));
        assertEquals(0, Affinity.setThreadMemoryPolicy(Affinity.MPOL_DEFAULT, new BitSet()));
        BitSet bogus = new BitSet();
        bogus.set(1000);
        assertTrue(Affinity.setThreadMemoryPolicy(Affinity.MPOL_PREFERRED, bogus) < 0, "node 1000 does not exist");
    }

    @Test
    void shouldFindTheNumaNodeOfAPlacement() {
        CpuSet online = CpuSet.online();
        assertEquals(online.location(0).numaNode(), ThreadBinding.numaNodeOf(online.filter(l -> l.cpu() == 0).toBitSet(), online));
        BitSet unknown = new BitSet();
        unknown.set(4096);
        assertEquals(-1, ThreadBinding.numaNodeOf(unknown, online));
    }
}
