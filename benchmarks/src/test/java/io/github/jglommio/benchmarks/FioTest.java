package io.github.jglommio.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class FioTest {

    /** Trimmed from a real fio 3.33 report (--lat_percentiles=1 --percentile_list=50:99). */
    private static final String REPORT = """
            {
              "fio version" : "fio-3.33",
              "global options" : { "direct" : "1" },
              "jobs" : [
                {
                  "jobname" : "jglommio-rand-qd8",
                  "groupid" : 0,
                  "error" : 0,
                  "read" : {
                    "io_bytes" : 392237056,
                    "bw_bytes" : 261317159,
                    "iops" : 63793.471019,
                    "runtime" : 1501,
                    "clat_ns" : { "min" : 60, "mean" : 120309.577751, "N" : 95761,
                                  "percentile" : { "50.000000" : 113152, "99.000000" : 156672 } },
                    "lat_ns" : { "min" : 42053, "mean" : 125180.289126, "N" : 95761,
                                 "percentile" : { "50.000000" : 117248, "99.000000" : 160768 } }
                  },
                  "write" : {
                    "io_bytes" : 0, "bw_bytes" : 0, "iops" : 0.0,
                    "clat_ns" : { "min" : 0, "N" : 0 },
                    "lat_ns" : { "min" : 0, "N" : 0 }
                  },
                  "usr_cpu" : 2.733333,
                  "sys_cpu" : 38.466667,
                  "latency_ns" : { "2" : 0.0, "1000" : 0.01 }
                }
              ],
              "disk_util" : [ { "name" : "vda", "util" : 95.5, "in_queue" : 0 } ]
            }
            """;

    @Test
    void shouldReadIopsBandwidthTotalLatencyAndCpuOfTheReadSide() throws IOException {
        StorageRun r = Fio.parse(REPORT, false);
        assertEquals(63793.471019, r.iops(), 1e-6);
        assertEquals(261317159 / (double) (1 << 20), r.mibPerSec(), 1e-9);
        assertEquals(117.248, r.p50Us(), 1e-9, "lat_ns, not clat_ns");
        assertEquals(160.768, r.p99Us(), 1e-9);
        assertEquals((2.733333 + 38.466667) / 100 / 63793.471019 * 1e6, r.cpuUsPerOp(), 1e-9);
    }

    @Test
    void shouldSkipWarningLinesBeforeTheReport() throws IOException {
        String output = "fio: note: both iodepth >= 1 and synchronous I/O engine are selected\n" + REPORT;
        assertEquals(63793.471019, Fio.parse(output, false).iops(), 1e-6);
    }

    @Test
    void shouldFallBackToCompletionLatencyWithoutTotalLatencyPercentiles() throws IOException {
        String totalPercentiles = "\"percentile\" : { \"50.000000\" : 117248, \"99.000000\" : 160768 }";
        assertTrue(REPORT.contains(totalPercentiles));
        String noLatPercentiles = REPORT.replace(totalPercentiles, "\"stddev\" : 1.0");
        StorageRun r = Fio.parse(noLatPercentiles, false);
        assertEquals(113.152, r.p50Us(), 1e-9);
        assertEquals(156.672, r.p99Us(), 1e-9);
    }

    @Test
    void shouldRejectTheWriteSideWithoutPercentiles() {
        IOException e = assertThrows(IOException.class, () -> Fio.parse(REPORT, true));
        assertTrue(e.getMessage().contains("percentiles"), e.getMessage());
    }

    @Test
    void shouldRejectAJobError() {
        IOException e = assertThrows(IOException.class,
                () -> Fio.parse(REPORT.replace("\"error\" : 0", "\"error\" : 5"), false));
        assertTrue(e.getMessage().contains("error 5"), e.getMessage());
    }

    @Test
    void shouldRejectOutputWithoutReport() {
        assertThrows(IOException.class, () -> Fio.parse("fio: io_uring setup failed\n", false));
        assertThrows(IOException.class, () -> Fio.parse("{ \"jobs\" : [ ", false));
        assertThrows(IOException.class, () -> Fio.parse("{ \"jobs\" : [] }", false));
    }

    @Test
    void shouldBuildATimeBasedDirectIoUringCommand() {
        StorageWorkload w = StorageWorkload.named("rand-qd32").orElseThrow();
        List<String> cmd = Fio.command(Path.of("/usr/bin/fio"), Path.of("/data/f.dat"), 1 << 30, w,
                Duration.ofMillis(500), Duration.ofMillis(2500));
        assertEquals("/usr/bin/fio", cmd.get(0));
        for (String expected : List.of("--filename=/data/f.dat", "--size=1073741824", "--ioengine=io_uring",
                "--direct=1", "--rw=randread", "--bs=4096", "--iodepth=32", "--ramp_time=500ms", "--runtime=2500ms",
                "--time_based", "--lat_percentiles=1", "--output-format=json", "--norandommap")) {
            assertTrue(cmd.contains(expected), expected + " missing from " + cmd);
        }
        List<String> seq = Fio.command(Path.of("fio"), Path.of("f"), 1 << 20, StorageWorkload.named("seq-write")
                .orElseThrow(), Duration.ofMillis(1), Duration.ofMillis(1));
        assertTrue(seq.contains("--rw=write") && seq.contains("--bs=131072") && seq.contains("--iodepth=16"), seq.toString());
        assertTrue(!seq.contains("--norandommap"), seq.toString());
    }
}
