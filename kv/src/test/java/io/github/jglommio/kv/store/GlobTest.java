package io.github.jglommio.kv.store;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GlobTest {
    private static boolean m(String pattern, String subject) {
        return Glob.matches(pattern.getBytes(StandardCharsets.ISO_8859_1), subject.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void shouldMatchStarsAndQuestionMarks() {
        assertTrue(m("*", ""));
        assertTrue(m("*", "anything"));
        assertTrue(m("h?llo", "hello"));
        assertFalse(m("h?llo", "hllo"));
        assertTrue(m("h*llo", "hllo"));
        assertTrue(m("h*llo", "heeeello"));
        assertTrue(m("*a*b*c*", "xxaxxbxxcxx"));
        assertFalse(m("*a*b*c*", "xxcxxbxxaxx"));
        assertTrue(m("user:*:name", "user:42:name"));
        assertFalse(m("user:*:name", "user:42:names"));
        assertFalse(m("", "a"));
        assertTrue(m("", ""));
    }

    @Test
    void shouldMatchSetsRangesAndNegation() {
        assertTrue(m("h[ae]llo", "hallo"));
        assertFalse(m("h[ae]llo", "hillo"));
        assertTrue(m("h[^e]llo", "hallo"));
        assertFalse(m("h[^e]llo", "hello"));
        assertTrue(m("h[a-b]llo", "hbllo"));
        assertTrue(m("h[b-a]llo", "hallo"), "reversed ranges are swapped");
        assertFalse(m("h[a-b]llo", "hcllo"));
        assertTrue(m("[\\]]", "]"));
        assertTrue(m("x[abc", "xc"), "an unterminated set runs to the end");
    }

    @Test
    void shouldHonourEscapes() {
        assertTrue(m("h\\*llo", "h*llo"));
        assertFalse(m("h\\*llo", "hello"));
        assertTrue(m("a\\?", "a?"));
        assertFalse(m("a\\?", "ab"));
        assertTrue(m("a\\", "a\\"), "a trailing backslash is literal");
    }

    @Test
    void shouldNotExplodeOnPathologicalPatterns() {
        String subject = "a".repeat(5000);
        assertFalse(m("*a*a*a*a*a*a*a*a*a*a*b", subject)); // exponential with naive recursion
    }

    @Test
    void shouldRecogniseMatchAllPatterns() {
        assertTrue(Glob.matchesAll(null));
        assertTrue(Glob.matchesAll("**".getBytes()));
        assertFalse(Glob.matchesAll("*a".getBytes()));
        assertFalse(Glob.matchesAll(new byte[0]));
    }
}
