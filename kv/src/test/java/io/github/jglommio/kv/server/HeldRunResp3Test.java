package io.github.jglommio.kv.server;

import org.junit.jupiter.api.extension.ExtendWith;

/** {@link HeldRunDifferentialTest}'s comparisons with redis-server 7.0, made under RESP3 (HELLO 3). */
@ExtendWith(Resp3.class)
class HeldRunResp3Test extends HeldRunDifferentialTest {
}
