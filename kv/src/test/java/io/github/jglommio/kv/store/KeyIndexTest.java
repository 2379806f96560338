package io.github.jglommio.kv.store;

import io.github.jglommio.kv.store.SlotTable.Entry;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class KeyIndexTest {

    private static byte[] key(int i) {
        return ("key:" + i).getBytes(StandardCharsets.US_ASCII);
    }

    private static Entry entry(byte[] key) {
        return new Entry(key, KeyIndex.hash(key), "v");
    }

    /** Every key of the model is found as its own entry, and every other key of the universe is absent. */
    private static void assertMatches(Map<Integer, Entry> model, KeyIndex index, int universe) {
        assertEquals(model.size(), index.size());
        for (int i = 0; i < universe; i++) {
            byte[] k = key(i);
            Entry found = index.get(k, KeyIndex.hash(k));
            if (model.containsKey(i)) {
                assertSame(model.get(i), found, "key " + i);
            } else {
                assertNull(found, "key " + i);
            }
        }
    }

    @Test
    void shouldAgreeWithAMapUnderRandomAddsAndRemovesInASmallTable() {
        // A universe of 12 keys keeps the table at 16 or 32 cells, so probe runs collide, wrap
        // around the end and get shifted back by removals all the time.
        for (long seed = 1; seed <= 40; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            KeyIndex index = new KeyIndex();
            Map<Integer, Entry> model = new HashMap<>();
            int universe = 12;
            for (int op = 0; op < 400; op++) {
                int i = random.nextInt(universe);
                Entry present = model.get(i);
                if (present == null) {
                    Entry e = entry(key(i));
                    index.add(e);
                    model.put(i, e);
                } else {
                    index.remove(present);
                    model.remove(i);
                }
                assertMatches(model, index, universe);
            }
        }
    }

    @Test
    void shouldGrowPastHalfFullAndKeepEveryKey() {
        KeyIndex index = new KeyIndex();
        Map<Integer, Entry> model = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            Entry e = entry(key(i));
            index.add(e);
            model.put(i, e);
            // Never more than half full: the probe loops end at a free cell.
            assertEquals(true, index.size() * 2 <= index.capacity(), "size " + index.size());
        }
        assertMatches(model, index, 10_500);
        for (int i = 0; i < 10_000; i += 2) {
            index.remove(model.remove(i));
        }
        assertMatches(model, index, 10_500);
    }

    @Test
    void shouldGiveTheArraysBackOnClear() {
        KeyIndex index = new KeyIndex();
        for (int i = 0; i < 1000; i++) {
            index.add(entry(key(i)));
        }
        index.clear();
        assertEquals(0, index.size());
        assertEquals(16, index.capacity());
        assertNull(index.get(key(5), KeyIndex.hash(key(5))));
    }

    @Test
    void shouldRefuseToRemoveAnEntryItDoesNotHold() {
        KeyIndex index = new KeyIndex();
        index.add(entry(key(1)));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> index.remove(entry(key(2))));
        assertEquals("entry not in the index", e.getMessage());
        assertEquals(1, index.size());
    }

    @Test
    void shouldTellKeysThatDifferOnlyInTheirLastByteApartInTheLowBits() {
        // Arrays.hashCode of such keys differs by 1; unmixed, they would fill one probe run.
        int mask = 1023;
        int distinctHomes = 0;
        boolean[] seen = new boolean[mask + 1];
        for (int i = 0; i < 100; i++) {
            int home = KeyIndex.hash(key(1000 + i)) & mask;
            if (!seen[home]) {
                seen[home] = true;
                distinctHomes++;
            }
            assertNotEquals(0, KeyIndex.hash(key(1000 + i)));
        }
        assertEquals(true, distinctHomes > 80, "distinct home cells: " + distinctHomes);
    }
}
