package io.github.jglommio.kv.command;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The long double arithmetic against results taken from redis-server 7.0 on x86-64. */
class LongDoubleTest {
    private static LongDouble parse(String s) {
        return LongDouble.parse(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String sum(String a, String b) {
        LongDouble s = parse(a).plus(parse(b));
        return s == null ? null : new String(s.humanText(), StandardCharsets.US_ASCII);
    }

    @Test
    void shouldAddAndPrintAsRedis() {
        assertEquals("10.6", sum("10.50", "0.1"));
        assertEquals("5.6", sum("10.6", "-5"));
        assertEquals("5200", sum("5.0e3", "2.0e2"));
        assertEquals("5216", sum("5200", "0x10"));
        assertEquals("5.625", sum("5.5", "0x1p-3"));
        assertEquals("0.00000381469726562", sum("0.000003814697265625", "0"), "ties round to even at 17 decimals");
        assertEquals("0", sum("1e-4950", "0"), "a subnormal prints as 0");
        assertEquals("0", sum("-0", "0"));
        assertEquals("-0.5", sum("-.5", "0"));
        assertTrue(sum("1e4000", "0").startsWith("99999999999999999999654638730"), "64 bits of precision, not 53");
    }

    @Test
    void shouldRefuseWhatRedisRefuses() {
        for (String bad : new String[] {"", " 1", "1 ", "nan", "-nan", "1e5000", "1e-5000", "1e-4951", "0x", "1e", ".", "+",
            "abc", "1.5.3", "infinit"}) {
            assertNull(parse(bad), bad);
        }
        assertNull(sum("inf", "1"), "infinite results are refused");
        assertNull(sum("inf", "-inf"), "NaN results are refused");
        assertNull(sum("1.1e4932", "1.1e4932"), "overflow is refused");
        assertNull(parse("\0junk"), "a NUL ends the C string strtold reads, which Redis then refuses");
        assertNull(parse("1\0"), "a NUL after a number is refused too");
        assertNull(parse("\0"), "a lone NUL is not 0");
    }
}
