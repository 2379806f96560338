package io.github.jglommio.kv.command;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link LongDouble} against answers from glibc's {@code strtold}, x87 addition and
 * {@code printf("%.17Lf")} (Redis 7.0's string2ld and ld2string re-typed into a C program), for
 * cases where double arithmetic or another rounding would answer differently.
 */
class LongDoubleTest {
    private static LongDouble parse(String s) {
        return LongDouble.parse(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String sum(String a, String b) {
        LongDouble s = parse(a).add(parse(b));
        return s.isFinite() ? new String(s.toHumanString(), StandardCharsets.US_ASCII) : "INF";
    }

    @Test
    void shouldAddAndFormatAsGlibcLongDouble() {
        String[][] cases = {
            {"0.1", "0.2", "0.3"},
            {"1.1", "2.2", "3.3"},
            {"3.0e3", "0", "3000"},
            {"0.000003814697265625", "0", "0.00000381469726562"}, // a tie: to even
            {"0.000011444091796875", "0", "0.00001144409179688"}, // a tie: to even, upwards
            {"-0.00000000000000000001", "0", "0"}, // -0 is written 0
            {"12345678901234567890123", "0", "12345678901234567889920"},
            {"1.23456789012345678", "0", "1.23456789012345678"},
            {"9223372036854775807", "1", "9223372036854775808"},
            {"18446744073709551615", "1", "18446744073709551616"},
            {"0x1.8p3", "1", "13"},
            {"0x.8", "0", "0.5"},
            {"1e-4950", "0", "0"}, // a subnormal, not zero: accepted
            {"1e4932", "1e4932", "INF"},
            {"-5.5", "5.5", "0"},
            {"1e20", "-1e20", "0"},
            {"0.3", "-0.1", "0.2"},
            {"2.5e-17", "0", "0.00000000000000002"},
            {"7.5e-18", "0", "0.00000000000000001"},
            {"100", "-0.001", "99.999"},
        };
        for (String[] c : cases) {
            assertEquals(c[2], sum(c[0], c[1]), c[0] + " + " + c[1]);
        }
    }

    @Test
    void shouldAcceptWhatStrtoldTakesWhole() {
        for (String ok : new String[] {".5", "5.", "+.5e+1", "-0", "0e-99999", "1E3", "0X1P3", "0x1p-2", "INF",
                "-Infinity", "infinity", "00012", "1e-4950"}) {
            assertTrue(parse(ok) != null, ok);
        }
        assertFalse(parse("inf").isFinite());
        for (String bad : new String[] {"", ".", "e5", "1e", "1e+", "0x", "0x.p1", "0x1p", "1..2", "1e5.5", " 1",
                "1 ", "nan", "-nan", "nan(1)", "infinit", "1e99999", "1e-99999", "1e-5000", "1,5", "1\u00002"}) {
            assertNull(parse(bad), bad);
        }
        assertNull(parse("1".repeat(LongDouble.MAX_CHARS + 1)), "longer than Redis's buffer");
    }

    @Test
    void shouldHoldEveryLongExactly() {
        assertEquals("-9223372036854775808", LongDouble.of(Long.MIN_VALUE).toString());
        assertEquals("9223372036854775807", LongDouble.of(Long.MAX_VALUE).toString());
        assertEquals("0", LongDouble.of(0).toString());
    }
}
