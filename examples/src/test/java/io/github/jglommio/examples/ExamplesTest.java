package io.github.jglommio.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every example runs to completion and prints what it claims. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ExamplesTest {

    private static String capture(Examples.Main main) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            main.run(new String[0]);
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldRunTheHelloPrograms() throws Exception {
        assertEquals(42, HelloExample.section11());
        String out = capture(HelloExample::main);
        assertTrue(out.contains("Hello from jglommio!"), out);
        assertTrue(out.contains("✅ Task completed"), out);
        assertTrue(out.contains("📊 Result: 42"), out);
    }

    @Test
    void shouldRunTheTour() throws Exception {
        String out = capture(TourExample::main);
        assertTrue(out.contains("io_uring available"), out);
        assertTrue(out.contains("task returned 42"), out);
        assertTrue(out.contains("order: A0 B0 A1 B1 A2 B2"), out);
        assertTrue(out.contains("Timer.timeout: operation timed out"), out);
        assertTrue(out.contains("TimerActionRepeat: 5 runs"), out);
        assertTrue(out.contains("ran on executor 'worker-0'"), out);
        assertTrue(out.contains("round trips/s"), out);
    }

    @Test
    void shouldRunTheTaskQueueExamples() throws Exception {
        String out = capture(TaskQueuesExample::main);
        assertTrue(out.contains("created high-priority (1000 shares"), out);
        assertTrue(out.contains("critical done, cleanup done"), out);
        assertTrue(out.contains("100 timer wake-ups"), out);
        // Shares 1000:100: the high queue must get clearly more CPU while both run.
        assertTrue(TaskQueuesExample.section52() > 3.0);
    }

    @Test
    void shouldShowTheThreeWaysToYield() throws Exception {
        String out = capture(PreemptionExample::main);
        assertTrue(out.contains("2. yieldNow: x0 y0 x1 y1 x2 y2"), out);
        assertTrue(out.contains("3. yieldTaskQueueNow: a1 b1 a2"), out);
        long[] late = PreemptionExample.yieldIfNeeded();
        assertTrue(late[1] >= 25_000, "a loop that never yields holds the timer for its whole 30 ms: " + late[1]);
    }

    @Test
    void shouldPrintTheGuidesStats() throws Exception {
        String out = capture(StatsExample::main);
        assertTrue(out.contains("Total tasks: 1001"), out);
        assertTrue(out.contains("IO submissions: "), out);
        assertTrue(out.contains("Task queue 'default': shares 1000"), out);
    }

    @Test
    void shouldReportWhereEachPinnedExecutorRuns() throws Exception {
        String out = capture(PlacementExample::main);
        assertTrue(out.contains("executor 'worker-0'"), out);
        assertTrue(out.contains("allowed CPUs 0, running on CPU 0"), out);
        assertTrue(out.contains("prod-worker-0"), out);
        assertTrue(out.contains("touched a 1 MiB buffer on node 0"), out);
        for (String line : PlacementExample.section41()) {
            if (line.contains("'core-1'")) {
                assertTrue(line.contains("allowed CPUs 1, running on CPU 1"), line);
            }
        }
    }

    @Test
    void shouldRunTheDmaFileExamples(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        assertEquals(4096, DmaFileExample.section61(dir.resolve("test.dat")));
        long[] r = DmaFileExample.section63(dir.resolve("file"));
        assertEquals(100_000, r[0]);
        assertEquals(1 << 20, r[1]);
    }

    @Test
    void shouldMeasureStorage(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        java.nio.file.Path f = dir.resolve("s.dat");
        long bytes = 8L << 20;
        assertTrue(StorageExample.writeDirect(f, bytes, 4) > 0);
        assertEquals(bytes, f.toFile().length());
        assertTrue(StorageExample.scan(f, bytes, 4) > 0);
        assertTrue(StorageExample.randomRead(f, bytes, 8, 800) > 0);
        assertTrue(StorageExample.writeBuffered(dir.resolve("b.dat"), bytes) > 0);
    }

    @Test
    void shouldEchoLikeTheGuide() throws Exception {
        EchoExample.Server server = EchoExample.startServer(0);
        try {
            assertEquals("a|bb|ccc|", EchoExample.client(server.address(), java.util.List.of("a", "bb", "ccc")));
            assertTrue(EchoExample.throughput(server.address(), 8, 64, 300) > 0);
        } finally {
            server.stop().run();
        }
    }

    @Test
    void shouldRunTheChannelExamples() throws Exception {
        java.util.List<String> lines = ChannelsExample.section71(3);
        assertEquals(6, lines.size(), lines.toString());
        assertTrue(lines.contains("Executor 0 received: Hello from 2"), lines.toString());
        assertEquals(4950, ChannelsExample.section72());
        assertEquals(java.util.List.of(0, 0), ChannelsExample.sharding());
        assertEquals(10, ChannelsExample.gate());
    }

    @Test
    void shouldListEveryExample() throws Exception {
        String out = capture(a -> Examples.main(new String[] {"list"}));
        for (String name : Examples.ALL.keySet()) {
            assertTrue(out.contains(name), out);
        }
    }
}
