package io.github.jglommio.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TxLoadTest {

    @Test
    void shouldRunEveryTransactionAgainstARealRedis(@TempDir Path dir) throws Exception {
        assumeTrue(RedisBenchmark.onPath("redis-server") && RedisBenchmark.onPath("taskset"),
                "redis-server or taskset is not installed (apt-get install redis-server util-linux)");
        int port = RedisBenchmark.freePort();
        Process redis = RedisBenchmark.start(List.of("redis-server", "--port", Integer.toString(port), "--bind",
                "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()), dir.resolve("log"));
        try {
            RedisBenchmark.awaitPing(port, redis, "redis-server", dir.resolve("log"));
            RedisBenchmark.Result r = RedisBenchmark.runTransactions("0,1", port, 4, 16, 1, 1000);
            assertFalse(Double.isNaN(r.rps()), "TxLoad printed its result line");
            assertTrue(r.p99Ms() >= r.p50Ms(), "percentiles in order");
            // One key, 1000 transactions, each one INCR: the counter says every one ran, once.
            assertEquals("1000", call(port, "*2\r\n$3\r\nGET\r\n$4\r\ntx:0\r\n"), "every transaction's INCR ran");
        } finally {
            RedisBenchmark.stop(redis);
        }
        assertTrue(Files.exists(dir.resolve("log")));
    }

    private static String call(int port, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream o = s.getOutputStream();
            o.write(request.getBytes(StandardCharsets.US_ASCII));
            o.flush();
            InputStream in = s.getInputStream();
            String header = readLine(in);
            return header.startsWith("$") ? readLine(in) : header; // a bulk string: its text
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = in.read()) != '\r') {
            sb.append((char) b);
        }
        in.read();
        return sb.toString();
    }
}
