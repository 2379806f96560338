package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Command;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Random choices from a collection for SPOP, SRANDMEMBER and HRANDFIELD. The collections are
 * {@code java.util} hash tables without random access, so every choice walks them: O(size) per
 * call, one walk however many elements are chosen. Stateless.
 */
final class Sampling {
    private Sampling() {
    }

    /**
     * Chooses one element uniformly.
     *
     * @param items a non-empty collection
     * @param random the generator
     * @param <T> the element type
     * @return the element
     */
    static <T> T one(Collection<T> items, SplittableRandom random) {
        int skip = random.nextInt(items.size());
        Iterator<T> it = items.iterator();
        for (int i = 0; i < skip; i++) {
            it.next();
        }
        return it.next();
    }

    /**
     * Chooses {@code n} distinct elements uniformly in one walk (selection sampling, Knuth's
     * algorithm S); they come in iteration order.
     *
     * @param items the collection
     * @param n how many, at most {@code items.size()}
     * @param random the generator
     * @param <T> the element type
     * @return the chosen elements
     */
    static <T> List<T> distinct(Collection<T> items, int n, SplittableRandom random) {
        List<T> out = new ArrayList<>(n);
        int remaining = items.size();
        Iterator<T> it = items.iterator();
        while (out.size() < n) {
            T item = it.next();
            if (random.nextInt(remaining) < n - out.size()) {
                out.add(item);
            }
            remaining--;
        }
        return out;
    }

    /**
     * Chooses {@code n} elements independently and uniformly (repetitions allowed), in random
     * order: one walk to copy the collection, then {@code n} draws, each handed to {@code sink}
     * at once so that a large {@code n} costs no list.
     *
     * @param items a non-empty collection
     * @param n how many
     * @param random the generator
     * @param sink receives the chosen elements in order
     * @param <T> the element type
     */
    static <T> void withRepetition(Collection<T> items, long n, SplittableRandom random, Consumer<T> sink) {
        if (n == 1) {
            sink.accept(one(items, random)); // half a walk on average, and no copy
            return;
        }
        List<T> all = new ArrayList<>(items);
        for (long i = 0; i < n; i++) {
            sink.accept(all.get(random.nextInt(all.size())));
        }
    }

    /**
     * Parses the count of SRANDMEMBER and HRANDFIELD, which may be negative (repetitions allowed)
     * but not {@link Long#MIN_VALUE}, whose magnitude does not fit.
     *
     * @param c the command
     * @param i the argument index
     * @return the count
     * @throws CommandError if it is not an integer or is out of that range
     */
    static long count(Command c, int i) {
        long l = Args.longArg(c, i);
        if (l == Long.MIN_VALUE) {
            throw new CommandError("ERR value is out of range, value must between " + -Long.MAX_VALUE
                + " and " + Long.MAX_VALUE);
        }
        return l;
    }

    /**
     * Checks that a reply of {@code elements} can be written at all: RESP arrays here are built in
     * one byte array, so more than {@link Integer#MAX_VALUE} elements cannot be (Redis would start
     * streaming them and exhaust its memory).
     *
     * @param elements the number of array elements the reply needs
     * @return {@code elements} as an int
     * @throws CommandError {@code ERR value is out of range} if it cannot be written
     */
    static int replySize(long elements) {
        if (elements > Integer.MAX_VALUE) {
            throw new CommandError("ERR value is out of range");
        }
        return (int) elements;
    }
}
