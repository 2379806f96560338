package io.github.jglommio.benchmarks;

import java.util.Optional;
import java.util.stream.Stream;

/**
 * The implementations the {@code storage} suite compares, in the order a round runs them (reversed
 * every other round).
 */
enum StoragePeer {
    /** fio, {@code --ioengine=io_uring --direct=1}: the reference. */
    FIO("fio", "fio (io_uring)", true),
    /** One executor, N tasks in its default task queue: the way an application would write it. */
    JGLOMMIO("jglommio", "jglommio DmaFile", true),
    /**
     * A probe, off by default: one executor, N tasks each in a task queue of its own, so that the
     * executor polls (submits) after every task's turn: about one SQE per {@code io_uring_enter}, as
     * fio submits. It tells the cost of submitting a loop turn's SQEs as one batch.
     */
    JGLOMMIO_QUEUE_PER_TASK("jglommio-queues", "jglommio, queue per task", false),
    /** {@code FileChannel} with O_DIRECT on N platform threads. */
    FILE_CHANNEL_THREADS("threads", "FileChannel, N threads", true),
    /** {@code FileChannel} with O_DIRECT on N virtual threads of the default scheduler. */
    FILE_CHANNEL_VIRTUAL("virtual", "FileChannel, N virtual thr.", true);

    /** The name {@code --peers} takes. */
    final String optionName;
    final String label;
    /** Whether a run without {@code --peers} includes it. */
    final boolean byDefault;

    StoragePeer(String optionName, String label, boolean byDefault) {
        this.optionName = optionName;
        this.label = label;
        this.byDefault = byDefault;
    }

    static Optional<StoragePeer> named(String optionName) {
        return Stream.of(values()).filter(p -> p.optionName.equals(optionName)).findFirst();
    }
}
