package io.github.jglommio;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * An immutable set of CPUs with their topology: Glommio's {@code CpuSet}. Ordered by CPU id.
 *
 * {@snippet :
 * CpuSet node0 = CpuSet.online().filter(l -> l.numaNode() == 0);
 * CpuSet evenPackages = CpuSet.online().filter(l -> l.packageId() % 2 == 0);
 * }
 *
 * <p>Threading: immutable, any thread.
 */
public final class CpuSet {

    private static final Path SYSFS = Path.of("/sys");
    private final TreeMap<Integer, CpuLocation> cpus;

    private CpuSet(TreeMap<Integer, CpuLocation> cpus) {
        this.cpus = cpus;
    }

    /** The CPUs online now, read from /sys. */
    public static CpuSet online() {
        return online(SYSFS);
    }

    /** The CPUs online in the sysfs tree at {@code sysfsRoot} (for tests and containers with a copied /sys). */
    public static CpuSet online(Path sysfsRoot) {
        return of(Topology.read(sysfsRoot));
    }

    /**
     * The CPUs the calling platform thread (for a task: its executor's thread) may run on, as
     * {@code sched_getaffinity(2)} reports them, with their locations.
     *
     * @throws IllegalStateException when the kernel refuses the call
     */
    public static CpuSet currentThreadAffinity() {
        int[] err = new int[1];
        java.util.BitSet mask = io.github.jglommio.sys.Affinity.threadAffinity(err);
        if (mask == null) {
            throw new IllegalStateException("sched_getaffinity failed: " + io.github.jglommio.sys.Errno.describe(err[0]));
        }
        CpuSet online = online();
        return online.filter(l -> mask.get(l.cpu()));
    }

    /** The CPU the calling platform thread (for a task: its executor's thread) runs on now ({@code sched_getcpu(3)}). */
    public static int currentCpu() {
        return io.github.jglommio.sys.Affinity.currentCpu();
    }

    /** A set of the given locations. */
    public static CpuSet of(Collection<CpuLocation> locations) {
        TreeMap<Integer, CpuLocation> m = new TreeMap<>();
        for (CpuLocation l : locations) {
            CpuLocation prev = m.put(l.cpu(), Objects.requireNonNull(l, "location"));
            if (prev != null && !prev.equals(l)) {
                throw new IllegalArgumentException("CPU " + l.cpu() + " appears twice with different locations: "
                        + prev + " and " + l);
            }
        }
        return new CpuSet(m);
    }

    /** The CPUs of this set for which {@code keep} is true. */
    public CpuSet filter(Predicate<CpuLocation> keep) {
        TreeMap<Integer, CpuLocation> m = new TreeMap<>();
        cpus.values().stream().filter(keep).forEach(l -> m.put(l.cpu(), l));
        return new CpuSet(m);
    }

    /** CPUs in this set or in {@code other}. */
    public CpuSet union(CpuSet other) {
        TreeMap<Integer, CpuLocation> m = new TreeMap<>(cpus);
        m.putAll(other.cpus);
        return new CpuSet(m);
    }

    /** CPUs in both sets. */
    public CpuSet intersection(CpuSet other) {
        return filter(l -> other.cpus.containsKey(l.cpu()));
    }

    /** CPUs in this set and not in {@code other}. */
    public CpuSet difference(CpuSet other) {
        return filter(l -> !other.cpus.containsKey(l.cpu()));
    }

    public boolean contains(int cpu) {
        return cpus.containsKey(cpu);
    }

    public boolean contains(CpuLocation location) {
        return location.equals(cpus.get(location.cpu()));
    }

    public int size() {
        return cpus.size();
    }

    public boolean isEmpty() {
        return cpus.isEmpty();
    }

    /** The locations, in CPU order. */
    public Stream<CpuLocation> stream() {
        return cpus.values().stream();
    }

    /** The locations, in CPU order. */
    public List<CpuLocation> locations() {
        return Collections.unmodifiableList(new ArrayList<>(cpus.values()));
    }

    /** The location of {@code cpu}, or {@code null} when it is not in the set. */
    public CpuLocation location(int cpu) {
        return cpus.get(cpu);
    }

    /** The CPU ids as a bit set (a copy). */
    public BitSet toBitSet() {
        BitSet b = new BitSet();
        cpus.keySet().forEach(b::set);
        return b;
    }

    /** The CPUs of each NUMA node, by node id. */
    public SortedMap<Integer, CpuSet> numaNodes() {
        TreeMap<Integer, CpuSet> nodes = new TreeMap<>();
        for (int node : cpus.values().stream().map(CpuLocation::numaNode).distinct().toList()) {
            nodes.put(node, filter(l -> l.numaNode() == node));
        }
        return Collections.unmodifiableSortedMap(nodes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CpuSet other && other.cpus.equals(cpus);
    }

    @Override
    public int hashCode() {
        return cpus.hashCode();
    }

    /** The kernel's list format: {@code "0-3,8"}. */
    @Override
    public String toString() {
        return Topology.formatCpuList(toBitSet());
    }
}
