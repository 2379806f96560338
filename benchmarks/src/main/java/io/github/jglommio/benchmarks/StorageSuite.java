package io.github.jglommio.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.function.ToDoubleFunction;

/**
 * The {@code storage} suite: a plain Java harness that compares jglommio's {@link
 * io.github.jglommio.io.DmaFile} with fio and with the JDK's {@code FileChannel} on O_DIRECT I/O to
 * one data file.
 *
 * <p>Workloads ({@link StorageWorkload#ALL}): 4 KiB random reads at queue depth 1, 8, 32 and 128;
 * 128 KiB sequential reads and writes at queue depth 16. Peers ({@link StoragePeer}): fio with
 * {@code --ioengine=io_uring --direct=1} ({@link Fio}; skipped with a message when {@code fio} is not
 * on {@code PATH}); jglommio, one executor with N tasks ({@link JglommioStorage}); {@code FileChannel}
 * with {@code ExtendedOpenOption.DIRECT} on N platform threads and on N virtual threads
 * ({@link FileChannelStorage}).
 *
 * <p>Method (BENCHMARKING.md: this VM's disk speed drifts 5-10x within minutes): per workload, R
 * rounds that run every peer once, interleaved, each run a short ramp then a measured window; the
 * order is reversed every other round (ABBA), so that a drift does not favour one side. Figures are
 * the medians over the rounds; each peer's ratio to fio is the median of its per-round ratios. The
 * target is jglommio at 0.9x fio or better on every workload.
 *
 * <p>The data file (1 GiB by default, {@code --size-mb}) is written once with real data under
 * {@code --dir} (default {@code ./bench-data}) and deleted at the end. Options: {@link
 * StorageOptions#USAGE}. Threading: runs on the calling platform thread; each jglommio run makes and
 * runs an executor on it.
 */
final class StorageSuite {

    private static final double TARGET = 0.90;
    private static final String DATA_FILE = "jglommio-storage-bench.dat";
    /** File systems whose "disk" is memory: measuring them says nothing about storage. */
    private static final Set<String> MEMORY_FILE_SYSTEMS = Set.of("tmpfs", "ramfs");

    private final PrintStream out;
    private final StorageOptions options;
    private final Optional<Path> fio;
    private final Path file;
    /** Per workload, per peer, one run per round (null: failed or not run). */
    private final Map<StorageWorkload, Map<StoragePeer, StorageRun[]>> results = new LinkedHashMap<>();
    private int failures;

    private StorageSuite(PrintStream out, StorageOptions options, Optional<Path> fio, Path file) {
        this.out = out;
        this.options = options;
        this.fio = fio;
        this.file = file;
    }

    /** Runs the suite with command-line {@code args}; returns 0, 1 when a run failed, 2 for bad options. */
    static int run(PrintStream out, List<String> args) throws IOException, InterruptedException {
        if (args.contains("--help") || args.contains("-h")) {
            out.println("usage: ./jglommio bench storage [OPTIONS]");
            out.println(StorageOptions.USAGE);
            return 0;
        }
        StorageOptions options;
        try {
            options = StorageOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("storage: " + e.getMessage());
            System.err.println(StorageOptions.USAGE);
            return 2;
        }
        Path dir = options.dir().toAbsolutePath().normalize();
        boolean createdDir = !Files.exists(dir);
        try {
            Files.createDirectories(dir);
            String type = Files.getFileStore(dir).type();
            if (MEMORY_FILE_SYSTEMS.contains(type)) {
                System.err.println("storage: " + dir + " is on " + type + ", which is memory, not a disk; give --dir a"
                        + " directory on the disk to measure");
                return 2;
            }
        } catch (IOException e) {
            System.err.println("storage: cannot use --dir " + dir + ": " + e);
            return 1;
        }
        Path file = dir.resolve(DATA_FILE);
        Thread cleanup = new Thread(() -> deleteQuietly(file));
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            return new StorageSuite(out, options, Fio.find(), file).run();
        } finally {
            Files.deleteIfExists(file);
            if (createdDir) {
                try (var entries = Files.list(dir)) {
                    if (entries.findAny().isEmpty()) {
                        Files.delete(dir);
                    }
                }
            }
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
    }

    private int run() throws IOException, InterruptedException {
        List<StoragePeer> peers = new ArrayList<>(options.peers());
        if (fio.isEmpty()) {
            peers.remove(StoragePeer.FIO);
        }
        if (peers.isEmpty()) {
            out.println("storage: no peer to run (fio is not installed and --peers named only fio)");
            return 1;
        }
        printHeader(peers);
        long start = System.nanoTime();
        out.printf(Locale.ROOT, "creating the data file: %d MiB of random data, O_DIRECT 128 KiB writes x 16 in flight,"
                + " fdatasync ... ", options.sizeMiB());
        out.flush();
        try {
            JglommioStorage.createDataFile(file, options.sizeBytes());
        } catch (RuntimeException e) {
            out.println("FAILED");
            out.println("cannot create " + file + ": " + cause(e));
            return 1;
        }
        out.printf(Locale.ROOT, "%.1f s%n", (System.nanoTime() - start) / 1e9);
        warmUp();
        out.println();

        for (StorageWorkload w : options.workloads()) {
            Map<StoragePeer, StorageRun[]> byPeer = new EnumMap<>(StoragePeer.class);
            for (StoragePeer p : peers) {
                byPeer.put(p, new StorageRun[options.rounds()]);
            }
            results.put(w, byPeer);
            out.println(w.label() + " (" + w.name() + ")");
            for (int round = 0; round < options.rounds(); round++) {
                List<StoragePeer> order = new ArrayList<>(peers);
                if (round % 2 == 1) {
                    Collections.reverse(order);
                }
                for (StoragePeer p : order) {
                    byPeer.get(p)[round] = measure(w, p, round);
                }
            }
            out.println();
        }
        printTable(peers);
        out.printf(Locale.ROOT, "%nwhole suite: %.0f s%n", (System.nanoTime() - start) / 1e9);
        return failures == 0 ? 0 : 1;
    }

    private void printHeader(List<StoragePeer> peers) throws IOException {
        int runs = options.workloads().size() * options.rounds() * peers.size();
        Duration perRun = options.ramp().plus(options.measure());
        out.printf(Locale.ROOT, "suite storage: O_DIRECT file I/O, jglommio DmaFile vs fio and FileChannel%s%n",
                options.quick() ? " (--quick)" : "");
        out.printf(Locale.ROOT, "    data file %s, %d MiB, on %s (%s)%n", file, options.sizeMiB(),
                Files.getFileStore(file.getParent()).name(), Files.getFileStore(file.getParent()).type());
        out.printf(Locale.ROOT, "    %d workloads x %d rounds x %d peers = %d runs of %d ms ramp + %d ms measured,"
                        + " about %.0f s in all%n", options.workloads().size(), options.rounds(), peers.size(), runs,
                options.ramp().toMillis(), options.measure().toMillis(), runs * perRun.toMillis() / 1e3 * 1.1);
        out.println("    per workload, the peers run interleaved, the order reversed every other round;"
                + " figures are medians over the rounds,");
        out.println("    'x fio' the median of the per-round throughput ratios (BENCHMARKING.md)");
        out.printf(Locale.ROOT, "    jglommio: 1 executor (unpinned), N tasks each looping on readAtAligned/writeAt,"
                + " ringDepth max(256, 2N), ioMemory %d MiB, recordIoLatencies%n", options.ioMemory() >> 20);
        if (peers.contains(StoragePeer.JGLOMMIO_QUEUE_PER_TASK)) {
            out.println("    jglommio, queue per task (probe): the same, each task in a task queue of its own, so that"
                    + " the executor submits after every task (~1 SQE per io_uring_enter, as fio does)");
        }
        out.println("    FileChannel: ExtendedOpenOption.DIRECT, positional read/write, N platform threads or N virtual"
                + " threads (default scheduler)");
        if (fio.isPresent() && peers.contains(StoragePeer.FIO)) {
            StorageWorkload w = options.workloads().get(0);
            out.println("    fio: " + String.join(" ", Fio.command(fio.get(), file, options.sizeBytes(), w,
                    options.ramp(), options.measure())).replace(fio.get().toString(), "fio"));
            out.println("         (--rw, --bs, --iodepth per workload; --norandommap --randrepeat=0 for random reads)");
        } else if (fio.isEmpty()) {
            out.println("    fio: NOT FOUND on PATH; the fio column and the ratios to fio are skipped."
                    + " Install it (Debian/Ubuntu: apt-get update && apt-get install -y fio) and run again.");
        }
        out.println("    latency: issue to completion seen by the issuer (fio: lat = slat + clat); CPU us/op:"
                + " process CPU time (user + system) per I/O");
        out.println();
    }

    /** A discarded first run of each Java peer, so that the first measured round does not pay for the JIT. */
    private void warmUp() throws InterruptedException {
        StorageWorkload w = new StorageWorkload("warm-up", StorageWorkload.Pattern.RANDOM_READ, 4096, 32);
        Duration d = options.quick() ? Duration.ofMillis(300) : Duration.ofMillis(700);
        out.print("warm-up (discarded): jglommio, FileChannel threads, FileChannel virtual threads ... ");
        out.flush();
        try {
            JglommioStorage.run(file, options.sizeBytes(), w, d, d, options.ioMemory(), false);
            FileChannelStorage.run(file, options.sizeBytes(), w, d, d, false);
            FileChannelStorage.run(file, options.sizeBytes(), w, d, d, true);
            out.println("done");
        } catch (IOException | RuntimeException e) {
            // The measured runs will fail the same way and say so; the warm-up only reports.
            out.println("FAILED: " + cause(e));
        }
    }

    private StorageRun measure(StorageWorkload w, StoragePeer p, int round) throws InterruptedException {
        String prefix = String.format(Locale.ROOT, "    round %d/%d  %-28s", round + 1, options.rounds(), p.label);
        try {
            StorageRun r;
            String extra = "";
            switch (p) {
                case FIO -> r = Fio.run(Fio.command(fio.orElseThrow(), file, options.sizeBytes(), w, options.ramp(),
                        options.measure()), w.isWrite(), options.ramp().plus(options.measure()));
                case JGLOMMIO, JGLOMMIO_QUEUE_PER_TASK -> {
                    JglommioStorage.Result jr = JglommioStorage.run(file, options.sizeBytes(), w, options.ramp(),
                            options.measure(), options.ioMemory(), p == StoragePeer.JGLOMMIO_QUEUE_PER_TASK);
                    r = jr.run();
                    double seconds = options.measure().toNanos() / 1e9;
                    var s = jr.window();
                    extra = String.format(Locale.ROOT, "  [loop: %,.0f turns/s, %,.0f sleeps/s, %.1f SQEs/turn]",
                            s.schedulerRuns() / seconds, s.sleeps() / seconds,
                            s.schedulerRuns() == 0 ? 0.0 : s.io().submissions() / (double) s.schedulerRuns());
                }
                case FILE_CHANNEL_THREADS -> r = FileChannelStorage.run(file, options.sizeBytes(), w, options.ramp(),
                        options.measure(), false);
                case FILE_CHANNEL_VIRTUAL -> r = FileChannelStorage.run(file, options.sizeBytes(), w, options.ramp(),
                        options.measure(), true);
                default -> throw new IllegalStateException("unknown peer " + p);
            }
            out.printf(Locale.ROOT, "%s %8s IOPS %8s MiB/s  p50 %7s us  p99 %7s us  CPU %6s us/op%s%n", prefix,
                    whole(r.iops()), oneDecimal(r.mibPerSec()), oneDecimal(r.p50Us()), oneDecimal(r.p99Us()),
                    oneDecimal(r.cpuUsPerOp()), extra);
            return r;
        } catch (IOException | RuntimeException e) {
            failures++;
            out.println(prefix + " FAILED: " + cause(e));
            return null;
        }
    }

    private void printTable(List<StoragePeer> peers) {
        out.println("results: medians over " + options.rounds() + " round(s); 'x fio' = median of the per-round"
                + " ratios of IOPS (random) or MiB/s (sequential)");
        TextTable table = new TextTable("workload", "peer", "IOPS", "MiB/s", "p50 us", "p99 us", "CPU us/op",
                "x fio", String.format(Locale.ROOT, "jglommio >= %.2fx fio", TARGET)).labelColumns(2);
        int met = 0;
        int judged = 0;
        List<String> verdicts = new ArrayList<>();
        for (Map.Entry<StorageWorkload, Map<StoragePeer, StorageRun[]>> e : results.entrySet()) {
            StorageWorkload w = e.getKey();
            Map<StoragePeer, StorageRun[]> byPeer = e.getValue();
            double[] fioThroughput = byPeer.containsKey(StoragePeer.FIO)
                    ? figure(byPeer.get(StoragePeer.FIO), x -> x.throughput(w)) : null;
            boolean first = true;
            for (StoragePeer p : peers) {
                StorageRun[] runs = byPeer.get(p);
                double[] throughput = figure(runs, x -> x.throughput(w));
                double ratio = fioThroughput == null ? Double.NaN : Medians.medianOfRatios(throughput, fioThroughput);
                String verdict = "";
                if (p == StoragePeer.JGLOMMIO) {
                    if (Double.isNaN(ratio)) {
                        verdict = fioThroughput != null ? "n/a (failed)" : "n/a (no fio)";
                    } else {
                        judged++;
                        boolean meets = ratio >= TARGET;
                        met += meets ? 1 : 0;
                        verdict = meets ? "MEETS" : "BELOW";
                        verdicts.add(String.format(Locale.ROOT, "    %-32s per round %-22s median %.3fx  %s",
                                w.label(), ratioList(Medians.ratios(throughput, fioThroughput)), ratio, verdict));
                        verdict = String.format(Locale.ROOT, "%s (%.3fx)", verdict, ratio);
                    }
                }
                table.add(first ? w.label() : "", p.label,
                        whole(Medians.median(figure(runs, StorageRun::iops))),
                        oneDecimal(Medians.median(figure(runs, StorageRun::mibPerSec))),
                        oneDecimal(Medians.median(figure(runs, StorageRun::p50Us))),
                        oneDecimal(Medians.median(figure(runs, StorageRun::p99Us))),
                        oneDecimal(Medians.median(figure(runs, StorageRun::cpuUsPerOp))),
                        p == StoragePeer.FIO ? "ref" : Double.isNaN(ratio) ? "-"
                                : String.format(Locale.ROOT, "%.2fx", ratio),
                        verdict);
                first = false;
            }
        }
        table.print(out, "");
        out.println();
        if (judged == 0) {
            out.println("jglommio vs fio: not judged (" + (fio.isEmpty() ? "fio not installed"
                    : !peers.contains(StoragePeer.FIO) || !peers.contains(StoragePeer.JGLOMMIO)
                    ? "--peers left out fio or jglommio" : "runs failed") + ")");
            return;
        }
        out.printf(Locale.ROOT, "jglommio / fio throughput, per round (in run order) and median; target >= %.2fx:%n",
                TARGET);
        verdicts.forEach(out::println);
        out.printf(Locale.ROOT, "jglommio meets %.2fx fio in %d of %d workloads%s%n", TARGET, met, judged,
                met == judged ? "" : " (see the BELOW rows)");
    }

    private static double[] figure(StorageRun[] runs, ToDoubleFunction<StorageRun> f) {
        double[] v = new double[runs.length];
        for (int i = 0; i < runs.length; i++) {
            v[i] = runs[i] == null ? Double.NaN : f.applyAsDouble(runs[i]);
        }
        return v;
    }

    private static String ratioList(double[] ratios) {
        List<String> parts = new ArrayList<>();
        for (double r : ratios) {
            parts.add(Double.isNaN(r) ? "-" : String.format(Locale.ROOT, "%.2f", r));
        }
        return String.join(" ", parts);
    }

    private static String whole(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String oneDecimal(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%,.1f", v);
    }

    private static String cause(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t.getMessage() == null) && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            System.err.println("storage: could not delete " + file + ": " + e.getMessage());
        }
    }
}
