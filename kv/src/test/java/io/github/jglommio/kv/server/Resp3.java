package io.github.jglommio.kv.server;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a differential test class under RESP3: every {@link Oracle} pair its {@code @BeforeAll}
 * starts (and every session) sends HELLO 3 to both servers first, so each of its comparisons is
 * made on RESP3 replies. Put it on a subclass of the RESP2 test:
 * {@snippet :
 * @ExtendWith(Resp3.class)
 * class HashesResp3Test extends HashesDifferentialTest {
 * }
 * }
 * A BeforeAllCallback runs before the {@code @BeforeAll} methods, the inherited ones included. The
 * switch is global: it relies on test classes running one after the other, as they do here.
 */
final class Resp3 implements BeforeAllCallback, AfterAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        Oracle.protocol = 3;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Oracle.protocol = 2;
    }
}
