package io.github.jglommio.io;

import io.github.jglommio.LocalExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

@Timeout(30)
class BufferedFileStreamTest {

    @TempDir
    Path dir;

    static <T> T onExecutor(Callable<T> body) {
        return LocalExecutor.create().run(body);
    }

    static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** 0, 1, 2, ... 255, 0, 1, ... as Glommio's stream tests use. */
    static byte[] counting(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    @Test
    void shouldRoundTripThroughStreamWriterAndStreamReader() throws IOException {
        byte[] data = pattern(100_003, 1);
        Path p = dir.resolve("round-trip");
        byte[] back = onExecutor(() -> {
            Random rnd = new Random(2);
            try (StreamWriter w = new StreamWriterBuilder(BufferedFile.create(p)).withBufferSize(1000).build()) {
                int off = 0;
                while (off < data.length) {
                    int n = Math.min(data.length - off, rnd.nextInt(2500));
                    if (n % 2 == 0) {
                        w.write(data, off, n);
                    } else {
                        w.write(ByteBuffer.wrap(data, off, n));
                    }
                    off += n;
                    assertEquals(off, w.position());
                }
            }
            byte[] out = new byte[data.length];
            try (StreamReader r = new StreamReaderBuilder(BufferedFile.open(p)).withBufferSize(777).build()) {
                int off = 0;
                while (off < out.length) {
                    int got = r.read(out, off, Math.min(out.length - off, 1 + rnd.nextInt(2000)));
                    assertEquals(true, got > 0, "read returned " + got + " at " + off);
                    off += got;
                    assertEquals(off, r.position());
                }
                assertEquals(-1, r.read(out, 0, 10));
                assertEquals(-1, r.read());
                assertEquals(0, r.read(out, 0, 0));
            }
            return out;
        });
        assertArrayEquals(data, back);
        assertArrayEquals(data, Files.readAllBytes(p));
    }

    @Test
    void shouldWorkWithJdkReadersAndWritersThroughTheViews() {
        Path text = dir.resolve("lines.txt");
        Path binary = dir.resolve("data.bin");
        onExecutor(() -> {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                lines.add("line " + i + " ünïcödé");
            }
            try (PrintWriter out = new PrintWriter(new OutputStreamWriter(
                    new StreamWriterBuilder(BufferedFile.create(text)).withBufferSize(4096).build().outputStream(),
                    UTF_8))) {
                lines.forEach(out::println);
            }
            try (BufferedReader in = new BufferedReader(new InputStreamReader(
                    new StreamReaderBuilder(BufferedFile.open(text)).build().inputStream(), UTF_8))) {
                assertEquals(lines, in.lines().toList());
            }
            try (DataOutputStream out = new DataOutputStream(
                    new StreamWriterBuilder(BufferedFile.create(binary)).build().outputStream())) {
                for (long i = 0; i < 10_000; i++) {
                    out.writeLong(i * 31);
                }
                out.writeUTF("end");
            }
            try (DataInputStream in = new DataInputStream(
                    new StreamReaderBuilder(BufferedFile.open(binary)).withBufferSize(1000).build().inputStream())) {
                for (long i = 0; i < 10_000; i++) {
                    assertEquals(i * 31, in.readLong());
                }
                assertEquals("end", in.readUTF());
                assertEquals(-1, in.read());
            }
            return null;
        });
    }

    @Test
    void shouldReadBetweenStartAndEndPositionsAndSeek() throws IOException {
        Path p = Files.write(dir.resolve("counting"), counting(4096));
        onExecutor(() -> {
            try (StreamReader r = new StreamReaderBuilder(BufferedFile.open(p)).withStartPos(2).withEndPos(12).build()) {
                assertArrayEquals(Arrays.copyOfRange(counting(4096), 2, 12), r.inputStream().readAllBytes());
            }
            try (StreamReader r = new StreamReaderBuilder(BufferedFile.open(p)).withBufferSize(100).build()) {
                r.seek(4000);
                byte[] tail = r.inputStream().readAllBytes();
                assertEquals(96, tail.length);
                assertEquals((byte) 4000, tail[0]);
                r.seek(10);
                assertEquals(10, r.read());
                r.seek(5); // back inside the buffered chunk
                assertEquals(5, r.read());
                assertEquals(6, r.position());
                InputStream in = r.inputStream();
                assertEquals(100, in.skip(100));
                assertEquals(106, r.read());
                r.seek(10_000);
                assertEquals(-1, r.read(), "past the end reads as the end");
            }
            return null;
        });
    }

    @Test
    void shouldSeekTheWriterLeavingAHole() throws IOException {
        Path p = dir.resolve("hole");
        onExecutor(() -> {
            try (StreamWriter w = new StreamWriterBuilder(BufferedFile.create(p)).build()) {
                w.seek(10);
                w.write(new byte[] {1, 2, 3, 4, 5});
                assertEquals(15, w.position());
            }
            return null;
        });
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5}, Files.readAllBytes(p));
    }

    @Test
    void shouldFlushOnlyWhenAskedOrFullAndSyncOnCloseUnlessDisabled() throws IOException {
        Path synced = dir.resolve("synced");
        Path unsynced = dir.resolve("unsynced");
        onExecutor(() -> {
            long syncs = LocalExecutor.current().ioStats().fileSyncs();
            StreamWriter w = new StreamWriterBuilder(BufferedFile.create(synced)).withBufferSize(100).build();
            w.write(new byte[99]);
            assertEquals(0, Files.size(synced), "still buffered");
            w.write(new byte[2]);
            assertEquals(100, Files.size(synced), "the full buffer was written");
            w.flush();
            assertEquals(101, Files.size(synced));
            w.close();
            assertEquals(1, LocalExecutor.current().ioStats().fileSyncs() - syncs, "close syncs by default");
            w.close(); // idempotent

            syncs = LocalExecutor.current().ioStats().fileSyncs();
            try (StreamWriter u = new StreamWriterBuilder(BufferedFile.create(unsynced)).withSyncOnClose(false).build()) {
                u.write(new byte[10]);
            }
            assertEquals(0, LocalExecutor.current().ioStats().fileSyncs() - syncs, "sync on close disabled");
            return null;
        });
        assertEquals(10, Files.size(unsynced));
    }

    @Test
    void shouldRejectBadArgumentsUseAfterCloseAndOtherExecutors() throws IOException {
        Path p = Files.write(dir.resolve("guarded"), counting(100));
        StreamReader[] kept = new StreamReader[1];
        onExecutor(() -> {
            BufferedFile f = BufferedFile.open(p);
            assertThrows(IllegalArgumentException.class, () -> new StreamReaderBuilder(f).withBufferSize(0));
            assertThrows(IllegalArgumentException.class, () -> new StreamReaderBuilder(f).withStartPos(-1));
            assertThrows(IllegalArgumentException.class,
                    () -> new StreamReaderBuilder(f).withStartPos(10).withEndPos(5).build());
            assertThrows(IllegalArgumentException.class, () -> new StreamWriterBuilder(f).withBufferSize(-5));
            StreamReader r = new StreamReaderBuilder(f).build();
            assertThrows(IndexOutOfBoundsException.class, () -> r.read(new byte[4], 2, 3));
            assertThrows(IllegalArgumentException.class, () -> r.seek(-1));
            r.close();
            r.close();
            assertThrows(ClosedChannelException.class, r::read);
            StreamWriter w = new StreamWriterBuilder(BufferedFile.create(dir.resolve("w"))).build();
            w.close();
            assertThrows(ClosedChannelException.class, () -> w.write(new byte[1]));
            kept[0] = new StreamReaderBuilder(BufferedFile.open(p)).build();
            return null;
        });
        onExecutor(() -> assertThrows(WrongThreadException.class, () -> kept[0].read()));
    }
}
