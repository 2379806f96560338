package io.github.jglommio.kv.server;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link CommandDifferentialTest}'s comparisons with redis-server 7.0, made under RESP3 (HELLO 3), but
 * for the tests that assert RESP2 reply text themselves.
 */
@ExtendWith(Resp3.class)
class CommandResp3Test extends CommandDifferentialTest {

    @Override
    @Test
    @Disabled("RESP2-specific: asserts the RESP2 array length of COMMAND DOCS; its RESP3 map is compared in Resp3DifferentialTest")
    void shouldDocumentWithRedisSinceAndGroup() {
    }
}
