package io.github.jglommio.kv.command;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Score reading and printing, against C's strtod and printf("%.17g") (vectors made with Python's, which rounds the same way). */
class ScoresTest {
    /** A double as Python's repr wrote it, then its %.17g text. */
    private static final String VECTORS = """
        0.1 0.10000000000000001
        1.1 1.1000000000000001
        0.3333333333333333 0.33333333333333331
        0.6666666666666666 0.66666666666666663
        1e+17 1e+17
        1.2345678901234568e+17 1.2345678901234568e+17
        1e-05 1.0000000000000001e-05
        5e-324 4.9406564584124654e-324
        2.5e-308 2.4999999999999998e-308
        1.5e+300 1.5000000000000001e+300
        1e+21 1e+21
        1e+16 10000000000000000
        9.999999999999998e+16 99999999999999984
        1e+17 1e+17
        0.000123456789 0.000123456789
        123.456 123.456
        -7.25 -7.25
        0.0001 0.0001
        9.999999999999999e-05 9.9999999999999991e-05
        1.7976931348623157e+308 1.7976931348623157e+308
        -2.2250738585072014e-308 -2.2250738585072014e-308
        3.141592653589793 3.1415926535897931
        1e+20 1e+20
        12345678.5 12345678.5
        12345678901234.0625 12345678901234.062
        12345678901234.1875 12345678901234.188
        1234567890123.03125 1234567890123.0312
        1234567890123456.5 1234567890123456.5
        99999999999999.984 99999999999999.984
        -1.989032661366619e+244 -1.989032661366619e+244
        7.761117632285041e+178 7.761117632285041e+178
        3.980498358697587e-249 3.980498358697587e-249
        -1.5432835417340557e+88 -1.5432835417340557e+88
        1.3647584518757569e-192 1.3647584518757569e-192
        -1.3701135617873088e-206 -1.3701135617873088e-206
        -1.7160537630466207e+197 -1.7160537630466207e+197
        6.294675241195386e-44 6.2946752411953861e-44
        1.0613447212142254e-202 1.0613447212142254e-202
        4.708325160387546e+207 4.7083251603875462e+207
        6.387016158513563e-12 6.3870161585135632e-12
        -9.973130378568733e-246 -9.9731303785687331e-246
        8.779753225680271e-236 8.7797532256802712e-236
        -5.795503248498993e-228 -5.7955032484989932e-228
        -5.988180159386011e+243 -5.9881801593860111e+243
        -1.306052388527796e-147 -1.3060523885277959e-147
        -2.436117699484841e-206 -2.4361176994848409e-206
        2.233386999150174e-232 2.2333869991501741e-232
        -3.51527970626667e-203 -3.5152797062666699e-203
        1.5987381841032883e-247 1.5987381841032883e-247
        4.6678633181812096e-36 4.6678633181812096e-36
        -8.441872792105456e-239 -8.4418727921054556e-239
        1.9015657400796622e-144 1.9015657400796622e-144
        7.370437700706684e+208 7.370437700706684e+208
        -1.7163996725272777e-258 -1.7163996725272777e-258
        -3.2367190832119987e-221 -3.2367190832119987e-221
        -2.2818334634712625e-234 -2.2818334634712625e-234
        -3.0536383926309363e-84 -3.0536383926309363e-84
        1.3449551894627777e-181 1.3449551894627777e-181
        -7.317495976062606e-221 -7.3174959760626057e-221
        5.249822308814304e-77 5.2498223088143036e-77
        1.5450754142984396e-188 1.5450754142984396e-188
        -3.953625698224792e-47 -3.9536256982247919e-47
        -2.72491267476498e-229 -2.7249126747649799e-229
        -6.505141861548772e-162 -6.5051418615487723e-162
        1.441484839555994e+304 1.4414848395559941e+304
        -1.4583679262758548e-269 -1.4583679262758548e-269
        -7.939416668807721e+33 -7.9394166688077208e+33
        1.4255183989699612e+266 1.4255183989699612e+266
        -1.525315701232403e+214 -1.5253157012324029e+214
        -93.63124725844932 -93.631247258449321
        -400.46600627263524 -400.46600627263524
        588.7589630449822 588.75896304498224
        397.9888674591425 397.98886745914251
        -511.80697855569423 -511.80697855569423
        148.84742051734202 148.84742051734202
        50.393007622902815 50.393007622902815
        750.2749911468577 750.2749911468577
        458.89057887843524 458.89057887843524
        -424.1244702196269 -424.12447021962691
        960.3496949851642 960.34969498516421
        -763.8684434900758 -763.86844349007583
        -163.75435642954562 -163.75435642954562
        514.2818591304988 514.28185913049879
        -696.0309306789904 -696.03093067899044
        -22.073799048388764 -22.073799048388764
        -921.5854859051246 -921.58548590512464
        336.4317130687905 336.43171306879049
        529.1417324256263 529.14173242562629
        146.05188055476788 146.05188055476788
        """;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void shouldPrintSeventeenSignificantDigitsLikeC() {
        for (String line : VECTORS.strip().split("\n")) {
            String[] f = line.strip().split(" ");
            assertEquals(f[1], Scores.formatString(Double.parseDouble(f[0])), f[0]);
        }
    }

    @Test
    void shouldFindTheSameDigitsFastAsWithExactDecimals() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        java.math.MathContext seventeen = new java.math.MathContext(17, java.math.RoundingMode.HALF_EVEN);
        for (int i = 0; i < 200_000; i++) {
            double a = switch (i % 4) {
                case 0 -> r.nextDouble() * 1000;
                case 1 -> Math.pow(10, r.nextDouble(-5, 17));
                case 2 -> r.nextInt(1_000_000) / 1000.0 + 1e-5;
                default -> Math.nextUp(Math.pow(10, r.nextInt(-5, 17))) * (r.nextBoolean() ? 1 : 5);
            };
            if (a < 1e-5 || a >= 1e17 || a == Math.rint(a)) {
                continue;
            }
            long fast = Scores.seventeenDigits(a);
            java.math.BigDecimal exact = new java.math.BigDecimal(a).round(seventeen);
            String digits = exact.unscaledValue().toString();
            digits = (digits + "0".repeat(17)).substring(0, 17);
            assertEquals(digits + " e" + (exact.precision() - exact.scale() - 1),
                (fast >>> 5) + " e" + ((fast & 31) - 8), Double.toString(a));
        }
    }

    @Test
    void shouldPrintZerosInfinitiesAndIntegersAsRedis() {
        assertEquals("0", Scores.formatString(0.0));
        assertEquals("-0", Scores.formatString(-0.0));
        assertEquals("inf", Scores.formatString(Double.POSITIVE_INFINITY));
        assertEquals("-inf", Scores.formatString(Double.NEGATIVE_INFINITY));
        assertEquals("-42", Scores.formatString(-42));
        assertEquals("99999999999999984", Scores.formatString(99999999999999984.0));
        assertEquals("-0", new String(Scores.forLog(-0.0), StandardCharsets.US_ASCII));
        assertEquals("0.1", new String(Scores.forLog(0.1), StandardCharsets.US_ASCII), "the log keeps the shortest form");
    }

    @Test
    void shouldReadScoresAsStrtodWithRedisChecks() {
        assertEquals(16.0, Scores.parse(b("0x10"), "e"));
        assertEquals(0.25, Scores.parse(b("0X1p-2"), "e"));
        assertEquals(-0.5, Scores.parse(b("-0x.8"), "e"));
        assertEquals(0.5, Scores.parse(b(".5"), "e"));
        assertEquals(5.0, Scores.parse(b("5."), "e"));
        assertEquals(3.0, Scores.parse(b("+3"), "e"));
        assertEquals(Double.NEGATIVE_INFINITY, Scores.parse(b("-Infinity"), "e"));
        assertEquals(4e-320, Scores.parse(b("4e-320"), "e"), "a denormal is fine");
        assertEquals(0.0, Scores.parse(b("0e-400"), "e"));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(Scores.parse(b("-0"), "e")));
        for (String bad : new String[] {"", " 1", "1 ", "1e400", "-1e400", "1e-400", "0x", "1e", "inf5", "nan",
            "nan(1)", "--1", "1.2.3", "1_0", "1\0", "abc", "."}) {
            CommandError e = assertThrows(CommandError.class, () -> Scores.parse(b(bad), "ERR x"), bad);
            assertEquals("ERR x", e.getMessage());
        }
    }

    @Test
    void shouldReadRangeBoundsLeniently() {
        assertEquals(0.0, Scores.parseBound(b(""), 0));
        assertEquals(0.0, Scores.parseBound(b("("), 1));
        assertEquals(1.0, Scores.parseBound(b(" \t1"), 0));
        assertEquals(1.0, Scores.parseBound(b("(  1"), 1));
        assertEquals(Double.POSITIVE_INFINITY, Scores.parseBound(b("1e400"), 0));
        assertEquals(2.0, Scores.parseBound(b("2\0garbage"), 0), "the C string ends at NUL");
        for (String bad : new String[] {" ", "1 ", "nan", "x", "-", "1e+"}) {
            assertThrows(CommandError.class, () -> Scores.parseBound(b(bad), 0), bad);
        }
    }
}
