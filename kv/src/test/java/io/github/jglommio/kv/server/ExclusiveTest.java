package io.github.jglommio.kv.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One server per port and per data directory: a second one fails at start and says why. */
class ExclusiveTest {

    @TempDir
    Path dir;

    @Test
    void shouldRefuseASecondServerOnTheSamePortOrDirectory() throws Exception {
        int port = freePort();
        Path first = Files.createDirectories(dir.resolve("first"));
        Process a = PersistenceTest.startServer(port, first);
        try {
            PersistenceTest.awaitPing(port, a, first);

            Path other = Files.createDirectories(dir.resolve("other"));
            Process samePort = PersistenceTest.startServer(port, other);
            assertTrue(samePort.waitFor(60, TimeUnit.SECONDS), "the second server exits");
            assertNotEquals(0, samePort.exitValue());
            String why = Files.readString(other.resolve("child.log"));
            assertTrue(why.contains("port " + port) && why.contains("already in use"), why);

            int port2 = freePort();
            Process sameDir = PersistenceTest.startServer(port2, first, "--appendonly", "yes");
            assertTrue(sameDir.waitFor(60, TimeUnit.SECONDS), "the server on the same directory exits");
            assertNotEquals(0, sameDir.exitValue());
            // Its output went to first/child.log too (startServer writes there): read it after it exited.
            String dirWhy = Files.readString(first.resolve("child.log"));
            assertTrue(dirWhy.contains("in use by another server (pid " + a.pid() + ","), dirWhy);
        } finally {
            a.destroyForcibly();
            a.waitFor();
        }
    }

    @Test
    void shouldReleaseTheDirectoryWhenTheServerCloses() throws IOException {
        KvServer one = KvServer.start(KvServerTest.config(dir).with("appendonly", "no"));
        try {
            IOException e = assertThrows(IOException.class,
                    () -> KvServer.start(KvServerTest.config(dir).with("appendonly", "no")));
            assertTrue(e.getMessage().contains("data directory " + dir + " is in use by another server (pid "
                    + ProcessHandle.current().pid()), e.getMessage());
        } finally {
            one.close();
        }
        KvServer again = KvServer.start(KvServerTest.config(dir).with("appendonly", "no"));
        try {
            assertEquals(Long.toString(ProcessHandle.current().pid()),
                    Files.readString(dir.resolve(Exclusive.LOCK_FILE)).strip());
        } finally {
            again.close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
