package io.github.jglommio;

import java.util.Objects;

/**
 * Where one executor's thread may run: Glommio's {@code Placement}.
 *
 * {@snippet :
 * LocalExecutorBuilder.create().placement(Placement.fixed(0)).spawn(() -> work());       // one CPU
 * LocalExecutorBuilder.create().placement(Placement.fenced(CpuSet.online()
 *         .filter(l -> l.numaNode() == 0))).spawn(() -> work());                        // a set of CPUs
 * }
 *
 * <p>A bound executor pins its thread with {@code sched_setaffinity} before it allocates its ring and
 * buffers, so the kernel's first-touch policy puts that memory on the executor's NUMA node; on
 * machines with more than one node the thread's memory policy also prefers that node.
 */
public sealed interface Placement permits Placement.Unbound, Placement.Fixed, Placement.Fenced {

    /** Not bound: the OS scheduler may move the executor between CPUs. The default. */
    static Placement unbound() {
        return Unbound.INSTANCE;
    }

    /** Bound to one CPU (as {@code taskset -c cpu}). Checked against the online CPUs when the executor is made. */
    static Placement fixed(int cpu) {
        return new Fixed(cpu);
    }

    /** Bound to a set of CPUs; the OS chooses among them. */
    static Placement fenced(CpuSet cpus) {
        return new Fenced(cpus);
    }

    /** Not bound. */
    enum Unbound implements Placement {
        INSTANCE
    }

    /** Bound to one CPU. */
    record Fixed(int cpu) implements Placement {
        public Fixed {
            if (cpu < 0) {
                throw new IllegalArgumentException("CPU ids are >= 0, got " + cpu);
            }
        }
    }

    /** Bound to a non-empty set of CPUs. */
    record Fenced(CpuSet cpus) implements Placement {
        public Fenced {
            Objects.requireNonNull(cpus, "cpus");
            if (cpus.isEmpty()) {
                throw new IllegalArgumentException("Placement.fenced needs at least one CPU; the CpuSet is empty");
            }
        }
    }
}
