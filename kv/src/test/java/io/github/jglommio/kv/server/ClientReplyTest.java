package io.github.jglommio.kv.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** CLIENT REPLY ON/OFF/SKIP against redis-server 7.0: which replies are sent, byte for byte. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientReplyTest {
    @TempDir
    static Path dir;
    private static Oracle oracle;

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(Oracle.available(), Oracle.MISSING);
        oracle = Oracle.start(dir, 2);
    }

    @AfterAll
    static void stop() throws IOException {
        if (oracle != null) {
            oracle.close();
        }
    }

    @BeforeEach
    void flush() throws IOException {
        oracle.flush();
    }

    private static String[] r(String... args) {
        return args;
    }

    @Test
    void shouldSendNothingWhileRepliesAreOff() throws IOException {
        String replies = oracle.pipeline(r("CLIENT", "REPLY", "OFF"), r("SET", "a", "1"), r("GET", "a"),
                r("MGET", "a", "b", "c", "d"), r("NOSUCH"), r("CLIENT", "REPLY", "ON"), r("GET", "a"));
        assertEquals("+OK\r\n$1\r\n1\r\n", replies);
    }

    @Test
    void shouldDropOnlyTheNextReplyAfterSkip() throws IOException {
        String replies = oracle.pipeline(r("CLIENT", "REPLY", "SKIP"), r("SET", "a", "1"), r("INCR", "n"),
                r("CLIENT", "REPLY", "SKIP"), r("DBSIZE"), r("GET", "a"));
        assertEquals(":1\r\n$1\r\n1\r\n", replies);
    }

    @Test
    void shouldAnswerBadModesAndArityAsRedis() throws IOException {
        oracle.same("CLIENT", "REPLY", "MAYBE");
        oracle.same("CLIENT", "REPLY");
        oracle.same("CLIENT", "REPLY", "ON", "extra");
        oracle.same("client", "reply", "on");
    }
}
