package io.github.jglommio.kv.aof;

import io.github.jglommio.LocalExecutor;
import io.github.jglommio.Task;
import io.github.jglommio.kv.resp.Command;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.github.jglommio.kv.aof.AppendOnlyLogTest.replay;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The durability promise against real process death: a child JVM appends under
 * {@link FsyncPolicy#ALWAYS} and prints every acknowledged record; the parent kills it with SIGKILL (or
 * lets a file size limit make its writes fail) and replays the log.
 */
@Timeout(180)
class AppendOnlyLogCrashTest {

    @TempDir
    Path dir;

    /**
     * Child entry point: args = directory, value size, whether to rewrite automatically. Prints
     * "ack <key> <n>" per durable record; after a failure "error=", "refused=", "close=" lines; "done" last.
     */
    public static final class Child {
        public static void main(String[] args) {
            Path dir = Path.of(args[0]);
            int valueSize = Integer.parseInt(args[1]);
            boolean rewrite = Boolean.parseBoolean(args[2]);
            String value = "v".repeat(valueSize);
            LocalExecutor.create().run(() -> {
                MapStateMachine state = new MapStateMachine();
                // Small rewrite thresholds: the kill also lands during rewrites and installations.
                AppendOnlyLog log = new AppendOnlyLogBuilder(dir, 0, state).withFsyncPolicy(FsyncPolicy.ALWAYS)
                        .withAutoRewrite(rewrite ? 50 : 0, 32 << 10).open();
                List<Task<Void>> writers = new ArrayList<>();
                for (int w = 0; w < 8; w++) {
                    int writer = w;
                    writers.add(Task.local(() -> {
                        for (int i = 0; ; i++) {
                            String key = "w" + writer + "-" + (i % 500);
                            String v = i + ":" + value;
                            long token;
                            try {
                                token = log.append(state.execute("SET", key, v));
                                log.awaitDurable(token);
                            } catch (IOException e) {
                                System.out.println("error=" + e.getMessage());
                                try {
                                    log.append(Command.of("SET", "after", "failure"));
                                    System.out.println("refused=no");
                                } catch (IOException again) {
                                    System.out.println("refused=" + again.getMessage());
                                }
                                System.out.flush();
                                return null;
                            }
                            System.out.println("ack " + key + " " + i);
                            System.out.flush();
                        }
                    }));
                }
                writers.forEach(Task::join);
                try {
                    log.close();
                } catch (IOException e) {
                    System.out.println("close=" + e.getMessage());
                }
                System.out.println("done");
                System.out.flush();
                return null;
            });
        }
    }

    private Process startChild(boolean rewrite, String... prefix) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(prefix));
        cmd.addAll(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Child.class.getName(), dir.toString(), "100",
                Boolean.toString(rewrite)));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** Verifies that the replayed state holds, for every key, the last acknowledged write or a later one. */
    private static void assertAcknowledgedPresent(Map<String, Integer> lastAcked, Map<String, String> replayed) {
        for (Map.Entry<String, Integer> e : lastAcked.entrySet()) {
            String v = replayed.get(e.getKey());
            assertTrue(v != null, "acknowledged key " + e.getKey() + " is missing");
            int seq = Integer.parseInt(v.substring(0, v.indexOf(':')));
            assertTrue(seq >= e.getValue(), "key " + e.getKey() + ": acknowledged write " + e.getValue()
                    + " lost, the log has " + seq);
        }
    }

    private static void recordAck(String line, Map<String, Integer> lastAcked) {
        String[] parts = line.split(" ");
        lastAcked.merge(parts[1], Integer.parseInt(parts[2]), Math::max);
    }

    @Test
    void shouldKeepEveryAcknowledgedWriteAfterKill9() throws Exception {
        Map<String, Integer> lastAcked = new java.util.HashMap<>();
        Process child = startChild(true);
        int acks = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (acks < 20_000 && (line = out.readLine()) != null) {
                assertTrue(line.startsWith("ack "), line);
                recordAck(line, lastAcked);
                acks++;
            }
            // SIGKILL: no shutdown hook, no close. (It also closes our end of the pipe, so acks printed but
            // not read yet go unchecked.)
            child.destroyForcibly();
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(20_000, acks, "the child stopped early");
        assertAcknowledgedPresent(lastAcked, replay(dir).map);
    }

    @Test
    void shouldFailWaitersAndRefuseWritesWhenTheDiskIsFull() throws Exception {
        // RLIMIT_FSIZE of 1 MiB: the write that crosses it fails with EFBIG (the JVM ignores SIGXFSZ).
        Process child = startChild(false, "prlimit", "--fsize=" + (1 << 20));
        Map<String, Integer> lastAcked = new java.util.HashMap<>();
        List<String> errors = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("ack ")) {
                    recordAck(line, lastAcked);
                } else {
                    errors.add(line);
                }
            }
        } finally {
            assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        }
        assertTrue(lastAcked.size() > 100, "acknowledged " + lastAcked.size());
        assertEquals("done", errors.getLast(), errors.toString());
        List<String> failures = errors.stream().filter(l -> l.startsWith("error=")).toList();
        assertEquals(8, failures.size(), errors.toString());
        assertTrue(failures.stream().anyMatch(l -> l.contains("EFBIG")), failures.toString());
        assertTrue(errors.stream().filter(l -> l.startsWith("refused=")).allMatch(l -> l.contains("refuses writes")),
                errors.toString());
        assertAcknowledgedPresent(lastAcked, replay(dir).map);
    }
}
