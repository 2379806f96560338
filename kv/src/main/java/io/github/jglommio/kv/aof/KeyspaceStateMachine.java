package io.github.jglommio.kv.aof;

import io.github.jglommio.kv.command.KeyspaceCommands;
import io.github.jglommio.kv.command.LogRewriter;
import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.kv.store.Keyspace;

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
 * <p>Replay and expiry, as Redis loads an AOF: while a logged command is applied, the keyspace's clock
 * stands before every expiry time, so no key dies in the middle of a replay and each command meets the
 * state it met when it was executed (a key that expired between two logged commands would otherwise make
 * a later {@code RENAME} or {@code APPEND} behave differently). Once replay is over, keys whose time has
 * passed are dead as usual. This is exact only if the server logs the deletion of a key it finds expired
 * (lazily or by the active cycle) before logging a command that acts on the new, empty key, as Redis
 * propagates a {@code DEL} for each expired key.
 *
 * <p>Threading: the shard's executor only, like the keyspace.
 */
public final class KeyspaceStateMachine implements LogStateMachine {

    private static final System.Logger LOG = System.getLogger(KeyspaceStateMachine.class.getName());
    /** Earlier than any expiry time: nothing is dead while the clock reads this. */
    private static final long REPLAY_CLOCK = Long.MIN_VALUE;

    private final LongSupplier nowMillis;
    private final KeyspaceCommands commands;
    private final Keyspace keyspace;
    private final RespWriter discardedReplies = new RespWriter();
    private boolean replaying;
    private long replayErrors;

    /**
     * A state machine with an empty keyspace on {@code nowMillis} (epoch milliseconds;
     * {@code System::currentTimeMillis} in the server) executed by {@code commands}.
     */
    public KeyspaceStateMachine(LongSupplier nowMillis, KeyspaceCommands commands) {
        this.nowMillis = Objects.requireNonNull(nowMillis, "nowMillis");
        this.commands = Objects.requireNonNull(commands, "commands");
        this.keyspace = new Keyspace(() -> replaying ? REPLAY_CLOCK : nowMillis.getAsLong());
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
     * Logged commands whose replay was answered with an error (a wrong type, say): Redis ignores such
     * replies while loading, and so does this; the first one is logged as a warning.
     */
    public long replayErrors() {
        return replayErrors;
    }

    @Override
    public void apply(Command command) {
        replaying = true;
        try {
            commands.execute(command, keyspace, discardedReplies);
        } finally {
            replaying = false;
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
