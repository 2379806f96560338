package io.github.jglommio.kv.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The seeded differential fuzzer: for each seed, a few thousand commands over every
 * deterministic command family ({@link FuzzCommands}), sent to redis-server 7.0 and to this
 * server with 3 shards, replies compared byte for byte except where Redis leaves them
 * unspecified ({@link FuzzCheck}). One server pair serves all seeds, emptied between them.
 *
 * <p>Properties: {@code -Dfuzz.seed=N} runs only seed {@code N} (as a failure report names it);
 * {@code -Dfuzz.seeds=M} runs seeds 1 to {@code M} (default {@value #SEEDS}); {@code
 * -Dfuzz.commands=C} draws {@code C} commands per seed (default {@value #COMMANDS}).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DifferentialFuzzTest {
    /** Seeds run by default: the target. */
    static final int SEEDS = 100;
    /** Commands per seed by default: sized so the whole test runs in about a minute on 2 cores. */
    static final int COMMANDS = 3000;

    @TempDir
    Path dir;

    @Test
    void shouldAnswerAsRedisDoesForEverySeed() throws IOException {
        assumeTrue(Oracle.available(), Oracle.MISSING);
        int commands = Integer.getInteger("fuzz.commands", COMMANDS);
        Long only = Long.getLong("fuzz.seed");
        long from = only != null ? only : 1;
        long to = only != null ? only : Integer.getInteger("fuzz.seeds", SEEDS);
        try (Oracle oracle = Oracle.start(dir, 3);
             FuzzRunner.Pair main = pair("main", oracle);
             FuzzRunner.Pair other = pair("other", oracle)) {
            for (long seed = from; seed <= to; seed++) {
                new FuzzRunner(main, other, seed).run(commands);
            }
        }
    }

    private static FuzzRunner.Pair pair(String label, Oracle oracle) throws IOException {
        return new FuzzRunner.Pair(label, new RespClient(oracle.theirPort()), new RespClient(oracle.ours().port()));
    }
}
