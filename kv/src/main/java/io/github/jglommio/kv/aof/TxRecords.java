package io.github.jglommio.kv.aof;

import io.github.jglommio.kv.resp.Ascii;
import io.github.jglommio.kv.resp.Command;

import java.nio.charset.StandardCharsets;
import java.util.Collection;

/**
 * The records that make a cross-shard transaction all-or-nothing on replay (see the package
 * comment): {@code TXPART <txid> <shard>...}, which says that the {@code MULTI} ... {@code EXEC}
 * block right after it is this shard's part of transaction {@code txid} whose parts the listed
 * shards logged, and {@code TXHORIZON <h> [<txid>...]}, the first record of a snapshot, which says
 * which transactions the snapshot holds without their {@code TXPART}s. Any thread (no state).
 */
public final class TxRecords {

    private static final byte[] TXPART = {'T', 'X', 'P', 'A', 'R', 'T'};
    private static final byte[] TXHORIZON = {'T', 'X', 'H', 'O', 'R', 'I', 'Z', 'O', 'N'};
    private static final Command MULTI = Command.of("MULTI");
    private static final Command EXEC = Command.of("EXEC");

    private TxRecords() {
    }

    /**
     * The record that opens shard's part of transaction {@code txid}, logged by every shard of
     * {@code participants} (two or more, this one included); the part's records follow between
     * {@link #multi()} and {@link #exec()}.
     */
    public static Command part(long txid, int[] participants) {
        byte[][] args = new byte[participants.length + 2][];
        args[0] = TXPART;
        args[1] = ascii(txid);
        for (int i = 0; i < participants.length; i++) {
            args[i + 2] = ascii(participants[i]);
        }
        return Command.of(args);
    }

    /** The {@code MULTI} record. */
    public static Command multi() {
        return MULTI;
    }

    /** The {@code EXEC} record. */
    public static Command exec() {
        return EXEC;
    }

    /** {@code TXHORIZON horizon aborted...}. */
    static Command horizon(long horizon, Collection<Long> aborted) {
        byte[][] args = new byte[aborted.size() + 2][];
        args[0] = TXHORIZON;
        args[1] = ascii(horizon);
        int i = 2;
        for (long t : aborted) {
            args[i++] = ascii(t);
        }
        return Command.of(args);
    }

    static boolean isPart(Command c) {
        return c.argCount() >= 2 && is(c.arg(0), TXPART);
    }

    static boolean isHorizon(Command c) {
        return c.argCount() >= 2 && is(c.arg(0), TXHORIZON);
    }

    static boolean isMulti(Command c) {
        return c.argCount() == 1 && is(c.arg(0), MULTI.arg(0));
    }

    static boolean isExec(Command c) {
        return c.argCount() == 1 && is(c.arg(0), EXEC.arg(0));
    }

    /** Argument {@code i} of a TXPART or TXHORIZON record as a number. */
    static long number(Command c, int i) {
        long v = Ascii.parseOr(c.arg(i), 0, c.arg(i).length, -1);
        if (v < 0) {
            throw new IllegalStateException("bad number '" + new String(c.arg(i), StandardCharsets.UTF_8) + "' in a "
                    + new String(c.arg(0), StandardCharsets.UTF_8) + " record");
        }
        return v;
    }

    private static boolean is(byte[] name, byte[] upper) {
        if (name.length != upper.length) {
            return false;
        }
        for (int i = 0; i < name.length; i++) {
            if ((name[i] & ~0x20) != upper[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }
}
