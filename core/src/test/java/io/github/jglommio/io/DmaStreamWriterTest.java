package io.github.jglommio.io;

import io.github.jglommio.IoStats;
import io.github.jglommio.LocalExecutor;
import io.github.jglommio.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static io.github.jglommio.io.DmaStreamReaderTest.fromOtherThread;
import static io.github.jglommio.io.DmaStreamReaderTest.onExecutor;
import static io.github.jglommio.io.DmaStreamReaderTest.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DmaStreamWriterTest {

    @TempDir
    Path dir;

    /** Writes {@code data} in chunks of random lengths. */
    static void writeInChunks(DmaStreamWriter writer, byte[] data, Random rnd) throws IOException {
        int off = 0;
        while (off < data.length) {
            int n = Math.min(data.length - off, 1 + rnd.nextInt(10_000));
            writer.write(data, off, n);
            off += n;
            assertEquals(off, writer.currentPosition());
        }
    }

    @Test
    void shouldWriteFilesOfManySizesWithTheExactLength() {
        int[] sizes = {0, 1, 511, 512, 4095, 4096, 4097, 8195, 65536, 100_000, 300_001};
        onExecutor(() -> {
            Random rnd = new Random(11);
            for (int size : sizes) {
                byte[] data = pattern(size, size);
                for (int bufferSize : new int[] {4096, 12288, 65536}) {
                    for (int writeBehind : new int[] {1, 4}) {
                        Path p = dir.resolve("w" + size + "-" + bufferSize + "-" + writeBehind);
                        DmaFile file = DmaFile.create(p);
                        assertTrue(file.isDirect(), "ext4 supports O_DIRECT");
                        try (DmaStreamWriter writer = new DmaStreamWriterBuilder(file).withBufferSize(bufferSize)
                                .withWriteBehind(writeBehind).build()) {
                            writeInChunks(writer, data, rnd);
                        }
                        assertFalse(file.isOpen(), "the writer closes the file by default");
                        assertEquals(size, Files.size(p), p.toString());
                        assertArrayEquals(data, Files.readAllBytes(p), p.toString());
                    }
                }
            }
            return null;
        });
    }

    @Test
    void shouldFlushAlignedBuffersThenTheExactTail() {
        Path p = dir.resolve("flush");
        byte[] data = pattern(15_000, 12);
        onExecutor(() -> {
            try (DmaStreamWriter writer = new DmaStreamWriterBuilder(DmaFile.create(p)).withBufferSize(4096)
                    .withWriteBehind(2).build()) {
                writer.write(data, 0, 10_000);
                assertEquals(10_000, writer.currentPosition());
                assertEquals(8192, writer.flushAligned(), "two full buffers; the tail stays in memory");
                assertEquals(8192, writer.currentFlushedPosition());
                assertEquals(8192, Files.size(p));
                assertArrayEquals(Arrays.copyOfRange(data, 0, 8192), Files.readAllBytes(p));

                assertEquals(10_000, writer.flush(), "the padded tail is written...");
                assertEquals(10_000, Files.size(p), "...and the file truncated to the exact length");
                assertArrayEquals(Arrays.copyOfRange(data, 0, 10_000), Files.readAllBytes(p));
                assertEquals(10_000, writer.flush(), "nothing new: nothing to do");

                writer.write(data, 10_000, 1_000); // keeps filling the same buffer
                assertEquals(11_000, writer.flush());
                assertArrayEquals(Arrays.copyOfRange(data, 0, 11_000), Files.readAllBytes(p));
                writer.write(data, 11_000, 4_000);
                assertEquals(15_000, writer.currentPosition());
            }
            assertEquals(15_000, Files.size(p));
            assertArrayEquals(data, Files.readAllBytes(p));
            return null;
        });
    }

    @Test
    void shouldSyncOnRequestAndOnCloseUnlessDisabled() {
        onExecutor(() -> {
            LocalExecutor ex = LocalExecutor.current();
            long[] syncs = new long[3];
            for (int i = 0; i < 2; i++) {
                IoStats before = ex.ioStats();
                try (DmaStreamWriter writer = new DmaStreamWriterBuilder(DmaFile.create(dir.resolve("sync" + i)))
                        .withBufferSize(4096).withSyncOnClose(i == 0).build()) {
                    writer.write(new byte[5000], 0, 5000);
                }
                syncs[i] = ex.ioStats().delta(before).fileSyncs();
            }
            IoStats before = ex.ioStats();
            try (DmaStreamWriter writer = new DmaStreamWriterBuilder(DmaFile.create(dir.resolve("sync2")))
                    .withBufferSize(4096).withSyncOnClose(false).build()) {
                writer.write(new byte[5000], 0, 5000);
                assertEquals(5000, writer.sync());
                assertEquals(5000, writer.sync(), "nothing new to sync");
                writer.write(new byte[5000], 0, 5000);
                assertEquals(8192, writer.syncAligned());
            }
            syncs[2] = ex.ioStats().delta(before).fileSyncs();
            assertEquals(1, syncs[0], "close syncs by default");
            assertEquals(0, syncs[1], "withSyncOnClose(false)");
            assertEquals(2, syncs[2], "sync, then syncAligned after new data");
            assertEquals(10_000, Files.size(dir.resolve("sync2")));
            return null;
        });
    }

    @Test
    void shouldWriteBehindInTheBackgroundWithinTheLimit() {
        byte[] data = pattern(40 * 4096, 13);
        int[] maxSeen = onExecutor(() -> {
            LocalExecutor ex = LocalExecutor.current();
            int[] seen = new int[2];
            for (int i = 0; i < 2; i++) {
                int writeBehind = i == 0 ? 1 : 4;
                Path p = dir.resolve("behind" + writeBehind);
                try (DmaStreamWriter writer = new DmaStreamWriterBuilder(DmaFile.create(p)).withBufferSize(4096)
                        .withWriteBehind(writeBehind).build()) {
                    boolean[] stop = {false};
                    int[] max = {0};
                    Task<Void> observer = Task.local(() -> {
                        while (!stop[0]) {
                            max[0] = Math.max(max[0], (int) ex.ioStats().inflight() - 1);
                            assertTrue(writer.writesInFlight() <= writeBehind);
                            LocalExecutor.yieldTaskQueueNow(); // ends the turn, so completions are reaped
                        }
                    });
                    try {
                        writer.write(data, 0, 3 * 4096);
                        if (writeBehind == 4) {
                            assertEquals(3, writer.writesInFlight(), "write returned before its buffers were written");
                            assertEquals(0, writer.currentFlushedPosition());
                        }
                        writer.write(data, 3 * 4096, data.length - 3 * 4096);
                        assertEquals(data.length, writer.flushAligned());
                    } finally {
                        stop[0] = true;
                    }
                    observer.join();
                    seen[i] = max[0];
                }
                assertArrayEquals(data, Files.readAllBytes(p));
            }
            return seen;
        });
        assertEquals(1, maxSeen[0], "writeBehind 1: one write in the kernel at a time");
        assertTrue(maxSeen[1] >= 2 && maxSeen[1] <= 4, "writeBehind 4: writes in parallel, never more than 4: "
                + maxSeen[1]);
    }

    @Test
    void shouldServeJdkStreamsThroughTheOutputStreamView() {
        Path gz = dir.resolve("out.gz");
        Path bytes = dir.resolve("bytes");
        onExecutor(() -> {
            try (DmaStreamWriter writer = new DmaStreamWriterBuilder(DmaFile.create(gz)).withBufferSize(4096)
                    .withWriteBehind(2).build();
                 DataOutputStream out = new DataOutputStream(new GZIPOutputStream(writer.outputStream()))) {
                assertSame(writer.outputStream(), writer.outputStream());
                for (int i = 0; i < 20_000; i++) {
                    out.writeInt(i);
                    out.writeLong(i * 7L);
                    out.writeUTF("line " + i);
                }
            }
            // One byte at a time through write(int), with a flush in the middle.
            try (DmaStreamWriter writer = new DmaStreamWriterBuilder(DmaFile.create(bytes)).withBufferSize(4096)
                    .withWriteBehind(2).build()) {
                OutputStream out = writer.outputStream();
                for (int i = 0; i < 100_003; i++) {
                    out.write(i);
                    if (i == 50_000) {
                        out.flush();
                        assertEquals(50_001, Files.size(bytes));
                    }
                }
                out.close();
                assertThrows(ClosedChannelException.class, () -> out.write(1));
            }
            // Read the gzip back through the reader's InputStream view.
            try (DmaStreamReader reader = new DmaStreamReaderBuilder(DmaFile.openReadOnly(gz)).build();
                 DataInputStream in = new DataInputStream(new GZIPInputStream(reader.inputStream()))) {
                for (int i = 0; i < 20_000; i++) {
                    assertEquals(i, in.readInt());
                    assertEquals(i * 7L, in.readLong());
                    assertEquals("line " + i, in.readUTF());
                }
                assertEquals(-1, in.read());
            }
            return null;
        });
        // And with the JDK's own file streams.
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(Files.newInputStream(gz)))) {
            assertEquals(0, in.readInt());
            assertEquals(0L, in.readLong());
            assertEquals("line 0", in.readUTF());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        byte[] got = assertDoesNotThrowRead(bytes);
        assertEquals(100_003, got.length);
        for (int i = 0; i < got.length; i++) {
            if (got[i] != (byte) i) {
                throw new AssertionError("byte " + i + " is " + got[i]);
            }
        }
    }

    private static byte[] assertDoesNotThrowRead(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void shouldSurfaceBackgroundWriteFailuresAndStayFailed() throws IOException {
        Path p = dir.resolve("read-only");
        Files.write(p, new byte[0]);
        onExecutor(() -> {
            LocalExecutor ex = LocalExecutor.current();
            int tasksBefore = ex.liveTasks();
            DmaFile file = DmaFile.openReadOnly(p);
            DmaStreamWriter writer = new DmaStreamWriterBuilder(file).withBufferSize(4096).withWriteBehind(2).build();
            byte[] data = pattern(3 * 4096 + 100, 14);
            // The full buffers fail in the background; the failure comes at the latest at the flush.
            IOException first = assertThrows(IOException.class, () -> {
                writer.write(data, 0, data.length);
                writer.flushAligned();
            });
            assertTrue(first.getMessage().contains("EBADF") && first.getMessage().contains(p.toString()),
                    first.getMessage());
            IOException later = assertThrows(IOException.class, () -> writer.write(data, 0, 1));
            assertSame(first, later.getCause(), "the writer stays failed");
            assertThrows(IOException.class, writer::flush);
            IOException onClose = assertThrows(IOException.class, writer::close);
            assertSame(first, onClose.getCause());
            assertFalse(file.isOpen(), "close releases the file even after a failure");
            assertEquals(tasksBefore, ex.liveTasks());
            assertEquals(1, ex.ioStats().inflight(), "only the executor's own eventfd read is in flight");
            assertThrows(ClosedChannelException.class, () -> writer.write(data, 0, 1));

            // A tail that never filled a buffer fails at close (Glommio's write_with_readable_file).
            DmaStreamWriter small = new DmaStreamWriterBuilder(DmaFile.openReadOnly(p)).withBufferSize(4096).build();
            small.write(data, 0, 100);
            IOException tail = assertThrows(IOException.class, small::close);
            assertTrue(tail.getMessage().contains("EBADF"), tail.getMessage());
            return null;
        });
        assertEquals(0, Files.size(p));
    }

    @Test
    void shouldReleaseEverythingOnCloseAndOptionallyKeepTheFile() {
        Path p = dir.resolve("keep");
        byte[] data = pattern(10 * 4096 + 5, 15);
        onExecutor(() -> {
            LocalExecutor ex = LocalExecutor.current();
            int tasksBefore = ex.liveTasks();
            DmaFile file = DmaFile.create(p);
            DmaStreamWriter writer = new DmaStreamWriterBuilder(file).withBufferSize(4096).withWriteBehind(8)
                    .withCloseFile(false).build();
            writer.write(data, 0, data.length);
            assertTrue(writer.writesInFlight() > 0);
            writer.close(); // with writes in flight
            assertEquals(0, writer.writesInFlight());
            assertEquals(data.length, writer.currentFlushedPosition());
            assertEquals(tasksBefore, ex.liveTasks(), "no write-behind task outlives close");
            assertEquals(1, ex.ioStats().inflight(), "only the executor's own eventfd read is in flight");
            writer.close(); // idempotent
            assertThrows(ClosedChannelException.class, () -> writer.write(data, 0, 1));
            assertThrows(ClosedChannelException.class, writer::flush);
            assertThrows(ClosedChannelException.class, writer::sync);
            assertTrue(file.isOpen(), "withCloseFile(false) leaves the file open");
            assertEquals(data.length, file.fileSize(), "exact length, unaligned tail and all");
            try (ReadResult r = file.readAt(data.length - 5, 100)) {
                assertArrayEquals(Arrays.copyOfRange(data, data.length - 5, data.length), r.toArray());
            }
            file.close();
            return null;
        });
    }

    @Test
    @Timeout(30)
    void shouldRejectBadArgumentsAndForeignThreads() {
        onExecutor(() -> {
            try (DmaFile file = DmaFile.create(dir.resolve("args"))) {
                DmaStreamWriterBuilder builder = new DmaStreamWriterBuilder(file).withCloseFile(false);
                IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                        () -> builder.withBufferSize(0));
                assertEquals("buffer size must be positive, got 0", zero.getMessage());
                assertThrows(IllegalArgumentException.class, () -> builder.withBufferSize(-1));
                IllegalArgumentException behind = assertThrows(IllegalArgumentException.class,
                        () -> builder.withWriteBehind(0));
                assertEquals("write-behind must be at least 1 buffer, got 0", behind.getMessage());
                int a = file.alignment();
                assertEquals(a, builder.withBufferSize(1).bufferSize(), "rounded up to the alignment");
                assertThrows(NullPointerException.class, () -> new DmaStreamWriterBuilder(null));

                DmaStreamWriter writer = builder.withBufferSize(4096).build();
                assertThrows(IndexOutOfBoundsException.class, () -> writer.write(new byte[10], 8, 5));
                assertThrows(NullPointerException.class, () -> writer.write(null, 0, 1));
                assertInstanceOf(WrongThreadException.class, fromOtherThread(() -> writer.write(new byte[1], 0, 1)));
                assertInstanceOf(WrongThreadException.class, fromOtherThread(writer::close));
                assertInstanceOf(WrongThreadException.class, fromOtherThread(builder::build));
                writer.write(new byte[] {1, 2, 3}, 0, 3);
                writer.close();
                assertEquals(3, file.fileSize(), "still usable on its own executor");
            }
            return null;
        });
    }

    @Test
    void shouldWriteAMillionSingleBytesThroughASmallWriteBehind() {
        Path p = dir.resolve("million");
        onExecutor(() -> {
            try (DmaStreamWriter writer = new DmaStreamWriterBuilder(DmaFile.create(p)).withBufferSize(128 << 10)
                    .withWriteBehind(2).build()) {
                OutputStream out = writer.outputStream();
                for (int i = 0; i < 1_000_000; i++) {
                    out.write(i);
                }
                assertEquals(1_000_000, writer.currentPosition());
            }
            return null;
        });
        byte[] got = assertDoesNotThrowRead(p);
        assertEquals(1_000_000, got.length);
        assertEquals((byte) 999_999, got[999_999]);
    }
}
