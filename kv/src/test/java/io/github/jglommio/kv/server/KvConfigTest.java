package io.github.jglommio.kv.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KvConfigTest {

    @Test
    void shouldTellTheTruthAboutPinningInTheBanner() throws IOException {
        int cpus = io.github.jglommio.CpuSet.online().size();
        assertEquals(", unpinned", KvMain.pinning(KvConfig.parse(new String[] {"--pin", "no"})));
        assertEquals(", pinned one per CPU", KvMain.pinning(KvConfig.parse(new String[] {"--pin", "yes", "--shards", "1"})));
        assertEquals(", unpinned: " + (cpus + 1) + " shards for " + cpus + " CPUs cannot be pinned one per CPU",
                KvMain.pinning(KvConfig.parse(new String[] {"--pin", "yes", "--shards", Integer.toString(cpus + 1)})));
    }

    @Test
    void shouldNameTheFileAndTheCauseWhenTheConfigFileIsMissing(@TempDir Path dir) {
        Path missing = dir.resolve("nonexistent.conf");
        IOException e = assertThrows(IOException.class, () -> KvConfig.parse(new String[] {"--config", missing.toString()}));
        assertEquals("cannot read the --config file " + missing + ": no such file or directory", e.getMessage());
    }

    @Test
    void shouldNameTheDirectoryAndTheCauseWhenTheDataDirectoryCannotBeMade(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        IOException e = assertThrows(IOException.class, () -> KvServer.start(KvServerTest.config(file.resolve("data"))));
        assertTrue(e.getMessage().startsWith("cannot use the data directory (--dir) " + file), e.getMessage());
    }

    @Test
    void shouldDefaultToLoopbackRedisPortAndDataDir() {
        KvConfig c = KvConfig.defaults();
        assertTrue(c.bind().isLoopbackAddress());
        assertEquals(6379, c.port());
        assertEquals(Path.of("data"), c.dir());
        assertEquals("everysec", c.appendFsync());
        assertTrue(c.appendOnly());
        assertNull(c.requirePass());
        assertEquals(10_000, c.maxClients());
        assertEquals(512L << 20, c.protoMaxBulkLen());
        assertTrue(c.shards() >= 1);
        assertEquals(1, KvConfig.defaultShards(1));
        assertEquals(1, KvConfig.defaultShards(2));
        assertEquals(15, KvConfig.defaultShards(16));
        assertEquals(KvConfig.COMPLETION_BATCH_AUTO, c.completionBatch());
    }

    @Test
    void shouldReadRedisStyleFlags() throws IOException {
        KvConfig c = KvConfig.parse(new String[] {"--port", "6380", "--dir", "/tmp/x", "--appendfsync", "ALWAYS",
                "--requirepass", "pw", "--maxclients=5", "--proto-max-bulk-len", "1mb", "--shards", "3",
                "--appendonly", "no", "--completion-batch", "16", "--completion-batch-delay-us", "250"});
        assertEquals(6380, c.port());
        assertEquals(Path.of("/tmp/x"), c.dir());
        assertEquals("always", c.appendFsync());
        assertEquals("pw", c.requirePass());
        assertEquals(5, c.maxClients());
        assertEquals(1 << 20, c.protoMaxBulkLen());
        assertEquals(3, c.shards());
        assertFalse(c.appendOnly());
        assertEquals(16, c.completionBatch());
        assertEquals(250, c.completionBatchDelayUs());
    }

    @Test
    void shouldReadTheNumberOfDatabases() throws IOException {
        assertEquals(16, KvConfig.defaults().databases());
        assertEquals(4, KvConfig.parse(new String[] {"--databases", "4"}).databases());
        assertThrows(IllegalArgumentException.class, () -> KvConfig.parse(new String[] {"--databases", "0"}));
    }

    @Test
    void shouldNameTheAllowedValuesOfABadOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KvConfig.parse(new String[] {"--appendfsync", "sometimes"}));
        assertEquals("appendfsync must be one of always|everysec|no, got 'sometimes'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> KvConfig.parse(new String[] {"--port", "70000"}));
        assertEquals("port must be a number from 0 to 65535, got 70000", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> KvConfig.parse(new String[] {"--colour", "red"}));
        assertTrue(e.getMessage().startsWith("unknown option 'colour'; known: port, bind"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> KvConfig.parse(new String[] {"--port"}));
        assertEquals("option --port needs a value", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> KvConfig.parse(new String[] {"--appendonly", "maybe"}));
        assertEquals("appendonly must be yes or no, got 'maybe'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> KvConfig.parse(new String[] {"--completion-batch", "0"}));
        assertEquals("completion-batch must be a number from 1 to 4096, got 0", e.getMessage());
    }

    @Test
    void shouldReadAConfigFileAndLetFlagsOverrideIt(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("kv.conf");
        Files.writeString(file, """
                # a comment
                port 7000
                requirepass "with space"

                appendfsync no
                """);
        KvConfig c = KvConfig.parse(new String[] {"--port", "7001", "--config", file.toString()});
        assertEquals(7001, c.port());
        assertEquals("with space", c.requirePass());
        assertEquals("no", c.appendFsync());
        Files.writeString(file, "port\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KvConfig.parse(new String[] {"--config", file.toString()}));
        assertTrue(e.getMessage().endsWith("kv.conf:1: 'port' needs a value"), e.getMessage());
    }

    @Test
    void shouldListEveryOptionInTheUsage() {
        String usage = KvConfig.usage();
        for (String name : KvConfig.OPTIONS.keySet()) {
            assertTrue(usage.contains("--" + name + " "), name);
        }
    }
}
