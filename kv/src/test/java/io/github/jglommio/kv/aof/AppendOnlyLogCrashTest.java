package io.github.jglommio.kv.aof;

import io.github.jglommio.LocalExecutor;
import io.github.jglommio.Task;
import io.github.jglommio.sys.FileSyscalls;
import io.github.jglommio.timer.Timer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.github.jglommio.kv.aof.AppendOnlyLogTest.replay;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The durability promise against real process death: a child JVM appends under each policy and prints
 * every acknowledged record; the parent kills it with SIGKILL (or lets a file size limit make its
 * writes fail for a while) and replays the log.
 */
@Timeout(180)
class AppendOnlyLogCrashTest {

    @TempDir
    Path dir;

    /**
     * Child entry point: args = directory, value size, whether to rewrite automatically, policy, and
     * "recover" to lift the file size limit 1.5 s after the first failure. 8 writer tasks SET keys and
     * print "ack <key> <n>" per durable record; a failed wait prints "error=..." and the writer goes on
     * (as a client that retries). With "recover", once 200 records were acknowledged after the limit
     * went, the child closes the log and prints "state <key> <value>" for its whole state, then "done".
     */
    public static final class Child {
        public static void main(String[] args) {
            Path dir = Path.of(args[0]);
            int valueSize = Integer.parseInt(args[1]);
            boolean rewrite = Boolean.parseBoolean(args[2]);
            FsyncPolicy policy = FsyncPolicy.parse(args[3]);
            boolean recover = args.length > 4 && args[4].equals("recover");
            String value = "v".repeat(valueSize);
            LocalExecutor.create().run(() -> {
                MapStateMachine state = new MapStateMachine();
                // Small rewrite thresholds: the kill also lands during rewrites and installations.
                AppendOnlyLog log = new AppendOnlyLogBuilder(dir, 0, state).withFsyncPolicy(policy)
                        .withAutoRewrite(rewrite ? 50 : 0, 32 << 10).open();
                boolean[] failed = new boolean[1];
                long[] acksAfterLift = {-1};
                List<Task<Void>> writers = new ArrayList<>();
                for (int w = 0; w < 8; w++) {
                    int writer = w;
                    writers.add(Task.local(() -> {
                        for (int i = 0; acksAfterLift[0] < 200; i++) {
                            String key = "w" + writer + "-" + (i % 500);
                            long token = log.append(state.execute("SET", key, i + ":" + value));
                            try {
                                log.awaitDurable(token);
                            } catch (IOException e) {
                                if (!failed[0]) {
                                    failed[0] = true;
                                    System.out.println("error=" + e.getMessage());
                                }
                                Timer.sleep(Duration.ofMillis(20)); // the client backs off, then goes on
                                continue;
                            }
                            if (acksAfterLift[0] >= 0) {
                                acksAfterLift[0]++;
                            }
                            System.out.println("ack " + key + " " + i);
                            System.out.flush();
                        }
                        return null;
                    }));
                }
                if (recover) {
                    while (!failed[0]) {
                        Timer.sleep(Duration.ofMillis(10));
                    }
                    Timer.sleep(Duration.ofMillis(1500));
                    System.out.println("lift=" + FileSyscalls.setrlimit(FileSyscalls.RLIMIT_FSIZE,
                            FileSyscalls.RLIM_INFINITY, FileSyscalls.RLIM_INFINITY));
                    acksAfterLift[0] = 0;
                }
                writers.forEach(Task::join);
                AofStats stats = log.stats();
                try {
                    log.close();
                } catch (IOException e) {
                    System.out.println("close=" + e.getMessage());
                }
                System.out.println("failures=" + stats.writeFailures());
                state.map.forEach((k, v) -> System.out.println("state " + k + " " + v));
                System.out.println("done");
                System.out.flush();
                return null;
            });
        }
    }

    private Process startChild(boolean rewrite, FsyncPolicy policy, String mode, String... prefix) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(prefix));
        cmd.addAll(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Child.class.getName(), dir.toString(), "100",
                Boolean.toString(rewrite), policy.configName(), mode));
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

    /**
     * kill -9 at three points of the child's run (early, after many group commits, after rewrites), under
     * each policy: the acknowledged writes are in the page cache or on disk, and a process death loses
     * neither.
     */
    @ParameterizedTest
    @EnumSource(FsyncPolicy.class)
    void shouldKeepEveryAcknowledgedWriteAfterKill9(FsyncPolicy policy) throws Exception {
        for (int killAfter : new int[] {50, 3_000, 20_000}) {
            Map<String, Integer> lastAcked = new java.util.HashMap<>();
            Process child = startChild(true, policy, "run");
            int acks = 0;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while (acks < killAfter && (line = out.readLine()) != null) {
                    assertTrue(line.startsWith("ack "), line);
                    recordAck(line, lastAcked);
                    acks++;
                }
                // SIGKILL: no shutdown hook, no close. (It also closes our end of the pipe, so acks printed
                // but not read yet go unchecked.)
                child.destroyForcibly();
            } finally {
                child.destroyForcibly();
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            }
            assertEquals(killAfter, acks, "the child stopped early");
            assertAcknowledgedPresent(lastAcked, replay(dir).map);
        }
    }

    /**
     * A 1 MiB file size limit (soft; the hard limit stays unlimited, so the child can lift it): writes
     * fail with EFBIG, waiters get the error, nothing acknowledged is lost; once the child lifts the
     * limit the log's retry writes everything it kept, writes are acknowledged again, and the file
     * holds exactly the child's final state, the records whose wait failed included.
     */
    @ParameterizedTest
    @EnumSource(FsyncPolicy.class)
    void shouldFailWaitersWhileTheFileCannotGrowThenRecoverWithNothingLost(FsyncPolicy policy) throws Exception {
        // The JVM ignores SIGXFSZ, so the write that crosses the limit fails with EFBIG.
        Process child = startChild(false, policy, "recover", "prlimit", "--fsize=" + (1 << 20) + ":unlimited");
        Map<String, Integer> lastAcked = new java.util.HashMap<>();
        Map<String, String> finalState = new java.util.TreeMap<>();
        List<String> other = new ArrayList<>();
        int acksAfterLift = 0;
        boolean lifted = false;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("ack ")) {
                    recordAck(line, lastAcked);
                    acksAfterLift += lifted ? 1 : 0;
                } else if (line.startsWith("state ")) {
                    String[] parts = line.split(" ", 3);
                    finalState.put(parts[1], parts[2]);
                } else {
                    lifted |= line.startsWith("lift=");
                    other.add(line);
                }
            }
        } finally {
            assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        }
        assertEquals("done", other.getLast(), other.toString());
        assertTrue(other.stream().anyMatch(l -> l.startsWith("error=") && l.contains("EFBIG (File too large)")),
                other.toString());
        assertTrue(other.contains("lift=0"), other.toString());
        assertTrue(acksAfterLift >= 200, "acknowledged after the limit went: " + acksAfterLift);
        assertTrue(other.stream().noneMatch(l -> l.startsWith("close=")), "close failed: " + other);
        long failures = Long.parseLong(other.stream().filter(l -> l.startsWith("failures=")).findFirst()
                .orElseThrow().substring("failures=".length()));
        assertTrue(failures >= 1, other.toString());
        Map<String, String> replayed = replay(dir).map;
        assertAcknowledgedPresent(lastAcked, replayed);
        assertEquals(finalState, replayed, "the log holds every record, also those whose wait failed");
    }
}
