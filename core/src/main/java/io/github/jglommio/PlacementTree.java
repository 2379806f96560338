package io.github.jglommio;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * Glommio's CPU selection for {@code maxSpread} and {@code maxPack}: the CPUs form a tree
 * (machine → NUMA node → package → core → CPU) and each selection walks from the root, at every level
 * choosing a child by "saturation" (selected CPUs / CPUs below it).
 *
 * <ul>
 *   <li>spread: the least saturated child;</li>
 *   <li>pack: a partially filled child first; otherwise the least saturated, and among equally
 *       saturated the one with the most CPUs.</li>
 * </ul>
 * Remaining ties go to the lowest id, so the result is deterministic.
 */
final class PlacementTree {

    private static final class Node {
        final int id;
        final TreeMap<Integer, Node> children = new TreeMap<>();
        int slots;
        int selected;

        Node(int id) {
            this.id = id;
        }

        Node child(int childId) {
            return children.computeIfAbsent(childId, Node::new);
        }
    }

    private PlacementTree() {
    }

    static List<Placement> select(CpuSet cpus, int count, boolean pack, String policy) {
        if (cpus.isEmpty()) {
            throw new IllegalArgumentException("PoolPlacement." + policy + "(" + count + ") has no CPUs to choose "
                    + "from: the CpuSet is empty");
        }
        if (count > cpus.size()) {
            throw new IllegalArgumentException("PoolPlacement." + policy + "(" + count + ") needs " + count
                    + " CPUs, but only " + cpus.size() + " are available: " + cpus
                    + " (use fenced(n, cpus) or unbound(n) to run more executors than CPUs)");
        }
        Node root = new Node(0);
        for (CpuLocation l : cpus.locations()) {
            Node leaf = root.child(l.numaNode()).child(l.packageId()).child(l.core()).child(l.cpu());
            leaf.slots = 1;
        }
        countSlots(root);
        Comparator<Node> order = pack ? PlacementTree::packOrder : PlacementTree::spreadOrder;
        List<Placement> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Node n = root;
            n.selected++;
            while (!n.children.isEmpty()) {
                Node best = null;
                for (Node c : n.children.values()) {
                    if (c.selected < c.slots && (best == null || order.compare(c, best) < 0)) {
                        best = c;
                    }
                }
                n = best;
                n.selected++;
            }
            out.add(Placement.fixed(n.id));
        }
        return out;
    }

    private static int countSlots(Node n) {
        if (n.children.isEmpty()) {
            return n.slots;
        }
        int s = 0;
        for (Node c : n.children.values()) {
            s += countSlots(c);
        }
        n.slots = s;
        return s;
    }

    /** Negative when {@code a} is the better pick. Saturations compare as fractions without division. */
    private static int spreadOrder(Node a, Node b) {
        int bySaturation = Long.compare((long) a.selected * b.slots, (long) b.selected * a.slots);
        return bySaturation != 0 ? bySaturation : Integer.compare(a.id, b.id);
    }

    private static int packOrder(Node a, Node b) {
        boolean aPartial = a.selected % a.slots != 0;
        boolean bPartial = b.selected % b.slots != 0;
        if (aPartial != bPartial) {
            return aPartial ? -1 : 1;
        }
        int bySaturation = Long.compare((long) a.selected * b.slots, (long) b.selected * a.slots);
        if (bySaturation != 0) {
            return bySaturation;
        }
        if (a.slots != b.slots) {
            return Integer.compare(b.slots, a.slots);
        }
        return Integer.compare(a.id, b.id);
    }
}
