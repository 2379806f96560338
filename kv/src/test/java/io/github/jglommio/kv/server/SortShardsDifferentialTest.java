package io.github.jglommio.kv.server;

import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;

/**
 * {@link SortDifferentialTest}'s cases on a server of 3 shards: the weight, object and hash keys
 * the patterns name, the sorted key and the STORE destination land on different shards, which a
 * SORT with patterns reads and writes under the whole-keyspace hold ({@link HeldRun}).
 */
class SortShardsDifferentialTest extends SortDifferentialTest {
    @BeforeAll
    static void onThreeShards() throws IOException {
        restartWith(3); // after SortDifferentialTest's start
    }
}
