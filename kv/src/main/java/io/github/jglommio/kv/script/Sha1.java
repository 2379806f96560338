package io.github.jglommio.kv.script;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-1 in lower-case hex, as Redis names scripts and as {@code redis.sha1hex} returns. Stateless. */
final class Sha1 {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Sha1() {
    }

    static String hex(byte[] data) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
        byte[] d = md.digest(data);
        char[] out = new char[d.length * 2];
        for (int i = 0; i < d.length; i++) {
            out[2 * i] = HEX[(d[i] >> 4) & 15];
            out[2 * i + 1] = HEX[d[i] & 15];
        }
        return new String(out);
    }
}
