package io.github.jglommio.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

class RedisBenchmarkTest {

    @Test
    void shouldParseRedisBenchmarkCsvWithLatencies() {
        String text = """
                "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
                "SET","54303.55","0.573","0.088","0.271","2.343","4.367","12.439"
                "GET","55370.98","0.536","0.064","0.247","2.295","4.375","11.087"
                """;
        Map<String, RedisBenchmark.Result> m = RedisBenchmark.parseCsv(text);
        assertEquals(2, m.size());
        assertEquals(54303.55, m.get("SET").rps(), 1e-9);
        assertEquals(0.271, m.get("SET").p50Ms(), 1e-9);
        assertEquals(4.375, m.get("GET").p99Ms(), 1e-9);
    }

    @Test
    void shouldSkipLinesBeforeTheHeaderAndMalformedLines() {
        String text = """
                "SET","1","2"
                Could not connect to Redis at 127.0.0.1:1: Connection refused
                "test","rps"
                "GET","oops"
                "SET","10.5"
                """;
        Map<String, RedisBenchmark.Result> m = RedisBenchmark.parseCsv(text);
        assertEquals(1, m.size());
        assertEquals(10.5, m.get("SET").rps(), 1e-9);
        assertTrue(Double.isNaN(m.get("SET").p99Ms()));
    }
}
