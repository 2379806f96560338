package io.github.jglommio.io;

import io.github.jglommio.IoStats;
import io.github.jglommio.LocalExecutor;
import io.github.jglommio.LocalExecutorBuilder;
import io.github.jglommio.Task;
import io.github.jglommio.timer.Timer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DmaFileTest {

    @TempDir
    Path dir;

    static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Runs {@code body} in a fresh executor. */
    static <T> T onExecutor(java.util.concurrent.Callable<T> body) {
        return LocalExecutor.create().run(body);
    }

    @Test
    void shouldWriteAndReadBackTheGuidesExample() {
        Path p = dir.resolve("test.dat");
        onExecutor(() -> {
            try (DmaFile file = DmaFile.create(p)) {
                assertTrue(file.isDirect(), "ext4 supports O_DIRECT");
                assertTrue(file.alignment() >= 512, "alignment " + file.alignment());
                DmaBuffer buf = file.allocDmaBuffer(4096);
                buf.segment().fill((byte) 7);
                assertEquals(4096, file.writeAt(buf, 0));
                buf.close();
                try (ReadResult r = file.readAt(0, 4096)) {
                    assertEquals(4096, r.len());
                    assertEquals(7, r.get(0));
                    assertEquals(7, r.get(4095));
                }
                file.fdatasync();
                assertEquals(4096, file.fileSize());
            }
            return null;
        });
        assertEquals(4096, p.toFile().length());
    }

    @Test
    void shouldReadUnalignedRangesAsSlicesOfTheAlignedSuperset() {
        byte[] data = pattern(3 * 4096, 1);
        Path p = dir.resolve("unaligned");
        onExecutor(() -> {
            try (DmaFile f = DmaFile.create(p)) {
                assertEquals(data.length, f.writeAt(data, 0));
                for (int[] range : new int[][] {{1, 10}, {4095, 2}, {100, 8000}, {0, 1}, {12287, 1}, {5000, 4096}}) {
                    try (ReadResult r = f.readAt(range[0], range[1])) {
                        assertEquals(range[1], r.len());
                        assertArrayEquals(java.util.Arrays.copyOfRange(data, range[0], range[0] + range[1]), r.toArray(),
                                "range " + range[0] + "+" + range[1]);
                    }
                }
            }
            return null;
        });
    }

    @Test
    void shouldReturnShortReadsAtEndOfFile() {
        Path p = dir.resolve("eof");
        onExecutor(() -> {
            try (DmaFile f = DmaFile.create(p)) {
                f.writeAt(pattern(4096, 2), 0);
                f.truncate(5000); // size not a multiple of the alignment
                try (ReadResult r = f.readAt(4000, 2000)) {
                    assertEquals(1000, r.len());
                }
                try (ReadResult r = f.readAt(5000, 100)) {
                    assertTrue(r.isEmpty());
                }
                try (ReadResult r = f.readAt(1 << 20, 100)) {
                    assertEquals(0, r.len());
                }
                try (ReadResult r = f.readAtAligned(4096, 4096)) {
                    assertEquals(904, r.len());
                }
            }
            return null;
        });
    }

    @Test
    void shouldRejectMisalignedWritesNamingTheAlignment() {
        Path p = dir.resolve("misaligned");
        onExecutor(() -> {
            try (DmaFile f = DmaFile.create(p)) {
                DmaBuffer buf = f.allocDmaBuffer(4096);
                IllegalArgumentException pos = assertThrows(IllegalArgumentException.class, () -> f.writeAt(buf, 100));
                assertTrue(pos.getMessage().contains("must be multiples of " + f.alignment() + " bytes"), pos.getMessage());
                IllegalArgumentException len = assertThrows(IllegalArgumentException.class,
                        () -> f.writeAt(buf, 0, 100, 0));
                assertTrue(len.getMessage().contains("length 100"), len.getMessage());
                assertThrows(IllegalArgumentException.class, () -> f.readAtAligned(1, 4096));
                assertThrows(IllegalArgumentException.class, () -> f.readAt(-1, 10));
                assertThrows(IndexOutOfBoundsException.class, () -> f.writeAt(buf, 0, 8192, 0));
                buf.close();
            }
            return null;
        });
    }

    @Test
    void shouldReportMissingFilesWithErrnoAndPath() {
        Path missing = dir.resolve("nope/missing.db");
        NoSuchFileException e = onExecutor(() -> assertThrows(NoSuchFileException.class, () -> DmaFile.open(missing)));
        assertEquals("openat(" + missing + ") failed: ENOENT (No such file or directory)", e.getMessage());
    }

    @Test
    void shouldFailCreateNewOnAnExistingFile() throws IOException {
        Path p = Files.writeString(dir.resolve("exists"), "x");
        FileAlreadyExistsException e = onExecutor(() -> assertThrows(FileAlreadyExistsException.class,
                () -> new OpenOptions().write(true).createNew(true).dmaOpen(p)));
        assertTrue(e.getMessage().contains("EEXIST"), e.getMessage());
    }

    @Test
    void shouldThrowClosedChannelAfterClose() {
        Path p = dir.resolve("closed");
        onExecutor(() -> {
            DmaFile f = DmaFile.create(p);
            f.close();
            f.close(); // idempotent
            assertFalse(f.isOpen());
            assertThrows(ClosedChannelException.class, () -> f.readAt(0, 10));
            assertThrows(ClosedChannelException.class, f::fdatasync);
            assertThrows(ClosedChannelException.class, () -> f.writeAt(new byte[512], 0));
            return null;
        });
    }

    @Test
    void shouldRefuseUseFromAnotherExecutor() {
        Path p = dir.resolve("foreign");
        DmaFile[] f = new DmaFile[1];
        onExecutor(() -> {
            f[0] = DmaFile.create(p);
            return null;
        });
        onExecutor(() -> assertThrows(WrongThreadException.class, () -> f[0].readAt(0, 1)));
    }

    @Test
    void shouldManageSpaceSizeNameAndMetadata() throws IOException {
        Path p = dir.resolve("meta");
        Path renamed = dir.resolve("meta2");
        onExecutor(() -> {
            try (DmaFile f = DmaFile.create(p)) {
                f.preAllocate(1 << 20);
                assertEquals(1 << 20, f.fileSize());
                FileStat st = f.stat();
                assertTrue(st.isRegularFile());
                assertTrue(st.allocatedBytes() >= 1 << 20, "allocated " + st.allocatedBytes());
                f.preAllocate(2 << 20, true);
                assertEquals(1 << 20, f.fileSize(), "keepSize leaves the size alone");
                f.writeAt(pattern(8192, 3), 0);
                f.deallocate(0, 4096);
                try (ReadResult r = f.readAt(0, 4096)) {
                    assertEquals(0, r.get(0), "a punched hole reads as zeros");
                    assertEquals(0, r.get(4095));
                }
                f.truncate(12288);
                assertEquals(12288, f.fileSize());
                f.rename(renamed);
                assertEquals(renamed, f.path());
                f.fsync();
            }
            try (DmaFile f = DmaFile.open(renamed)) {
                assertEquals(12288, f.fileSize());
                f.remove();
                assertEquals(12288, f.fileSize(), "a removed file stays readable while open");
            }
            return null;
        });
        assertFalse(Files.exists(p));
        assertFalse(Files.exists(renamed));
    }

    @Test
    void shouldCopyFileRanges() {
        byte[] data = pattern(64 * 1024, 4);
        onExecutor(() -> {
            try (DmaFile src = DmaFile.create(dir.resolve("src")); DmaFile dst = DmaFile.create(dir.resolve("dst"))) {
                src.writeAt(data, 0);
                assertEquals(data.length, dst.copyFileRange(src, 0, data.length, 4096));
                try (ReadResult r = dst.readAt(4096, data.length)) {
                    assertArrayEquals(data, r.toArray());
                }
            }
            return null;
        });
    }

    @Test
    void shouldMergeReadManyRequests() {
        byte[] data = pattern(256 * 1024, 5);
        onExecutor(() -> {
            try (DmaFile f = DmaFile.create(dir.resolve("many"))) {
                f.writeAt(data, 0);
                List<DmaFile.ReadRequest> reqs = List.of(new DmaFile.ReadRequest(200_000, 100),
                        new DmaFile.ReadRequest(10, 20), new DmaFile.ReadRequest(100, 5000),
                        new DmaFile.ReadRequest(250_000, 6144), new DmaFile.ReadRequest(4096, 4096));
                IoStats before = LocalExecutor.current().ioStats();
                List<ReadResult> results = f.readMany(reqs);
                IoStats d = LocalExecutor.current().ioStats().delta(before);
                assertEquals(reqs.size(), results.size());
                for (int i = 0; i < reqs.size(); i++) {
                    DmaFile.ReadRequest rq = reqs.get(i);
                    int expected = (int) Math.min(rq.length(), data.length - rq.position());
                    assertArrayEquals(java.util.Arrays.copyOfRange(data, (int) rq.position(), (int) rq.position() + expected),
                            results.get(i).toArray(), "request " + i);
                    results.get(i).close();
                }
                // [10..30), [100..5100), [4096..8192) merge into one read; 200000 and 250000 stay apart.
                assertEquals(3, d.fileReads(), "merged reads: " + d.fileReads());
            }
            return null;
        });
    }

    @Test
    void shouldServeConcurrentReaders() {
        byte[] data = pattern(1 << 20, 6);
        onExecutor(() -> {
            try (DmaFile f = DmaFile.create(dir.resolve("concurrent"))) {
                f.writeAt(data, 0);
                List<Task<Boolean>> readers = new ArrayList<>();
                for (int t = 0; t < 32; t++) {
                    int seed = t;
                    readers.add(Task.local(() -> {
                        Random rnd = new Random(seed);
                        for (int i = 0; i < 50; i++) {
                            int pos = rnd.nextInt(data.length - 5000);
                            int len = 1 + rnd.nextInt(5000);
                            try (ReadResult r = f.readAt(pos, len)) {
                                if (!java.util.Arrays.equals(r.toArray(),
                                        java.util.Arrays.copyOfRange(data, pos, pos + len))) {
                                    return false;
                                }
                            }
                        }
                        return true;
                    }));
                }
                for (Task<Boolean> t : readers) {
                    assertTrue(t.join());
                }
            }
            return null;
        });
    }

    @Test
    void shouldCountDirectIoInStats() {
        IoStats d = new LocalExecutorBuilder().recordIoLatencies(true).make().run(() -> {
            IoStats before = LocalExecutor.current().ioStats();
            try (DmaFile f = DmaFile.create(dir.resolve("stats"))) {
                f.writeAt(new byte[8192], 0);
                f.readAt(0, 8192).close();
                f.fdatasync();
            }
            var lat = LocalExecutor.current().ioLatencies().orElseThrow();
            assertEquals(1, lat.reads().count());
            assertEquals(1, lat.writes().count());
            return LocalExecutor.current().ioStats().delta(before);
        });
        assertEquals(1, d.fileWrites());
        assertEquals(8192, d.fileWriteBytes());
        assertEquals(1, d.directWrites());
        assertEquals(1, d.fileReads());
        assertEquals(8192, d.fileReadBytes());
        assertEquals(1, d.directReads());
        assertEquals(1, d.fileSyncs());
    }

    @Test
    void shouldUseRegisteredBuffersWhenIoMemoryFits() {
        byte[] data = pattern(8192, 7);
        onExecutorWithIoMemory(() -> {
            try (DmaFile f = DmaFile.create(dir.resolve("fixed"))) {
                assertEquals(8192, f.writeAt(data, 0));
                try (ReadResult r = f.readAt(0, 8192)) {
                    assertArrayEquals(data, r.toArray());
                }
            }
            return null;
        });
    }

    static <T> T onExecutorWithIoMemory(java.util.concurrent.Callable<T> body) {
        return new LocalExecutorBuilder().ioMemory(1 << 20).make().run(body);
    }

    @Test
    void shouldCancelAParkedReaderWithoutLeaking() {
        // A read parked on an io_uring op that never completes would need a FIFO; cancel a task parked
        // between reads instead, and check the executor ends with nothing in flight.
        onExecutor(() -> {
            try (DmaFile f = DmaFile.create(dir.resolve("cancel"))) {
                f.writeAt(new byte[4096], 0);
                Task<Void> reader = Task.local(() -> {
                    while (true) {
                        f.readAt(0, 4096).close();
                        Timer.sleep(Duration.ofMillis(1));
                    }
                });
                Timer.sleep(Duration.ofMillis(10));
                reader.cancel();
                assertThrows(java.util.concurrent.CancellationException.class, reader::join);
                assertEquals(0, io.github.jglommio.reactor.Reactor.current().operationsInUse(),
                        "no operation slot (and so no buffer) is still held");
                // The ASYNC_CANCEL's own completion may still be on its way; it drains promptly.
                for (int i = 0; i < 100 && LocalExecutor.current().ioStats().inflight() > 1; i++) {
                    Timer.sleep(Duration.ofMillis(1));
                }
                assertEquals(1, LocalExecutor.current().ioStats().inflight(),
                        "only the executor's own eventfd read is in flight");
            }
            return null;
        });
    }
}
