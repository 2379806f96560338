package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.kv.store.Keyspace;
import io.github.jglommio.kv.store.WrongTypeException;

import java.util.SplittableRandom;

/**
 * Executes commands against one shard's {@link Keyspace} with Redis semantics.
 *
 * <p>{@link #execute(CommandSpec, Command, Keyspace, RespWriter)} appends exactly one reply to the
 * writer (a value, or an error for unknown commands, bad arity, bad arguments and wrong types) and
 * returns the command to append to the append-only log: {@code null} when nothing changed, else a
 * command whose replay on the same prior state gives the same result at any later time. Relative
 * times become absolute ({@code SET k v EX 10} logs {@code SET k v PXAT <ms>}, {@code EXPIRE k 10}
 * logs {@code PEXPIREAT k <ms>}, an expiry already in the past logs {@code DEL k}), random choices
 * become explicit ({@code SPOP} logs {@code SREM}), and the rest log themselves. Replaying logged
 * commands through this same method rebuilds the keyspace, provided that the log also holds a
 * {@code DEL} for every key the keyspace expired (wire {@link Keyspace#setExpiryListener}, which
 * fires during {@code execute}, before the command's own log entry is returned) and that the
 * replay runs with the keyspace in {@linkplain Keyspace#setLoading(boolean) loading mode}.
 *
 * <p>Multi-key commands (DEL, EXISTS, MGET, MSET, ...) act on the keys they are given; the server
 * gives each shard its own keys (see {@link Routing}). Server-level commands other than
 * {@code PING} and {@code ECHO} are answered with an error: the server handles them.
 *
 * <p>One instance per shard executor; not thread-safe (it owns the random generator of SPOP and
 * RANDOMKEY-like choices).
 */
public final class KeyspaceCommands {
    private final SplittableRandom random;

    /** Creates an executor with a randomly seeded generator. */
    public KeyspaceCommands() {
        this(new SplittableRandom());
    }

    /**
     * Creates an executor with a given generator, for reproducible tests.
     *
     * @param random the generator used by SPOP
     */
    public KeyspaceCommands(SplittableRandom random) {
        this.random = random;
    }

    /**
     * Looks the command up and executes it; see {@link #execute(CommandSpec, Command, Keyspace,
     * RespWriter)}.
     *
     * @param cmd the command
     * @param ks the shard's keyspace
     * @param out receives exactly one reply
     * @return the command to log, or {@code null}
     */
    public Command execute(Command cmd, Keyspace ks, RespWriter out) {
        return execute(CommandTable.lookup(cmd), cmd, ks, out);
    }

    /**
     * Executes a command whose spec the caller has already looked up (to route it).
     *
     * @param spec the command's spec, or {@code null} if unknown (an error reply is written)
     * @param cmd the command
     * @param ks the shard's keyspace
     * @param out receives exactly one reply
     * @return the command to log, or {@code null} when the keyspace did not change
     */
    public Command execute(CommandSpec spec, Command cmd, Keyspace ks, RespWriter out) {
        if (spec == null) {
            out.error(CommandTable.unknownCommandError(cmd));
            return null;
        }
        if (!spec.acceptsArgCount(cmd.argCount())) {
            out.error(spec.arityError());
            return null;
        }
        try {
            return dispatch(spec, cmd, ks, out);
        } catch (CommandError e) {
            out.error(e.getMessage());
            return null;
        } catch (WrongTypeException e) {
            out.error(WrongTypeException.MESSAGE);
            return null;
        }
    }

    private Command dispatch(CommandSpec spec, Command c, Keyspace ks, RespWriter out) {
        return switch (spec.name()) {
            case "get" -> StringCommands.get(c, ks, out);
            case "set" -> StringCommands.set(c, ks, out);
            case "setnx" -> StringCommands.setnx(c, ks, out);
            case "setex" -> StringCommands.setex(c, ks, out, 1000);
            case "psetex" -> StringCommands.setex(c, ks, out, 1);
            case "getset" -> StringCommands.getset(c, ks, out);
            case "getdel" -> StringCommands.getdel(c, ks, out);
            case "append" -> StringCommands.append(c, ks, out);
            case "strlen" -> StringCommands.strlen(c, ks, out);
            case "incr" -> StringCommands.incrBy(c, ks, out, 1);
            case "decr" -> StringCommands.incrBy(c, ks, out, -1);
            case "incrby" -> StringCommands.incrBy(c, ks, out, Args.longArg(c, 2));
            case "decrby" -> StringCommands.decrBy(c, ks, out);
            case "mget" -> StringCommands.mget(c, ks, out);
            case "mset" -> StringCommands.mset(c, ks, out);
            case "msetnx" -> StringCommands.msetnx(c, ks, out);
            case "del", "unlink" -> KeyCommands.del(c, ks, out);
            case "exists" -> KeyCommands.exists(c, ks, out);
            case "expire" -> KeyCommands.expire(c, ks, out, 1000, false);
            case "pexpire" -> KeyCommands.expire(c, ks, out, 1, false);
            case "expireat" -> KeyCommands.expire(c, ks, out, 1000, true);
            case "pexpireat" -> KeyCommands.expire(c, ks, out, 1, true);
            case "ttl" -> KeyCommands.ttl(c, ks, out, 1000);
            case "pttl" -> KeyCommands.ttl(c, ks, out, 1);
            case "persist" -> KeyCommands.persist(c, ks, out);
            case "type" -> KeyCommands.type(c, ks, out);
            case "dbsize" -> KeyCommands.dbsize(ks, out);
            case "flushall", "flushdb" -> KeyCommands.flush(c, ks, out);
            case "keys" -> KeyCommands.keys(c, ks, out);
            case "scan" -> KeyCommands.scan(c, ks, out);
            case "randomkey" -> KeyCommands.randomKey(ks, out);
            case "lpush" -> ListCommands.push(c, ks, out, true);
            case "rpush" -> ListCommands.push(c, ks, out, false);
            case "lpop" -> ListCommands.pop(c, ks, out, true);
            case "rpop" -> ListCommands.pop(c, ks, out, false);
            case "llen" -> ListCommands.llen(c, ks, out);
            case "lrange" -> ListCommands.lrange(c, ks, out);
            case "lindex" -> ListCommands.lindex(c, ks, out);
            case "sadd" -> SetCommands.sadd(c, ks, out);
            case "srem" -> SetCommands.srem(c, ks, out);
            case "smembers" -> SetCommands.smembers(c, ks, out);
            case "sismember" -> SetCommands.sismember(c, ks, out);
            case "scard" -> SetCommands.scard(c, ks, out);
            case "spop" -> SetCommands.spop(c, ks, out, random);
            case "hset" -> HashCommands.hset(c, ks, out, false);
            case "hmset" -> HashCommands.hset(c, ks, out, true);
            case "hget" -> HashCommands.hget(c, ks, out);
            case "hgetall" -> HashCommands.hgetall(c, ks, out);
            case "hdel" -> HashCommands.hdel(c, ks, out);
            case "hlen" -> HashCommands.hlen(c, ks, out);
            case "hincrby" -> HashCommands.hincrby(c, ks, out);
            case "zadd" -> ZSetCommands.zadd(c, ks, out);
            case "zrange" -> ZSetCommands.zrange(c, ks, out);
            case "zscore" -> ZSetCommands.zscore(c, ks, out);
            case "zcard" -> ZSetCommands.zcard(c, ks, out);
            case "zrem" -> ZSetCommands.zrem(c, ks, out);
            case "zincrby" -> ZSetCommands.zincrby(c, ks, out);
            case "ping" -> ping(c, out);
            case "echo" -> {
                out.bulk(c.arg(1));
                yield null;
            }
            default -> {
                out.error("ERR '" + spec.name() + "' is a server command, not a keyspace command");
                yield null;
            }
        };
    }

    private static Command ping(Command c, RespWriter out) {
        if (c.argCount() > 2) {
            out.error(CommandTable.lookup("ping").arityError());
        } else if (c.argCount() == 2) {
            out.bulk(c.arg(1));
        } else {
            out.simpleString("PONG");
        }
        return null;
    }
}
