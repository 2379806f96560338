package io.github.jglommio;

import io.github.jglommio.timer.Timer;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MonitoringTest {

    @Test
    void shouldExposeAnMBeanWhileRunning() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        LocalExecutor ex = new LocalExecutorBuilder().name("jmx-test").make();
        ObjectName name = new ObjectName("io.github.jglommio:type=Executor,name=\"jmx-test\",id=" + ex.id());
        Object[] seen = ex.run(() -> {
            for (int i = 0; i < 10; i++) {
                Task.local(() -> 1).join();
            }
            Timer.sleep(Duration.ofMillis(1));
            return new Object[] {server.isRegistered(name), server.getAttribute(name, "TasksSpawned"),
                    server.getAttribute(name, "Name"), server.getAttribute(name, "TaskQueues")};
        });
        assertEquals(true, seen[0]);
        assertTrue((Long) seen[1] >= 11, "tasks spawned: " + seen[1]);
        assertEquals("jmx-test", seen[2]);
        assertTrue(((String[]) seen[3])[0].startsWith("default: shares=1000"));
        assertFalse(server.isRegistered(name), "unregistered when the executor stops");
    }

    @Test
    void shouldReadStatsFromAnotherThread() throws Exception {
        java.util.concurrent.CompletableFuture<Void> stop = new java.util.concurrent.CompletableFuture<>();
        ExecutorJoinHandle<Void> h = LocalExecutorBuilder.create().spawn(() -> {
            while (!stop.isDone()) {
                Task.local(() -> 1).join();
                Timer.sleep(Duration.ofMillis(1));
            }
        });
        long first = h.handle().stats().tasksSpawned();
        long later = first;
        for (int i = 0; i < 1000 && later <= first; i++) {
            Thread.sleep(5);
            later = h.handle().stats().tasksSpawned();
        }
        stop.complete(null);
        h.join();
        assertTrue(later > first, "counters move while the executor runs");
    }

    @Test
    void shouldEmitJfrEvents(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rec.jfr");
        try (Recording rec = new Recording()) {
            rec.enable("io.github.jglommio.ExecutorStats").withPeriod(Duration.ofMillis(50));
            rec.enable("io.github.jglommio.TaskQueueStats");
            rec.enable("io.github.jglommio.Stall");
            rec.start();
            new LocalExecutorBuilder().name("jfr-test").preemptTimer(Duration.ofMillis(5))
                    .detectStalls(r -> { })
                    .stallThreshold(Duration.ofMillis(5))
                    .make().run(() -> {
                        TaskQueueTest.burn(100_000_000L); // a stall
                        Timer.sleep(Duration.ofMillis(300));
                        return null;
                    });
            rec.stop();
            rec.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        assertTrue(events.stream().anyMatch(e -> e.getEventType().getName().equals("io.github.jglommio.ExecutorStats")
                && "jfr-test".equals(e.getString("executor"))), "ExecutorStats event");
        assertTrue(events.stream().anyMatch(e -> e.getEventType().getName().equals("io.github.jglommio.TaskQueueStats")
                && "default".equals(e.getString("taskQueue"))), "TaskQueueStats event");
        assertTrue(events.stream().anyMatch(e -> e.getEventType().getName().equals("io.github.jglommio.Stall")
                && e.getString("stack").contains("burn")), "Stall event");
    }
}
