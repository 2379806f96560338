package io.github.jglommio.kv.server;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link PubSubDifferentialTest}'s comparisons with redis-server 7.0, made under RESP3 (HELLO 3): push frames, no subscribed mode. */
@ExtendWith(Resp3.class)
class PubSubResp3Test extends PubSubDifferentialTest {

    @Override
    @Test
    @Disabled("RESP2-specific: RESP3 has no subscribed mode, so the commands it refuses run (CLIENT LIST's ids and"
            + " addresses differ); shouldRunAnyCommandWhileSubscribedUnderResp3 covers RESP3")
    void shouldRefuseOtherCommandsInSubscribedMode() {
    }

    @Test
    void shouldRunAnyCommandWhileSubscribedUnderResp3() throws Exception {
        try (PubSubPair s = new PubSubPair(oracle)) {
            s.same(1, "SUBSCRIBE", "news:0");
            s.same(1, "SET", "k", "v");
            s.same(1, "GET", "k");
            s.same(1, "PING");
            s.same(1, "DEL", "k");
        }
    }
}
