package io.github.jglommio.kv.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** End to end with the real {@code redis-cli} (Debian redis-tools); skipped where it is not installed. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisCliTest {

    private static KvServer server;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(redisCli() != null, "redis-cli is not installed (apt-get install redis-tools)");
        server = KvServer.start(KvServerTest.config(dir).with("shards", "2").with("appendonly", "no"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static Path redisCli() {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(d, "redis-cli");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    private static String cli(String stdin, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(redisCli().toString(), "-p", Integer.toString(server.port())));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "redis-cli did not finish");
        return out.strip();
    }

    @Test
    void shouldRunCommandsFromTheCommandLine() throws Exception {
        assertEquals("PONG", cli(null, "ping"));
        assertEquals("OK", cli(null, "set", "cli:key", "hello world"));
        assertEquals("hello world", cli(null, "get", "cli:key"));
        assertEquals("1", cli(null, "incr", "cli:n"));
        assertEquals("OK", cli(null, "mset", "cli:a", "1", "cli:b", "2", "cli:c", "3"));
        assertEquals("1\n2\n3", cli(null, "mget", "cli:a", "cli:b", "cli:c"));
        assertTrue(cli(null, "info", "server").contains("redis_version:7.0.0"));
        assertTrue(cli(null, "nosuchcommand").startsWith("ERR unknown command"));
    }

    @Test
    void shouldLoadAPipeOfCommandsWithMassInsertion() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            sb.append(new String(RespClient.encode("SET", "pipe:" + i, Integer.toString(i)), StandardCharsets.UTF_8));
        }
        String out = cli(sb.toString(), "--pipe");
        assertTrue(out.contains("errors: 0, replies: 1000"), out);
        assertEquals("999", cli(null, "get", "pipe:999"));
        String keys = cli(null, "--scan", "--pattern", "pipe:*");
        assertEquals(1000, keys.lines().count());
    }
}
