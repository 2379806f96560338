package io.github.jglommio.kv.script;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The payload of FUNCTION DUMP and FUNCTION RESTORE, in Redis 7.0's format: per library the
 * opcode {@code 0xf5} and its code as an RDB string, then the RDB version (10, two bytes, little
 * endian) and the CRC-64 (Jones polynomial, reflected, as Redis computes it) of everything before,
 * eight bytes little endian. This server writes its strings uncompressed; it reads LZF-compressed
 * ones too, so a dump of a real Redis restores here, and ours there. Stateless.
 */
public final class FunctionDump {
    private static final int OPCODE_FUNCTION2 = 0xf5;
    private static final int RDB_VERSION = 10;
    private static final long[] CRC_TABLE = crcTable();

    private FunctionDump() {
    }

    /** The payload of {@code libs}. */
    public static byte[] dump(List<FunctionLibraries.Library> libs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (FunctionLibraries.Library l : libs) {
            out.write(OPCODE_FUNCTION2);
            byte[] code = l.code().getBytes(StandardCharsets.UTF_8);
            writeLength(out, code.length);
            out.writeBytes(code);
        }
        out.write(RDB_VERSION & 0xff);
        out.write(RDB_VERSION >> 8);
        long crc = crc64(out.toByteArray());
        for (int i = 0; i < 8; i++) {
            out.write((int) (crc >>> (8 * i)) & 0xff);
        }
        return out.toByteArray();
    }

    /** The libraries' codes in {@code payload}, or null when its version or checksum are wrong or it is malformed. */
    public static List<byte[]> parse(byte[] p) {
        if (p.length < 10) {
            return null;
        }
        int body = p.length - 10;
        int version = (p[body] & 0xff) | (p[body + 1] & 0xff) << 8;
        long crc = 0;
        for (int i = 0; i < 8; i++) {
            crc |= (p[body + 2 + i] & 0xffL) << (8 * i);
        }
        if (version > RDB_VERSION || crc64(java.util.Arrays.copyOf(p, body + 2)) != crc) {
            return null;
        }
        List<byte[]> codes = new ArrayList<>();
        int[] pos = {0};
        while (pos[0] < body) {
            if ((p[pos[0]++] & 0xff) != OPCODE_FUNCTION2) {
                return null;
            }
            byte[] s = readString(p, pos, body);
            if (s == null) {
                return null;
            }
            codes.add(s);
        }
        return codes;
    }

    private static void writeLength(ByteArrayOutputStream out, int n) {
        if (n < 64) {
            out.write(n);
        } else if (n < 16384) {
            out.write(0x40 | (n >> 8));
            out.write(n & 0xff);
        } else {
            out.write(0x80);
            out.write(n >>> 24);
            out.write((n >>> 16) & 0xff);
            out.write((n >>> 8) & 0xff);
            out.write(n & 0xff);
        }
    }

    /** An RDB length, or -1 past the end; {@code encoded[0]} is set for the special encodings (0xc0 + type). */
    private static long readLength(byte[] p, int[] pos, int end, int[] encoded) {
        if (pos[0] >= end) {
            return -1;
        }
        int b = p[pos[0]++] & 0xff;
        switch (b >> 6) {
            case 0 -> {
                return b & 0x3f;
            }
            case 1 -> {
                if (pos[0] >= end) {
                    return -1;
                }
                return ((b & 0x3f) << 8) | (p[pos[0]++] & 0xff);
            }
            case 2 -> {
                int bytes = b == 0x80 ? 4 : b == 0x81 ? 8 : -1;
                if (bytes < 0 || pos[0] + bytes > end) {
                    return -1;
                }
                long n = 0;
                for (int i = 0; i < bytes; i++) {
                    n = (n << 8) | (p[pos[0]++] & 0xff);
                }
                return n;
            }
            default -> {
                encoded[0] = b;
                return 0;
            }
        }
    }

    private static byte[] readString(byte[] p, int[] pos, int end) {
        int[] enc = {0};
        long n = readLength(p, pos, end, enc);
        if (n < 0) {
            return null;
        }
        if (enc[0] == 0) {
            if (pos[0] + n > end) {
                return null;
            }
            byte[] s = java.util.Arrays.copyOfRange(p, pos[0], pos[0] + (int) n);
            pos[0] += (int) n;
            return s;
        }
        if (enc[0] != 0xc3) {
            return null; // integer encodings: never a library's code
        }
        int[] none = {0};
        long clen = readLength(p, pos, end, none);
        long len = readLength(p, pos, end, none);
        if (clen < 0 || len < 0 || pos[0] + clen > end) {
            return null;
        }
        byte[] s = lzfDecompress(p, pos[0], (int) clen, (int) len);
        pos[0] += (int) clen;
        return s;
    }

    /** LZF, as liblzf encodes: literal runs and back references. Null if malformed. */
    static byte[] lzfDecompress(byte[] in, int off, int len, int outLen) {
        byte[] out = new byte[outLen];
        int ip = off;
        int end = off + len;
        int op = 0;
        while (ip < end) {
            int ctrl = in[ip++] & 0xff;
            if (ctrl < 32) {
                int run = ctrl + 1;
                if (op + run > outLen || ip + run > end) {
                    return null;
                }
                System.arraycopy(in, ip, out, op, run);
                ip += run;
                op += run;
            } else {
                int ref = op - ((ctrl & 0x1f) << 8) - 1;
                int l = ctrl >> 5;
                if (l == 7) {
                    if (ip >= end) {
                        return null;
                    }
                    l += in[ip++] & 0xff;
                }
                if (ip >= end) {
                    return null;
                }
                ref -= in[ip++] & 0xff;
                l += 2;
                if (ref < 0 || op + l > outLen) {
                    return null;
                }
                for (int i = 0; i < l; i++) {
                    out[op++] = out[ref++];
                }
            }
        }
        return op == outLen ? out : null;
    }

    private static long[] crcTable() {
        long poly = 0x95ac9329ac4bc9b5L; // 0xad93d23594c935a9 reflected
        long[] t = new long[256];
        for (int i = 0; i < 256; i++) {
            long c = i;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ poly : c >>> 1;
            }
            t[i] = c;
        }
        return t;
    }

    /** Redis's crc64 (Jones, reflected, initial 0): crc64("123456789") is 0xe9c6d914c4b8d9ca. */
    static long crc64(byte[] data) {
        long crc = 0;
        for (byte b : data) {
            crc = CRC_TABLE[(int) ((crc ^ b) & 0xff)] ^ (crc >>> 8);
        }
        return crc;
    }
}
