package io.github.jglommio.kv.server;

import org.junit.jupiter.api.extension.ExtendWith;

/** {@link StringsDifferentialTest}'s comparisons with redis-server 7.0, made under RESP3 (HELLO 3). */
@ExtendWith(Resp3.class)
class StringsResp3Test extends StringsDifferentialTest {
}
