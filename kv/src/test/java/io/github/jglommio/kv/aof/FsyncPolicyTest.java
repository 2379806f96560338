package io.github.jglommio.kv.aof;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FsyncPolicyTest {

    @Test
    void shouldParseRedisNamesIgnoringCase() {
        assertEquals(FsyncPolicy.ALWAYS, FsyncPolicy.parse("always"));
        assertEquals(FsyncPolicy.EVERYSEC, FsyncPolicy.parse(" EverySec "));
        assertEquals(FsyncPolicy.NO, FsyncPolicy.parse("no"));
        assertEquals("everysec", FsyncPolicy.EVERYSEC.configName());
    }

    @Test
    void shouldListTheAllowedValuesWhenTheNameIsUnknown() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FsyncPolicy.parse("sometimes"));
        assertTrue(e.getMessage().contains("'sometimes'") && e.getMessage().contains("always, everysec, no"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FsyncPolicy.parse(null));
    }
}
