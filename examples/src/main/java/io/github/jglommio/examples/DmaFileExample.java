package io.github.jglommio.examples;

import io.github.jglommio.LocalExecutor;
import io.github.jglommio.io.DmaFile;
import io.github.jglommio.io.ReadResult;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The guide's §6.1 (DMA file I/O) and §6.3 (zero-copy reads). Direct I/O bypasses the page cache; a
 * read returns a view of the very buffer the device wrote into.
 */
public final class DmaFileExample {

    private DmaFileExample() {
    }

    /** §6.1: create, write 4 KiB, read it back, close. Returns the bytes read. */
    static int section61(Path path) {
        return LocalExecutor.create().run(() -> {
            DmaFile file = DmaFile.create(path);                   // create the file
            byte[] data = new byte[4096];                          // write (zero-copy into an aligned buffer)
            int written = file.writeAt(data, 0);
            System.out.println("Written " + written + " bytes" + (file.isDirect() ? " with O_DIRECT" : " (buffered)")
                    + ", alignment " + file.alignment());
            int read;
            try (ReadResult buf = file.readAt(0, 4096)) {          // read (zero-copy view)
                read = buf.len();
                System.out.println("Read " + read + " bytes");
            }
            file.close();
            return read;
        });
    }

    /** §6.3: a zero-copy read vs reading the whole file through the JDK. Returns {dma bytes, jdk bytes}. */
    static long[] section63(Path path) throws Exception {
        Files.write(path, new byte[1 << 20]);
        long offset = 12_345;
        int length = 100_000;
        long dma = LocalExecutor.create().run(() -> {
            // ✅ jglommio: the read lands in an aligned executor buffer; the result is a view of it
            try (DmaFile file = DmaFile.openReadOnly(path); ReadResult buf = file.readAt(offset, length)) {
                System.out.println("DMA read: " + buf.len() + " bytes at offset " + offset
                        + ", zero-copy view (" + buf.segment().isNative() + " native memory)");
                return (long) buf.len();
            }
        });
        // ❌ the JDK's blocking read: page cache → heap copy, and the executor thread would block
        byte[] all = Files.readAllBytes(path);
        System.out.println("Files.readAllBytes: " + all.length + " bytes copied into the heap");
        return new long[] {dma, all.length};
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("jglommio.dataDir", "/tmp")), "jglommio-dma");
        try {
            System.out.println("== guide §6.1: DMA file I/O ==");
            section61(dir.resolve("test.dat"));
            System.out.println("== guide §6.3: zero copy ==");
            section63(dir.resolve("file"));
        } finally {
            try (var s = Files.list(dir)) {
                for (Path p : s.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }
}
