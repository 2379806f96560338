package io.github.jglommio.kv.server;

import org.junit.jupiter.api.extension.ExtendWith;

/** {@link KeyspaceEventsShardsTest} under RESP3: every subscriber's notifications as push frames. */
@ExtendWith(Resp3.class)
class KeyspaceEventsShardsResp3Test extends KeyspaceEventsShardsTest {
}
