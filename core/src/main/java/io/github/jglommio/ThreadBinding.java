package io.github.jglommio;

import io.github.jglommio.sys.Affinity;
import io.github.jglommio.sys.Errno;

import java.lang.System.Logger.Level;
import java.util.BitSet;
import java.util.SortedMap;

/**
 * Applies a {@link Placement} to the calling platform thread: CPU affinity, and on machines with more
 * than one NUMA node a memory policy preferring the node of its CPUs. {@link #restore()} puts the
 * thread back as it was (for {@link LocalExecutor#run} on a caller's thread).
 */
final class ThreadBinding {

    private static final System.Logger LOG = System.getLogger(ThreadBinding.class.getName());
    private static final ThreadBinding NONE = new ThreadBinding(null, false);

    private final BitSet previousAffinity;
    private final boolean memoryPolicySet;

    private ThreadBinding(BitSet previousAffinity, boolean memoryPolicySet) {
        this.previousAffinity = previousAffinity;
        this.memoryPolicySet = memoryPolicySet;
    }

    static ThreadBinding bind(Placement placement, String executorName) {
        BitSet cpus = switch (placement) {
            case Placement.Unbound u -> null;
            case Placement.Fixed f -> {
                BitSet b = new BitSet();
                b.set(f.cpu());
                yield b;
            }
            case Placement.Fenced f -> f.cpus().toBitSet();
        };
        if (cpus == null) {
            return NONE;
        }
        int[] err = new int[1];
        BitSet previous = Affinity.threadAffinity(err);
        int r = Affinity.setThreadAffinity(cpus);
        if (r < 0) {
            throw new IllegalStateException("cannot pin executor '" + executorName + "' to CPU(s) "
                    + Topology.formatCpuList(cpus) + ": sched_setaffinity failed: " + Errno.describe(r)
                    + ". The CPUs must be online and inside this process's allowed set (taskset, cgroup cpuset); "
                    + "allowed now: " + (previous == null ? "unknown" : Topology.formatCpuList(previous)));
        }
        boolean policy = false;
        CpuSet online = CpuSet.online();
        SortedMap<Integer, CpuSet> nodes = online.numaNodes();
        int node = numaNodeOf(cpus, online);
        if (nodes.size() > 1 && node >= 0) {
            BitSet mask = new BitSet();
            mask.set(node);
            int m = Affinity.setThreadMemoryPolicy(Affinity.MPOL_PREFERRED, mask);
            if (m < 0) {
                LOG.log(Level.WARNING, "executor '" + executorName + "': set_mempolicy(MPOL_PREFERRED, node " + node
                        + ") failed: " + Errno.describe(m) + "; memory follows the default policy");
            } else {
                policy = true;
            }
        }
        return new ThreadBinding(previous, policy);
    }

    /** The NUMA node all of {@code cpus} belong to, or -1 when they span nodes or are unknown. */
    static int numaNodeOf(BitSet cpus, CpuSet online) {
        int node = -1;
        for (int c = cpus.nextSetBit(0); c >= 0; c = cpus.nextSetBit(c + 1)) {
            CpuLocation l = online.location(c);
            if (l == null || (node >= 0 && l.numaNode() != node)) {
                return -1;
            }
            node = l.numaNode();
        }
        return node;
    }

    void restore() {
        if (previousAffinity != null) {
            Affinity.setThreadAffinity(previousAffinity);
        }
        if (memoryPolicySet) {
            Affinity.setThreadMemoryPolicy(Affinity.MPOL_DEFAULT, new BitSet());
        }
    }
}
