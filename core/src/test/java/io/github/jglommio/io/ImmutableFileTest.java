package io.github.jglommio.io;

import io.github.jglommio.IoStats;
import io.github.jglommio.LocalExecutor;
import io.github.jglommio.Task;
import io.github.jglommio.reactor.IoBuffer;
import io.github.jglommio.reactor.Reactor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.ClosedChannelException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class ImmutableFileTest {

    @TempDir
    Path dir;

    static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static <T> T onExecutor(Callable<T> body) {
        return LocalExecutor.create().run(body);
    }

    /** Writes {@code data} through a sink in uneven pieces and seals it. */
    static ImmutableFile writeSealed(Path p, byte[] data, int bufferSize, int concurrency) throws IOException {
        ImmutableFilePreSealSink sink = new ImmutableFileBuilder(p).withBufferSize(bufferSize)
                .withSequentialConcurrency(concurrency).buildSink();
        Random rnd = new Random(7);
        int off = 0;
        while (off < data.length) {
            int n = Math.min(data.length - off, 1 + rnd.nextInt(3 * bufferSize));
            sink.write(data, off, n);
            off += n;
            assertEquals(off, sink.currentPosition());
        }
        return sink.seal();
    }

    @Test
    void shouldWriteSealAndReadBack() throws IOException {
        byte[] data = pattern(100_003, 1);
        Path p = dir.resolve("sealed");
        onExecutor(() -> {
            try (ImmutableFile f = writeSealed(p, data, 8192, 3)) {
                assertTrue(f.isDirect(), "ext4 supports O_DIRECT");
                assertEquals(data.length, f.fileSize());
                assertEquals(p, f.path());
                for (int[] range : new int[][] {{0, 1}, {1, 10}, {4095, 2}, {8191, 8194}, {100_000, 3}, {0, 100_003}}) {
                    try (ReadResult r = f.readAt(range[0], range[1])) {
                        assertArrayEquals(Arrays.copyOfRange(data, range[0], range[0] + range[1]), r.toArray(),
                                "range " + range[0] + "+" + range[1]);
                    }
                }
                try (InputStream in = f.inputStream()) {
                    assertArrayEquals(data, in.readAllBytes());
                }
                try (DmaStreamReader reader = f.streamReader().withStartPosition(5).build()) {
                    assertArrayEquals(Arrays.copyOfRange(data, 5, data.length), reader.inputStream().readAllBytes());
                }
                assertTrue(f.isOpen(), "closing a stream reader leaves the immutable file open");
                try (ReadResult r = f.readAt(7, 3)) {
                    assertArrayEquals(Arrays.copyOfRange(data, 7, 10), r.toArray());
                }
            }
            return null;
        });
        assertEquals(data.length, Files.size(p), "the alignment padding is trimmed off at seal");
        assertArrayEquals(data, Files.readAllBytes(p));
    }

    @Test
    void shouldClipReadsAtTheEndOfTheFile() {
        byte[] data = pattern(5000, 2);
        onExecutor(() -> {
            try (ImmutableFile f = writeSealed(dir.resolve("eof"), data, 4096, 2)) {
                try (ReadResult r = f.readAt(4990, 100)) {
                    assertArrayEquals(Arrays.copyOfRange(data, 4990, 5000), r.toArray());
                }
                try (ReadResult r = f.readAt(5000, 100)) {
                    assertTrue(r.isEmpty());
                }
                try (ReadResult r = f.readAt(1 << 20, 100)) {
                    assertTrue(r.isEmpty());
                }
                try (ReadResult r = f.readAt(10, 0)) {
                    assertTrue(r.isEmpty());
                }
            }
            return null;
        });
    }

    @Test
    void shouldShareOneKernelReadAmongConcurrentReadersOfTheSameRange() {
        byte[] data = pattern(64 << 10, 3);
        onExecutor(() -> {
            try (ImmutableFile f = writeSealed(dir.resolve("dedup"), data, 16 << 10, 2)) {
                int align = f.alignment();
                IoStats before = LocalExecutor.current().ioStats();
                List<Task<ReadResult>> readers = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    int pos = 8192 + 3 * i; // same aligned range for every reader, different slices of it
                    readers.add(Task.local(() -> f.readAt(pos, 100)));
                }
                List<ReadResult> results = new ArrayList<>();
                for (Task<ReadResult> t : readers) {
                    results.add(t.join());
                }
                IoStats d = LocalExecutor.current().ioStats().delta(before);
                assertTrue(d.dedupedReads() > 0, "deduped " + d);
                assertTrue(d.fileReads() < 20, "kernel reads " + d);
                assertEquals(20, d.fileReads() + d.dedupedReads(), "every request is either read or shared: " + d);
                assertEquals(100 * d.dedupedReads(), d.dedupedReadBytes());
                assertEquals(0, f.readsInFlight());

                long base = -1;
                for (int i = 0; i < 20; i++) {
                    ReadResult r = results.get(i);
                    int pos = 8192 + 3 * i;
                    assertArrayEquals(Arrays.copyOfRange(data, pos, pos + 100), r.toArray(), "reader " + i);
                    if (d.fileReads() == 1) {
                        // One kernel read: every result is a view of the same pooled buffer.
                        long b = r.segment().address() - (pos - pos / align * align);
                        assertTrue(base == -1 || base == b, "reader " + i + " has a buffer of its own");
                        base = b;
                    }
                }
                if (base != -1) {
                    // The shared buffer goes back to the pool only when the last result is closed.
                    for (int i = 0; i < 19; i++) {
                        results.get(i).close();
                    }
                    IoBuffer probe = Reactor.current().buffers().allocate(align);
                    assertNotEquals(base, probe.memory().address(), "released while a result still uses it");
                    probe.release();
                    results.get(19).close();
                    probe = Reactor.current().buffers().allocate(align);
                    assertEquals(base, probe.memory().address(), "the shared buffer was not released");
                    probe.release();
                } else {
                    results.forEach(ReadResult::close);
                }
            }
            return null;
        });
    }

    @Test
    void shouldShareAReadContainingALaterRequest() {
        byte[] data = pattern(64 << 10, 4);
        onExecutor(() -> {
            try (ImmutableFile f = writeSealed(dir.resolve("contained"), data, 16 << 10, 2)) {
                IoStats before = LocalExecutor.current().ioStats();
                Task<ReadResult> big = Task.local(() -> f.readAt(0, 32 << 10));
                Task<ReadResult> small = Task.local(() -> f.readAt(20_000, 500));
                try (ReadResult b = big.join(); ReadResult s = small.join()) {
                    assertArrayEquals(Arrays.copyOfRange(data, 0, 32 << 10), b.toArray());
                    assertArrayEquals(Arrays.copyOfRange(data, 20_000, 20_500), s.toArray());
                }
                IoStats d = LocalExecutor.current().ioStats().delta(before);
                assertEquals(1, d.fileReads(), "the small read lies inside the big one in flight: " + d);
                assertEquals(1, d.dedupedReads());
            }
            return null;
        });
    }

    @Test
    void shouldNotShareReadsThatAreNotInFlightTogether() {
        byte[] data = pattern(8192, 5);
        onExecutor(() -> {
            try (ImmutableFile f = writeSealed(dir.resolve("sequential"), data, 4096, 1)) {
                IoStats before = LocalExecutor.current().ioStats();
                f.readAt(0, 100).close();
                f.readAt(0, 100).close();
                IoStats d = LocalExecutor.current().ioStats().delta(before);
                assertEquals(2, d.fileReads(), d.toString());
                assertEquals(0, d.dedupedReads());
            }
            return null;
        });
    }

    @Test
    void shouldServeWaitersWhenTheLeaderIsCancelled() {
        byte[] data = pattern(64 << 10, 6);
        onExecutor(() -> {
            try (ImmutableFile f = writeSealed(dir.resolve("cancel"), data, 16 << 10, 2)) {
                Task<ReadResult> leader = Task.local(() -> f.readAt(0, 16 << 10));
                Task<ReadResult> waiter = Task.local(() -> f.readAt(100, 200));
                Thread.yield(); // let both start: the leader's read is in the kernel, the waiter waits for it
                leader.cancel();
                try (ReadResult r = waiter.join()) {
                    assertArrayEquals(Arrays.copyOfRange(data, 100, 300), r.toArray());
                }
                try (ReadResult r = leader.join()) {
                    assertEquals(16 << 10, r.len(), "the read finished before the cancellation reached it");
                } catch (CancellationException e) {
                    // the kernel cancelled the leader's read: the waiter read again on its own
                }
                assertEquals(0, f.readsInFlight());
            }
            return null;
        });
    }

    @Test
    void shouldHandNoResultToWaitersOfAFailedRead() {
        onExecutor(() -> {
            ReadDedup dedup = new ReadDedup();
            ReadDedup.InFlight f = dedup.register(0, 4096);
            assertEquals(f, dedup.find(512, 1024));
            assertNull(dedup.find(0, 8192), "a read does not contain a longer one");
            Task<ReadResult> waiter = Task.local(() -> dedup.await(f, 10, 10, "test"));
            Thread.yield();
            dedup.complete(f); // as a failed leader does: no result handed out
            assertNull(waiter.join(), "the waiter must retry on its own");
            assertNull(dedup.find(512, 1024));
            return null;
        });
    }

    @Test
    void shouldWorkWithJdkStreamsThroughTheViews() throws IOException {
        byte[] data = pattern(300_000, 8);
        Path p = dir.resolve("gz");
        onExecutor(() -> {
            ImmutableFilePreSealSink sink = new ImmutableFileBuilder(p).withBufferSize(16 << 10).buildSink();
            try (OutputStream out = new GZIPOutputStream(sink.outputStream())) {
                out.write(data);
            }
            try (ImmutableFile f = sink.seal(); InputStream in = new GZIPInputStream(f.inputStream())) {
                assertArrayEquals(data, in.readAllBytes());
            }
            return null;
        });
        try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
            assertArrayEquals(data, in.readAllBytes());
        }
    }

    @Test
    void shouldPadOnSyncAndTrimOnSeal() throws IOException {
        Path p = dir.resolve("sync");
        byte[] data = pattern(9000, 9);
        long[] sizeAfterSync = new long[1];
        onExecutor(() -> {
            ImmutableFilePreSealSink sink = new ImmutableFileBuilder(p).withBufferSize(8192).buildSink();
            sink.write(data, 0, 5000);
            long syncsBefore = LocalExecutor.current().ioStats().fileSyncs();
            assertEquals(5000, sink.sync());
            assertEquals(1, LocalExecutor.current().ioStats().fileSyncs() - syncsBefore);
            assertEquals(5000, sink.currentFlushedPosition());
            sizeAfterSync[0] = Files.size(p);
            sink.write(data, 5000, 4000);
            assertEquals(8192, sink.flushAligned(), "the first full buffer is written");
            try (ImmutableFile f = sink.seal()) {
                assertEquals(9000, f.fileSize());
                try (ReadResult r = f.readAt(0, 9000)) {
                    assertArrayEquals(data, r.toArray());
                }
            }
            return null;
        });
        assertEquals(0, sizeAfterSync[0] % 512, "synced tail is padded to the alignment: " + sizeAfterSync[0]);
        assertTrue(sizeAfterSync[0] >= 5000);
        assertArrayEquals(data, Files.readAllBytes(p));
    }

    @Test
    void shouldOpenAnExistingFileAndRefuseToOverwriteIt() throws IOException {
        Path p = dir.resolve("existing");
        byte[] data = pattern(3000, 10);
        Files.write(p, data);
        Path missing = dir.resolve("missing");
        onExecutor(() -> {
            try (ImmutableFile f = new ImmutableFileBuilder(p).buildExisting();
                 ImmutableFile g = new ImmutableFileBuilder(p).buildExisting()) {
                assertEquals(3000, f.fileSize());
                assertTrue(f.isSame(g));
                try (ReadResult r = f.readAt(0, 3000)) {
                    assertArrayEquals(data, r.toArray());
                }
            }
            FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class,
                    () -> new ImmutableFileBuilder(p).buildSink());
            assertTrue(e.getMessage().contains("EEXIST") && e.getMessage().contains(p.toString()), e.getMessage());
            NoSuchFileException n = assertThrows(NoSuchFileException.class,
                    () -> new ImmutableFileBuilder(missing).buildExisting());
            assertEquals("openat(" + missing + ") failed: ENOENT (No such file or directory)", n.getMessage());
            return null;
        });
        assertArrayEquals(data, Files.readAllBytes(p), "a refused sink leaves the file alone");
    }

    @Test
    void shouldRejectBadArgumentsUseAfterCloseAndOtherExecutors() {
        assertThrows(IllegalArgumentException.class, () -> new ImmutableFileBuilder(dir).withBufferSize(0));
        assertThrows(IllegalArgumentException.class, () -> new ImmutableFileBuilder(dir).withSequentialConcurrency(0));
        assertThrows(IllegalArgumentException.class, () -> new ImmutableFileBuilder(dir).withPreAllocation(-1));
        ImmutableFile[] kept = new ImmutableFile[1];
        onExecutor(() -> {
            ImmutableFilePreSealSink sink = new ImmutableFileBuilder(dir.resolve("closed"))
                    .withPreAllocation(1 << 20).buildSink();
            sink.write(new byte[10]);
            ImmutableFile f = sink.seal();
            assertThrows(ClosedChannelException.class, () -> sink.write(new byte[1]));
            assertThrows(ClosedChannelException.class, sink::seal);
            sink.close(); // no-op after seal
            assertEquals(10, f.fileSize(), "pre-allocation keeps the size");
            assertThrows(IllegalArgumentException.class, () -> f.readAt(-1, 10));
            assertThrows(IllegalArgumentException.class, () -> f.readAt(0, -1));
            kept[0] = new ImmutableFileBuilder(dir.resolve("closed")).buildExisting();
            f.close();
            f.close();
            assertFalse(f.isOpen());
            assertThrows(ClosedChannelException.class, () -> f.readAt(0, 1));
            return null;
        });
        onExecutor(() -> assertThrows(WrongThreadException.class, () -> kept[0].readAt(0, 1)));
    }

    @Test
    void shouldWriteTheFileOnCloseWithoutSeal() throws IOException {
        Path p = dir.resolve("closed-unsealed");
        byte[] data = pattern(10_000, 11);
        onExecutor(() -> {
            try (ImmutableFilePreSealSink sink = new ImmutableFileBuilder(p).withBufferSize(4096).buildSink()) {
                sink.write(data);
            }
            return null;
        });
        assertArrayEquals(data, Files.readAllBytes(p));
    }
}
