package io.github.jglommio.benchmarks;

import io.github.jglommio.ExecutorStats;
import io.github.jglommio.IoLatencies;
import io.github.jglommio.Latency;
import io.github.jglommio.LatencyHistogram;
import io.github.jglommio.LocalExecutor;
import io.github.jglommio.LocalExecutorBuilder;
import io.github.jglommio.Shares;
import io.github.jglommio.Task;
import io.github.jglommio.io.DmaBuffer;
import io.github.jglommio.io.DmaFile;
import io.github.jglommio.io.ReadResult;
import io.github.jglommio.timer.Timer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;


/**
 * The jglommio side of the {@code storage} suite: one executor on the calling thread, N tasks that
 * each issue synchronous-looking {@link DmaFile#readAtAligned} or {@link DmaFile#writeAt} calls in a
 * loop, so that N I/Os are in flight (each task parks on its I/O, and the executor submits the SQEs
 * of a loop turn with one {@code io_uring_enter}). Latencies come from the executor's own histograms
 * ({@code recordIoLatencies(true)}, {@link LocalExecutor#ioLatencies()}).
 *
 * <p>Threading: each call makes and runs its own executor on the calling platform thread.
 */
final class JglommioStorage {

    /** The ring depth at least, and twice the queue depth for deeper queues. */
    private static final int RING_DEPTH_MIN = 256;
    private static final int CREATE_BLOCK = 128 << 10;
    private static final int CREATE_DEPTH = 16;

    /** The figures of a run, with the executor's loop counters over the measured window. */
    record Result(StorageRun run, ExecutorStats window) {
    }

    /** State the tasks of one executor share; they all run on its thread. */
    private static final class Shared {
        volatile boolean stop;
        long ops;
        long nextBlock;
    }

    private JglommioStorage() {
    }

    /**
     * Writes a {@code bytes}-byte file of random content with O_DIRECT (128 KiB writes, 16 in
     * flight), then {@code fdatasync}s it. Real data, not a sparse or fallocated file: reads of
     * unwritten extents would never reach the disk.
     *
     * @throws IOException when the file system refuses O_DIRECT, or an I/O fails
     */
    static void createDataFile(Path file, long bytes) {
        LocalExecutorBuilder.create().name("storage-create").ringDepth(RING_DEPTH_MIN).make().run(() -> {
            try (DmaFile f = DmaFile.create(file)) {
                requireDirect(f);
                long blocks = bytes / CREATE_BLOCK;
                List<Task<Void>> tasks = new ArrayList<>();
                for (int t = 0; t < CREATE_DEPTH; t++) {
                    int first = t;
                    tasks.add(Task.local(() -> {
                        try (DmaBuffer buf = f.allocDmaBuffer(CREATE_BLOCK)) {
                            fillRandom(buf, first);
                            for (long b = first; b < blocks; b += CREATE_DEPTH) {
                                f.writeAt(buf, b * CREATE_BLOCK);
                            }
                        }
                        return null;
                    }));
                }
                tasks.forEach(Task::join);
                f.fdatasync();
            }
            return null;
        });
    }

    /**
     * Runs {@code w} on {@code file} ({@code fileSize} bytes) for {@code ramp} unmeasured, then
     * {@code measure} measured.
     *
     * @param ioMemory     bytes of registered buffer memory for the executor (0: none)
     * @param queuePerTask false: the N tasks share the default task queue (one batch of SQEs per loop
     *                     turn); true: each task gets a task queue of its own, so the executor submits
     *                     after each task's turn (the {@link StoragePeer#JGLOMMIO_QUEUE_PER_TASK} probe)
     */
    static Result run(Path file, long fileSize, StorageWorkload w, Duration ramp, Duration measure, long ioMemory,
                      boolean queuePerTask) {
        LocalExecutor executor = LocalExecutorBuilder.create()
                .name("storage-" + w.name())
                .ringDepth(Math.max(RING_DEPTH_MIN, 2 * w.queueDepth()))
                .ioMemory(ioMemory)
                .recordIoLatencies(true)
                .make();
        return executor.run(() -> measure(file, fileSize, w, ramp, measure, queuePerTask));
    }

    private static Result measure(Path file, long fileSize, StorageWorkload w, Duration ramp, Duration measure,
                                  boolean queuePerTask) throws IOException {
        try (DmaFile f = w.isWrite() ? DmaFile.open(file) : DmaFile.openReadOnly(file)) {
            requireDirect(f);
            if (w.blockSize() % f.alignment() != 0) {
                throw new IOException(file + ": block size " + w.blockSize() + " is not a multiple of the direct-I/O "
                        + "alignment " + f.alignment());
            }
            Shared shared = new Shared();
            long blocks = fileSize / w.blockSize();
            List<Task<Void>> tasks = new ArrayList<>(w.queueDepth());
            LocalExecutor executor = LocalExecutor.current();
            for (int i = 0; i < w.queueDepth(); i++) {
                long seed = System.nanoTime() + i;
                Callable<Void> body = () -> {
                    worker(f, w, blocks, shared, seed);
                    return null;
                };
                tasks.add(queuePerTask
                        ? Task.localInto(body, executor.createTaskQueue(Shares.of(100), Latency.notImportant(), "io-" + i))
                        : Task.local(body));
            }
            IoLatencies lat0;
            IoLatencies lat1;
            ExecutorStats stats0;
            ExecutorStats stats1;
            long ops;
            long cpu0;
            long cpu1;
            long t0;
            long t1;
            try {
                Timer.sleep(ramp);
                lat0 = executor.ioLatencies().orElseThrow();
                stats0 = executor.stats();
                ops = shared.ops;
                cpu0 = ProcessCpu.nanos();
                t0 = System.nanoTime();
                Timer.sleep(measure);
                t1 = System.nanoTime();
                cpu1 = ProcessCpu.nanos();
                ops = shared.ops - ops;
                stats1 = executor.stats();
                lat1 = executor.ioLatencies().orElseThrow();
            } finally {
                shared.stop = true;
            }
            for (Task<Void> t : tasks) {
                t.join();
            }
            LatencyHistogram latency = w.isWrite() ? lat1.writes() : lat1.reads();
            latency.subtract(w.isWrite() ? lat0.writes() : lat0.reads());
            double iops = ops / ((t1 - t0) / 1e9);
            StorageRun run = new StorageRun(iops, iops * w.blockSize() / (1 << 20),
                    latency.valueAtPercentile(50), latency.valueAtPercentile(99),
                    ProcessCpu.usPerOp(cpu0, cpu1, ops));
            return new Result(run, stats1.delta(stats0));
        }
    }

    /** One task's loop: one I/O in flight at a time. */
    private static void worker(DmaFile f, StorageWorkload w, long blocks, Shared shared, long seed)
            throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        int bs = w.blockSize();
        if (w.isWrite()) {
            try (DmaBuffer buf = f.allocDmaBuffer(bs)) {
                fillRandom(buf, seed);
                while (!shared.stop) {
                    long block = shared.nextBlock++;
                    int n = f.writeAt(buf, bs * Math.floorMod(block, blocks));
                    if (n != bs) {
                        throw new IOException("short write of " + n + " bytes");
                    }
                    shared.ops++;
                }
            }
            return;
        }
        while (!shared.stop) {
            long block = w.isSequential() ? Math.floorMod(shared.nextBlock++, blocks) : random.nextLong(blocks);
            try (ReadResult r = f.readAtAligned(bs * block, bs)) {
                if (r.len() != bs) {
                    throw new IOException("short read of " + r.len() + " bytes at " + bs * block);
                }
            }
            shared.ops++;
        }
    }

    private static void fillRandom(DmaBuffer buf, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] noise = new byte[buf.size()];
        random.nextBytes(noise);
        buf.asByteBuffer().put(noise);
    }

    private static void requireDirect(DmaFile f) throws IOException {
        if (!f.isDirect()) {
            throw new IOException(f + ": the file system refused O_DIRECT; the storage suite measures direct I/O "
                    + "only (choose another --dir)");
        }
    }
}
