package io.github.jglommio.io;

import io.github.jglommio.IoStats;
import io.github.jglommio.LocalExecutor;
import io.github.jglommio.timer.Timer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DmaStreamReaderTest {

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

    /** Reads the whole stream with reads of random lengths. */
    static byte[] readAll(DmaStreamReader reader, Random rnd) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[20_000];
        int n;
        while ((n = reader.read(chunk, 0, 1 + rnd.nextInt(chunk.length))) != -1) {
            assertTrue(n > 0, "read returned " + n);
            out.write(chunk, 0, n);
        }
        return out.toByteArray();
    }

    @Test
    void shouldReadBackFilesOfManySizesWithEveryReadAhead() throws IOException {
        int[] sizes = {0, 1, 511, 512, 4095, 4096, 4097, 8195, 65536, 100_000, 300_001};
        for (int size : sizes) {
            Files.write(dir.resolve("f" + size), pattern(size, size));
        }
        onExecutor(() -> {
            Random rnd = new Random(7);
            for (int size : sizes) {
                byte[] expected = pattern(size, size);
                for (int bufferSize : new int[] {4096, 12288, 65536}) {
                    for (int readAhead : new int[] {0, 1, 4}) {
                        DmaFile file = DmaFile.openReadOnly(dir.resolve("f" + size));
                        assertTrue(file.isDirect(), "ext4 supports O_DIRECT");
                        try (DmaStreamReader reader = new DmaStreamReaderBuilder(file).withBufferSize(bufferSize)
                                .withReadAhead(readAhead).build()) {
                            byte[] got = readAll(reader, rnd);
                            assertArrayEquals(expected, got, "size " + size + ", buffer " + bufferSize + ", read-ahead "
                                    + readAhead);
                            assertEquals(size, reader.currentPosition());
                            assertEquals(-1, reader.read(new byte[10], 0, 10), "EOF stays EOF");
                        }
                        assertFalse(file.isOpen(), "the reader closes the file by default");
                    }
                }
            }
            return null;
        });
    }

    @Test
    void shouldReadBuffersAheadInTheBackgroundWhileTheConsumerWorks() throws IOException {
        Files.write(dir.resolve("ahead"), pattern(64 * 4096, 3));
        long[] readsDone = onExecutor(() -> {
            long[] result = new long[2];
            for (int i = 0; i < 2; i++) {
                int readAhead = i == 0 ? 0 : 4;
                try (DmaStreamReader reader = new DmaStreamReaderBuilder(DmaFile.openReadOnly(dir.resolve("ahead")))
                        .withBufferSize(4096).withReadAhead(readAhead).build()) {
                    IoStats before = LocalExecutor.current().ioStats();
                    assertEquals(1, reader.read(new byte[1], 0, 1));
                    Timer.sleep(Duration.ofMillis(20)); // the consumer "works"; background reads complete
                    result[i] = LocalExecutor.current().ioStats().delta(before).fileReads();
                }
            }
            return result;
        });
        assertEquals(1, readsDone[0], "without read-ahead only the consumed buffer is read");
        assertEquals(5, readsDone[1], "the consumed buffer and 4 read-ahead buffers");
    }

    @Test
    void shouldKeepReadingCorrectlyAcrossSkipsAndAStartAndEndPosition() throws IOException {
        byte[] data = pattern(50_000, 4);
        Files.write(dir.resolve("skip"), data);
        onExecutor(() -> {
            try (DmaStreamReader reader = new DmaStreamReaderBuilder(DmaFile.openReadOnly(dir.resolve("skip")))
                    .withBufferSize(4096).withReadAhead(3).build()) {
                byte[] b = new byte[100];
                assertEquals(100, reader.read(b, 0, 100));
                assertArrayEquals(Arrays.copyOfRange(data, 0, 100), b);
                assertEquals(900, reader.skip(900)); // same buffer
                assertEquals(100, reader.read(b, 0, 100));
                assertArrayEquals(Arrays.copyOfRange(data, 1000, 1100), b);
                assertEquals(20_000, reader.skip(20_000)); // past the read-ahead window
                assertEquals(21_100, reader.currentPosition());
                assertEquals(100, reader.read(b, 0, 100));
                assertArrayEquals(Arrays.copyOfRange(data, 21_100, 21_200), b);
                assertEquals(1_000_000, reader.skip(1_000_000), "the reader does not know the file size");
                assertEquals(-1, reader.read(b, 0, 100));
                assertEquals(0, reader.read(b, 0, 0));
                assertThrows(IllegalArgumentException.class, () -> reader.skip(-1));
            }
            // Unaligned start and end positions.
            try (DmaStreamReader reader = new DmaStreamReaderBuilder(DmaFile.openReadOnly(dir.resolve("skip")))
                    .withBufferSize(4096).withStartPosition(5000).withEndPosition(13_333).build()) {
                assertEquals(5000, reader.currentPosition());
                byte[] got = readAll(reader, new Random(1));
                assertArrayEquals(Arrays.copyOfRange(data, 5000, 13_333), got);
                assertEquals(13_333, reader.currentPosition());
                assertEquals(0, reader.skip(10), "skip stops at the end position");
            }
            // A start position past the end of the file.
            try (DmaStreamReader reader = new DmaStreamReaderBuilder(DmaFile.openReadOnly(dir.resolve("skip")))
                    .withStartPosition(data.length - 100).build()) {
                assertEquals(100, readAll(reader, new Random(2)).length);
            }
            return null;
        });
    }

    @Test
    void shouldHandOutZeroCopySlicesOfTheReadBuffer() throws IOException {
        byte[] data = pattern(2 * 8192 + 2, 5); // the last buffer holds 2 bytes
        Files.write(dir.resolve("slices"), data);
        onExecutor(() -> {
            ReadResult kept;
            try (DmaStreamReader reader = new DmaStreamReaderBuilder(DmaFile.openReadOnly(dir.resolve("slices")))
                    .withBufferSize(8192).withReadAhead(2).build()) {
                assertEquals(8192, reader.bufferSize());
                ReadResult a = reader.getBufferAligned(24);
                ReadResult b = reader.getBufferAligned(1000);
                assertEquals(24, a.len());
                assertEquals(1000, b.len());
                assertArrayEquals(Arrays.copyOfRange(data, 0, 24), a.toArray());
                assertArrayEquals(Arrays.copyOfRange(data, 24, 1024), b.toArray());
                assertEquals(a.segment().address() + 24, b.segment().address(),
                        "both are views of the same read buffer, not copies");
                a.close();
                b.close();
                assertEquals(1024, reader.currentPosition());
                // A request crossing the buffer boundary returns the rest of the current buffer.
                reader.skip(8192 - 1024 - 10);
                try (ReadResult tail = reader.getBufferAligned(100)) {
                    assertEquals(10, tail.len());
                    assertArrayEquals(Arrays.copyOfRange(data, 8182, 8192), tail.toArray());
                }
                kept = reader.getBufferAligned(8192);
                assertEquals(8192, kept.len());
                try (ReadResult zero = reader.getBufferAligned(0)) {
                    assertTrue(zero.isEmpty());
                }
                assertThrows(IllegalArgumentException.class, () -> reader.getBufferAligned(-1));
                // Mixed with read().
                byte[] one = new byte[1];
                assertEquals(1, reader.read(one, 0, 1));
                assertEquals(data[16384], one[0]);
                try (ReadResult end = reader.getBufferAligned(4)) {
                    assertEquals(1, end.len(), "short at the end of the file");
                    assertEquals(data[16385], end.get(0));
                }
                try (ReadResult eof = reader.getBufferAligned(4)) {
                    assertTrue(eof.isEmpty(), "empty at the end of the file");
                }
            }
            // The slice owns its memory: still valid after the reader moved on and closed.
            assertArrayEquals(Arrays.copyOfRange(data, 8192, 16384), kept.toArray());
            kept.close();
            return null;
        });
    }

    @Test
    void shouldServeJdkStreamsThroughTheInputStreamView() throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(raw))) {
            for (int i = 0; i < 20_000; i++) {
                out.writeInt(i);
                out.writeLong(i * 31L);
                out.writeUTF("record " + i);
            }
        }
        Files.write(dir.resolve("data.gz"), raw.toByteArray());
        byte[] plain = pattern(10_000, 6);
        Files.write(dir.resolve("plain"), plain);
        onExecutor(() -> {
            try (DmaStreamReader reader = new DmaStreamReaderBuilder(DmaFile.openReadOnly(dir.resolve("data.gz")))
                    .withBufferSize(4096).withReadAhead(2).build();
                 DataInputStream in = new DataInputStream(new GZIPInputStream(reader.inputStream()))) {
                for (int i = 0; i < 20_000; i++) {
                    assertEquals(i, in.readInt());
                    assertEquals(i * 31L, in.readLong());
                    assertEquals("record " + i, in.readUTF());
                }
                assertEquals(-1, in.read());
            }
            try (DmaStreamReader reader = new DmaStreamReaderBuilder(DmaFile.openReadOnly(dir.resolve("plain")))
                    .withBufferSize(4096).build()) {
                InputStream in = reader.inputStream();
                assertEquals(0, in.available(), "nothing read yet");
                assertEquals(plain[0] & 0xFF, in.read());
                assertEquals(4095, in.available(), "the rest of the current buffer");
                assertEquals(99, in.skip(99));
                assertEquals(0, in.skip(-5));
                byte[] rest = in.readAllBytes();
                assertArrayEquals(Arrays.copyOfRange(plain, 100, plain.length), rest);
                assertEquals(-1, in.read());
                in.close();
                assertThrows(ClosedChannelException.class, in::read);
            }
            return null;
        });
    }

    @Test
    void shouldReleaseEverythingOnClose() throws IOException {
        Files.write(dir.resolve("close"), pattern(1 << 20, 8));
        onExecutor(() -> {
            LocalExecutor ex = LocalExecutor.current();
            int tasksBefore = ex.liveTasks();
            DmaFile file = DmaFile.openReadOnly(dir.resolve("close"));
            DmaStreamReader reader = new DmaStreamReaderBuilder(file).withBufferSize(4096).withReadAhead(16)
                    .withCloseFile(false).build();
            assertEquals(16, reader.buffersHeld(), "16 buffers read ahead");
            assertEquals(tasksBefore + 16, ex.liveTasks(), "read-ahead runs in background tasks");
            byte[] b = new byte[5000];
            assertEquals(5000, reader.read(b, 0, b.length));
            reader.skip(100_000); // leaves discarded reads draining
            assertEquals(5000, reader.read(b, 0, b.length));
            reader.close(); // with reads still in flight
            assertEquals(0, reader.buffersHeld());
            assertEquals(tasksBefore, ex.liveTasks(), "no read-ahead task outlives close");
            // Let the ASYNC_CANCELs' own completions arrive (they drain promptly).
            for (int i = 0; i < 1000 && ex.ioStats().inflight() > 1; i++) {
                Timer.sleep(Duration.ofMillis(1));
            }
            assertEquals(1, ex.ioStats().inflight(), "only the executor's own eventfd read is in flight");
            reader.close(); // idempotent
            assertThrows(ClosedChannelException.class, () -> reader.read(b, 0, 1));
            assertThrows(ClosedChannelException.class, () -> reader.getBufferAligned(1));
            assertThrows(ClosedChannelException.class, () -> reader.skip(1));
            assertTrue(file.isOpen(), "withCloseFile(false) leaves the file open");
            try (ReadResult r = file.readAt(0, 10)) {
                assertEquals(10, r.len());
            }
            file.close();
            return null;
        });
    }

    @Test
    void shouldReportAFailedReadWithErrnoAndPath() throws IOException {
        Path p = dir.resolve("write-only");
        Files.write(p, pattern(10_000, 9));
        onExecutor(() -> {
            DmaFile file = DmaFile.open(p, new OpenOptions().read(false).write(true));
            try (DmaStreamReader reader = new DmaStreamReaderBuilder(file).withBufferSize(4096).build()) {
                IOException e = assertThrows(IOException.class, () -> reader.read(new byte[100], 0, 100));
                assertTrue(e.getMessage().contains("EBADF") && e.getMessage().contains(p.toString()), e.getMessage());
                assertEquals(0, reader.currentPosition());
            }
            return null;
        });
    }

    interface Action {
        void run() throws Exception;
    }

    /** What {@code action} throws when run on a fresh platform thread (outside any executor). */
    static Throwable fromOtherThread(Action action) throws InterruptedException {
        AtomicReference<Throwable> seen = new AtomicReference<>();
        Thread.ofPlatform().start(() -> {
            try {
                action.run();
            } catch (Throwable t) {
                seen.set(t);
            }
        }).join();
        return seen.get();
    }

    @Test
    @Timeout(30)
    void shouldRejectBadArgumentsAndForeignThreads() throws Exception {
        Files.write(dir.resolve("args"), pattern(8192, 10));
        onExecutor(() -> {
            try (DmaFile file = DmaFile.openReadOnly(dir.resolve("args"))) {
                DmaStreamReaderBuilder builder = new DmaStreamReaderBuilder(file).withCloseFile(false);
                IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                        () -> builder.withBufferSize(0));
                assertEquals("buffer size must be positive, got 0", zero.getMessage());
                assertThrows(IllegalArgumentException.class, () -> builder.withBufferSize(-4096));
                assertThrows(IllegalArgumentException.class, () -> builder.withReadAhead(-1));
                assertThrows(IllegalArgumentException.class, () -> builder.withStartPosition(-1));
                assertThrows(IllegalArgumentException.class, () -> builder.withEndPosition(-1));
                IllegalArgumentException order = assertThrows(IllegalArgumentException.class,
                        () -> new DmaStreamReaderBuilder(file).withStartPosition(10).withEndPosition(5).build());
                assertTrue(order.getMessage().contains("before start position"), order.getMessage());
                int a = file.alignment();
                int rounded = builder.withBufferSize(1000).bufferSize();
                assertEquals(0, rounded % a, "rounded to the alignment " + a);
                assertTrue(rounded >= 1000 && rounded < 1000 + a, "rounded up: " + rounded);
                assertThrows(NullPointerException.class, () -> new DmaStreamReaderBuilder(null));

                DmaStreamReader reader = builder.build();
                assertThrows(IndexOutOfBoundsException.class, () -> reader.read(new byte[10], 5, 10));
                assertInstanceOf(WrongThreadException.class, fromOtherThread(() -> reader.read(new byte[10], 0, 10)));
                assertInstanceOf(WrongThreadException.class, fromOtherThread(builder::build));
                assertInstanceOf(WrongThreadException.class, fromOtherThread(reader::close));
                byte[] b = new byte[10];
                assertEquals(10, reader.read(b, 0, 10), "still usable on its own executor");
                reader.close();
            }
            return null;
        });
    }
}
