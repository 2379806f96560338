package io.github.jglommio.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The command-line options of the {@code storage} suite, parsed and validated once. Immutable.
 *
 * @param sizeMiB    the data file's size
 * @param dir        where the data file goes (created if missing)
 * @param rounds     rounds of interleaved runs per workload
 * @param ramp       unmeasured start of every run (JIT, queue fill)
 * @param measure    measured part of every run
 * @param ioMemory   registered buffer bytes of the jglommio executor (0: plain buffers)
 * @param workloads  the workloads to run, in order
 * @param peers      the peers to run, in {@link StoragePeer} order
 * @param quick      whether {@code --quick} set the defaults
 */
record StorageOptions(long sizeMiB, Path dir, int rounds, Duration ramp, Duration measure, long ioMemory,
                      List<StorageWorkload> workloads, List<StoragePeer> peers, boolean quick) {

    static final long SIZE_MIB_DEFAULT = 1024;
    static final long SIZE_MIB_QUICK = 256;
    static final int ROUNDS_DEFAULT = 3;
    static final int ROUNDS_QUICK = 1;
    static final Duration RAMP_DEFAULT = Duration.ofMillis(500);
    static final Duration RAMP_QUICK = Duration.ofMillis(300);
    static final Duration MEASURE_DEFAULT = Duration.ofMillis(2500);
    static final Duration MEASURE_QUICK = Duration.ofMillis(1500);
    static final long IO_MEMORY_MIB_DEFAULT = 4;
    static final String DIR_DEFAULT = "bench-data";

    static final String USAGE = """
            options of the storage suite:
              --size-mb N        data file size in MiB (default %d; %d with --quick)
              --dir PATH         directory for the data file, on the disk to measure, not tmpfs (default ./%s)
              --rounds R         interleaved rounds per workload (default %d; %d with --quick)
              --seconds S        measured seconds per run, after a short ramp (default %.1f; %.1f with --quick)
              --io-memory-mb N   registered I/O memory of the jglommio executor, 0 for none (default %d)
              --workloads LIST   comma-separated subset of: %s
              --peers LIST       comma-separated, of: %s (default: all but jglommio-queues, a probe)
              --quick            smaller and faster: the --quick defaults above""".formatted(
            SIZE_MIB_DEFAULT, SIZE_MIB_QUICK, DIR_DEFAULT, ROUNDS_DEFAULT, ROUNDS_QUICK,
            MEASURE_DEFAULT.toMillis() / 1e3, MEASURE_QUICK.toMillis() / 1e3, IO_MEMORY_MIB_DEFAULT,
            String.join(",", StorageWorkload.ALL.stream().map(StorageWorkload::name).toList()),
            String.join(",", Stream.of(StoragePeer.values()).map(p -> p.optionName).toList()));

    StorageOptions {
        workloads = List.copyOf(workloads);
        peers = List.copyOf(peers);
    }

    /** The data file's size in bytes. */
    long sizeBytes() {
        return sizeMiB << 20;
    }

    /**
     * Parses {@code args}; an explicit option wins over {@code --quick}, in any order.
     *
     * @throws IllegalArgumentException naming the bad option and what it takes
     */
    static StorageOptions parse(List<String> args) {
        Long sizeMiB = null;
        Integer rounds = null;
        Duration measure = null;
        long ioMemoryMiB = IO_MEMORY_MIB_DEFAULT;
        Path dir = Path.of(DIR_DEFAULT);
        List<StorageWorkload> workloads = StorageWorkload.ALL;
        List<StoragePeer> peers = Stream.of(StoragePeer.values()).filter(p -> p.byDefault).toList();
        boolean quick = false;
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            switch (option) {
                case "--quick" -> quick = true;
                case "--size-mb" -> sizeMiB = positiveLong(option, value(args, ++i, option), 1, 1L << 20);
                case "--rounds" -> rounds = (int) positiveLong(option, value(args, ++i, option), 1, 100);
                case "--io-memory-mb" -> ioMemoryMiB = positiveLong(option, value(args, ++i, option), 0, 1024);
                case "--dir" -> dir = Path.of(value(args, ++i, option));
                case "--seconds" -> measure = seconds(option, value(args, ++i, option));
                case "--workloads" -> workloads = workloads(value(args, ++i, option));
                case "--peers" -> peers = peers(value(args, ++i, option));
                default -> throw new IllegalArgumentException("unknown option '" + option + "'");
            }
        }
        return new StorageOptions(
                sizeMiB != null ? sizeMiB : quick ? SIZE_MIB_QUICK : SIZE_MIB_DEFAULT,
                dir,
                rounds != null ? rounds : quick ? ROUNDS_QUICK : ROUNDS_DEFAULT,
                quick ? RAMP_QUICK : RAMP_DEFAULT,
                measure != null ? measure : quick ? MEASURE_QUICK : MEASURE_DEFAULT,
                ioMemoryMiB << 20,
                workloads,
                peers,
                quick);
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(i);
    }

    private static long positiveLong(String option, String value, long min, long max) {
        long v;
        try {
            v = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a whole number, got '" + value + "'");
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException(option + " must be between " + min + " and " + max + ", got " + v);
        }
        return v;
    }

    private static Duration seconds(String option, String value) {
        double s;
        try {
            s = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a number of seconds, got '" + value + "'");
        }
        if (!(s >= 0.1 && s <= 600)) {
            throw new IllegalArgumentException(option + " must be between 0.1 and 600, got " + value);
        }
        return Duration.ofMillis(Math.round(s * 1000));
    }

    private static List<StoragePeer> peers(String list) {
        EnumSet<StoragePeer> chosen = EnumSet.noneOf(StoragePeer.class);
        for (String name : list.split(",")) {
            String n = name.strip().toLowerCase(Locale.ROOT);
            chosen.add(StoragePeer.named(n).orElseThrow(() -> new IllegalArgumentException("unknown peer '" + n
                    + "'; known: " + String.join(",", Stream.of(StoragePeer.values()).map(p -> p.optionName).toList()))));
        }
        return List.copyOf(chosen);
    }

    private static List<StorageWorkload> workloads(String list) {
        List<StorageWorkload> chosen = new ArrayList<>();
        for (String name : list.split(",")) {
            String n = name.strip().toLowerCase(Locale.ROOT);
            StorageWorkload w = StorageWorkload.named(n).orElseThrow(() -> new IllegalArgumentException(
                    "unknown workload '" + n + "'; known: " + String.join(",",
                            StorageWorkload.ALL.stream().map(StorageWorkload::name).toList())));
            if (!chosen.contains(w)) {
                chosen.add(w);
            }
        }
        return chosen;
    }
}
