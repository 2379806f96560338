package io.github.jglommio.kv.command;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

/**
 * The log round trip of {@link LogRoundTripTest} over many 64-bit seeds, drawn from a fixed
 * master seed so every run checks the same cases; {@code -Dkv.fuzz.seed=<n>} draws other ones.
 * A failure names the seed to pass to {@link LogRoundTripTest#checkRoundTrip(long, int)}.
 */
class LogRoundTripFuzzTest {
    private static final long DEFAULT_MASTER_SEED = 0x6a67_6c6f_6d6d_696fL;
    private static final int TRIES = 200;
    private static final int COMMANDS = 200;

    @Test
    void shouldRebuildTheSameDataFromTheLog() {
        SplittableRandom seeds = new SplittableRandom(Long.getLong("kv.fuzz.seed", DEFAULT_MASTER_SEED));
        for (int i = 0; i < TRIES; i++) {
            long seed = seeds.nextLong();
            try {
                LogRoundTripTest.checkRoundTrip(seed, COMMANDS);
            } catch (Throwable t) {
                throw new AssertionError("log round trip failed for seed " + seed
                    + "; rerun with LogRoundTripTest.checkRoundTrip(" + seed + "L, " + COMMANDS + "): " + t, t);
            }
        }
    }
}
