package io.github.jglommio.kv.server;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link ClientDifferentialTest}'s comparisons with redis-server 7.0, made under RESP3 (HELLO 3), but
 * for the tests that assert RESP2 reply text themselves.
 */
@ExtendWith(Resp3.class)
class ClientResp3Test extends ClientDifferentialTest {

    @Override
    @Test
    @Disabled("RESP2-specific: parses CLIENT INFO as a RESP2 bulk; the verbatim form is compared in Resp3DifferentialTest")
    void shouldDescribeConnectionsWithRedisFields() {
    }
}
