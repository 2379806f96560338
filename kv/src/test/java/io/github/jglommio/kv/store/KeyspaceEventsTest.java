package io.github.jglommio.kv.store;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyspaceEventsTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldParseAndFormatAsRedis() {
        assertEquals(KeyspaceEvents.KEYSPACE | KeyspaceEvents.KEYEVENT | KeyspaceEvents.ALL, KeyspaceEvents.parse("KEA"));
        assertEquals(-1, KeyspaceEvents.parse("KEq"));
        assertEquals(-1, KeyspaceEvents.parse("KE "));
        assertEquals(0, KeyspaceEvents.parse(""));
        assertEquals("AKE", KeyspaceEvents.format(KeyspaceEvents.parse("KEA")));
        assertEquals("g$K", KeyspaceEvents.format(KeyspaceEvents.parse("Kg$")));
        assertEquals("$lshzxetdnKEm", KeyspaceEvents.format(KeyspaceEvents.parse("$lshzxetdmnKE")));
        assertEquals("AK", KeyspaceEvents.format(KeyspaceEvents.parse("g$lshzxetdK")));
        // Redis drops the 'n' after an 'A' when it prints; the stored form keeps it.
        assertEquals("AKEm", KeyspaceEvents.format(KeyspaceEvents.parse("AKEmn")));
        int withNew = KeyspaceEvents.parse("AKEmn");
        assertEquals(withNew, KeyspaceEvents.parse(KeyspaceEvents.lossless(withNew)));
        assertEquals(0, KeyspaceEvents.effective(KeyspaceEvents.parse("A")));
    }

    @Test
    void shouldTellOnlyTheClassesThatAreOn() {
        Databases dbs = new Databases(() -> 1000, 2);
        List<String> seen = new ArrayList<>();
        Keyspace ks = dbs.get(1);
        ks.notify(KeyspaceEvents.GENERIC, "del", b("k")); // off: nothing
        dbs.setEventListener(KeyspaceEvents.parse("Eg"), (db, event, key) ->
                seen.add(db + " " + event + " " + new String(key, StandardCharsets.UTF_8)));
        ks.notify(KeyspaceEvents.GENERIC, "del", b("k"));
        ks.notify(KeyspaceEvents.LIST, "lpush", b("l"));
        assertTrue(ks.notifies(KeyspaceEvents.GENERIC));
        assertFalse(ks.notifies(KeyspaceEvents.LIST));
        assertEquals(List.of("1 del k"), seen);
        new Keyspace(() -> 1000).notify(KeyspaceEvents.GENERIC, "del", b("x")); // stands alone: nobody to tell
        assertEquals(1, seen.size());
    }

    @Test
    void shouldTellNewKeysAndExpiredOnes() {
        long[] now = {1000};
        Databases dbs = new Databases(() -> now[0], 1);
        List<String> seen = new ArrayList<>();
        dbs.setEventListener(KeyspaceEvents.parse("KEAn"), (db, event, key) ->
                seen.add(event + " " + new String(key, StandardCharsets.UTF_8)));
        Keyspace ks = dbs.get(0);
        ks.set(b("a"), b("1"), 1500);
        ks.set(b("a"), b("2"), 1500); // not new
        ks.getOrCreateList(b("l"));
        ks.getOrCreateList(b("l"));
        now[0] = 2000;
        assertFalse(ks.exists(b("a")));
        ks.set(b("b"), b("1"), 2100);
        now[0] = 3000;
        ks.expireCycle(16);
        assertEquals(List.of("new a", "new l", "expired a", "new b", "expired b"), seen);
    }
}
