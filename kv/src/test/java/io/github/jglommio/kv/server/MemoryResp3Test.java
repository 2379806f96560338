package io.github.jglommio.kv.server;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link MemoryDifferentialTest}'s comparisons with redis-server 7.0, made under RESP3 (HELLO 3):
 * CONFIG GET as a map, the OOM and OBJECT errors and integers as RESP3 frames.
 */
@ExtendWith(Resp3.class)
class MemoryResp3Test extends MemoryDifferentialTest {
}
