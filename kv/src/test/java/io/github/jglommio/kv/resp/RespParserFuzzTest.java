package io.github.jglommio.kv.resp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Property checks of the parser over inputs drawn by {@link Fuzz} from fixed seeds: round trips
 * under any chunking, and robustness to junk. A failure names its seed; see {@link Fuzz} to rerun
 * it. The timeouts run the test on a separate thread, so a parser that loops forever fails the test
 * instead of hanging the build.
 */
class RespParserFuzzTest {
    private static final int ROUND_TRIP_TRIES = 2000;
    private static final int JUNK_TRIES = 5000;

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shouldParseAnyEncodedCommandsBackUnderAnyChunking() {
        Fuzz.check("multibulk round trip", ROUND_TRIP_TRIES, fuzz -> {
            List<Command> commands = fuzz.commands();
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (Command c : commands) {
                b.writeBytes(RespWriter.encodeCommand(c));
            }
            assertEquals(commands, RespParserTest.parseChunks(new RespParser(), fuzz.chunk(b.toByteArray())));
        });
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shouldParseInlineCommandsBackUnderAnyChunking() {
        Fuzz.check("inline round trip", ROUND_TRIP_TRIES, fuzz -> {
            StringBuilder sb = new StringBuilder();
            List<Command> expected = new ArrayList<>();
            for (List<String> words : fuzz.inlineCommands()) {
                sb.append(String.join(" ", words)).append(fuzz.oneIn(2) ? "\r\n" : "\n");
                expected.add(Command.of(words.toArray(String[]::new)));
            }
            byte[] all = sb.toString().getBytes(StandardCharsets.US_ASCII);
            assertEquals(expected, RespParserTest.parseChunks(new RespParser(), fuzz.chunk(all)));
        });
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shouldOnlyThrowProtocolExceptionAndAlwaysProgressOnArbitraryBytes() {
        Fuzz.check("junk", JUNK_TRIES, fuzz -> {
            byte[] junk = fuzz.junk();
            RespParser parser = new RespParser(1 << 16, 1 << 10);
            List<byte[]> chunks = fuzz.chunk(junk);
            try {
                for (byte[] chunk : chunks) {
                    feed(parser, chunk);
                }
            } catch (ProtocolException e) {
                assertTrue(e.getMessage().startsWith("ERR Protocol error: "), e.getMessage());
                // The parser stays failed: the stream cannot be resynchronised.
                assertSame(e, assertThrows(ProtocolException.class, () -> parser.next(new byte[] {'\n'}, 0, 1)));
            }
        });
    }

    /** Feeds one chunk, checking that each call returns a command having consumed >= 1 byte, or consumes all. */
    private static void feed(RespParser parser, byte[] chunk) throws ProtocolException {
        int pos = 0;
        for (int calls = 0; ; calls++) {
            assertTrue(calls <= chunk.length, "a command per call consumes at least one byte");
            Command c = parser.next(chunk, pos, chunk.length);
            int n = parser.consumed();
            if (c == null) {
                assertEquals(chunk.length - pos, n, "null means every byte was taken in");
                return;
            }
            assertTrue(n >= 1 && pos + n <= chunk.length, "consumed " + n + " at " + pos + " of " + chunk.length);
            assertTrue(c.argCount() >= 1);
            pos += n;
        }
    }

    @Test
    void shouldReadBackEncodedLongsAsWritten() {
        Fuzz.check("long round trip", 2000, fuzz -> {
            long v = fuzz.anyLong();
            RespWriter w = new RespWriter(16);
            w.integer(v);
            assertEquals(":" + v + "\r\n", w.toString());
            assertEquals(v, Ascii.parseLong(Long.toString(v).getBytes(StandardCharsets.US_ASCII)));
        });
    }
}
