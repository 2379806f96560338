package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Ascii;
import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.kv.store.Key;
import io.github.jglommio.kv.store.Keyspace;
import io.github.jglommio.kv.store.KeyspaceEvents;
import io.github.jglommio.kv.store.WrongTypeException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Set commands on one key, and SMOVE; each appends one reply and returns the command to log or
 * null. The commands that combine sets are in {@link SetAlgebra}.
 *
 * <p>Order. Redis keeps a set of at most {@value #INTSET_ENTRIES} integers as an intset, which
 * every reply reads in ascending numeric order; {@link #inOrder(HashSet)} gives the same order for
 * such a set, so SMEMBERS, SSCAN, SINTER, SUNION, SDIFF and the whole-set SRANDMEMBER and SPOP
 * replies match byte for byte. Other sets are hash tables in Redis, whose order nobody can rely on.
 */
final class SetCommands {
    /** Redis's {@code set-max-intset-entries} default. */
    static final int INTSET_ENTRIES = 512;
    private static final byte[] MIN_LONG = Args.decimal(Long.MIN_VALUE);

    private SetCommands() {
    }

    static void register(Registry r) {
        r.key("sadd", -3, "write denyoom fast", (c, ks, out, x) -> sadd(c, ks, out));
        r.key("srem", -3, "write fast", (c, ks, out, x) -> srem(c, ks, out));
        r.key("smembers", 2, "readonly", (c, ks, out, x) -> smembers(c, ks, out));
        r.key("sismember", 3, "readonly fast", (c, ks, out, x) -> sismember(c, ks, out));
        r.key("smismember", -3, "readonly fast", (c, ks, out, x) -> smismember(c, ks, out));
        r.key("scard", 2, "readonly fast", (c, ks, out, x) -> scard(c, ks, out));
        r.key("spop", -2, "write fast", (c, ks, out, x) -> spop(c, ks, out, x.random()));
        r.key("srandmember", -2, "readonly", (c, ks, out, x) -> srandmember(c, ks, out, x.random()));
        r.key("sscan", -3, "readonly", (c, ks, out, x) -> sscan(c, ks, out));
        r.atomic("smove", 4, "write fast", 1, 2, 1, (c, ks, out, x) -> smove(c, ks, out));
        SetAlgebra.register(r);
    }

    /**
     * A set's members in the order Redis would reply them: ascending numbers for a set Redis
     * would hold as an intset, else the set's own order.
     *
     * @param set the set
     * @return the members: the set itself, or a sorted copy
     */
    static Collection<Key> inOrder(HashSet<Key> set) {
        if (set.size() > INTSET_ENTRIES || set.isEmpty()) {
            return set;
        }
        List<Member> numbers = new ArrayList<>(set.size());
        for (Key k : set) {
            byte[] b = k.bytes();
            long v = Ascii.parseOr(b, 0, b.length, Long.MIN_VALUE);
            if (v == Long.MIN_VALUE && !Arrays.equals(b, MIN_LONG)) {
                return set; // not an intset in Redis
            }
            numbers.add(new Member(v, k));
        }
        numbers.sort((a, b) -> Long.compare(a.value, b.value));
        List<Key> sorted = new ArrayList<>(numbers.size());
        for (Member m : numbers) {
            sorted.add(m.key);
        }
        return sorted;
    }

    /** A member that is an integer, with its value. */
    private record Member(long value, Key key) {
    }

    /** Writes members as a set of bulk strings (an array under RESP2): SMEMBERS, SPOP, SINTER... */
    static void writeMembers(RespWriter out, Collection<Key> members) {
        out.setHeader(members.size());
        writeElements(out, members);
    }

    /** Writes members as an array of bulk strings, in every protocol: SRANDMEMBER. */
    static void writeArray(RespWriter out, Collection<Key> members) {
        out.arrayHeader(members.size());
        writeElements(out, members);
    }

    private static void writeElements(RespWriter out, Collection<Key> members) {
        for (Key k : members) {
            out.bulk(k.bytes());
        }
    }

    static Command sadd(Command c, Keyspace ks, RespWriter out) {
        HashSet<Key> set = ks.getOrCreateSet(c.arg(1));
        int added = 0;
        for (int i = 2; i < c.argCount(); i++) {
            if (set.add(new Key(c.arg(i)))) {
                added++;
            }
        }
        out.integer(added);
        if (added == 0) {
            return null;
        }
        ks.notify(KeyspaceEvents.SET, "sadd", c.arg(1));
        return c;
    }

    static Command srem(Command c, Keyspace ks, RespWriter out) {
        HashSet<Key> set = ks.getSet(c.arg(1));
        int removed = 0;
        if (set != null) {
            for (int i = 2; i < c.argCount(); i++) {
                if (set.remove(new Key(c.arg(i)))) {
                    removed++;
                }
            }
            if (removed > 0) {
                ks.notify(KeyspaceEvents.SET, "srem", c.arg(1));
                ks.deleteIfEmpty(c.arg(1));
            }
        }
        out.integer(removed);
        return removed > 0 ? c : null;
    }

    static Command smembers(Command c, Keyspace ks, RespWriter out) {
        HashSet<Key> set = ks.getSet(c.arg(1));
        writeMembers(out, set == null ? List.of() : inOrder(set));
        return null;
    }

    static Command sismember(Command c, Keyspace ks, RespWriter out) {
        HashSet<Key> set = ks.getSet(c.arg(1));
        out.integer(set != null && set.contains(new Key(c.arg(2))) ? 1 : 0);
        return null;
    }

    static Command smismember(Command c, Keyspace ks, RespWriter out) {
        HashSet<Key> set = ks.getSet(c.arg(1));
        out.arrayHeader(c.argCount() - 2);
        for (int i = 2; i < c.argCount(); i++) {
            out.integer(set != null && set.contains(new Key(c.arg(i))) ? 1 : 0);
        }
        return null;
    }

    static Command scard(Command c, Keyspace ks, RespWriter out) {
        HashSet<Key> set = ks.getSet(c.arg(1));
        out.integer(set == null ? 0 : set.size());
        return null;
    }

    /**
     * SPOP key [count]: pops random members and logs them as an explicit SREM, or as DEL when the
     * whole set goes (as Redis propagates both).
     */
    static Command spop(Command c, Keyspace ks, RespWriter out, SplittableRandom random) {
        if (c.argCount() > 3) {
            throw new CommandError(CommandError.SYNTAX);
        }
        long count = Args.optionalCount(c, 2);
        boolean hasCount = count >= 0;
        byte[] key = c.arg(1);
        HashSet<Key> set = ks.getSet(key);
        if (set == null || count == 0) {
            if (hasCount) {
                out.setHeader(0);
            } else {
                out.nullBulk();
            }
            return null;
        }
        if (!hasCount) {
            Key k = Sampling.one(set, random);
            set.remove(k);
            ks.notify(KeyspaceEvents.SET, "spop", key);
            ks.deleteIfEmpty(key);
            out.bulk(k.bytes());
            return Args.command("SREM", key, k.bytes());
        }
        if (count >= set.size()) {
            writeMembers(out, inOrder(set));
            ks.delete(key);
            ks.notify(KeyspaceEvents.SET, "spop", key);
            ks.notify(KeyspaceEvents.GENERIC, "del", key);
            return Args.command("DEL", key);
        }
        List<Key> picked = Sampling.distinct(set, (int) count, random);
        byte[][] log = new byte[picked.size() + 2][];
        log[0] = Args.ascii("SREM");
        log[1] = key;
        out.setHeader(picked.size());
        for (int i = 0; i < picked.size(); i++) {
            Key k = picked.get(i);
            set.remove(k);
            out.bulk(k.bytes());
            log[i + 2] = k.bytes();
        }
        ks.notify(KeyspaceEvents.SET, "spop", key);
        return Command.of(log);
    }

    /** SRANDMEMBER key [count]: distinct members for a positive count, repeated ones for a negative. */
    static Command srandmember(Command c, Keyspace ks, RespWriter out, SplittableRandom random) {
        if (c.argCount() > 3) {
            throw new CommandError(CommandError.SYNTAX);
        }
        byte[] key = c.arg(1);
        if (c.argCount() == 2) {
            HashSet<Key> set = ks.getSet(key);
            if (set == null) {
                out.nullBulk();
            } else {
                out.bulk(Sampling.one(set, random).bytes());
            }
            return null;
        }
        long count = Sampling.count(c, 2);
        HashSet<Key> set = ks.getSet(key);
        if (set == null || count == 0) {
            out.arrayHeader(0);
        } else if (count < 0) {
            out.arrayHeader(Sampling.replySize(-count));
            Sampling.withRepetition(set, -count, random, k -> out.bulk(k.bytes()));
        } else if (count >= set.size()) {
            writeArray(out, inOrder(set));
        } else {
            writeArray(out, Sampling.distinct(set, (int) count, random));
        }
        return null;
    }

    /**
     * SSCAN key cursor [MATCH pattern] [COUNT count]. A set Redis would keep as an intset is
     * returned whole with cursor 0, in ascending order, as Redis does; others in steps (see
     * {@link CollectionScan}).
     */
    static Command sscan(Command c, Keyspace ks, RespWriter out) {
        long cursor = CollectionScan.parseCursor(c.arg(2));
        HashSet<Key> set = ks.getSet(c.arg(1));
        if (set == null) {
            CollectionScan.empty(out);
            return null;
        }
        CollectionScan.Options opts = CollectionScan.options(c, 3);
        List<byte[]> found = new ArrayList<>();
        long next = 0;
        Collection<Key> ordered = inOrder(set);
        if (ordered != set) {
            for (Key k : ordered) {
                if (opts.matches(k.bytes())) {
                    found.add(k.bytes());
                }
            }
        } else if (CollectionScan.inSpace(cursor)) {
            long end = CollectionScan.stepEnd(cursor, opts.count(), set.size());
            for (Key k : set) {
                long p = CollectionScan.position(k);
                if (p >= cursor && p < end && opts.matches(k.bytes())) {
                    found.add(k.bytes());
                }
            }
            next = end < CollectionScan.SPACE ? end : 0;
        }
        CollectionScan.reply(out, next, found);
        return null;
    }

    /**
     * SMOVE source destination member. As in Redis, a missing source answers 0 before any type
     * check, and moving within one set changes nothing (so logs nothing).
     */
    static Command smove(Command c, Keyspace ks, RespWriter out) {
        byte[] src = c.arg(1);
        byte[] dst = c.arg(2);
        Object from = ks.get(src);
        if (from == null) {
            out.integer(0);
            return null;
        }
        Object to = ks.get(dst);
        if (!(from instanceof HashSet<?>) || (to != null && !(to instanceof HashSet<?>))) {
            throw WrongTypeException.INSTANCE;
        }
        HashSet<Key> source = ks.getSet(src);
        Key member = new Key(c.arg(3));
        if (Arrays.equals(src, dst)) {
            out.integer(source.contains(member) ? 1 : 0);
            return null;
        }
        if (!source.remove(member)) {
            out.integer(0);
            return null;
        }
        ks.notify(KeyspaceEvents.SET, "srem", src);
        ks.deleteIfEmpty(src);
        if (ks.getOrCreateSet(dst).add(member)) {
            ks.notify(KeyspaceEvents.SET, "sadd", dst); // only when it was not there already
        }
        out.integer(1);
        return c;
    }
}
