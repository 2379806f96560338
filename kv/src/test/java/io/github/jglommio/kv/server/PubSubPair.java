package io.github.jglommio.kv.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One raw connection to redis-server and one to our server, for pub/sub differential tests: a
 * subscribed connection answers one request with several frames, and frames arrive unasked, which
 * {@link Oracle}'s one-reply-per-request calls cannot follow. The test's thread.
 */
final class PubSubPair implements AutoCloseable {

    final RespClient theirs;
    final RespClient ours;

    PubSubPair(Oracle o) throws IOException {
        theirs = new RespClient(o.theirPort());
        ours = new RespClient(o.ours().port());
        Oracle.negotiate(theirs, ours); // under the Resp3 extension
    }

    /** Sends {@code args} to both and asserts that the next {@code frames} frames are the same bytes. */
    String same(int frames, String... args) throws IOException {
        theirs.send(args);
        ours.send(args);
        return next(frames, Arrays.toString(args));
    }

    /** Asserts that the next {@code frames} frames each side receives are the same bytes. */
    String next(int frames, String what) throws IOException {
        String t = read(theirs, frames);
        String m = read(ours, frames);
        assertEquals(t, m, () -> "frames after " + what);
        return m;
    }

    /**
     * Sends {@code args} to both and asserts that the next {@code frames} frames are the same ones
     * in any order, for replies whose order Redis leaves to its hash tables (UNSUBSCRIBE without
     * arguments). The running counts are compared apart, in order: they do not depend on the order.
     */
    void sameUnordered(int frames, String... args) throws IOException {
        theirs.send(args);
        ours.send(args);
        List<String> t = frames(theirs, frames);
        List<String> m = frames(ours, frames);
        assertEquals(counts(t), counts(m), () -> "counts after " + Arrays.toString(args));
        assertEquals(names(t), names(m), () -> "frames after " + Arrays.toString(args));
    }

    private static List<String> counts(List<String> frames) {
        List<String> out = new ArrayList<>();
        for (String f : frames) {
            out.add(f.substring(f.lastIndexOf(':')));
        }
        return out;
    }

    private static List<String> names(List<String> frames) {
        List<String> out = new ArrayList<>();
        for (String f : frames) {
            out.add(f.substring(0, f.lastIndexOf(':')));
        }
        out.sort(null);
        return out;
    }

    /**
     * Sends PING to both and asserts that the frames each side received before PING's reply are
     * the same ones, in any order (the pmessage frames of one message come in the order of Redis's
     * pattern table), and that the reply is the same: a pong frame when subscribed, else a bulk.
     */
    void sameUntilPong(String what) throws IOException {
        theirs.send("PING", "mark");
        ours.send("PING", "mark");
        List<String> t = untilPong(theirs);
        List<String> m = untilPong(ours);
        assertEquals(t, m, () -> "frames after " + what);
    }

    private static List<String> untilPong(RespClient c) throws IOException {
        String bulk = "$4\r\nmark\r\n";
        String pong = "*2\r\n$4\r\npong\r\n" + bulk;
        List<String> out = new ArrayList<>();
        String f;
        while (!(f = c.reply()).equals(pong) && !f.equals(bulk)) {
            out.add(f);
        }
        out.sort(null);
        out.add(f);
        return out;
    }

    static String read(RespClient c, int frames) throws IOException {
        return String.join("", frames(c, frames));
    }

    static List<String> frames(RespClient c, int frames) throws IOException {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < frames; i++) {
            out.add(c.reply());
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        try {
            theirs.close();
        } finally {
            ours.close();
        }
    }
}
