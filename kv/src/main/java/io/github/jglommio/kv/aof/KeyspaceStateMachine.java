package io.github.jglommio.kv.aof;

import io.github.jglommio.kv.command.KeyspaceCommands;
import io.github.jglommio.kv.command.LogRewriter;
import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.kv.store.Databases;
import io.github.jglommio.kv.store.Keyspace;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The server's shard data as the log sees it: a {@link Keyspace} and the {@link KeyspaceCommands} that
 * change it. The server executes requests on {@link #keyspace()} with {@link #commands()} and appends
 * what they return; the log replays through {@link #apply}.
 *
 * <p>Replay and expiry, as Redis loads an AOF: a logged command is applied with the keyspace in
 * {@linkplain Keyspace#setLoading loading mode}, so no key dies in the middle of a replay and each command
 * meets the state it met when it was executed; once replay is over, keys whose time has passed are dead
 * as usual. This is exact because the server logs a {@code DEL} for every key the keyspace expires, at
 * the point it expired: {@link #logExpirations(AppendOnlyLog)} wires that.
 *
 * <p>Databases, as Redis's AOF: the records run in the database of the last {@code SELECT n} record
 * before them (0 at the start of a file). The server asks {@link #switchLogDb} before it appends a
 * record of database {@code n} and appends the {@code SELECT} it returns, if any; {@link #apply}
 * follows those records. {@link #rebuild} writes each non-empty database after its {@code SELECT}
 * and ends in the database the log was in when it was cut, so that the records the log appended
 * after the cut, copied behind the snapshot, still run where they ran.
 *
 * <p>Threading: the shard's executor only, like the keyspace.
 */
public final class KeyspaceStateMachine implements LogStateMachine {

    private static final System.Logger LOG = System.getLogger(KeyspaceStateMachine.class.getName());
    private static final byte[] DEL = {'D', 'E', 'L'};
    private static final byte[] SELECT = {'S', 'E', 'L', 'E', 'C', 'T'};

    private final LongSupplier nowMillis;
    private final KeyspaceCommands commands;
    private final Databases databases;
    /** The database of the log's next record: set by each SELECT appended or replayed. */
    private int logDb;
    private final RespWriter discardedReplies = new RespWriter();
    private long replayErrors;
    private AppendOnlyLog expiryLog;
    private Databases.ExpiryListener expiryObserver;
    /** While replaying a MULTI ... EXEC block: its commands, applied together at its EXEC. */
    private List<Command> replayBlock;

    /**
     * A state machine with an empty keyspace on {@code nowMillis} (epoch milliseconds;
     * {@code System::currentTimeMillis} in the server) executed by {@code commands}.
     */
    public KeyspaceStateMachine(LongSupplier nowMillis, KeyspaceCommands commands) {
        this(nowMillis, commands, 1);
    }

    /**
     * A state machine with {@code databases} empty databases (the {@code databases} setting) on
     * {@code nowMillis}, executed by {@code commands}.
     */
    public KeyspaceStateMachine(LongSupplier nowMillis, KeyspaceCommands commands, int databases) {
        this.nowMillis = Objects.requireNonNull(nowMillis, "nowMillis");
        this.commands = Objects.requireNonNull(commands, "commands");
        this.databases = new Databases(nowMillis, databases);
    }

    /** Database 0's keyspace: the server reads and changes it with {@link #commands()}. */
    public Keyspace keyspace() {
        return databases.get(0);
    }

    /** Every database of the shard. */
    public Databases databases() {
        return databases;
    }

    /**
     * Call before appending a record of database {@code db}: returns the {@code SELECT db} record
     * to append first when the log's records are in another database (and notes the switch), else
     * null. Every record, the expirations' {@code DEL}s included, must go through this.
     */
    public Command switchLogDb(int db) {
        if (db == logDb) {
            return null;
        }
        logDb = db;
        return selectRecord(db);
    }

    /** @return the database the log's next record is in */
    public int logDb() {
        return logDb;
    }

    /** The command executor the replay uses; the server uses the same one. */
    public KeyspaceCommands commands() {
        return commands;
    }

    /**
     * Makes every key the keyspace expires (lazily on access, or by its active cycle) append
     * {@code DEL key} to {@code log} at that moment, before the command that noticed it goes on, so that
     * replay meets the same state. Call it right after {@link AppendOnlyLog#open}, before serving. The
     * {@code DEL} needs no wait of its own: the next write's {@link AppendOnlyLog#awaitDurable} covers it.
     * Once the log has failed or closed the {@code DEL} is not logged; every later write is refused then
     * anyway.
     */
    public void logExpirations(AppendOnlyLog log) {
        this.expiryLog = Objects.requireNonNull(log, "log");
        installExpiryListener();
    }

    /**
     * Also tells {@code observer} of every key the keyspace expires, at that moment (after the
     * {@code DEL} is logged, if {@link #logExpirations} was called): the server marks WATCHed keys
     * that way. Call before serving.
     */
    public void observeExpirations(Databases.ExpiryListener observer) {
        this.expiryObserver = Objects.requireNonNull(observer, "observer");
        installExpiryListener();
    }

    private void installExpiryListener() {
        databases.setExpiryListener((db, key) -> {
            AppendOnlyLog log = expiryLog;
            if (log != null) {
                try {
                    Command select = switchLogDb(db);
                    if (select != null) {
                        log.append(select);
                    }
                    log.append(Command.of(DEL, key));
                } catch (IOException e) {
                    LOG.log(Level.DEBUG, "expiry of a key not logged: " + e.getMessage());
                }
            }
            Databases.ExpiryListener observer = expiryObserver;
            if (observer != null) {
                observer.expired(db, key);
            }
        });
    }

    /**
     * Logged commands whose replay was answered with an error (a wrong type, say): Redis ignores such
     * replies while loading, and so does this; the first one is logged as a warning.
     */
    public long replayErrors() {
        return replayErrors;
    }

    /**
     * Applies a logged command. A {@code MULTI} ... {@code EXEC} block (a transaction, logged
     * whole) is applied at its {@code EXEC}; a block the log ends in the middle of (a crash while it
     * was being written) is never applied, as Redis reverts an incomplete transaction at load.
     */
    @Override
    public void apply(Command command) {
        if (command.argCount() == 1 && isName(command, "multi")) {
            if (replayBlock != null) {
                applyBlock(); // followed by more records, so it was complete: not torn
            }
            replayBlock = new ArrayList<>();
            return;
        }
        if (command.argCount() == 1 && isName(command, "exec")) {
            if (replayBlock != null) {
                applyBlock();
            }
            return;
        }
        if (replayBlock != null) {
            replayBlock.add(command);
            return;
        }
        applyOne(command);
    }

    /**
     * A record of a dropped cross-shard part (see {@link LogStateMachine#applyDropped}): only a
     * {@code SELECT} counts, so that the records after the part run in the database the writer
     * had switched to.
     */
    @Override
    public void applyDropped(Command command) {
        if (command.argCount() == 2 && isName(command, "select")) {
            applyOne(command);
        }
    }

    private void applyBlock() {
        List<Command> block = replayBlock;
        replayBlock = null;
        for (Command c : block) {
            applyOne(c);
        }
    }

    private static boolean isName(Command c, String lower) {
        byte[] n = c.arg(0);
        if (n.length != lower.length()) {
            return false;
        }
        for (int i = 0; i < n.length; i++) {
            if ((n[i] | 0x20) != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private void applyOne(Command command) {
        if (command.argCount() == 2 && isName(command, "select")) {
            long db = io.github.jglommio.kv.resp.Ascii.parseOr(command.arg(1), 0, command.arg(1).length, -1);
            if (!databases.isValid(db)) {
                throw new IllegalStateException("SELECT " + new String(command.arg(1), StandardCharsets.UTF_8)
                        + " in the log, but the server has " + databases.count() + " databases");
            }
            logDb = (int) db;
            return;
        }
        if (command.argCount() == 3 && isName(command, "swapdb")) {
            long a = io.github.jglommio.kv.resp.Ascii.parseOr(command.arg(1), 0, command.arg(1).length, -1);
            long b = io.github.jglommio.kv.resp.Ascii.parseOr(command.arg(2), 0, command.arg(2).length, -1);
            if (!databases.isValid(a) || !databases.isValid(b)) {
                throw new IllegalStateException("SWAPDB " + a + " " + b + " in the log, but the server has "
                        + databases.count() + " databases");
            }
            databases.swap((int) a, (int) b); // SWAPDB is a server command: no keyspace handler runs it
            return;
        }
        databases.setLoading(true);
        try {
            commands.execute(command, databases.get(logDb), discardedReplies);
        } finally {
            databases.setLoading(false);
        }
        if (discardedReplies.size() > 0 && discardedReplies.array()[0] == '-') {
            if (replayErrors++ == 0) {
                LOG.log(Level.WARNING, "replaying " + command.name() + " from the append-only log gave the error "
                        + new String(discardedReplies.array(), 0, discardedReplies.size() - 2, StandardCharsets.UTF_8)
                        + " (ignored, as Redis does while loading; later ones are only counted)");
            }
        }
        discardedReplies.clear();
    }

    @Override
    public void rebuild(Consumer<Command> out) {
        int current = 0; // a new file starts in database 0
        for (int db = 0; db < databases.count(); db++) {
            Keyspace ks = databases.peek(db);
            if (ks == null || ks.size() == 0) {
                continue;
            }
            if (db != current) {
                out.accept(selectRecord(db));
                current = db;
            }
            LogRewriter.rewrite(ks, out);
        }
        if (current != logDb) {
            out.accept(selectRecord(logDb)); // where the records after the cut continue
        }
    }

    private static Command selectRecord(int db) {
        return Command.of(SELECT, Integer.toString(db).getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public LogStateMachine newEmpty() {
        return new KeyspaceStateMachine(nowMillis, commands, databases.count());
    }
}
