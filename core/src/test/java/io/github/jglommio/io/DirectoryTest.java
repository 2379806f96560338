package io.github.jglommio.io;

import io.github.jglommio.LocalExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class DirectoryTest {

    @TempDir
    Path tmp;

    static <T> T onExecutor(Callable<T> body) {
        return LocalExecutor.create().run(body);
    }

    @Test
    void shouldCreateFilesListSyncAndRemoveThem() {
        Path d = tmp.resolve("d");
        onExecutor(() -> {
            try (Directory dir = Directory.create(d)) {
                for (String name : List.of("b", "c", "a")) {
                    try (DmaFile f = dir.createFile(name)) {
                        f.writeAt(new byte[512], 0);
                    }
                }
                long syncs = LocalExecutor.current().ioStats().fileSyncs();
                dir.sync();
                assertEquals(1, LocalExecutor.current().ioStats().fileSyncs() - syncs);
                assertEquals(List.of("a", "b", "c"), dir.list());
                try (DmaFile f = dir.openFile("b")) {
                    assertEquals(512, f.fileSize());
                }
                Files.remove(d.resolve("a"));
                assertFalse(Files.exists(d.resolve("a")));
                assertTrue(Files.exists(d.resolve("b")));
                assertEquals(List.of("b", "c"), dir.list());
                Files.rename(d.resolve("c"), d.resolve("z"));
                assertEquals(List.of("b", "z"), dir.list());
            }
            try (Directory again = Directory.create(d)) { // an existing directory is fine, as in Glommio
                assertEquals(List.of("b", "z"), again.list());
            }
            return null;
        });
        assertTrue(java.nio.file.Files.isDirectory(d));
    }

    @Test
    void shouldListADirectoryOfMoreThanAThousandEntriesInBothWays() throws IOException {
        Path d = java.nio.file.Files.createDirectory(tmp.resolve("big"));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            // ~56-byte records: 1500 of them take three getdents64 batches of 32 KiB.
            String name = String.format("entry-%05d-%s", i, "x".repeat(20));
            java.nio.file.Files.createFile(d.resolve(name));
            expected.add(name);
        }
        java.nio.file.Files.createDirectory(d.resolve("sub-directory"));
        expected.add("sub-directory");
        expected.sort(null);
        onExecutor(() -> {
            try (Directory dir = Directory.open(d)) {
                assertEquals(expected, dir.list());
                List<String> streamed;
                try (Stream<String> s = dir.stream()) {
                    streamed = s.toList();
                }
                assertEquals(expected.size(), streamed.size(), "no entry twice, none missing");
                assertEquals(new HashSet<>(expected), new HashSet<>(streamed));
                try (Stream<String> s = dir.stream()) {
                    assertEquals(10, s.limit(10).count(), "stopping early and closing is fine");
                }
                assertEquals(expected, dir.list(), "a listing starts from the top every time");
            }
            return null;
        });
    }

    @Test
    void shouldListAnEmptyDirectoryAndOneThatWasRenamed() throws IOException {
        Path d = java.nio.file.Files.createDirectory(tmp.resolve("empty"));
        Path moved = tmp.resolve("moved");
        onExecutor(() -> {
            try (Directory dir = Directory.open(d)) {
                assertEquals(List.of(), dir.list());
                try (Stream<String> s = dir.stream()) {
                    assertEquals(0, s.count());
                }
                java.nio.file.Files.createFile(d.resolve("only"));
                Files.rename(d, moved);
                assertEquals(List.of("only"), dir.list(), "the open directory is listed, whatever its name now");
            }
            return null;
        });
    }

    @Test
    void shouldReportMissingDirectoriesWithErrnoAndPath() throws IOException {
        Path missing = tmp.resolve("missing");
        Path nested = missing.resolve("child");
        Path file = java.nio.file.Files.createFile(tmp.resolve("plain"));
        onExecutor(() -> {
            NoSuchFileException open = assertThrows(NoSuchFileException.class, () -> Directory.open(missing));
            assertEquals("openat(" + missing + ") failed: ENOENT (No such file or directory)", open.getMessage());
            NoSuchFileException create = assertThrows(NoSuchFileException.class, () -> Directory.create(nested));
            assertEquals("mkdirat(" + nested + ") failed: ENOENT (No such file or directory)", create.getMessage());
            NotDirectoryException notDir = assertThrows(NotDirectoryException.class, () -> Directory.open(file));
            assertTrue(notDir.getMessage().contains("ENOTDIR") && notDir.getMessage().contains(file.toString()),
                    notDir.getMessage());
            assertThrows(NotDirectoryException.class, () -> Directory.create(file));
            return null;
        });
    }

    @Test
    void shouldRemoveFilesAndEmptyDirectoriesAndNameTheRest() throws IOException {
        Path full = java.nio.file.Files.createDirectory(tmp.resolve("full"));
        java.nio.file.Files.createFile(full.resolve("x"));
        Path empty = tmp.resolve("empty");
        Path missing = tmp.resolve("missing");
        onExecutor(() -> {
            Files.createDirectory(empty);
            FileAlreadyExistsException exists = assertThrows(FileAlreadyExistsException.class,
                    () -> Files.createDirectory(empty));
            assertTrue(exists.getMessage().contains("EEXIST"), exists.getMessage());
            assertTrue(Files.exists(empty));
            Files.remove(empty);
            assertFalse(Files.exists(empty));
            DirectoryNotEmptyException notEmpty = assertThrows(DirectoryNotEmptyException.class, () -> Files.remove(full));
            assertEquals("rmdir(" + full + ") failed: ENOTEMPTY (Directory not empty)", notEmpty.getMessage());
            NoSuchFileException gone = assertThrows(NoSuchFileException.class, () -> Files.remove(missing));
            assertEquals("unlinkat(" + missing + ") failed: ENOENT (No such file or directory)", gone.getMessage());
            assertFalse(Files.exists(full.resolve("x/below-a-file")), "ENOTDIR means it does not exist");
            return null;
        });
        assertTrue(java.nio.file.Files.exists(full.resolve("x")));
    }

    @Test
    void shouldRejectBadNamesUseAfterCloseAndOtherExecutors() {
        Path d = tmp.resolve("guarded");
        Directory[] kept = new Directory[1];
        onExecutor(() -> {
            Directory dir = Directory.create(d);
            for (String bad : new String[] {"", ".", "..", "a/b", "/abs"}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> dir.createFile(bad),
                        "name '" + bad + "'");
                assertTrue(e.getMessage().contains("one path component"), e.getMessage());
            }
            dir.close();
            dir.close();
            assertFalse(dir.isOpen());
            assertThrows(ClosedChannelException.class, dir::list);
            assertThrows(ClosedChannelException.class, dir::sync);
            assertThrows(ClosedChannelException.class, dir::stream);
            kept[0] = Directory.open(d);
            return null;
        });
        onExecutor(() -> {
            assertThrows(WrongThreadException.class, () -> kept[0].list());
            assertThrows(WrongThreadException.class, () -> kept[0].sync());
            return null;
        });
        assertThrows(IllegalStateException.class, () -> Directory.open(d), "outside a task");
    }
}
