package io.github.jglommio.io;

import io.github.jglommio.LocalExecutor;
import io.github.jglommio.sys.Errno;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link BufferedFile#writeAtInline}: pwrite on the executor's thread (EFBIG's short write: {@link DiskFullTest}). */
@Timeout(30)
class BufferedFileInlineWriteTest {

    @TempDir
    Path dir;

    @Test
    void shouldAppendRecordsThatReadBackInOrder() throws Exception {
        Path p = dir.resolve("log");
        Random random = new Random(3);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        byte[] fromExecutor = LocalExecutor.create().run(() -> {
            try (BufferedFile f = BufferedFile.create(p)) {
                long pos = 0;
                for (int i = 0; i < 500; i++) {
                    byte[] record = new byte[1 + random.nextInt(300)];
                    random.nextBytes(record);
                    int from = random.nextInt(4);
                    byte[] padded = new byte[from + record.length + 3];
                    System.arraycopy(record, 0, padded, from, record.length);
                    assertEquals(record.length, f.writeAtInline(padded, from, record.length, pos));
                    pos += record.length;
                    expected.write(record);
                }
                assertEquals(pos, f.fileSize());
                return f.readBytes(0, (int) pos);
            }
        });
        assertArrayEquals(expected.toByteArray(), fromExecutor);
        assertArrayEquals(expected.toByteArray(), Files.readAllBytes(p));
    }

    @Test
    void shouldOverwriteInPlaceAtAGivenPosition() throws Exception {
        Path p = dir.resolve("overwrite");
        LocalExecutor.create().run(() -> {
            try (BufferedFile f = BufferedFile.create(p)) {
                f.writeAtInline("hello world".getBytes(), 0, 11, 0);
                f.writeAtInline("WORLD".getBytes(), 0, 5, 6);
                assertEquals(0, f.writeAtInline(new byte[4], 2, 0, 11));
            }
            return null;
        });
        assertEquals("hello WORLD", Files.readString(p));
    }

    @Test
    void shouldReportTheErrnoOfARefusedWrite() throws Exception {
        Path p = dir.resolve("read-only");
        Files.writeString(p, "x");
        ErrnoException e = LocalExecutor.create().run(() -> {
            try (BufferedFile f = BufferedFile.open(p, new OpenOptions().read(true))) {
                return assertThrows(ErrnoException.class, () -> f.writeAtInline(new byte[8], 0, 8, 0));
            }
        });
        assertEquals(Errno.EBADF, e.errno());
        assertEquals("Bad file descriptor", e.reason());
        assertTrue(e.getMessage().contains("write(" + p + ") failed: EBADF"), e.getMessage());
        assertEquals("x", Files.readString(p));
    }

    @Test
    void shouldRejectBadArgumentsAndUseAfterClose() throws Exception {
        Path p = dir.resolve("args");
        LocalExecutor.create().run(() -> {
            BufferedFile f = BufferedFile.create(p);
            assertThrows(IndexOutOfBoundsException.class, () -> f.writeAtInline(new byte[4], 2, 3, 0));
            assertThrows(IllegalArgumentException.class, () -> f.writeAtInline(new byte[4], 0, 4, -1));
            f.close();
            assertThrows(ClosedChannelException.class, () -> f.writeAtInline(new byte[4], 0, 4, 0));
            return null;
        });
        assertEquals(0, Files.size(p));
    }
}
