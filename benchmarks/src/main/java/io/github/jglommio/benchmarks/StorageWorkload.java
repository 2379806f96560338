package io.github.jglommio.benchmarks;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One workload of the {@code storage} suite: an access pattern, a block size and a queue depth (the
 * I/Os each peer keeps in flight). Immutable.
 *
 * @param name       the name {@code --workloads} takes, e.g. {@code rand-qd32}
 * @param pattern    random reads, sequential reads or sequential writes
 * @param blockSize  bytes per I/O, a multiple of 4096
 * @param queueDepth I/Os in flight: jglommio tasks, JDK threads, fio's {@code --iodepth}
 */
record StorageWorkload(String name, Pattern pattern, int blockSize, int queueDepth) {

    /** How a workload walks the file. */
    enum Pattern {
        RANDOM_READ("randread", "random read"),
        SEQUENTIAL_READ("read", "sequential read"),
        SEQUENTIAL_WRITE("write", "sequential write");

        /** fio's {@code --rw} value. */
        final String fioRw;
        final String label;

        Pattern(String fioRw, String label) {
            this.fioRw = fioRw;
            this.label = label;
        }
    }

    /** The workloads of a default run, in the order they run and print: reads first, writes last. */
    static final List<StorageWorkload> ALL = List.of(
            new StorageWorkload("rand-qd1", Pattern.RANDOM_READ, 4096, 1),
            new StorageWorkload("rand-qd8", Pattern.RANDOM_READ, 4096, 8),
            new StorageWorkload("rand-qd32", Pattern.RANDOM_READ, 4096, 32),
            new StorageWorkload("rand-qd128", Pattern.RANDOM_READ, 4096, 128),
            new StorageWorkload("seq-read", Pattern.SEQUENTIAL_READ, 128 << 10, 16),
            new StorageWorkload("seq-write", Pattern.SEQUENTIAL_WRITE, 128 << 10, 16));

    StorageWorkload {
        if (blockSize <= 0 || blockSize % 4096 != 0) {
            throw new IllegalArgumentException("block size must be a positive multiple of 4096, got " + blockSize);
        }
        if (queueDepth < 1) {
            throw new IllegalArgumentException("queue depth must be at least 1, got " + queueDepth);
        }
    }

    static Optional<StorageWorkload> named(String name) {
        return ALL.stream().filter(w -> w.name.equals(name)).findFirst();
    }

    boolean isWrite() {
        return pattern == Pattern.SEQUENTIAL_WRITE;
    }

    boolean isSequential() {
        return pattern != Pattern.RANDOM_READ;
    }

    /** e.g. {@code "4 KiB random read QD32"}. */
    String label() {
        return String.format(Locale.ROOT, "%d KiB %s QD%d", blockSize >> 10, pattern.label, queueDepth);
    }
}
