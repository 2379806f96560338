package io.github.jglommio.kv.server;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyHashTest {

    @Test
    void shouldComputeCrc16Xmodem() {
        // The check value of CRC-16/XMODEM (the catalogue's test input "123456789").
        assertEquals(0x31C3, KeyHash.crc16("123456789".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(0, KeyHash.crc16(new byte[0]));
    }

    @Test
    void shouldSpreadKeysOverEveryShard() {
        int shards = 4;
        int[] counts = new int[shards];
        for (int i = 0; i < 4000; i++) {
            counts[KeyHash.shardOf(("key:" + i).getBytes(StandardCharsets.US_ASCII), shards)]++;
        }
        for (int c : counts) {
            assertTrue(c > 700 && c < 1300, "a shard got " + c + " of 4000 keys");
        }
        assertEquals(0, KeyHash.shardOf("anything".getBytes(StandardCharsets.US_ASCII), 1));
    }
}
