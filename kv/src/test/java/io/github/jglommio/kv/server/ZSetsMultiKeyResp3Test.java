package io.github.jglommio.kv.server;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link ZSetsMultiKeyDifferentialTest}'s comparisons with redis-server 7.0, made under RESP3 (HELLO 3), but
 * for the tests that assert RESP2 reply text themselves.
 */
@ExtendWith(Resp3.class)
class ZSetsMultiKeyResp3Test extends ZSetsMultiKeyDifferentialTest {

    @Override
    @Test
    @Disabled("RESP2-specific: asserts a RESP2 bulk score; RESP3 doubles are compared in Resp3DifferentialTest")
    void shouldRunMultiKeyCommandsOnThreeShardsWhenTheKeysShareOne() {
    }
}
