package io.github.jglommio.kv.aof;

import io.github.jglommio.kv.command.KeyspaceCommands;
import io.github.jglommio.kv.command.LogRewriter;
import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.kv.store.Keyspace;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
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
 * <p>Threading: the shard's executor only, like the keyspace.
 */
public final class KeyspaceStateMachine implements LogStateMachine {

    private static final System.Logger LOG = System.getLogger(KeyspaceStateMachine.class.getName());
    private static final byte[] DEL = {'D', 'E', 'L'};

    private final LongSupplier nowMillis;
    private final KeyspaceCommands commands;
    private final Keyspace keyspace;
    private final RespWriter discardedReplies = new RespWriter();
    private long replayErrors;

    /**
     * A state machine with an empty keyspace on {@code nowMillis} (epoch milliseconds;
     * {@code System::currentTimeMillis} in the server) executed by {@code commands}.
     */
    public KeyspaceStateMachine(LongSupplier nowMillis, KeyspaceCommands commands) {
        this.nowMillis = Objects.requireNonNull(nowMillis, "nowMillis");
        this.commands = Objects.requireNonNull(commands, "commands");
        this.keyspace = new Keyspace(nowMillis);
    }

    /** The keyspace: the server reads and changes it with {@link #commands()}. */
    public Keyspace keyspace() {
        return keyspace;
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
        Objects.requireNonNull(log, "log");
        keyspace.setExpiryListener(key -> {
            try {
                log.append(Command.of(DEL, key));
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "expiry of a key not logged: " + e.getMessage());
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

    @Override
    public void apply(Command command) {
        keyspace.setLoading(true);
        try {
            commands.execute(command, keyspace, discardedReplies);
        } finally {
            keyspace.setLoading(false);
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
        LogRewriter.rewrite(keyspace, out);
    }

    @Override
    public LogStateMachine newEmpty() {
        return new KeyspaceStateMachine(nowMillis, commands);
    }
}
