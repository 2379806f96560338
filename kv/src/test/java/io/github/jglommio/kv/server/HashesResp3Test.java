package io.github.jglommio.kv.server;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link HashesDifferentialTest}'s comparisons with redis-server 7.0, made under RESP3 (HELLO 3), but
 * for the tests that assert RESP2 reply text themselves.
 */
@ExtendWith(Resp3.class)
class HashesResp3Test extends HashesDifferentialTest {

    @Override
    @Test
    @Disabled("RESP2-specific: reads HRANDFIELD WITHVALUES as a flat array; the RESP3 pairs are checked in Resp3DifferentialTest")
    void shouldChooseRandomFieldsAsRedisDoes() {
    }
}
