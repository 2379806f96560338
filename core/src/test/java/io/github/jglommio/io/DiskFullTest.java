package io.github.jglommio.io;

import io.github.jglommio.LocalExecutor;
import io.github.jglommio.sys.FileSyscalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A write that runs out of room fails with a clear error and leaves what was written before intact:
 * a child JVM with a 1 MiB RLIMIT_FSIZE (EFBIG), and a 1 MiB tmpfs (ENOSPC) where mounting is allowed.
 */
class DiskFullTest {

    /** Child entry point: args = file, limit bytes (or -1 for none). Prints "written=N", "error=...", "intact=...". */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            Path file = Path.of(args[0]);
            long limit = Long.parseLong(args[1]);
            if (limit > 0) {
                int r = FileSyscalls.setrlimit(FileSyscalls.RLIMIT_FSIZE, limit, limit);
                if (r != 0) {
                    System.out.println("setrlimit failed " + r);
                    return;
                }
            }
            LocalExecutor.create().run(() -> {
                long written = 0;
                try (DmaFile f = DmaFile.create(file)) {
                    byte[] block = new byte[64 * 1024];
                    try {
                        for (int i = 0; i < 1024; i++) {
                            Arrays.fill(block, (byte) (i + 1));
                            written += f.writeAt(block, written);
                        }
                        System.out.println("no error");
                    } catch (IOException e) {
                        System.out.println("error=" + e.getMessage());
                    }
                    System.out.println("written=" + written);
                    boolean intact = true;
                    for (long pos = 0; pos + block.length <= written; pos += block.length) {
                        try (ReadResult r = f.readAt(pos, block.length)) {
                            byte expected = (byte) (pos / block.length + 1);
                            for (int k = 0; k < r.len(); k += 4096) {
                                intact &= r.get(k) == expected;
                            }
                            intact &= r.len() == block.length;
                        }
                    }
                    System.out.println("intact=" + intact);
                }
                return null;
            });
        }
    }

    /**
     * Child entry point for {@link BufferedFile#writeAtInline}: args = file, limit bytes. Writes 100,000-byte
     * chunks until an error; prints "part=N" for a short write and "error=..." with the errno name.
     */
    public static final class InlineChild {
        public static void main(String[] args) throws Exception {
            Path file = Path.of(args[0]);
            long limit = Long.parseLong(args[1]);
            if (FileSyscalls.setrlimit(FileSyscalls.RLIMIT_FSIZE, limit, limit) != 0) {
                System.out.println("setrlimit failed");
                return;
            }
            LocalExecutor.create().run(() -> {
                long written = 0;
                try (BufferedFile f = BufferedFile.create(file)) {
                    byte[] chunk = new byte[100_000];
                    Arrays.fill(chunk, (byte) 7);
                    for (int i = 0; i < 100; i++) {
                        int n = f.writeAtInline(chunk, 0, chunk.length, written);
                        written += n;
                        if (n < chunk.length) {
                            System.out.println("part=" + n);
                        }
                    }
                    System.out.println("no error");
                } catch (ErrnoException e) {
                    System.out.println("error=" + e.getMessage() + " errno=" + e.errno() + " reason=" + e.reason());
                }
                System.out.println("written=" + written);
                return null;
            });
        }
    }

    static String runChild(Path file, long limit) throws Exception {
        return runChild(Child.class, file, limit);
    }

    static String runChild(Class<?> main, Path file, long limit) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), main.getName(), file.toString(),
                Long.toString(limit)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return out;
    }

    @Test
    void shouldReportEfbigAndKeepEarlierData(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("limited.dat");
        String out = runChild(file, 1 << 20);
        assertTrue(out.contains("error=write(" + file + ") failed: EFBIG (File too large)"), out);
        assertTrue(out.contains("written=1048576"), out);
        assertTrue(out.contains("intact=true"), out);
        assertEquals(1 << 20, Files.size(file));
    }

    @Test
    void shouldReturnThePartAnInlineWriteGotInThenReportEfbig(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("inline.dat");
        String out = runChild(InlineChild.class, file, 1 << 20);
        // 10 whole chunks, then the 48,576 bytes left under the limit, then the error on the next call.
        assertTrue(out.contains("part=48576"), out);
        assertTrue(out.contains("error=write(" + file + ") failed: EFBIG (File too large) errno=27 reason=File too large"),
                out);
        assertTrue(out.contains("written=1048576"), out);
        assertEquals(1 << 20, Files.size(file));
    }

    @Test
    void shouldReportEnospcOnAFullFileSystem(@TempDir Path dir) throws Exception {
        Path mnt = Files.createDirectories(dir.resolve("small"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mnt.toString())
                .redirectErrorStream(true).start();
        boolean mounted = mount.waitFor(10, TimeUnit.SECONDS) && mount.exitValue() == 0;
        assumeTrue(mounted, "cannot mount a small tmpfs here (needs root)");
        try {
            String out = runChild(mnt.resolve("full.dat"), -1);
            assertTrue(out.contains("ENOSPC (No space left on device)"), out);
            assertTrue(out.contains("intact=true"), out);
        } finally {
            new ProcessBuilder("umount", mnt.toString()).start().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
