package io.github.jglommio.examples;

import io.github.jglommio.LocalExecutor;
import io.github.jglommio.Task;
import io.github.jglommio.io.BufferedFile;
import io.github.jglommio.io.DmaBuffer;
import io.github.jglommio.io.DmaFile;
import io.github.jglommio.io.ReadResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A storage tour: write a file buffered and direct, scan it, and read 4 KiB blocks at random with
 * many tasks in flight, printing GB/s and IOPS. Size: {@code -Djglommio.storage.mb=256} (default).
 * Figures on a shared VM drift; see {@code ./jglommio bench storage} for interleaved comparisons.
 */
public final class StorageExample {

    private static final int BLOCK = 128 << 10;

    private StorageExample() {
    }

    /** Writes {@code bytes} with {@code writers} concurrent tasks, 128 KiB per write; returns seconds. */
    static double writeDirect(Path path, long bytes, int writers) {
        return LocalExecutor.create().run(() -> {
            long start = System.nanoTime();
            try (DmaFile f = DmaFile.create(path)) {
                long blocks = bytes / BLOCK;
                List<Task<Void>> tasks = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    int first = w;
                    tasks.add(Task.local(() -> {
                        try (DmaBuffer buf = f.allocDmaBuffer(BLOCK)) {
                            buf.segment().fill((byte) 1);
                            for (long b = first; b < blocks; b += writers) {
                                f.writeAt(buf, b * BLOCK);
                            }
                        }
                        return null;
                    }));
                }
                tasks.forEach(Task::join);
                f.fdatasync();
            }
            return (System.nanoTime() - start) / 1e9;
        });
    }

    static double writeBuffered(Path path, long bytes) {
        return LocalExecutor.create().run(() -> {
            long start = System.nanoTime();
            try (BufferedFile f = BufferedFile.create(path)) {
                byte[] block = new byte[BLOCK];
                for (long pos = 0; pos < bytes; pos += BLOCK) {
                    f.writeAt(block, pos);
                }
                f.fdatasync();
            }
            return (System.nanoTime() - start) / 1e9;
        });
    }

    /** Sequential scan with {@code depth} reads in flight; returns seconds. */
    static double scan(Path path, long bytes, int depth) {
        return LocalExecutor.create().run(() -> {
            long start = System.nanoTime();
            try (DmaFile f = DmaFile.openReadOnly(path)) {
                long blocks = bytes / BLOCK;
                List<Task<Long>> tasks = new ArrayList<>();
                for (int d = 0; d < depth; d++) {
                    int first = d;
                    tasks.add(Task.local(() -> {
                        long sum = 0;
                        for (long b = first; b < blocks; b += depth) {
                            try (ReadResult r = f.readAtAligned(b * BLOCK, BLOCK)) {
                                sum += r.len();
                            }
                        }
                        return sum;
                    }));
                }
                long total = 0;
                for (Task<Long> t : tasks) {
                    total += t.join();
                }
                if (total != blocks * BLOCK) {
                    throw new IOException("scan read " + total + " bytes, expected " + blocks * BLOCK);
                }
            }
            return (System.nanoTime() - start) / 1e9;
        });
    }

    /** {@code reads} random 4 KiB reads with {@code depth} in flight; returns IOPS. */
    static double randomRead(Path path, long bytes, int depth, int reads) {
        return LocalExecutor.create().run(() -> {
            try (DmaFile f = DmaFile.openReadOnly(path)) {
                long blocks = bytes / 4096;
                long start = System.nanoTime();
                List<Task<Void>> tasks = new ArrayList<>();
                for (int d = 0; d < depth; d++) {
                    long seed = d;
                    tasks.add(Task.local(() -> {
                        SplittableRandom rnd = new SplittableRandom(seed);
                        for (int i = 0; i < reads / depth; i++) {
                            f.readAtAligned(rnd.nextLong(blocks) * 4096, 4096).close();
                        }
                        return null;
                    }));
                }
                tasks.forEach(Task::join);
                return (reads / depth * depth) / ((System.nanoTime() - start) / 1e9);
            }
        });
    }

    public static void main(String[] args) throws Exception {
        long mb = Long.getLong("jglommio.storage.mb", 256);
        long bytes = mb << 20;
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("jglommio.dataDir", ".")), "jglommio-storage");
        Path direct = dir.resolve("direct.dat");
        Path buffered = dir.resolve("buffered.dat");
        try {
            System.out.printf("file size %d MiB in %s%n", mb, dir);
            double wb = writeBuffered(buffered, bytes);
            System.out.printf("  buffered write (128 KiB, then fdatasync):       %6.2f GB/s%n", bytes / wb / 1e9);
            double wd = writeDirect(direct, bytes, 16);
            System.out.printf("  direct write (128 KiB, 16 in flight, fdatasync): %6.2f GB/s%n", bytes / wd / 1e9);
            double sc = scan(direct, bytes, 16);
            System.out.printf("  direct scan (128 KiB, 16 in flight):            %6.2f GB/s%n", bytes / sc / 1e9);
            for (int depth : new int[] {1, 32}) {
                double iops = randomRead(direct, bytes, depth, depth == 1 ? 5_000 : 50_000);
                System.out.printf("  direct random 4 KiB reads, QD%-3d                 %,8.0f IOPS%n", depth, iops);
            }
            System.out.println("  (the disk's figures, higher is better; QD = reads in flight. They depend on the"
                    + " disk and move a lot on a VM: ./jglommio bench storage runs fio beside jglommio for a yardstick)");
        } finally {
            Files.deleteIfExists(direct);
            Files.deleteIfExists(buffered);
            Files.deleteIfExists(dir);
        }
    }
}
