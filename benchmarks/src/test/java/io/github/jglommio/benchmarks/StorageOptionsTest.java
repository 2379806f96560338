package io.github.jglommio.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class StorageOptionsTest {

    @Test
    void shouldDefaultToOneGibibyteThreeRoundsAndTheFourPeers() {
        StorageOptions o = StorageOptions.parse(List.of());
        assertEquals(1024, o.sizeMiB());
        assertEquals(1L << 30, o.sizeBytes());
        assertEquals(Path.of("bench-data"), o.dir());
        assertEquals(3, o.rounds());
        assertEquals(4L << 20, o.ioMemory());
        assertEquals(StorageWorkload.ALL, o.workloads());
        assertEquals(List.of(StoragePeer.FIO, StoragePeer.JGLOMMIO, StoragePeer.FILE_CHANNEL_THREADS,
                StoragePeer.FILE_CHANNEL_VIRTUAL), o.peers());
        assertFalse(o.quick());
    }

    @Test
    void shouldShrinkWithQuickButLetExplicitOptionsWinInAnyOrder() {
        StorageOptions quick = StorageOptions.parse(List.of("--quick"));
        assertEquals(256, quick.sizeMiB());
        assertEquals(1, quick.rounds());
        assertTrue(quick.measure().compareTo(StorageOptions.MEASURE_DEFAULT) < 0);

        StorageOptions o = StorageOptions.parse(List.of("--size-mb", "64", "--quick", "--rounds", "2", "--seconds",
                "0.5"));
        assertEquals(64, o.sizeMiB());
        assertEquals(2, o.rounds());
        assertEquals(Duration.ofMillis(500), o.measure());
        assertTrue(o.quick());
    }

    @Test
    void shouldSelectWorkloadsAndPeers() {
        StorageOptions o = StorageOptions.parse(List.of("--workloads", "seq-write, rand-qd1,seq-write", "--peers",
                "virtual,jglommio-queues,jglommio", "--dir", "/data/x", "--io-memory-mb", "0"));
        assertEquals(List.of("seq-write", "rand-qd1"), o.workloads().stream().map(StorageWorkload::name).toList());
        assertEquals(List.of(StoragePeer.JGLOMMIO, StoragePeer.JGLOMMIO_QUEUE_PER_TASK,
                StoragePeer.FILE_CHANNEL_VIRTUAL), o.peers(), "run order, not command-line order");
        assertEquals(Path.of("/data/x"), o.dir());
        assertEquals(0, o.ioMemory());
    }

    @Test
    void shouldNameTheBadOption() {
        assertMessage("unknown option '--fast'", "--fast");
        assertMessage("--size-mb needs a value", "--size-mb");
        assertMessage("--size-mb takes a whole number", "--size-mb", "1G");
        assertMessage("--rounds must be between 1 and 100", "--rounds", "0");
        assertMessage("--seconds must be between", "--seconds", "0");
        assertMessage("unknown workload 'rand-qd2'", "--workloads", "rand-qd2");
        assertMessage("unknown peer 'spdk'", "--peers", "fio,spdk");
    }

    private static void assertMessage(String expected, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StorageOptions.parse(List.of(args)));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
