package io.github.jglommio.kv.resp;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RespParserTest {
    private static final String PIPELINE =
        "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n"
            + "PING\r\n"
            + "\r\n"
            + "*0\r\n"
            + "*-1\r\n"
            + "set a \"b c\" 'd e' \"x\\x41\\n\"\n"
            + "*2\r\n$3\r\nGET\r\n$0\r\n\r\n"
            + "   \r\n"
            + "*1\r\n$4\r\nPING\r\n";

    private static final List<Command> EXPECTED = List.of(
        Command.of("SET", "k", "hello"),
        Command.of("PING"),
        Command.of("set", "a", "b c", "d e", "xA\n"),
        Command.of("GET", ""),
        Command.of("PING"));

    /** Feeds chunks one after another, honouring the consumption contract. */
    static List<Command> parseChunks(RespParser parser, List<byte[]> chunks) throws ProtocolException {
        List<Command> out = new ArrayList<>();
        for (byte[] chunk : chunks) {
            int pos = 0;
            while (true) {
                Command c = parser.next(chunk, pos, chunk.length);
                assertTrue(parser.consumed() >= 0 && parser.consumed() <= chunk.length - pos);
                pos += parser.consumed();
                if (c == null) {
                    assertEquals(chunk.length, pos, "null means every byte was taken in");
                    break;
                }
                out.add(c);
            }
        }
        return out;
    }

    static List<Command> parseAll(byte[] bytes) throws ProtocolException {
        return parseChunks(new RespParser(), List.of(bytes));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String error(String input) {
        return error(new RespParser(), input);
    }

    private static String error(RespParser parser, String input) {
        return assertThrows(ProtocolException.class, () -> parseAll(parser, bytes(input))).getMessage();
    }

    private static List<Command> parseAll(RespParser parser, byte[] bytes) throws ProtocolException {
        return parseChunks(parser, List.of(bytes));
    }

    @Test
    void shouldParseEveryShapeOfAMixedPipeline() throws ProtocolException {
        assertEquals(EXPECTED, parseAll(bytes(PIPELINE)));
    }

    @Test
    void shouldReturnOneCommandPerCallWithItsExactLength() throws ProtocolException {
        RespParser p = new RespParser();
        byte[] in = bytes("*1\r\n$4\r\nPING\r\nPING\r\n");
        assertEquals(Command.of("PING"), p.next(in, 0, in.length));
        assertEquals(14, p.consumed());
        assertEquals(Command.of("PING"), p.next(in, 14, in.length));
        assertEquals(6, p.consumed());
        assertNull(p.next(in, 20, in.length));
        assertEquals(0, p.consumed());
        assertFalse(p.hasPartialRequest());
    }

    @Test
    void shouldParseTheSameAtEveryTwoChunkSplit() throws ProtocolException {
        byte[] all = bytes(PIPELINE);
        for (int cut = 0; cut <= all.length; cut++) {
            List<byte[]> chunks = List.of(Arrays.copyOfRange(all, 0, cut), Arrays.copyOfRange(all, cut, all.length));
            assertEquals(EXPECTED, parseChunks(new RespParser(), chunks), "split at " + cut);
        }
    }

    @Test
    void shouldParseTheSameByteByByteAndInRandomChunks() throws ProtocolException {
        byte[] all = bytes(PIPELINE);
        List<byte[]> single = new ArrayList<>();
        for (byte b : all) {
            single.add(new byte[] {b});
        }
        assertEquals(EXPECTED, parseChunks(new RespParser(), single));
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            assertEquals(EXPECTED, parseChunks(new RespParser(), randomChunks(all, random)), "round " + round);
        }
    }

    static List<byte[]> randomChunks(byte[] all, Random random) {
        List<byte[]> chunks = new ArrayList<>();
        int pos = 0;
        while (pos < all.length) {
            int n = 1 + random.nextInt(Math.min(all.length - pos, 1 + random.nextInt(32)));
            chunks.add(Arrays.copyOfRange(all, pos, pos + n));
            pos += n;
        }
        return chunks;
    }

    @Test
    void shouldAssembleAOneMebibyteBulkFromSmallChunks() throws ProtocolException {
        byte[] value = new byte[1 << 20];
        new Random(1).nextBytes(value);
        byte[] encoded = RespWriter.encodeCommand(Command.of("SET".getBytes(), "big".getBytes(), value));
        List<byte[]> chunks = new ArrayList<>();
        for (int pos = 0; pos < encoded.length; pos += 1000) {
            chunks.add(Arrays.copyOfRange(encoded, pos, Math.min(encoded.length, pos + 1000)));
        }
        RespParser parser = new RespParser();
        List<Command> out = parseChunks(parser, chunks);
        assertEquals(1, out.size());
        assertArrayEquals(value, out.get(0).arg(2));
        assertFalse(parser.hasPartialRequest());
    }

    @Test
    void shouldHoldPartialStateWithoutRepresentedBytes() throws ProtocolException {
        RespParser p = new RespParser();
        byte[] first = bytes("*2\r\n$3\r\nGET\r\n$5\r\nhel");
        assertNull(p.next(first, 0, first.length));
        assertEquals(first.length, p.consumed());
        assertTrue(p.hasPartialRequest());
        byte[] second = bytes("lo\r\n");
        assertEquals(Command.of("GET", "hello"), p.next(second, 0, second.length));
        assertEquals(4, p.consumed());
    }

    @Test
    void shouldNotAllocateAnAnnouncedHugeBulkUpFront() throws ProtocolException {
        RespParser p = new RespParser();
        byte[] header = bytes("*2\r\n$3\r\nSET\r\n$500000000\r\nabc");
        assertNull(p.next(header, 0, header.length)); // would throw OutOfMemoryError if eager
        assertTrue(p.hasPartialRequest());
    }

    @Test
    void shouldRejectABulkLongerThanTheLimit() {
        RespParser p = new RespParser(10, 100);
        assertEquals("ERR Protocol error: invalid bulk length", error(p, "*1\r\n$11\r\n"));
        assertEquals(List.of(Command.of("0123456789")),
            assertDoesNotThrow(() -> parseAll(new RespParser(10, 100), bytes("*1\r\n$10\r\n0123456789\r\n"))));
    }

    @Test
    void shouldRejectAMultibulkCountAboveTheLimit() {
        assertEquals("ERR Protocol error: invalid multibulk length", error(new RespParser(10, 3), "*4\r\n"));
    }

    @Test
    void shouldApplyRedisLimitsBeforeAuthentication() throws ProtocolException {
        RespParser p = new RespParser();
        p.requireAuthentication(true);
        assertEquals("ERR Protocol error: unauthenticated multibulk length", error(p, "*11\r\n"));
        p = new RespParser();
        p.requireAuthentication(true);
        assertEquals("ERR Protocol error: unauthenticated bulk length", error(p, "*2\r\n$16385\r\n"));
        p = new RespParser();
        p.requireAuthentication(true);
        assertEquals("ERR Protocol error: invalid bulk length", error(p, "*1\r\n$-1\r\n"),
            "a malformed length is reported as such first, as Redis does");
        p = new RespParser();
        p.requireAuthentication(true);
        String at = "x".repeat(RespParser.UNAUTHENTICATED_MAX_BULK_LENGTH);
        assertEquals(List.of(Command.of(at)), parseChunks(p, List.of(bytes("*1\r\n$16384\r\n" + at + "\r\n"))),
            "the limits themselves are allowed");
        p.requireAuthentication(false);
        assertEquals(11, parseChunks(p, List.of(bytes("*11\r\n" + "$1\r\na\r\n".repeat(11)))).get(0).argCount(),
            "lifted once authenticated");
    }

    @Test
    void shouldRejectEachMalformedShapeWithRedisText() {
        assertEquals("ERR Protocol error: invalid bulk length", error("*1\r\n$-1\r\n"));
        assertEquals("ERR Protocol error: invalid bulk length", error("*1\r\n$x\r\n"));
        assertEquals("ERR Protocol error: invalid bulk length", error("*1\r\n$\r\n"));
        assertEquals("ERR Protocol error: invalid bulk length", error("*1\r\n$+3\r\n"));
        assertEquals("ERR Protocol error: invalid multibulk length", error("*x\r\n"));
        assertEquals("ERR Protocol error: invalid multibulk length", error("*\r\n"));
        assertEquals("ERR Protocol error: expected '$', got 'x'", error("*1\r\nx3\r\n"));
        assertEquals("ERR Protocol error: expected '$', got ':'", error("*2\r\n$1\r\na\r\n:1\r\n"));
        assertEquals("ERR Protocol error: unbalanced quotes in request", error("SET a \"b\r\n"));
        assertEquals("ERR Protocol error: unbalanced quotes in request", error("SET a 'b\r\n"));
        assertEquals("ERR Protocol error: unbalanced quotes in request", error("SET a \"b\"c\r\n"));
    }

    @Test
    void shouldRejectLinesLongerThanSixtyFourKibibytes() {
        String longInline = "a".repeat(RespParser.MAX_LINE_LENGTH + 1);
        assertEquals("ERR Protocol error: too big inline request", error(longInline));
        assertEquals("ERR Protocol error: too big mbulk count string", error("*" + "1".repeat(70_000)));
        assertEquals("ERR Protocol error: too big bulk count string", error("*1\r\n$" + "1".repeat(70_000)));
    }

    @Test
    void shouldFailTheSameWayAtEveryChunkingOfALongInlineLine() {
        byte[] all = bytes("x".repeat(RespParser.MAX_LINE_LENGTH + 1) + "\n");
        for (int cut : new int[] {1, 1000, RespParser.MAX_LINE_LENGTH, RespParser.MAX_LINE_LENGTH + 1}) {
            List<byte[]> chunks = List.of(Arrays.copyOfRange(all, 0, cut), Arrays.copyOfRange(all, cut, all.length));
            ProtocolException e = assertThrows(ProtocolException.class, () -> parseChunks(new RespParser(), chunks));
            assertEquals("ERR Protocol error: too big inline request", e.getMessage());
        }
        byte[] ok = bytes("x".repeat(RespParser.MAX_LINE_LENGTH) + "\n");
        assertEquals(1, assertDoesNotThrow(() -> parseAll(ok)).size());
    }

    @Test
    void shouldStayFailedAfterAProtocolError() {
        RespParser p = new RespParser();
        ProtocolException first = assertThrows(ProtocolException.class, () -> parseAll(p, bytes("*x\r\n")));
        byte[] ping = bytes("PING\r\n");
        assertSame(first, assertThrows(ProtocolException.class, () -> p.next(ping, 0, ping.length)));
        p.reset();
        assertEquals(List.of(Command.of("PING")), assertDoesNotThrow(() -> parseAll(p, ping)));
    }

    @Test
    void shouldApplyRedisQuotingRulesToInlineRequests() throws ProtocolException {
        assertEquals(List.of(Command.of("a", "b\tc", "it's", "q\"q", "\r\u0007\b")),
            parseAll(bytes("a \"b\\tc\" 'it\\'s' \"q\\\"q\" \"\\r\\a\\b\"\r\n")));
        assertEquals(List.of(Command.of("ab c", "")), parseAll(bytes("a\"b c\" \"\"\n")));
        assertEquals(List.of(Command.of(bytes("xZZ"), new byte[] {(byte) 0xff})), parseAll(bytes("\"\\xZZ\" \"\\xff\"\n")));
        assertEquals(List.of(Command.of("GET", "k")), parseAll(bytes("  GET \t k  \r\n")));
    }

    @Test
    void shouldSkipTheByteAfterCarriageReturnAndTheBulkTerminatorLikeRedis() throws ProtocolException {
        assertEquals(List.of(Command.of("GET", "k")), parseAll(bytes("*2\rX$3\r\nGETxx$1\r\nk\r\n")));
    }

    private static <T> T assertDoesNotThrow(org.junit.jupiter.api.function.ThrowingSupplier<T> s) {
        return org.junit.jupiter.api.Assertions.assertDoesNotThrow(s);
    }

    @Test
    void shouldParseEncodedCommandsBack() throws ProtocolException {
        Command c = Command.of("ZADD", "z", "1.5", "m\r\nx");
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(RespWriter.encodeCommand(c));
        b.writeBytes(RespWriter.encodeCommand(c));
        assertEquals(List.of(c, c), parseAll(b.toByteArray()));
    }
}
