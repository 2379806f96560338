package io.github.jglommio.io;

import io.github.jglommio.IoStats;
import io.github.jglommio.LocalExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** On a file system without O_DIRECT (ramfs), a DmaFile falls back to buffered I/O and says so. */
class BufferedFallbackTest {

    @Test
    void shouldFallBackToBufferedIoWithoutODirect(@TempDir Path dir) throws Exception {
        Path mnt = Files.createDirectories(dir.resolve("ramfs"));
        Process mount = new ProcessBuilder("mount", "-t", "ramfs", "ramfs", mnt.toString()).redirectErrorStream(true).start();
        assumeTrue(mount.waitFor(10, TimeUnit.SECONDS) && mount.exitValue() == 0, "cannot mount ramfs here (needs root)");
        try {
            IoStats d = LocalExecutor.create().run(() -> {
                IoStats before = LocalExecutor.current().ioStats();
                try (DmaFile f = DmaFile.create(mnt.resolve("x"))) {
                    assertFalse(f.isDirect());
                    assertEquals(1, f.alignment());
                    byte[] data = "unaligned is fine when buffered".getBytes();
                    assertEquals(data.length, f.writeAt(data, 3));
                    try (ReadResult r = f.readAt(3, data.length)) {
                        assertArrayEquals(data, r.toArray());
                    }
                }
                return LocalExecutor.current().ioStats().delta(before);
            });
            assertEquals(1, d.bufferedWrites());
            assertEquals(0, d.directWrites());
            assertEquals(1, d.bufferedReads());
        } finally {
            new ProcessBuilder("umount", mnt.toString()).start().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
