package io.github.jglommio.kv.server;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One server per port and per data directory, checked before the shards start.
 *
 * <p>The shards of one server share its port with {@code SO_REUSEPORT}, which would just as well let
 * a second server process bind it and take half the connections. So the port is first bound once
 * without {@code SO_REUSEPORT} (with {@code SO_REUSEADDR}, so that connections of an earlier run in
 * TIME_WAIT do not count): that fails with EADDRINUSE while any other socket listens there, as
 * Redis's bind does. It is closed again before the shards bind.
 *
 * <p>The data directory is locked for the server's lifetime: a POSIX lock on {@value #LOCK_FILE},
 * which holds the holder's PID for the message a second server gets. The kernel drops the lock when
 * the process dies, so a kill -9 leaves nothing to clean up.
 *
 * <p>Threading: the thread that starts or closes the server.
 */
final class Exclusive implements AutoCloseable {

    static final String LOCK_FILE = "jglommio.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private Exclusive(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Fails if another process listens on {@code address}'s port; port 0 (any free port) always passes.
     *
     * @throws IOException naming the address when it is in use
     */
    static void checkPortFree(InetSocketAddress address) throws IOException {
        if (address.getPort() == 0) {
            return;
        }
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            probe.bind(address);
        } catch (BindException e) {
            throw new IOException("port " + address.getPort() + " on " + address.getAddress().getHostAddress()
                    + " is already in use by another process (EADDRINUSE): stop it or choose another --port", e);
        }
    }

    /**
     * Locks {@code dir} (creating it if needed) for this process.
     *
     * @throws IOException naming the holder's PID when another server holds it
     */
    static Exclusive lockDirectory(Path dir) throws IOException {
        Path file = dir.resolve(LOCK_FILE);
        FileChannel ch;
        try {
            Files.createDirectories(dir);
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new IOException("cannot use the data directory (--dir) " + IoErrors.describe(e), e);
        }
        try {
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException sameJvm) {
                lock = null; // another server of this JVM holds it
            }
            if (lock == null) {
                String holder = holder(ch);
                throw new IOException("data directory " + dir + " is in use by another server (pid " + holder
                        + ", per " + file + "): stop it or choose another --dir");
            }
            String pid = Long.toString(ProcessHandle.current().pid()) + "\n";
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(pid.getBytes(StandardCharsets.US_ASCII)), 0);
            return new Exclusive(ch, lock);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static String holder(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(32);
            int n = ch.read(b, 0);
            String s = n <= 0 ? "" : new String(b.array(), 0, n, StandardCharsets.US_ASCII).strip();
            return s.isEmpty() ? "unknown" : s;
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Releases the directory: after the shards stopped, so that their logs are closed first. */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
