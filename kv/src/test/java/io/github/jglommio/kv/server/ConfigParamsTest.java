package io.github.jglommio.kv.server;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The parameter table and CONFIG SET's checks without a server: Redis 7.0's rules (verified against
 * redis-server by ConfigDifferentialTest, which skips where it is not installed).
 */
class ConfigParamsTest {

    private static String normalize(String name, String value) throws ConfigParam.Invalid {
        return ConfigParams.lookup(name).normalize(value);
    }

    @Test
    void shouldFindParametersByNameOrAliasInAnyCase() {
        assertEquals("hash-max-listpack-entries", ConfigParams.lookup("HASH-MAX-ZIPLIST-ENTRIES").name());
        assertEquals("zset-max-listpack-value", ConfigParams.lookup("zset-max-ziplist-value").name());
        assertNull(ConfigParams.lookup("set-max-listpack-entries"), "7.2's, not 7.0's");
        assertNull(ConfigParams.lookup("nosuch"));
    }

    @Test
    void shouldReadMemoryValuesAsRedis() throws Exception {
        assertEquals("1000", normalize("maxmemory", "1k"));
        assertEquals("1024", normalize("maxmemory", "1KB"));
        assertEquals("1073741824", normalize("maxmemory", "1gb"));
        assertEquals("0", normalize("maxmemory", ""));
        assertEquals("18446744073709551615", normalize("maxmemory", "99999999999999999999"), "saturates");
        for (String bad : List.of("-5", " 5", "5 ", "+5", "1.5k", "0x10", "1tb", "1kk")) {
            ConfigParam.Invalid e = assertThrows(ConfigParam.Invalid.class, () -> normalize("maxmemory", bad), bad);
            assertEquals("argument must be a memory value", e.getMessage());
        }
        ConfigParam.Invalid e = assertThrows(ConfigParam.Invalid.class, () -> normalize("proto-max-bulk-len", "1k"));
        assertEquals("argument must be between 1048576 and 9223372036854775807 inclusive", e.getMessage());
    }

    @Test
    void shouldReadIntegersEnumsAndBooleansAsRedis() throws Exception {
        for (String bad : List.of("01", "-0", " 1", "+1", "1k", "9223372036854775808")) {
            ConfigParam.Invalid e = assertThrows(ConfigParam.Invalid.class, () -> normalize("timeout", bad), bad);
            assertEquals("argument couldn't be parsed into an integer", e.getMessage());
        }
        assertEquals("argument must be between 0 and 2147483647 inclusive",
                assertThrows(ConfigParam.Invalid.class, () -> normalize("timeout", "-1")).getMessage());
        assertEquals("1", normalize("hz", "0"), "hz keeps to 1..500");
        assertEquals("500", normalize("hz", "1000"));
        assertEquals("allkeys-lru", normalize("maxmemory-policy", "AllKeys-LRU"));
        assertEquals("argument(s) must be one of the following: everysec, always, no",
                assertThrows(ConfigParam.Invalid.class, () -> normalize("appendfsync", "x")).getMessage());
        assertEquals("yes", normalize("appendonly", "YES"));
        assertEquals("argument must be 'yes' or 'no'",
                assertThrows(ConfigParam.Invalid.class, () -> normalize("appendonly", "1")).getMessage());
        assertEquals("3600 1 300 100", normalize("save", "3600 1 300 100"));
        for (String bad : List.of("3600", "0 0", "10 -5", "  10 5")) {
            assertThrows(ConfigParam.Invalid.class, () -> normalize("save", bad), bad);
        }
    }

    @Test
    void shouldSetAllOrNothing() {
        LiveConfig live = new LiveConfig(KvConfig.defaults(), () -> 6379);
        assertEquals("ERR CONFIG SET failed (possibly related to argument 'maxclients') - argument couldn't be parsed"
                + " into an integer", live.set(List.of("timeout", "5", "maxclients", "x")));
        assertEquals("0", live.get("timeout"));
        assertNull(live.set(List.of("timeout", "5", "maxclients", "7")));
        assertEquals(5, live.timeoutSeconds());
        assertEquals(7, live.maxClients());
        assertEquals("ERR CONFIG SET failed (possibly related to argument 'TIMEOUT') - duplicate parameter",
                live.set(List.of("timeout", "1", "TIMEOUT", "2")));
        assertEquals("ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config",
                live.set(List.of("databases", "2")));
        assertEquals("ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config",
                live.set(List.of("dir", "/tmp")));
        assertEquals("ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'",
                live.set(List.of("nosuch", "1")));
        assertEquals("6379", live.get("port"));
    }

    @Test
    void shouldTakeAnyParameterOnTheCommandLine() throws IOException {
        KvConfig c = KvConfig.parse(new String[] {"--maxmemory", "1mb", "--hash-max-ziplist-entries", "64",
                "--timeout", "30", "--enable-debug-command", "yes"});
        assertEquals("1048576", c.settings().get("maxmemory"));
        assertEquals("64", c.settings().get("hash-max-listpack-entries"), "the alias sets the parameter");
        LiveConfig live = new LiveConfig(c, () -> 0);
        assertEquals(30, live.timeoutSeconds());
        assertTrue(live.debugCommand(false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KvConfig.parse(new String[] {"--timeout", "-1"}));
        assertTrue(e.getMessage().contains("argument must be between 0 and 2147483647 inclusive"), e.getMessage());
    }
}
