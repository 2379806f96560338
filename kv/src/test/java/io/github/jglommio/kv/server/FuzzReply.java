package io.github.jglommio.kv.server;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * One RESP2 reply as a tree, for the differential fuzzer's comparisons ({@link FuzzCheck}): its
 * type byte, its header text (a string's contents, an integer, an array's length) and its
 * elements. Immutable.
 *
 * @param type the RESP type byte: {@code + - : $ *}
 * @param text a simple string, error or integer's text, a bulk string's contents; null for a null
 * @param items an array's elements, empty otherwise
 * @param wire the reply's wire text
 */
record FuzzReply(char type, String text, List<FuzzReply> items, String wire) {

    /**
     * Parses one reply's wire text, as {@link RespClient#byteReply()} returns it.
     *
     * @param wire the reply
     * @return the tree
     */
    static FuzzReply parse(String wire) {
        int[] pos = {0};
        FuzzReply r = next(wire, pos);
        if (pos[0] != wire.length()) {
            throw new IllegalArgumentException("more than one reply: " + wire);
        }
        return r;
    }

    private static FuzzReply next(String s, int[] pos) {
        int start = pos[0];
        int eol = s.indexOf("\r\n", start);
        char type = s.charAt(start);
        String head = s.substring(start + 1, eol);
        pos[0] = eol + 2;
        String text = head;
        List<FuzzReply> items = List.of();
        if (type == '$') {
            int len = Integer.parseInt(head);
            text = null;
            if (len >= 0) { // the wire text holds one char per byte (RespClient.byteReply)
                text = s.substring(pos[0], pos[0] + len);
                pos[0] += len + 2;
            }
        } else if (type == '*') {
            int n = Integer.parseInt(head);
            List<FuzzReply> l = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                l.add(next(s, pos));
            }
            items = List.copyOf(l);
        }
        return new FuzzReply(type, text, items, s.substring(start, pos[0]));
    }

    /** @return whether this is an error reply */
    boolean isError() {
        return type == '-';
    }

    /**
     * Whether two replies to one command agree, as {@code check} defines it.
     *
     * @param check how the command's replies compare
     * @param theirs redis-server's reply
     * @param ours this server's reply
     * @param held every string the key held before a random command (RANDOM checks), else empty
     * @return whether they agree
     */
    static boolean matches(FuzzCheck check, FuzzReply theirs, FuzzReply ours, Collection<String> held) {
        if (theirs.wire.equals(ours.wire)) {
            return true;
        }
        if (theirs.isError() || ours.isError() || theirs.type != ours.type) {
            return false;
        }
        return switch (check) {
            case EXACT -> false;
            case UNORDERED, SORT -> sorted(theirs, 1).equals(sorted(ours, 1));
            case PAIRS -> sorted(theirs, 2).equals(sorted(ours, 2));
            case SECONDS -> near(theirs, ours, 1);
            case MILLIS -> near(theirs, ours, 1000);
            case RANDOM, RANDOM_WRITE -> sameShape(theirs, ours) && heldIn(ours, held);
            case SCAN -> false; // the runner compares whole iterations
        };
    }

    /** The elements' wire texts, {@code group} at a time, sorted. */
    private static List<String> sorted(FuzzReply r, int group) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < r.items.size(); i += group) {
            StringBuilder sb = new StringBuilder();
            for (int k = i; k < Math.min(i + group, r.items.size()); k++) {
                sb.append(r.items.get(k).wire);
            }
            out.add(sb.toString());
        }
        out.sort(null);
        return out;
    }

    private static boolean near(FuzzReply theirs, FuzzReply ours, long tolerance) {
        if (theirs.type != ':') {
            return false;
        }
        long a = Long.parseLong(theirs.text);
        long b = Long.parseLong(ours.text);
        // -1 (no expiry) and -2 (no key) are answers, not times.
        return a >= 0 && b >= 0 && Math.abs(a - b) <= tolerance;
    }

    private static boolean sameShape(FuzzReply a, FuzzReply b) {
        if (a.type != b.type || a.items.size() != b.items.size() || (a.text == null) != (b.text == null)) {
            return false;
        }
        for (int i = 0; i < a.items.size(); i++) {
            if (!sameShape(a.items.get(i), b.items.get(i))) {
                return false;
            }
        }
        return a.type != ':' || Objects.equals(a.text, b.text);
    }

    private static boolean heldIn(FuzzReply r, Collection<String> held) {
        if (r.type == '$') {
            return r.text == null || held.contains(r.text);
        }
        return r.items.stream().allMatch(i -> heldIn(i, held));
    }
}
