package io.github.jglommio.kv.server;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link ConfigDifferentialTest}'s comparisons with redis-server 7.0, made under RESP3 (HELLO 3), but
 * for the tests that assert RESP2 reply text themselves.
 */
@ExtendWith(Resp3.class)
class ConfigResp3Test extends ConfigDifferentialTest {

    @Override
    @Test
    @Disabled("RESP2-specific: asserts RESP2 CONFIG GET bytes; the RESP3 map is compared in Resp3DifferentialTest")
    void shouldKeepTheValuesForTheWholeServer() {
    }

    @Override
    @Test
    @Disabled("RESP2-specific: asserts RESP2 CONFIG GET bytes (our own parameters, no oracle reply to compare)")
    void shouldReportThisServersOwnParameters() {
    }

    @Override
    @Test
    @Disabled("RESP2-specific: its new sessions are unauthenticated: HELLO 3 without AUTH is refused; HELLO AUTH is tested in Resp3DifferentialTest")
    void shouldRequireTheNewPasswordOnNewConnectionsOnly() {
    }
}
