package io.github.jglommio.kv.resp;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The protocol-aware replies of {@link RespWriter}: their RESP3 types, and what RESP2 gets instead. */
class Resp3WriterTest {
    private static String text(RespWriter w) {
        return new String(w.array(), 0, w.size(), StandardCharsets.ISO_8859_1);
    }

    private static RespWriter writeAll(RespWriter w) {
        w.nullBulk().nullArray().mapHeader(2).setHeader(3).pushHeader(3).pairsHeader(2).pair()
            .doubleValue("2.5".getBytes(StandardCharsets.US_ASCII)).verbatim("a:b\n".getBytes(StandardCharsets.US_ASCII))
            .bool(true).bool(false);
        return w;
    }

    @Test
    void shouldWriteResp2FormsByDefault() {
        RespWriter w = new RespWriter(16);
        assertEquals(2, w.protocol());
        assertEquals("$-1\r\n*-1\r\n*4\r\n*3\r\n*3\r\n*4\r\n$3\r\n2.5\r\n$4\r\na:b\n\r\n:1\r\n:0\r\n", text(writeAll(w)));
    }

    @Test
    void shouldWriteResp3TypesAfterSwitching() {
        RespWriter w = new RespWriter(16);
        w.protocol(3);
        assertEquals("_\r\n_\r\n%2\r\n~3\r\n>3\r\n*2\r\n*2\r\n,2.5\r\n=8\r\ntxt:a:b\n\r\n#t\r\n#f\r\n", text(writeAll(w)));
    }

    @Test
    void shouldLeaveOtherRepliesAsTheyAre() {
        RespWriter w = new RespWriter(16);
        w.protocol(3);
        w.ok().error("ERR x").integer(7).bulk("v".getBytes(StandardCharsets.US_ASCII)).arrayHeader(1).simpleString("s");
        assertEquals("+OK\r\n-ERR x\r\n:7\r\n$1\r\nv\r\n*1\r\n+s\r\n", text(w));
        w.clear();
        w.protocol(2);
        w.nullBulk();
        assertEquals("$-1\r\n", text(w));
    }

    @Test
    void shouldRefuseUnknownProtocols() {
        RespWriter w = new RespWriter(16);
        assertThrows(IllegalArgumentException.class, () -> w.protocol(4));
        assertThrows(IllegalArgumentException.class, () -> w.protocol(1));
        assertEquals(2, w.protocol());
    }
}
