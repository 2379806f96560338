package io.github.jglommio.kv.server;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link ZSetsDifferentialTest}'s comparisons with redis-server 7.0, made under RESP3 (HELLO 3), but
 * for the tests that assert RESP2 reply text themselves.
 */
@ExtendWith(Resp3.class)
class ZSetsResp3Test extends ZSetsDifferentialTest {

    @Override
    @Test
    @Disabled("RESP2-specific: reads ZRANDMEMBER WITHSCORES as a flat array; the RESP3 pairs are checked in Resp3DifferentialTest")
    void shouldPickRandomMembersOfTheRightShape() {
    }
}
