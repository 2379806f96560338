package io.github.jglommio;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * How a pool of executors is spread over CPUs: Glommio's {@code PoolPlacement}.
 *
 * <ul>
 *   <li>{@link #unbound(int) unbound(n)}: n executors, none pinned;</li>
 *   <li>{@link #fenced(int, CpuSet) fenced(n, cpus)}: n executors, each allowed on all of {@code cpus};</li>
 *   <li>{@link #maxSpread(int) maxSpread(n[, cpus])}: n executors, each pinned to its own CPU, chosen to be
 *       as far apart as possible: across NUMA nodes first, then packages, cores, and SMT siblings last;</li>
 *   <li>{@link #maxPack(int) maxPack(n[, cpus])}: n executors, each pinned to its own CPU, chosen to be as
 *       close as possible: SMT siblings first, filling a core, then a package, then a node;</li>
 *   <li>{@link #custom(List) custom(sets)}: one executor per set, fenced to it.</li>
 * </ul>
 *
 * <p>Selection is deterministic: among equally good candidates the lowest id wins. Immutable.
 */
public sealed interface PoolPlacement {

    /** The number of executors this placement creates. */
    int executorCount();

    /** Assigns one {@link Placement} per executor, using {@code online} as the machine's CPUs. */
    List<Placement> assign(CpuSet online);

    static PoolPlacement unbound(int executors) {
        return new Unbound(executors);
    }

    static PoolPlacement fenced(int executors, CpuSet cpus) {
        return new Fenced(executors, cpus);
    }

    static PoolPlacement maxSpread(int executors) {
        return new MaxSpread(executors, null);
    }

    static PoolPlacement maxSpread(int executors, CpuSet cpus) {
        return new MaxSpread(executors, Objects.requireNonNull(cpus, "cpus"));
    }

    static PoolPlacement maxPack(int executors) {
        return new MaxPack(executors, null);
    }

    static PoolPlacement maxPack(int executors, CpuSet cpus) {
        return new MaxPack(executors, Objects.requireNonNull(cpus, "cpus"));
    }

    static PoolPlacement custom(List<CpuSet> sets) {
        return new Custom(sets);
    }

    private static void checkCount(int executors) {
        if (executors < 1) {
            throw new IllegalArgumentException("a pool needs at least one executor, got " + executors);
        }
    }

    /** {@code cpus} restricted to {@code online}, failing if it names an offline CPU. */
    private static CpuSet onlineSubset(CpuSet cpus, CpuSet online) {
        CpuSet offline = cpus.difference(online);
        if (!offline.isEmpty()) {
            throw new IllegalArgumentException("CPU(s) " + offline + " are not online; online CPUs: " + online);
        }
        return online.intersection(cpus);
    }

    /** One CPU per executor from {@code cpus} (all of {@code online} when null), spread or packed. */
    private static List<Placement> selectFrom(CpuSet cpus, CpuSet online, int executors, boolean pack, String policy) {
        return PlacementTree.select(cpus == null ? online : onlineSubset(cpus, online), executors, pack, policy);
    }

    /** n unpinned executors. */
    record Unbound(int executors) implements PoolPlacement {
        public Unbound {
            checkCount(executors);
        }

        @Override
        public int executorCount() {
            return executors;
        }

        @Override
        public List<Placement> assign(CpuSet online) {
            return Collections.nCopies(executors, Placement.unbound());
        }
    }

    /** n executors sharing a set of CPUs. */
    record Fenced(int executors, CpuSet cpus) implements PoolPlacement {
        public Fenced {
            checkCount(executors);
            Objects.requireNonNull(cpus, "cpus");
            if (cpus.isEmpty()) {
                throw new IllegalArgumentException("PoolPlacement.fenced needs at least one CPU; the CpuSet is empty");
            }
        }

        @Override
        public int executorCount() {
            return executors;
        }

        @Override
        public List<Placement> assign(CpuSet online) {
            return Collections.nCopies(executors, Placement.fenced(onlineSubset(cpus, online)));
        }
    }

    /** n executors on CPUs as far apart as possible. */
    record MaxSpread(int executors, CpuSet cpus) implements PoolPlacement {
        public MaxSpread {
            checkCount(executors);
        }

        @Override
        public int executorCount() {
            return executors;
        }

        @Override
        public List<Placement> assign(CpuSet online) {
            return selectFrom(cpus, online, executors, false, "maxSpread");
        }
    }

    /** n executors on CPUs as close together as possible. */
    record MaxPack(int executors, CpuSet cpus) implements PoolPlacement {
        public MaxPack {
            checkCount(executors);
        }

        @Override
        public int executorCount() {
            return executors;
        }

        @Override
        public List<Placement> assign(CpuSet online) {
            return selectFrom(cpus, online, executors, true, "maxPack");
        }
    }

    /** One executor per given set. */
    record Custom(List<CpuSet> sets) implements PoolPlacement {
        public Custom {
            sets = List.copyOf(Objects.requireNonNull(sets, "sets"));
            checkCount(sets.size());
            for (int i = 0; i < sets.size(); i++) {
                if (sets.get(i).isEmpty()) {
                    throw new IllegalArgumentException("PoolPlacement.custom: CpuSet #" + i + " is empty");
                }
            }
        }

        @Override
        public int executorCount() {
            return sets.size();
        }

        @Override
        public List<Placement> assign(CpuSet online) {
            List<Placement> l = new ArrayList<>();
            for (CpuSet s : sets) {
                l.add(Placement.fenced(onlineSubset(s, online)));
            }
            return l;
        }
    }
}
