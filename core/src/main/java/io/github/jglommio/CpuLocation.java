package io.github.jglommio;

/**
 * Where one CPU (hardware thread) sits in the machine: Glommio's {@code CpuLocation}.
 *
 * @param cpu       the CPU id the kernel uses (as in {@code taskset})
 * @param core      the physical core id within its package ({@code topology/core_id})
 * @param packageId the socket ({@code topology/physical_package_id})
 * @param numaNode  the NUMA node (0 on machines without NUMA information)
 */
public record CpuLocation(int cpu, int core, int packageId, int numaNode) implements Comparable<CpuLocation> {

    @Override
    public int compareTo(CpuLocation o) {
        return Integer.compare(cpu, o.cpu);
    }
}
