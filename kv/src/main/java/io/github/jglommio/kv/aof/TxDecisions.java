package io.github.jglommio.kv.aof;

import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.ProtocolException;
import io.github.jglommio.kv.resp.RespParser;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which cross-shard transactions the logs of a data directory hold completely: read from every
 * shard's log before any shard replays, so that each replay applies a transaction's part only
 * when every participant logged its part, and drops it otherwise (see the package comment for
 * the rule and why it survives rewrites). Immutable once made: any thread.
 */
public final class TxDecisions {

    private static final System.Logger LOG = System.getLogger(TxDecisions.class.getName());
    private static final Pattern LOG_NAME = Pattern.compile("shard-(\\d+)\\.aof");
    private static final int CHUNK = 128 << 10;

    /** No scan: every logged part applies (a log used outside a server: tests, tools). */
    public static final TxDecisions NONE = new TxDecisions(null, 0, List.of());

    /** The transactions that apply; null for {@link #NONE}. */
    private final Set<Long> committed;
    private final long maxTxId;
    private final List<Long> aborted;

    private TxDecisions(Set<Long> committed, long maxTxId, List<Long> aborted) {
        this.committed = committed;
        this.maxTxId = maxTxId;
        this.aborted = aborted;
    }

    /** What one log says about transactions. */
    private static final class LogView {
        long horizon = -1;
        final Set<Long> abortedListed = new HashSet<>();
        /** The complete TXPART ... MULTI ... EXEC blocks: txid to participants. */
        final Map<Long, int[]> parts = new HashMap<>();
        long maxTxId;
    }

    /**
     * Reads every {@code shard-<n>.aof} of {@code directory} (blocking reads: call it before the
     * shards start) and decides each transaction the logs mention. A log that ends in an incomplete
     * or unreadable record counts up to there; its replay reports the damage.
     */
    public static TxDecisions scan(Path directory, int maxBulkLength, int maxMultibulkLength) throws IOException {
        Map<Integer, LogView> views = new HashMap<>();
        if (Files.isDirectory(directory)) {
            try (Stream<Path> files = Files.list(directory)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Matcher m = LOG_NAME.matcher(p.getFileName().toString());
                    if (m.matches() && Files.isRegularFile(p)) {
                        views.put(Integer.parseInt(m.group(1)), read(p, maxBulkLength, maxMultibulkLength));
                    }
                }
            }
        }
        return decide(views);
    }

    private static TxDecisions decide(Map<Integer, LogView> views) {
        long max = 0;
        Set<Long> listedAborted = new HashSet<>();
        Map<Long, int[]> participants = new HashMap<>();
        for (LogView v : views.values()) {
            max = Math.max(max, v.maxTxId);
            listedAborted.addAll(v.abortedListed);
            v.parts.forEach(participants::putIfAbsent);
        }
        Set<Long> committed = new HashSet<>();
        TreeSet<Long> aborted = new TreeSet<>();
        for (Map.Entry<Long, int[]> e : participants.entrySet()) {
            long txid = e.getKey();
            boolean complete = !listedAborted.contains(txid);
            for (int q : e.getValue()) {
                LogView v = views.get(q);
                if (!complete) {
                    break;
                }
                complete = v != null && (v.parts.containsKey(txid) || txid <= v.horizon);
            }
            if (complete) {
                committed.add(txid);
            } else {
                aborted.add(txid);
            }
        }
        if (!aborted.isEmpty()) {
            LOG.log(Level.WARNING, "dropping " + aborted.size() + " cross-shard transaction(s) that not every shard "
                    + "logged (a crash while they were being written), ids " + aborted);
        }
        return new TxDecisions(committed, max, Collections.unmodifiableList(new ArrayList<>(aborted)));
    }

    private static LogView read(Path path, int maxBulkLength, int maxMultibulkLength) throws IOException {
        LogView view = new LogView();
        RespParser parser = new RespParser(maxBulkLength, maxMultibulkLength);
        long openTx = -1;
        int[] openParticipants = null;
        boolean inBlock = false;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer bb = ByteBuffer.allocate(CHUNK);
            byte[] buf = bb.array();
            int n;
            while ((n = ch.read(bb.clear())) > 0) {
                int pos = 0;
                while (pos < n) {
                    if (!parser.hasPartialRequest() && buf[pos] != '*') {
                        return view; // zero padding or damage: replay says which
                    }
                    Command c;
                    try {
                        c = parser.next(buf, pos, n);
                    } catch (ProtocolException e) {
                        return view;
                    }
                    if (c == null) {
                        break;
                    }
                    pos += parser.consumed();
                    if (TxRecords.isHorizon(c)) {
                        view.horizon = TxRecords.number(c, 1);
                        view.maxTxId = Math.max(view.maxTxId, view.horizon);
                        for (int i = 2; i < c.argCount(); i++) {
                            long t = TxRecords.number(c, i);
                            view.abortedListed.add(t);
                            view.maxTxId = Math.max(view.maxTxId, t);
                        }
                    } else if (TxRecords.isPart(c)) {
                        openTx = TxRecords.number(c, 1);
                        openParticipants = new int[c.argCount() - 2];
                        for (int i = 2; i < c.argCount(); i++) {
                            openParticipants[i - 2] = (int) TxRecords.number(c, i);
                        }
                        view.maxTxId = Math.max(view.maxTxId, openTx);
                        inBlock = false;
                    } else if (openTx >= 0 && !inBlock && TxRecords.isMulti(c)) {
                        inBlock = true;
                    } else if (openTx >= 0 && inBlock && TxRecords.isExec(c)) {
                        view.parts.put(openTx, openParticipants);
                        openTx = -1;
                        inBlock = false;
                    } else if (openTx >= 0 && !inBlock) {
                        openTx = -1; // a TXPART not followed by its block: replay reports it
                    }
                }
            }
        }
        return view;
    }

    /** Whether the part of transaction {@code txid} applies on replay. */
    public boolean applies(long txid) {
        return committed == null || committed.contains(txid);
    }

    /** The highest transaction id any log mentions (0 if none): new ids must be higher. */
    public long maxTxId() {
        return maxTxId;
    }

    /**
     * The transactions dropped because some participant lacks its part: every snapshot written by
     * this process lists them, so that a crash before every shard rewrote its log cannot turn them
     * complete (a rewritten log's horizon covers them).
     */
    public List<Long> aborted() {
        return aborted;
    }

    @Override
    public String toString() {
        return "TxDecisions[committed=" + (committed == null ? "all" : committed.size()) + ", aborted=" + aborted
                + ", maxTxId=" + maxTxId + "]";
    }
}
