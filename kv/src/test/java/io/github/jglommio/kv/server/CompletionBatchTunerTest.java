package io.github.jglommio.kv.server;

import io.github.jglommio.IoUring;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code --completion-batch auto}: batching follows the number of active connections. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CompletionBatchTunerTest {

    @TempDir
    Path dir;

    @Test
    void shouldBatchHalfTheActiveConnectionsFromEightUpToSixteen() {
        assertEquals(1, CompletionBatchTuner.batchFor(0));
        assertEquals(1, CompletionBatchTuner.batchFor(1));
        assertEquals(1, CompletionBatchTuner.batchFor(7));
        assertEquals(4, CompletionBatchTuner.batchFor(8));
        assertEquals(12, CompletionBatchTuner.batchFor(25));
        assertEquals(16, CompletionBatchTuner.batchFor(32));
        assertEquals(16, CompletionBatchTuner.batchFor(10_000));
    }

    /** The completion_batch of every shard in INFO shards. */
    private static List<Integer> batches(Jedis j) {
        List<Integer> out = new ArrayList<>();
        Matcher m = Pattern.compile("completion_batch=(\\d+)").matcher(j.info("shards"));
        while (m.find()) {
            out.add(Integer.parseInt(m.group(1)));
        }
        return out;
    }

    @Test
    void shouldBatchWhileManyClientsAreBusyAndStopWhenTheyLeave() throws Exception {
        assumeTrue(IoUring.supportsCompletionBatching(), "kernel lacks io_uring min_wait_usec (Linux 6.12+)");
        try (KvServer server = KvServer.start(KvConfig.defaults().withPort(0).with("dir", dir.toString())
                .with("pin", "no").with("appendonly", "no").with("shards", "1"));
             Jedis observer = new Jedis("127.0.0.1", server.port())) {
            assertEquals(List.of(1), batches(observer));
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> clients = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                clients.add(Thread.ofPlatform().start(() -> {
                    try (Jedis j = new Jedis("127.0.0.1", server.port())) {
                        while (!stop.get()) {
                            j.ping();
                        }
                    }
                }));
            }
            try {
                // 24 busy connections on one shard: batches of 12 once a window has seen them all.
                while (batches(observer).get(0) == 1) {
                    Thread.sleep(20);
                }
                int batch = batches(observer).get(0);
                assertTrue(batch >= 4 && batch <= 12, "completion_batch=" + batch);
            } finally {
                stop.set(true);
                for (Thread t : clients) {
                    t.join();
                }
            }
            // Only the observer is left: back to waking for every completion.
            while (batches(observer).get(0) != 1) {
                Thread.sleep(20);
            }
            assertEquals("PONG", observer.ping());
        }
    }
}
