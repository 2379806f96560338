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
    void shouldRunTheDemoTour() throws Exception {
        String out = capture(Demo::main);
        assertTrue(out.contains("io_uring available"), out);
        assertTrue(out.contains("task returned 42"), out);
        assertTrue(out.contains("order: A0 B0 A1 B1 A2 B2"), out);
        assertTrue(out.contains("Timer.timeout: operation timed out"), out);
        assertTrue(out.contains("TimerActionRepeat: 5 runs"), out);
        assertTrue(out.contains("ran on executor 'worker-0'"), out);
        assertTrue(out.contains("round trips/s"), out);
    }

    @Test
    void shouldListEveryExample() throws Exception {
        String out = capture(a -> Examples.main(new String[] {"list"}));
        for (String name : Examples.ALL.keySet()) {
            assertTrue(out.contains(name), out);
        }
    }
}
