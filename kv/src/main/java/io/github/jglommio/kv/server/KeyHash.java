package io.github.jglommio.kv.server;

/**
 * Which shard owns a key: {@code crc16(key) % shards}, with CRC-16/XMODEM (polynomial 0x1021, initial
 * value 0, no reflection), the checksum Redis Cluster uses for its key slots. It is stable across
 * runs, JVMs and machines, so a shard's append-only log replays into the same shard after a restart
 * with the same shard count. Hash tags ({@code {user}:name}) are not interpreted. Stateless; any
 * thread.
 */
final class KeyHash {

    private static final int[] TABLE = table();

    private KeyHash() {
    }

    /** CRC-16/XMODEM of {@code key}. */
    static int crc16(byte[] key) {
        int crc = 0;
        for (byte b : key) {
            crc = ((crc << 8) ^ TABLE[((crc >>> 8) ^ b) & 0xff]) & 0xffff;
        }
        return crc;
    }

    /** The shard of {@code key} among {@code shards}. */
    static int shardOf(byte[] key, int shards) {
        return shards == 1 ? 0 : crc16(key) % shards;
    }

    /** The byte-wise table of the polynomial: entry i is the CRC of the single byte i. */
    private static int[] table() {
        int[] t = new int[256];
        for (int i = 0; i < 256; i++) {
            int crc = i << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            t[i] = crc & 0xffff;
        }
        return t;
    }
}
