package io.github.jglommio.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;

class SuiteTest {

    @Test
    void shouldNameOnlyExistingBenchmarkMethods() throws Exception {
        for (Suite suite : Suite.ALL) {
            for (String name : suite.benchmarks()) {
                int dot = name.indexOf('.');
                Class<?> c = Class.forName(Suite.class.getPackageName() + "." + name.substring(0, dot));
                Method m = null;
                for (Method candidate : c.getMethods()) {
                    if (candidate.getName().equals(name.substring(dot + 1))) {
                        m = candidate;
                    }
                }
                assertNotNull(m, suite.name() + " names " + name + ", which does not exist");
                assertNotNull(m.getAnnotation(Benchmark.class), name + " is not a @Benchmark");
            }
        }
    }

    @Test
    void shouldHaveUniqueNamesAndEitherTablesOrAHarness() {
        Set<String> names = new HashSet<>();
        for (Suite suite : Suite.ALL) {
            assertTrue(names.add(suite.name()), "duplicate suite " + suite.name());
            assertTrue(suite.isHarness() != !suite.sections().isEmpty(), suite.name() + ": tables xor harness");
            assertEquals(suite, Suite.named(suite.name()).orElseThrow());
        }
        assertTrue(Suite.named("scheduling").orElseThrow().isHarness());
        assertTrue(Suite.named("storage").orElseThrow().isHarness());
        assertFalse(Suite.named("nope").isPresent());
    }
}
