package io.github.jglommio.kv.store;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A sorted set: members with scores, ordered by score and then by member bytes (unsigned), as
 * Redis orders them. Scores compare as C doubles do, so {@code -0} and {@code 0} are one score
 * and the members decide their order. Not thread-safe: one shard's executor owns it.
 *
 * <p>A hash map gives O(1) score look-up; a skip list whose links carry spans gives O(log n)
 * ranks, rank look-ups and range searches, so {@code ZRANGE} costs O(log n + count).
 *
 * <p>Redis keeps a small sorted set in a listpack and a large one in a skip list, and three
 * visible behaviours depend on which: a listpack stores {@code -0} as {@code 0}, answers
 * {@code ZSCAN} with everything at once, and finds lex ranges by a linear scan. This class
 * mirrors that with a <em>compact</em> flag, under Redis 7.0's default thresholds: a set starts
 * compact and stops being compact, for good, when an insertion would pass
 * {@value #COMPACT_MAX_ENTRIES} members or add a member longer than
 * {@value #COMPACT_MAX_MEMBER_BYTES} bytes; {@link #compactIfSmall()} is what Redis does to the
 * result of a store command.
 */
public final class ZSet {
    /** Redis's {@code zset-max-listpack-entries} default. */
    public static final int COMPACT_MAX_ENTRIES = 128;
    /** Redis's {@code zset-max-listpack-value} default. */
    public static final int COMPACT_MAX_MEMBER_BYTES = 64;

    private static final int MAX_LEVEL = 32;

    /**
     * One member and its score, in set order.
     *
     * @param score the score, never NaN
     * @param member the member
     */
    public record Item(double score, Key member) implements Comparable<Item> {
        @Override
        public int compareTo(Item o) {
            if (score != o.score) {
                return score < o.score ? -1 : 1;
            }
            return member.compareTo(o.member);
        }
    }

    /** A test of one element, for the searches; see {@link #countWhile(ItemTest)}. */
    @FunctionalInterface
    public interface ItemTest {
        /**
         * Tests an element.
         *
         * @param score its score
         * @param member its member
         * @return the verdict
         */
        boolean test(double score, Key member);
    }

    /* Implementation overview: the skip list is Redis's (zskiplist): a head node with a link per
     * level, each link with the number of elements it jumps over (its span), levels drawn with
     * p = 1/4, a backward link on level 0. Each node also owns a slot in a slot table from its
     * insertion to its removal (freed slots are reused), so that a ZSCAN cursor can be a slot
     * index: a member present for a whole scan is returned, whatever else changes. */

    private static final class Node {
        final Key member;
        double score;
        Node backward;
        Node[] next;
        int[] span;
        int slot;

        Node(Key member, double score, int level) {
            this.member = member;
            this.score = score;
            this.next = new Node[level];
            this.span = new int[level];
        }
    }

    private final HashMap<Key, Node> nodes = new HashMap<>();
    private final Node head = new Node(null, 0, 4);
    private Node tail;
    /** The number of nodes linked in the skip list; one less than size() while a node moves. */
    private int length;
    private int level = 1;
    private boolean compact;
    private Node[] slots = new Node[4];
    private int slotCount;
    private int[] freeSlots = new int[4];
    private int freeCount;

    /** Creates an empty, compact sorted set. */
    public ZSet() {
        this(true);
    }

    /**
     * Creates an empty sorted set.
     *
     * @param compact whether it starts compact (a Redis listpack) or not (a skip list)
     */
    public ZSet(boolean compact) {
        this.compact = compact;
    }

    /**
     * Returns the number of members.
     *
     * @return the size
     */
    public int size() {
        return nodes.size();
    }

    /**
     * Returns whether the set behaves as a Redis listpack; see the class comment.
     *
     * @return {@code true} while compact
     */
    public boolean isCompact() {
        return compact;
    }

    /**
     * Makes the set compact if it is small enough for a listpack (at most
     * {@value #COMPACT_MAX_ENTRIES} members, none longer than {@value #COMPACT_MAX_MEMBER_BYTES}
     * bytes), turning any {@code -0} score into {@code 0} as the conversion does in Redis.
     */
    public void compactIfSmall() {
        if (compact || size() > COMPACT_MAX_ENTRIES) {
            return;
        }
        for (Node x = head.next[0]; x != null; x = x.next[0]) {
            if (x.member.bytes().length > COMPACT_MAX_MEMBER_BYTES) {
                return;
            }
        }
        for (Node x = head.next[0]; x != null; x = x.next[0]) {
            x.score = x.score == 0.0 ? 0.0 : x.score;
        }
        compact = true;
    }

    /**
     * Returns a member's score.
     *
     * @param member the member
     * @return the score, or {@code null} if absent
     */
    public Double score(Key member) {
        Node x = nodes.get(member);
        return x == null ? null : x.score;
    }

    /**
     * Adds a member or changes its score. A new member that does not fit a compact set first
     * ends compactness; a compact set stores {@code -0} as {@code 0}. Changing a score to one
     * that compares equal (for example {@code 0} to {@code -0}) leaves it as it is.
     *
     * @param member the member
     * @param score the score, not NaN
     * @return {@code true} if the member is new
     * @throws IllegalArgumentException if the score is NaN
     */
    public boolean put(Key member, double score) {
        if (Double.isNaN(score)) {
            throw new IllegalArgumentException("NaN score");
        }
        Node x = nodes.get(member);
        if (x != null) {
            if (x.score != score) {
                updateScore(x, compact && score == 0.0 ? 0.0 : score);
            }
            return false;
        }
        if (compact && (size() + 1 > COMPACT_MAX_ENTRIES || member.bytes().length > COMPACT_MAX_MEMBER_BYTES)) {
            compact = false;
        }
        x = new Node(member, compact && score == 0.0 ? 0.0 : score, randomLevel());
        link(x);
        nodes.put(member, x);
        takeSlot(x);
        return true;
    }

    /**
     * Removes a member.
     *
     * @param member the member
     * @return {@code true} if it was present
     */
    public boolean remove(Key member) {
        Node x = nodes.remove(member);
        if (x == null) {
            return false;
        }
        Node[] update = new Node[level];
        Node p = head;
        for (int i = level - 1; i >= 0; i--) {
            while (p.next[i] != null && before(p.next[i], x.score, x.member)) {
                p = p.next[i];
            }
            update[i] = p;
        }
        unlink(x, update);
        freeSlot(x);
        return true;
    }

    /**
     * Returns a member's rank, counted from 0 at the lowest score.
     *
     * @param member the member
     * @return the rank, or -1 if absent
     */
    public long rank(Key member) {
        Node x = nodes.get(member);
        if (x == null) {
            return -1;
        }
        long rank = 0;
        Node p = head;
        for (int i = level - 1; i >= 0; i--) {
            while (p.next[i] != null && (p.next[i] == x || before(p.next[i], x.score, x.member))) {
                rank += p.span[i];
                p = p.next[i];
            }
        }
        return rank - 1;
    }

    /**
     * Returns the element at a rank.
     *
     * @param rank from 0 (lowest) to {@code size() - 1}
     * @return the element
     * @throws IndexOutOfBoundsException if the rank is out of range
     */
    public Item at(long rank) {
        Node x = nodeAt(rank);
        return new Item(x.score, x.member);
    }

    /**
     * Counts the leading elements that pass a test. For a test that holds on a prefix of the
     * set (a score or lex bound on a set sorted that way), that prefix's length. Otherwise it is
     * what Redis's encoding finds: a compact set stops at the first element that fails (a
     * listpack scan), a larger one where its skip-list descent stops.
     *
     * @param test the test
     * @return the count, from 0 to {@code size()}
     */
    public long countWhile(ItemTest test) {
        long rank = 0;
        if (compact) {
            for (Node x = head.next[0]; x != null && test.test(x.score, x.member); x = x.next[0]) {
                rank++;
            }
            return rank;
        }
        Node p = head;
        for (int i = level - 1; i >= 0; i--) {
            while (p.next[i] != null && test.test(p.next[i].score, p.next[i].member)) {
                rank += p.span[i];
                p = p.next[i];
            }
        }
        return rank;
    }

    /**
     * Counts the elements up to the last one that passes a test, searching from the end: for a
     * test that holds on a prefix, that prefix's length, like {@link #countWhile(ItemTest)}.
     * Otherwise a compact set scans back from the end (a listpack) and a larger one descends its
     * skip list as {@code countWhile} does.
     *
     * @param test the test
     * @return the count, from 0 to {@code size()}
     */
    public long countToLast(ItemTest test) {
        if (!compact) {
            return countWhile(test);
        }
        long count = size();
        for (Node x = tail; x != null && !test.test(x.score, x.member); x = x.backward) {
            count--;
        }
        return count;
    }

    /**
     * Returns the elements from a rank on, ascending or descending.
     *
     * @param rank the first element's rank, from 0 to {@code size() - 1}
     * @param descending whether to walk toward lower ranks
     * @return an iterator; do not modify the set while using it
     * @throws IndexOutOfBoundsException if the rank is out of range
     */
    public Iterator<Item> iterator(long rank, boolean descending) {
        return new Walk(nodeAt(rank), descending);
    }

    /**
     * Returns the members in ascending order.
     *
     * @return an iterator; do not modify the set while using it
     */
    public Iterator<Item> ascending() {
        return new Walk(head.next[0], false);
    }

    /**
     * Returns the members in descending order.
     *
     * @return an iterator; do not modify the set while using it
     */
    public Iterator<Item> descending() {
        return new Walk(tail, true);
    }

    /**
     * Removes the elements of ranks {@code from} (inclusive) to {@code to} (exclusive).
     *
     * @param from the first rank removed, at least 0
     * @param to one past the last rank removed, at most {@code size()}
     * @return the number removed
     */
    public int removeRange(long from, long to) {
        if (from >= to) {
            return 0;
        }
        Node[] update = new Node[level];
        long traversed = 0;
        Node p = head;
        for (int i = level - 1; i >= 0; i--) {
            while (p.next[i] != null && traversed + p.span[i] <= from) {
                traversed += p.span[i];
                p = p.next[i];
            }
            update[i] = p;
        }
        int removed = 0;
        Node x = p.next[0];
        // update[] stays valid while deleting: every node in it precedes the deleted ones.
        while (x != null && traversed + removed < to) {
            Node following = x.next[0];
            unlink(x, update);
            nodes.remove(x.member);
            freeSlot(x);
            removed++;
            x = following;
        }
        return removed;
    }

    /**
     * One step of {@code ZSCAN} over a set that is not compact (a compact set is answered whole):
     * appends the elements of up to {@code count} used slots from {@code cursor} on.
     *
     * @param cursor the slot to start at; 0 to start an iteration
     * @param count how many elements to visit, at least 1
     * @param into receives the elements visited
     * @return the next cursor, 0 when the iteration is complete
     */
    public long scan(long cursor, int count, List<Item> into) {
        if (cursor < 0 || cursor >= slotCount) {
            return 0;
        }
        int i = (int) cursor;
        int found = 0;
        long budget = 10L * count;
        for (; i < slotCount && found < count && budget > 0; i++, budget--) {
            Node x = slots[i];
            if (x != null) {
                into.add(new Item(x.score, x.member));
                found++;
            }
        }
        return i >= slotCount ? 0 : i;
    }

    // ---- skip list --------------------------------------------------------------------------

    /** Whether node {@code x} sorts before (score, member). */
    private static boolean before(Node x, double score, Key member) {
        return x.score < score || (x.score == score && x.member.compareTo(member) < 0);
    }

    private static int randomLevel() {
        int lvl = 1;
        ThreadLocalRandom r = ThreadLocalRandom.current();
        while (lvl < MAX_LEVEL && (r.nextInt() & 0xFFFF) < 0xFFFF / 4) {
            lvl++;
        }
        return lvl;
    }

    private Node nodeAt(long rank) {
        if (rank < 0 || rank >= size()) {
            throw new IndexOutOfBoundsException("rank " + rank + " of " + size());
        }
        long traversed = 0;
        Node p = head;
        for (int i = level - 1; i >= 0; i--) {
            while (p.next[i] != null && traversed + p.span[i] <= rank + 1) {
                traversed += p.span[i];
                p = p.next[i];
            }
            if (traversed == rank + 1) {
                return p;
            }
        }
        throw new IllegalStateException("skip list spans are inconsistent");
    }

    /** Links a node that is not in the list yet at its place; {@code nodes} must not hold it yet. */
    private void link(Node x) {
        int lvl = x.next.length;
        int top = Math.max(level, lvl);
        Node[] update = new Node[top];
        long[] rank = new long[top];
        Node p = head;
        for (int i = level - 1; i >= 0; i--) {
            rank[i] = i == level - 1 ? 0 : rank[i + 1];
            while (p.next[i] != null && before(p.next[i], x.score, x.member)) {
                rank[i] += p.span[i];
                p = p.next[i];
            }
            update[i] = p;
        }
        if (lvl > level) {
            if (head.next.length < lvl) {
                head.next = Arrays.copyOf(head.next, Math.max(lvl, head.next.length * 2));
                head.span = Arrays.copyOf(head.span, head.next.length);
            }
            for (int i = level; i < lvl; i++) {
                rank[i] = 0;
                update[i] = head;
                head.span[i] = length;
            }
            level = lvl;
        }
        for (int i = 0; i < lvl; i++) {
            x.next[i] = update[i].next[i];
            update[i].next[i] = x;
            x.span[i] = update[i].span[i] - (int) (rank[0] - rank[i]);
            update[i].span[i] = (int) (rank[0] - rank[i]) + 1;
        }
        for (int i = lvl; i < level; i++) {
            update[i].span[i]++;
        }
        x.backward = update[0] == head ? null : update[0];
        if (x.next[0] != null) {
            x.next[0].backward = x;
        } else {
            tail = x;
        }
        length++;
    }

    /** Unlinks {@code x}, given the last node before it on every level. */
    private void unlink(Node x, Node[] update) {
        for (int i = 0; i < level; i++) {
            if (update[i].next[i] == x) {
                update[i].span[i] += x.span[i] - 1;
                update[i].next[i] = x.next[i];
            } else {
                update[i].span[i]--;
            }
        }
        if (x.next[0] != null) {
            x.next[0].backward = x.backward;
        } else {
            tail = x.backward;
        }
        while (level > 1 && head.next[level - 1] == null) {
            level--;
        }
        length--;
    }

    private void updateScore(Node x, double score) {
        // The node stays where it is when its neighbours still bracket the new score, as in Redis.
        Node after = x.next[0];
        if ((x.backward == null || x.backward.score < score) && (after == null || after.score > score)) {
            x.score = score;
            return;
        }
        Node[] update = new Node[level];
        Node p = head;
        for (int i = level - 1; i >= 0; i--) {
            while (p.next[i] != null && before(p.next[i], x.score, x.member)) {
                p = p.next[i];
            }
            update[i] = p;
        }
        unlink(x, update);
        x.score = score;
        Arrays.fill(x.next, null);
        link(x);
    }

    private void takeSlot(Node x) {
        if (freeCount > 0) {
            x.slot = freeSlots[--freeCount];
        } else {
            if (slotCount == slots.length) {
                slots = Arrays.copyOf(slots, slots.length * 2);
            }
            x.slot = slotCount++;
        }
        slots[x.slot] = x;
    }

    private void freeSlot(Node x) {
        slots[x.slot] = null;
        if (nodes.isEmpty()) {
            // Nothing left to scan: start the slot table afresh.
            Arrays.fill(slots, 0, slotCount, null);
            slotCount = 0;
            freeCount = 0;
            return;
        }
        if (freeCount == freeSlots.length) {
            freeSlots = Arrays.copyOf(freeSlots, freeSlots.length * 2);
        }
        freeSlots[freeCount++] = x.slot;
    }

    /** Follows level 0 one way from a node. */
    private static final class Walk implements Iterator<Item> {
        private Node x;
        private final boolean descending;

        Walk(Node start, boolean descending) {
            this.x = start;
            this.descending = descending;
        }

        @Override
        public boolean hasNext() {
            return x != null;
        }

        @Override
        public Item next() {
            if (x == null) {
                throw new NoSuchElementException();
            }
            Item item = new Item(x.score, x.member);
            x = descending ? x.backward : x.next[0];
            return item;
        }
    }
}
