package io.github.jglommio.kv.server;

import org.junit.jupiter.api.extension.ExtendWith;

/** {@link KeyspaceEventsDifferentialTest}'s comparisons with redis-server 7.0 under RESP3: the notifications as push frames. */
@ExtendWith(Resp3.class)
class KeyspaceEventsResp3Test extends KeyspaceEventsDifferentialTest {
}
