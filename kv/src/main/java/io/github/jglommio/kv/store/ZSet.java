package io.github.jglommio.kv.store;

import java.util.HashMap;
import java.util.Iterator;
import java.util.TreeSet;

/**
 * A sorted set: members with scores, ordered by score and then by member bytes (unsigned), as
 * Redis orders them. A hash map gives O(1) score look-up; a tree gives the order. Index ranges
 * walk the tree, so {@code ZRANGE} costs O(start + count). Not thread-safe.
 */
public final class ZSet {
    /**
     * One member and its score, in set order.
     *
     * @param score the score, never NaN
     * @param member the member
     */
    public record Item(double score, Key member) implements Comparable<Item> {
        @Override
        public int compareTo(Item o) {
            int c = Double.compare(score, o.score);
            return c != 0 ? c : member.compareTo(o.member);
        }
    }

    private final HashMap<Key, Double> scores = new HashMap<>();
    private final TreeSet<Item> order = new TreeSet<>();

    /** Creates an empty sorted set. */
    public ZSet() {
    }

    /**
     * Returns the number of members.
     *
     * @return the size
     */
    public int size() {
        return scores.size();
    }

    /**
     * Returns a member's score.
     *
     * @param member the member
     * @return the score, or {@code null} if absent
     */
    public Double score(Key member) {
        return scores.get(member);
    }

    /**
     * Adds a member or changes its score.
     *
     * @param member the member
     * @param score the score, not NaN
     * @return {@code true} if the member is new
     */
    public boolean put(Key member, double score) {
        if (Double.isNaN(score)) {
            throw new IllegalArgumentException("NaN score");
        }
        // -0.0 and 0.0 are one score, as in C comparisons.
        double s = score == 0.0 ? 0.0 : score;
        Double old = scores.put(member, s);
        if (old != null) {
            if (old == s) {
                return false;
            }
            order.remove(new Item(old, member));
        }
        order.add(new Item(s, member));
        return old == null;
    }

    /**
     * Removes a member.
     *
     * @param member the member
     * @return {@code true} if it was present
     */
    public boolean remove(Key member) {
        Double old = scores.remove(member);
        if (old == null) {
            return false;
        }
        order.remove(new Item(old, member));
        return true;
    }

    /**
     * Returns the members in ascending order.
     *
     * @return an iterator; do not modify the set while using it
     */
    public Iterator<Item> ascending() {
        return order.iterator();
    }

    /**
     * Returns the members in descending order.
     *
     * @return an iterator; do not modify the set while using it
     */
    public Iterator<Item> descending() {
        return order.descendingIterator();
    }
}
