package io.github.jglommio.kv.server;

import io.github.jglommio.net.TcpStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.InterruptedByTimeoutException;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One MONITOR connection's feed: the lines every shard offers, written to the socket by the
 * connection's own task, so that its replies and the lines never interleave mid-write. While it
 * waits for its client's next request the task wakes every {@value #POLL_MS} ms to write what
 * arrived (a socket read cannot be woken from another thread), so a line reaches the client at most
 * that late and an idle monitor costs 100 wake-ups a second.
 *
 * <p>A client that does not read its feed is closed once {@value #MAX_PENDING} lines wait, as Redis
 * closes a monitor past its output buffer limit.
 *
 * <p>Threading: {@link #offer} from any shard; the rest on the connection's task.
 */
final class Monitor {

    private static final long POLL_MS = 10;
    private static final int MAX_PENDING = 1 << 20;
    private static final int CHUNK = 60 << 10;

    private final ConcurrentLinkedQueue<byte[]> lines = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private volatile boolean overflowed;

    /** Queues a line for the client. Any thread. */
    void offer(byte[] line) {
        if (pending.incrementAndGet() > MAX_PENDING) {
            pending.decrementAndGet();
            overflowed = true;
            return;
        }
        lines.add(line);
    }

    /**
     * Reads the client's next bytes into {@code in} as {@code stream.read} does, writing the queued
     * lines while it waits.
     *
     * @throws IOException when the socket fails, or the client fell too far behind its feed
     */
    int read(TcpStream stream, byte[] in) throws IOException {
        stream.setReadTimeout(Duration.ofMillis(POLL_MS));
        try {
            while (true) {
                flush(stream);
                try {
                    return stream.read(in, 0, in.length);
                } catch (InterruptedByTimeoutException e) {
                    // nothing from the client: write what the shards sent meanwhile
                }
            }
        } finally {
            stream.setReadTimeout(null);
        }
    }

    /** Writes every queued line. */
    void flush(TcpStream stream) throws IOException {
        if (overflowed) {
            throw new IOException("MONITOR client closed: it did not read its feed");
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] line;
        while ((line = lines.poll()) != null) {
            pending.decrementAndGet();
            buf.writeBytes(line);
            if (buf.size() >= CHUNK) {
                stream.writeAll(buf.toByteArray());
                buf.reset();
            }
        }
        if (buf.size() > 0) {
            stream.writeAll(buf.toByteArray());
        }
    }
}
