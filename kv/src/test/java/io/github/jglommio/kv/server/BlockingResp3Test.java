package io.github.jglommio.kv.server;

import org.junit.jupiter.api.extension.ExtendWith;

/** {@link BlockingDifferentialTest}'s comparisons with redis-server 7.0, made under RESP3 (HELLO 3): a timeout answers {@code _}. */
@ExtendWith(Resp3.class)
class BlockingResp3Test extends BlockingDifferentialTest {
}
