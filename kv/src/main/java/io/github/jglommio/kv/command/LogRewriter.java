package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.store.Key;
import io.github.jglommio.kv.store.Keyspace;
import io.github.jglommio.kv.store.ListValue;
import io.github.jglommio.kv.store.ZSet;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Produces the commands that rebuild a keyspace, for compacting the append-only log: per live key,
 * {@code SET k v [PXAT t]} for strings, and {@code RPUSH}, {@code SADD}, {@code HSET} or
 * {@code ZADD} in batches of {@value #BATCH} elements followed by {@code PEXPIREAT k t} when the key
 * expires. Replaying them through {@link KeyspaceCommands} into an empty keyspace, at any time not
 * earlier than the rewrite, gives the same data. Runs on the keyspace's executor; stateless.
 */
public final class LogRewriter {
    /** Elements per emitted command, so no single command gets huge. */
    public static final int BATCH = 64;

    private LogRewriter() {
    }

    /**
     * Emits the rebuilding commands of every live key.
     *
     * @param ks the keyspace to snapshot; must not change during the call
     * @param sink receives the commands in order
     */
    public static void rewrite(Keyspace ks, Consumer<Command> sink) {
        ks.forEachLive((key, value, expireAt) -> emit(key, value, expireAt, sink));
    }

    /**
     * Emits the rebuilding commands of one entry.
     *
     * @param key the key
     * @param value the value, of a keyspace value type
     * @param expireAt the absolute expiry time or {@link Keyspace#NO_EXPIRY}
     * @param sink receives the commands in order
     */
    @SuppressWarnings("unchecked")
    public static void emit(byte[] key, Object value, long expireAt, Consumer<Command> sink) {
        switch (value) {
            case byte[] s -> {
                sink.accept(expireAt == Keyspace.NO_EXPIRY
                    ? Args.command("SET", key, s)
                    : Args.command("SET", key, s, Args.ascii("PXAT"), Args.decimal(expireAt)));
                return;
            }
            case ListValue list -> batches("RPUSH", key, list.iterator(), 1, sink);
            case HashSet<?> set -> {
                Iterator<Key> it = ((HashSet<Key>) set).iterator();
                batches("SADD", key, new Iterator<>() {
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    public byte[] next() {
                        return it.next().bytes();
                    }
                }, 1, sink);
            }
            case HashMap<?, ?> hash -> {
                List<byte[]> flat = new ArrayList<>();
                for (Map.Entry<Key, byte[]> e : ((HashMap<Key, byte[]>) hash).entrySet()) {
                    flat.add(e.getKey().bytes());
                    flat.add(e.getValue());
                }
                batches("HSET", key, flat.iterator(), 2, sink);
            }
            case ZSet zset -> {
                List<byte[]> flat = new ArrayList<>();
                for (Iterator<ZSet.Item> it = zset.ascending(); it.hasNext(); ) {
                    ZSet.Item item = it.next();
                    flat.add(Scores.forLog(item.score()));
                    flat.add(item.member().bytes());
                }
                batches("ZADD", key, flat.iterator(), 2, sink);
            }
            default -> throw new IllegalArgumentException("not a keyspace value: " + value.getClass());
        }
        if (expireAt != Keyspace.NO_EXPIRY) {
            sink.accept(Args.command("PEXPIREAT", key, Args.decimal(expireAt)));
        }
    }

    private static void batches(String name, byte[] key, Iterator<byte[]> items, int width, Consumer<Command> sink) {
        List<byte[]> args = new ArrayList<>();
        while (items.hasNext()) {
            args.add(items.next());
            if (args.size() == BATCH * width || !items.hasNext()) {
                byte[][] all = new byte[args.size() + 2][];
                all[0] = Args.ascii(name);
                all[1] = key;
                for (int i = 0; i < args.size(); i++) {
                    all[i + 2] = args.get(i);
                }
                sink.accept(Command.of(all));
                args.clear();
            }
        }
    }
}
