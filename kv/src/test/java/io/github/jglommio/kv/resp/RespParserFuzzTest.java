package io.github.jglommio.kv.resp;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Property-based checks of the parser: round trips under any chunking, and robustness to junk. */
class RespParserFuzzTest {

    @Property(tries = 300)
    void shouldParseAnyEncodedCommandsBackUnderAnyChunking(
            @ForAll("commands") List<Command> commands, @ForAll("cuts") List<Integer> cuts) throws ProtocolException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (Command c : commands) {
            b.writeBytes(RespWriter.encodeCommand(c));
        }
        byte[] all = b.toByteArray();
        assertEquals(commands, RespParserTest.parseChunks(new RespParser(), chunk(all, cuts)));
    }

    @Property(tries = 300)
    void shouldParseInlineCommandsBackUnderAnyChunking(
            @ForAll("inlineCommands") List<List<String>> commands, @ForAll("cuts") List<Integer> cuts)
            throws ProtocolException {
        StringBuilder sb = new StringBuilder();
        List<Command> expected = new ArrayList<>();
        for (List<String> words : commands) {
            sb.append(String.join(" ", words)).append("\r\n");
            expected.add(Command.of(words.toArray(String[]::new)));
        }
        byte[] all = sb.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertEquals(expected, RespParserTest.parseChunks(new RespParser(), chunk(all, cuts)));
    }

    @Property(tries = 2000)
    void shouldOnlyThrowProtocolExceptionAndAlwaysProgressOnArbitraryBytes(
            @ForAll("junk") byte[] junk, @ForAll("cuts") List<Integer> cuts) {
        RespParser parser = new RespParser(1 << 16, 1 << 10);
        try {
            for (byte[] chunk : chunk(junk, cuts)) {
                int pos = 0;
                // Each call either returns a command having consumed >= 1 byte, or consumes all.
                for (int calls = 0; ; calls++) {
                    assertTrue(calls <= chunk.length, "a command per call consumes at least one byte");
                    Command c = parser.next(chunk, pos, chunk.length);
                    int n = parser.consumed();
                    if (c == null) {
                        assertEquals(chunk.length - pos, n);
                        break;
                    }
                    assertTrue(n >= 1 && pos + n <= chunk.length);
                    assertTrue(c.argCount() >= 1);
                    pos += n;
                }
            }
        } catch (ProtocolException e) {
            assertTrue(e.getMessage().startsWith("ERR Protocol error: "), e.getMessage());
        }
    }

    static List<byte[]> chunk(byte[] all, List<Integer> cuts) {
        int[] points = cuts.stream().mapToInt(c -> Math.floorMod(c, all.length + 1)).sorted().toArray();
        List<byte[]> chunks = new ArrayList<>();
        int prev = 0;
        for (int p : points) {
            chunks.add(Arrays.copyOfRange(all, prev, p));
            prev = p;
        }
        chunks.add(Arrays.copyOfRange(all, prev, all.length));
        return chunks;
    }

    @Provide
    Arbitrary<List<Integer>> cuts() {
        return Arbitraries.integers().between(0, Integer.MAX_VALUE).list().ofMaxSize(12);
    }

    @Provide
    Arbitrary<List<Command>> commands() {
        Arbitrary<byte[]> arg = Arbitraries.oneOf(
            Arbitraries.bytes().array(byte[].class).ofMaxSize(40),
            Arbitraries.of("\r\n", "*1\r\n", "$3\r\n", "", "PING").map(s -> s.getBytes()),
            Arbitraries.bytes().array(byte[].class).ofMinSize(1000).ofMaxSize(5000));
        return arg.array(byte[][].class).ofMinSize(1).ofMaxSize(6).map(Command::of).list().ofMaxSize(8);
    }

    @Provide
    Arbitrary<List<List<String>>> inlineCommands() {
        Arbitrary<String> word = Arbitraries.strings().withChars("abcXYZ019_-:.*$").ofMinLength(1).ofMaxLength(10)
            .filter(w -> w.charAt(0) != '*');
        return word.list().ofMinSize(1).ofMaxSize(5).list().ofMaxSize(6);
    }

    @Provide
    Arbitrary<byte[]> junk() {
        Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        // Mostly protocol-looking fragments, so the fuzzing reaches deep parser states.
        Arbitrary<byte[]> fragments = Arbitraries.of("*", "$", "\r", "\n", "\r\n", "1", "2", "0", "-1", "9", "x",
                "\"", "'", "\\", " ", "*2\r\n", "$3\r\n", "abc", "PING\r\n", "$70000\r\n", "*-5\r\n")
            .list().ofMaxSize(60)
            .map(l -> String.join("", l).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        return Arbitraries.oneOf(raw, fragments);
    }

    @Property(tries = 500)
    void shouldReadBackEncodedLongsAsWritten(@ForAll long v) {
        RespWriter w = new RespWriter(16);
        w.integer(v);
        assertEquals(":" + v + "\r\n", w.toString());
        byte[] digits = Long.toString(v).getBytes();
        assertEquals(v, Ascii.parseLong(digits));
    }
}
