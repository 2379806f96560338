package io.github.jglommio.channels;

import io.github.jglommio.LocalExecutor;
import io.github.jglommio.LocalExecutorPoolBuilder;
import io.github.jglommio.PoolPlacement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ShardedTest {

    private record Handled(int shard, long executorId, List<Integer> messages) {
    }

    @Test
    void shouldHandleEveryMessageOnTheShardTheFunctionChose() {
        int nrShards = 3;
        int perShard = 3_000;
        // Small channels, so senders park while the owning shard catches up.
        MeshBuilder<Integer> mesh = MeshBuilder.full(nrShards, 8);
        List<Handled> results = new LocalExecutorPoolBuilder(PoolPlacement.unbound(nrShards)).onAllShards(() -> {
            long executorId = LocalExecutor.current().id();
            List<Integer> handled = new ArrayList<>();   // touched only by this shard's tasks
            List<String> wrongPlace = new ArrayList<>();
            Sharded<Integer>[] self = newArray();
            Sharded<Integer> sharded = Sharded.join(mesh, msg -> msg, msg -> {
                if (LocalExecutor.current().id() != executorId || msg % nrShards != self[0].shardId()) {
                    wrongPlace.add(msg + " on shard " + self[0].shardId());
                }
                handled.add(msg);
            });
            self[0] = sharded;
            for (int i = 0; i < perShard; i++) {
                int before = handled.size();
                sharded.handle(i);
                if (sharded.shardOf(i) == sharded.shardId()) {
                    assertEquals(before + 1, handled.size(), "a local message is handled in the caller, at once");
                }
            }
            sharded.close();
            assertEquals(List.of(), wrongPlace);
            assertThrows(ChannelClosedException.class, () -> sharded.handle(1));
            return new Handled(sharded.shardId(), executorId, handled);
        }).joinAll();
        for (Handled h : results) {
            // Every shard sent 0..perShard-1; this shard got the thousand of them that are its own, from each.
            assertEquals(nrShards * perShard / nrShards, h.messages().size(), "shard " + h.shard());
            for (int m : h.messages()) {
                assertEquals(h.shard(), m % nrShards);
            }
            int[] copies = new int[perShard];
            h.messages().forEach(m -> copies[m]++);
            for (int m = h.shard(); m < perShard; m += nrShards) {
                assertEquals(nrShards, copies[m], "message " + m + " once from each shard");
            }
        }
    }

    @Test
    void shouldRouteByFloorModSoHashesAndNegativeKeysWork() {
        MeshBuilder<String> mesh = MeshBuilder.full(2, 16);
        List<List<String>> got = new LocalExecutorPoolBuilder(PoolPlacement.unbound(2)).onAllShards(() -> {
            List<String> mine = new ArrayList<>();
            Sharded<String> sharded = Sharded.join(mesh, s -> Integer.parseInt(s.split("@")[0]), mine::add);
            assertEquals(2, sharded.nrShards());
            assertEquals(1, sharded.shardOf("-1@x"));
            assertEquals(0, sharded.shardOf("-4@x"));
            for (String key : List.of("-3", "-2", "7", "10")) {
                sharded.handle(key + "@" + sharded.shardId());
            }
            sharded.sendTo(0, "5@" + sharded.shardId()); // explicit: ignores the function
            assertThrows(IndexOutOfBoundsException.class, () -> sharded.sendTo(2, "nowhere"));
            sharded.close();
            return mine.stream().sorted().toList();
        }).joinAll().stream().toList();
        // shard ids follow the pool order (executor ids ascending)
        assertEquals(List.of("-2@0", "-2@1", "10@0", "10@1", "5@0", "5@1"), got.get(0));
        assertEquals(List.of("-3@0", "-3@1", "7@0", "7@1"), got.get(1));
    }

    @Test
    void shouldRequireAFullMesh() {
        LocalExecutor.create().run(() -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Sharded.join(MeshBuilder.<Integer>partial(1, 4), m -> m, m -> { }));
            assertTrue(e.getMessage().contains("full mesh"), e.getMessage());
        });
    }

    @SuppressWarnings("unchecked")
    private static Sharded<Integer>[] newArray() {
        return (Sharded<Integer>[]) new Sharded<?>[1];
    }
}
