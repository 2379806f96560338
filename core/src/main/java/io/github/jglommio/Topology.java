package io.github.jglommio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the CPU topology from sysfs (Documentation/admin-guide/cputopology.rst): the online CPUs
 * ({@code devices/system/cpu/online}), each one's core and package ({@code cpuN/topology/core_id},
 * {@code physical_package_id}) and NUMA node ({@code devices/system/node/nodeN/cpulist}). The root is a
 * parameter so tests can load synthetic machines. Missing topology files degrade gracefully: core =
 * cpu, package = 0, node = 0.
 */
final class Topology {

    private Topology() {
    }

    static List<CpuLocation> read(Path sysfsRoot) {
        Path cpuDir = sysfsRoot.resolve("devices/system/cpu");
        BitSet online;
        try {
            online = parseCpuList(Files.readString(cpuDir.resolve("online")).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the online CPUs from " + cpuDir.resolve("online"), e);
        }
        Map<Integer, Integer> nodeOf = numaNodes(sysfsRoot.resolve("devices/system/node"));
        List<CpuLocation> cpus = new ArrayList<>();
        for (int cpu = online.nextSetBit(0); cpu >= 0; cpu = online.nextSetBit(cpu + 1)) {
            Path topo = cpuDir.resolve("cpu" + cpu).resolve("topology");
            int core = readInt(topo.resolve("core_id"), cpu);
            int pkg = readInt(topo.resolve("physical_package_id"), 0);
            cpus.add(new CpuLocation(cpu, core, pkg, nodeOf.getOrDefault(cpu, 0)));
        }
        return cpus;
    }

    private static Map<Integer, Integer> numaNodes(Path nodeDir) {
        Map<Integer, Integer> nodeOf = new HashMap<>();
        if (!Files.isDirectory(nodeDir)) {
            return nodeOf;
        }
        try (DirectoryStream<Path> nodes = Files.newDirectoryStream(nodeDir, "node[0-9]*")) {
            for (Path n : nodes) {
                int node = Integer.parseInt(n.getFileName().toString().substring(4));
                Path list = n.resolve("cpulist");
                if (Files.exists(list)) {
                    BitSet cpus = parseCpuList(Files.readString(list).strip());
                    for (int c = cpus.nextSetBit(0); c >= 0; c = cpus.nextSetBit(c + 1)) {
                        nodeOf.put(c, node);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read NUMA nodes from " + nodeDir, e);
        }
        return nodeOf;
    }

    private static int readInt(Path p, int fallback) {
        try {
            String s = Files.readString(p).strip();
            int v = Integer.parseInt(s);
            return v < 0 ? fallback : v;
        } catch (NoSuchFileException | NumberFormatException e) {
            return fallback;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
    }

    /** Parses the kernel's cpulist format: {@code "0-3,8,10-11"}; empty means none. */
    static BitSet parseCpuList(String list) {
        BitSet set = new BitSet();
        if (list.isEmpty()) {
            return set;
        }
        for (String part : list.split(",")) {
            String p = part.strip();
            int dash = p.indexOf('-');
            try {
                if (dash < 0) {
                    set.set(Integer.parseInt(p));
                } else {
                    set.set(Integer.parseInt(p.substring(0, dash)), Integer.parseInt(p.substring(dash + 1)) + 1);
                }
            } catch (NumberFormatException | IndexOutOfBoundsException e) {
                throw new IllegalArgumentException("malformed CPU list '" + list + "'", e);
            }
        }
        return set;
    }

    /** The kernel's cpulist format for {@code cpus}: {@code "0-3,8"}. */
    static String formatCpuList(BitSet cpus) {
        StringBuilder sb = new StringBuilder();
        for (int c = cpus.nextSetBit(0); c >= 0; ) {
            int end = cpus.nextClearBit(c) - 1;
            if (!sb.isEmpty()) {
                sb.append(',');
            }
            sb.append(c);
            if (end > c) {
                sb.append('-').append(end);
            }
            c = cpus.nextSetBit(end + 1);
        }
        return sb.toString();
    }
}
