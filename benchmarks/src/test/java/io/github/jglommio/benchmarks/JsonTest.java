package io.github.jglommio.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void shouldParseEveryKindOfValue() {
        Object v = Json.parse(" { \"a\" : [1, -2.5e3, true, false, null], \"s\" : \"x\\\"y\\\\z\\n\\u00e9\", \"o\" : {} } ");
        Map<?, ?> m = (Map<?, ?>) v;
        List<?> a = (List<?>) m.get("a");
        assertEquals(1.0, a.get(0));
        assertEquals(-2500.0, a.get(1));
        assertEquals(Boolean.TRUE, a.get(2));
        assertEquals(Boolean.FALSE, a.get(3));
        assertNull(a.get(4));
        assertEquals("x\"y\\z\n\u00e9", m.get("s"));
        assertEquals(Map.of(), m.get("o"));
        assertEquals(List.of(), Json.parse("[]"));
    }

    @Test
    void shouldRejectMalformedDocuments() {
        for (String bad : List.of("", "{", "{\"a\" 1}", "[1,]", "{\"a\":1,}", "[1] x", "\"abc", "tru", "{a:1}",
                "\"\\q\"", "-")) {
            assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
        }
    }
}
