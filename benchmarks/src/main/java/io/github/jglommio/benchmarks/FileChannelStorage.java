package io.github.jglommio.benchmarks;

import com.sun.nio.file.ExtendedOpenOption;
import io.github.jglommio.LatencyHistogram;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;


/**
 * The JDK peers of the {@code storage} suite: one {@link FileChannel} opened with
 * {@link ExtendedOpenOption#DIRECT} (O_DIRECT), shared by N threads that each keep one positional
 * {@code read}/{@code write} (pread/pwrite) in flight, so that N = the queue depth. The threads are
 * platform threads, or virtual threads of the JDK's default scheduler (whose file I/O blocks a
 * carrier, which the scheduler compensates for with extra carriers).
 *
 * <p>Each thread reads or writes through its own direct buffer aligned to 4096 bytes; latencies go
 * to a per-thread LatencyHistogram (microseconds) during the measured window only. Threading: called
 * from one controlling thread, which sleeps through the ramp and the measured window.
 */
final class FileChannelStorage {

    private static final int RAMP = 0;
    private static final int MEASURE = 1;
    private static final int STOP = 2;
    private static final int ALIGNMENT = 4096;
    /** How long a worker may take to notice the stop flag and finish its last I/O. */
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(30);

    /** What the controller and the workers share. */
    private static final class Shared {
        volatile int phase = RAMP;
        /** The next block of a sequential workload. */
        final AtomicLong cursor = new AtomicLong();
    }

    private FileChannelStorage() {
    }

    /**
     * Runs {@code w} on {@code file} ({@code fileSize} bytes) for {@code ramp} unmeasured, then
     * {@code measure} measured.
     *
     * @param virtual true for virtual threads, false for platform threads
     * @throws IOException when the file cannot be opened with O_DIRECT or an I/O fails
     */
    static StorageRun run(Path file, long fileSize, StorageWorkload w, Duration ramp, Duration measure,
                          boolean virtual) throws IOException, InterruptedException {
        try (FileChannel ch = w.isWrite()
                ? FileChannel.open(file, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT)
                : FileChannel.open(file, StandardOpenOption.READ, ExtendedOpenOption.DIRECT)) {
            Shared shared = new Shared();
            long blocks = fileSize / w.blockSize();
            Worker[] workers = new Worker[w.queueDepth()];
            Thread[] threads = new Thread[workers.length];
            Thread.Builder builder = virtual ? Thread.ofVirtual().name("storage-vt-", 0)
                    : Thread.ofPlatform().daemon().name("storage-thread-", 0);
            for (int i = 0; i < workers.length; i++) {
                workers[i] = new Worker(ch, w, blocks, shared, ThreadLocalRandom.current().nextLong());
                threads[i] = builder.start(workers[i]);
            }
            long cpu0;
            long t0;
            long cpu1;
            long t1;
            try {
                Thread.sleep(ramp);
                shared.phase = MEASURE;
                t0 = System.nanoTime();
                cpu0 = ProcessCpu.nanos();
                Thread.sleep(measure);
            } finally {
                shared.phase = STOP;
            }
            t1 = System.nanoTime();
            cpu1 = ProcessCpu.nanos();
            for (Thread t : threads) {
                if (!t.join(JOIN_TIMEOUT)) {
                    throw new IOException("a FileChannel worker did not finish its I/O within " + JOIN_TIMEOUT);
                }
            }
            LatencyHistogram latency = new LatencyHistogram(60_000_000L);
            long ops = 0;
            for (Worker worker : workers) {
                if (worker.failure != null) {
                    throw new IOException("FileChannel " + w.pattern().fioRw + " on " + file + " failed: "
                            + worker.failure, worker.failure);
                }
                latency.add(worker.latencyUs);
                ops += worker.ops;
            }
            double seconds = (t1 - t0) / 1e9;
            double iops = ops / seconds;
            return new StorageRun(iops, iops * w.blockSize() / (1 << 20),
                    latency.valueAtPercentile(50), latency.valueAtPercentile(99),
                    ProcessCpu.usPerOp(cpu0, cpu1, ops));
        }
    }

    /** One thread's loop: one I/O in flight at a time. */
    private static final class Worker implements Runnable {

        private final FileChannel ch;
        private final StorageWorkload w;
        private final long blocks;
        private final Shared shared;
        private final SplittableRandom random;
        final LatencyHistogram latencyUs = new LatencyHistogram(60_000_000L);
        long ops;
        Throwable failure;

        Worker(FileChannel ch, StorageWorkload w, long blocks, Shared shared, long seed) {
            this.ch = ch;
            this.w = w;
            this.blocks = blocks;
            this.shared = shared;
            this.random = new SplittableRandom(seed);
        }

        @Override
        public void run() {
            ByteBuffer buf = ByteBuffer.allocateDirect(w.blockSize() + ALIGNMENT).alignedSlice(ALIGNMENT);
            buf.limit(w.blockSize());
            if (w.isWrite()) {
                byte[] noise = new byte[w.blockSize()];
                random.nextBytes(noise);
                buf.put(noise).flip();
            }
            long bs = w.blockSize();
            try {
                int phase;
                while ((phase = shared.phase) != STOP) {
                    long position = bs * (w.isSequential()
                            ? Math.floorMod(shared.cursor.getAndIncrement(), blocks)
                            : random.nextLong(blocks));
                    buf.clear().limit(w.blockSize());
                    long start = System.nanoTime();
                    int n = w.isWrite() ? ch.write(buf, position) : ch.read(buf, position);
                    long end = System.nanoTime();
                    if (n != w.blockSize()) {
                        throw new IOException("short " + (w.isWrite() ? "write" : "read") + " of " + n + " bytes at "
                                + position);
                    }
                    if (phase == MEASURE) {
                        latencyUs.record(Math.max(1, (end - start) / 1000));
                        ops++;
                    }
                }
            } catch (IOException | RuntimeException e) {
                failure = e;
            }
        }
    }
}
