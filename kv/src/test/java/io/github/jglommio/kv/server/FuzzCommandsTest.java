package io.github.jglommio.kv.server;

import io.github.jglommio.kv.command.CommandSpec;
import io.github.jglommio.kv.command.CommandTable;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fuzzer's generators cover the command table, and a seed draws the same commands every time. */
class FuzzCommandsTest {

    @Test
    void shouldGenerateEveryCommandNotLeftOut() {
        Set<String> missing = new TreeSet<>();
        for (CommandSpec spec : CommandTable.all()) {
            String name = spec.name();
            if (!FuzzCommands.all().containsKey(name) && !FuzzCommands.LEFT_OUT.contains(name)) {
                missing.add(name);
            }
        }
        assertEquals(Set.of(), missing, "commands neither generated nor left out with a reason");
    }

    @Test
    void shouldNameOnlyKnownCommands() {
        Set<String> unknown = new TreeSet<>();
        FuzzCommands.all().keySet().forEach(n -> addIfUnknown(n, unknown));
        FuzzCommands.LEFT_OUT.forEach(n -> addIfUnknown(n, unknown));
        assertEquals(Set.of(), unknown, "names not in CommandTable");
    }

    private static void addIfUnknown(String name, Set<String> unknown) {
        if (CommandTable.lookup(name) == null) {
            unknown.add(name);
        }
    }

    @Test
    void shouldDrawTheSameArgumentsForTheSameSeed() {
        assertEquals(drawAll(7), drawAll(7));
        assertTrue(!drawAll(7).equals(drawAll(8)), "another seed draws other arguments");
    }

    private static List<List<String>> drawAll(long seed) {
        FuzzDraw d = new FuzzDraw(seed, 1_700_000_000L);
        List<List<String>> out = new ArrayList<>();
        for (FuzzCommands.Gen g : FuzzCommands.all().values()) {
            for (int i = 0; i < 5; i++) {
                out.add(g.draw(d));
            }
        }
        return out;
    }

    @Test
    void shouldSpreadTheKeysOverThreeShardsAndShareEach() {
        int[] perShard = new int[3];
        for (String k : FuzzDraw.KEYS) {
            perShard[KeyHash.shardOf(k.getBytes(java.nio.charset.StandardCharsets.UTF_8), 3)]++;
        }
        assertEquals(List.of(4, 4, 4), List.of(perShard[0], perShard[1], perShard[2]));
    }
}
