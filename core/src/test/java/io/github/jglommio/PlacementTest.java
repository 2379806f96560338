package io.github.jglommio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Topology parsing and the placement algorithms on synthetic sysfs trees. */
class PlacementTest {

    /** Writes a sysfs tree: cpu -> {core, package}, node -> cpulist (null: no NUMA information). */
    static Path sysfs(Path root, String online, int cpus, java.util.function.IntUnaryOperator core,
                      java.util.function.IntUnaryOperator pkg, Map<Integer, String> nodes) throws IOException {
        Path cpuDir = Files.createDirectories(root.resolve("devices/system/cpu"));
        Files.writeString(cpuDir.resolve("online"), online + "\n");
        for (int c = 0; c < cpus; c++) {
            Path topo = Files.createDirectories(cpuDir.resolve("cpu" + c + "/topology"));
            Files.writeString(topo.resolve("core_id"), core.applyAsInt(c) + "\n");
            Files.writeString(topo.resolve("physical_package_id"), pkg.applyAsInt(c) + "\n");
        }
        if (nodes != null) {
            for (var e : nodes.entrySet()) {
                Path n = Files.createDirectories(root.resolve("devices/system/node/node" + e.getKey()));
                Files.writeString(n.resolve("cpulist"), e.getValue() + "\n");
            }
        }
        return root;
    }

    /**
     * 2 sockets × 2 NUMA nodes per socket × 2 cores per node × 2 SMT threads: 16 CPUs. The first
     * threads of the 8 cores are CPUs 0-7, their siblings 8-15 (Linux's usual numbering).
     * Node 0 = {0,1,8,9} (package 0), node 1 = {2,3,10,11} (package 0), node 2 = {4,5,12,13},
     * node 3 = {6,7,14,15} (package 1).
     */
    static CpuSet twoSocketsFourNodes(Path root, String online) throws IOException {
        Map<Integer, String> nodes = new TreeMap<>(Map.of(0, "0-1,8-9", 1, "2-3,10-11", 2, "4-5,12-13", 3, "6-7,14-15"));
        sysfs(root, online, 16, c -> c % 4, c -> (c % 8) / 4, nodes);
        return CpuSet.online(root);
    }

    static List<Integer> cpus(List<Placement> placements) {
        return placements.stream().map(p -> ((Placement.Fixed) p).cpu()).toList();
    }

    @Test
    void shouldReadTopology(@TempDir Path root) throws IOException {
        CpuSet all = twoSocketsFourNodes(root, "0-15");
        assertEquals(16, all.size());
        assertEquals(new CpuLocation(0, 0, 0, 0), all.location(0));
        assertEquals(new CpuLocation(9, 1, 0, 0), all.location(9));
        assertEquals(new CpuLocation(6, 2, 1, 3), all.location(6));
        assertEquals(new CpuLocation(14, 2, 1, 3), all.location(14));
        assertEquals(List.of(0, 1, 2, 3), List.copyOf(all.numaNodes().keySet()));
        assertEquals("4-5,12-13", all.numaNodes().get(2).toString());
        assertEquals("0-15", all.toString());
    }

    @Test
    void shouldSpreadAcrossNodesThenPackagesCoresAndSiblings(@TempDir Path root) throws IOException {
        CpuSet all = twoSocketsFourNodes(root, "0-15");
        assertEquals(List.of(0, 2, 4, 6, 1, 3, 5, 7, 8, 10, 12, 14, 9, 11, 13, 15),
                cpus(PoolPlacement.maxSpread(16).assign(all)));
        assertEquals(List.of(0, 2, 4, 6), cpus(PoolPlacement.maxSpread(4).assign(all)));
    }

    @Test
    void shouldPackSiblingsThenCoresThenNodes(@TempDir Path root) throws IOException {
        CpuSet all = twoSocketsFourNodes(root, "0-15");
        assertEquals(List.of(0, 8, 1, 9, 2, 10, 3, 11, 4, 12, 5, 13, 6, 14, 7, 15),
                cpus(PoolPlacement.maxPack(16).assign(all)));
        assertEquals(List.of(0, 8, 1), cpus(PoolPlacement.maxPack(3).assign(all)));
    }

    @Test
    void shouldPlaceWithinAFilteredSet(@TempDir Path root) throws IOException {
        CpuSet all = twoSocketsFourNodes(root, "0-15");
        CpuSet package1 = all.filter(l -> l.packageId() == 1);
        assertEquals(List.of(4, 6, 5, 7), cpus(PoolPlacement.maxSpread(4, package1).assign(all)));
        assertEquals(List.of(4, 12, 5, 13), cpus(PoolPlacement.maxPack(4, package1).assign(all)));
    }

    @Test
    void shouldSkipOfflineCpus(@TempDir Path root) throws IOException {
        // CPUs 6, 7, 14 and 15 (all of node 3) are offline; 3 is offline too.
        CpuSet online = twoSocketsFourNodes(root, "0-2,4-5,8-13");
        assertEquals("0-2,4-5,8-13", online.toString());
        assertEquals(List.of(0, 1, 2), List.copyOf(online.numaNodes().keySet()));
        assertEquals(List.of(0, 2, 4, 1, 5), cpus(PoolPlacement.maxSpread(5).assign(online)));
        // Node 1 has 3 CPUs left (2,10,11) vs 4 in nodes 0 and 2: packing starts in a node with more CPUs.
        assertEquals(List.of(0, 8, 1, 9, 4), cpus(PoolPlacement.maxPack(5).assign(online)));
    }

    @Test
    void shouldTreatMissingNumaInformationAsOneNode(@TempDir Path root) throws IOException {
        // 2 packages × 2 cores × 2 threads, no devices/system/node directory.
        sysfs(root, "0-7", 8, c -> c % 2, c -> (c % 4) / 2, null);
        CpuSet all = CpuSet.online(root);
        assertEquals(List.of(0), List.copyOf(all.numaNodes().keySet()));
        assertEquals(new CpuLocation(3, 1, 1, 0), all.location(3));
        assertEquals(List.of(0, 2, 1, 3, 4, 6, 5, 7), cpus(PoolPlacement.maxSpread(8).assign(all)));
        assertEquals(List.of(0, 4, 1, 5, 2, 6, 3, 7), cpus(PoolPlacement.maxPack(8).assign(all)));
    }

    @Test
    void shouldCombineSets(@TempDir Path root) throws IOException {
        CpuSet all = twoSocketsFourNodes(root, "0-15");
        CpuSet node0 = all.filter(l -> l.numaNode() == 0);
        CpuSet siblings = all.filter(l -> l.cpu() >= 8);
        assertEquals("0-1,8-9", node0.toString());
        assertEquals("0-1,8-15", node0.union(siblings).toString());
        assertEquals("8-9", node0.intersection(siblings).toString());
        assertEquals("0-1", node0.difference(siblings).toString());
        assertTrue(node0.contains(9));
        assertTrue(node0.contains(new CpuLocation(9, 1, 0, 0)));
        assertEquals(4, node0.stream().count());
        assertTrue(node0.filter(l -> false).isEmpty());
    }

    @Test
    void shouldExplainPlacementsThatCannotBeSatisfied(@TempDir Path root) throws IOException {
        CpuSet all = twoSocketsFourNodes(root, "0-15");
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                () -> PoolPlacement.maxSpread(17).assign(all));
        assertEquals("PoolPlacement.maxSpread(17) needs 17 CPUs, but only 16 are available: 0-15 (use fenced(n, cpus) "
                + "or unbound(n) to run more executors than CPUs)", tooMany.getMessage());
        IllegalArgumentException pack = assertThrows(IllegalArgumentException.class,
                () -> PoolPlacement.maxPack(3, all.filter(l -> l.cpu() < 2)).assign(all));
        assertTrue(pack.getMessage().contains("needs 3 CPUs, but only 2 are available: 0-1"), pack.getMessage());
        CpuSet empty = all.filter(l -> false);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Placement.fenced(empty)).getMessage()
                .contains("CpuSet is empty"));
        assertThrows(IllegalArgumentException.class, () -> PoolPlacement.fenced(2, empty));
        assertThrows(IllegalArgumentException.class, () -> PoolPlacement.custom(List.of(all, empty)));
        assertThrows(IllegalArgumentException.class, () -> PoolPlacement.maxSpread(4, empty).assign(all));
        assertThrows(IllegalArgumentException.class, () -> PoolPlacement.unbound(0));
        CpuSet online = twoSocketsFourNodes(Files.createDirectories(root.resolve("other")), "0-7");
        IllegalArgumentException offline = assertThrows(IllegalArgumentException.class,
                () -> PoolPlacement.fenced(2, all).assign(online));
        assertEquals("CPU(s) 8-15 are not online; online CPUs: 0-7", offline.getMessage());
    }

    @Test
    void shouldAssignFencedCustomAndUnbound(@TempDir Path root) throws IOException {
        CpuSet all = twoSocketsFourNodes(root, "0-15");
        CpuSet node1 = all.filter(l -> l.numaNode() == 1);
        assertEquals(List.of(Placement.fenced(node1), Placement.fenced(node1)), PoolPlacement.fenced(2, node1).assign(all));
        assertEquals(List.of(Placement.unbound(), Placement.unbound(), Placement.unbound()),
                PoolPlacement.unbound(3).assign(all));
        CpuSet node2 = all.filter(l -> l.numaNode() == 2);
        assertEquals(List.of(Placement.fenced(node1), Placement.fenced(node2)),
                PoolPlacement.custom(List.of(node1, node2)).assign(all));
        assertEquals(2, PoolPlacement.custom(List.of(node1, node2)).executorCount());
    }

    @Test
    void shouldParseAndFormatCpuLists() {
        assertEquals("0-3,8,10-11", Topology.formatCpuList(Topology.parseCpuList("0-3,8,10-11")));
        assertEquals("", Topology.formatCpuList(Topology.parseCpuList("")));
        assertThrows(IllegalArgumentException.class, () -> Topology.parseCpuList("0-x"));
    }
}
