package io.github.jglommio.kv.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The server's settings: immutable, validated once by {@link #parse}. Names and meanings follow
 * {@code redis.conf} where Redis has the setting, so {@code --port 6380} works as it does for
 * {@code redis-server}, and a file of {@code name value} lines ({@code --config FILE}) reads the
 * same settings.
 *
 * @param bind              the address every shard listens on; loopback by default
 * @param port              the TCP port; 0 picks a free one (tests)
 * @param shards            the number of shards (executors), one per CPU by default
 * @param dir               the directory of the append-only logs
 * @param appendOnly        whether writes are logged (and replayed on start)
 * @param appendFsync       {@code always}, {@code everysec} or {@code no}
 * @param requirePass       the password AUTH must give, or null for none
 * @param maxClients        the most connections served at once, over all shards
 * @param protoMaxBulkLen   the largest bulk string a client may send, in bytes
 * @param pin               whether each shard's thread is pinned to its own CPU
 * @param completionBatch   completions an idle shard waits for before it wakes (1: every one; 0:
 *                          auto, batching only while many connections are active); see
 *                          {@link io.github.jglommio.LocalExecutorBuilder#completionBatching}
 * @param completionBatchDelayUs the longest such wait, in microseconds
 * @param settings          the other redis.conf parameters given ({@code maxmemory}, {@code timeout},
 *                          {@code hash-max-listpack-entries}...), by their {@link ConfigParams} name, each
 *                          value already checked as CONFIG SET checks it and written as CONFIG GET prints it
 */
public record KvConfig(InetAddress bind, int port, int shards, Path dir, boolean appendOnly, String appendFsync,
                       String requirePass, int maxClients, long protoMaxBulkLen, boolean pin, int completionBatch,
                       long completionBatchDelayUs, Map<String, String> settings) {

    /** The port Redis listens on. */
    public static final int PORT_DEFAULT = 6379;
    /** Redis's defaults for these two. */
    public static final int MAX_CLIENTS_DEFAULT = 10_000;
    public static final long PROTO_MAX_BULK_LEN_DEFAULT = 512L << 20;
    /** {@code completion-batch auto}: batch while many connections are active ({@link CompletionBatchTuner}). */
    public static final int COMPLETION_BATCH_AUTO = 0;
    public static final int COMPLETION_BATCH_DEFAULT = COMPLETION_BATCH_AUTO;
    public static final long COMPLETION_BATCH_DELAY_US_DEFAULT = 100;
    /** The allowed values of {@code appendfsync}. */
    public static final List<String> FSYNC_VALUES = List.of("always", "everysec", "no");

    public KvConfig {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(dir, "dir");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (shards < 1) {
            throw new IllegalArgumentException("shards must be at least 1, got " + shards);
        }
        if (!FSYNC_VALUES.contains(appendFsync)) {
            throw new IllegalArgumentException("appendfsync must be one of " + String.join("|", FSYNC_VALUES)
                    + ", got '" + appendFsync + "'");
        }
        if (maxClients < 1) {
            throw new IllegalArgumentException("maxclients must be at least 1, got " + maxClients);
        }
        if (protoMaxBulkLen < 1) {
            throw new IllegalArgumentException("proto-max-bulk-len must be at least 1, got " + protoMaxBulkLen);
        }
        if (completionBatch < 0 || completionBatch > 4096) {
            throw new IllegalArgumentException("completion-batch must be auto (0) or 1..4096, got " + completionBatch);
        }
        if (completionBatchDelayUs < 1 || completionBatchDelayUs > 1_000_000) {
            throw new IllegalArgumentException("completion-batch-delay-us must be 1..1000000, got "
                    + completionBatchDelayUs);
        }
        if (requirePass != null && requirePass.isEmpty()) {
            requirePass = null;
        }
        settings = Map.copyOf(settings);
    }

    /** The defaults: 127.0.0.1:6379, one shard per CPU, logs in ./data, fsync every second. */
    public static KvConfig defaults() {
        return new KvConfig(InetAddress.getLoopbackAddress(), PORT_DEFAULT, defaultShards(Runtime.getRuntime().availableProcessors()),
                Path.of("data"), true, "everysec", null, MAX_CLIENTS_DEFAULT, PROTO_MAX_BULK_LEN_DEFAULT, false,
                COMPLETION_BATCH_DEFAULT, COMPLETION_BATCH_DELAY_US_DEFAULT, Map.of());
    }

    /**
     * One shard per CPU but one, which is left to the clients and the kernel's network work (at least
     * one shard). Measured on 2 vCPUs with redis-benchmark beside the server (./jglommio bench kv,
     * pairing default, 3 rounds): 1 shard did 1.0-1.7x what 2 shards did on every row (SET -P 1
     * 62.6k against 51.5k ops/s, GET -P 16 534k against 381k, -c 4 SET 55.5k against 33.9k), because
     * 2 shards and the client contend for 2 CPUs and half the requests cross to the other shard.
     */
    static int defaultShards(int cpus) {
        return Math.max(1, cpus - 1);
    }

    /** The {@code databases} setting: how many numbered databases (SELECT 0..n-1) each shard keeps; 16 by default. */
    public int databases() {
        return Integer.parseInt(settings.getOrDefault("databases", "16"));
    }

    /** {@link #completionBatchDelayUs} as a duration. */
    public Duration completionBatchDelay() {
        return Duration.ofNanos(completionBatchDelayUs * 1000);
    }

    /** The settings with another port (tests bind port 0). */
    public KvConfig withPort(int newPort) {
        return new KvConfig(bind, newPort, shards, dir, appendOnly, appendFsync, requirePass, maxClients,
                protoMaxBulkLen, pin, completionBatch, completionBatchDelayUs, settings);
    }

    /** The settings with a value changed by name, as {@link #parse} reads it. */
    public KvConfig with(String name, String value) {
        Map<String, String> one = new LinkedHashMap<>();
        one.put(name, value);
        return apply(this, one);
    }

    /** The option names {@link #parse} accepts, with their help text. */
    static final Map<String, String> OPTIONS = options();

    private static Map<String, String> options() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("port", "TCP port (default 6379; 0 = any free port)");
        m.put("bind", "address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)");
        m.put("shards", "number of shards, one executor each (default: one per online CPU but one, left to the"
                + " clients and the kernel; at least 1)");
        m.put("dir", "directory of the append-only logs (default ./data)");
        m.put("appendonly", "yes|no: log writes and replay them on start (default yes)");
        m.put("appendfsync", "always|everysec|no: when a logged write reaches the disk (default everysec)");
        m.put("requirepass", "password clients must give with AUTH (default none)");
        m.put("maxclients", "most connections at once, over all shards (default 10000)");
        m.put("proto-max-bulk-len", "largest bulk string a client may send, e.g. 512mb (default 512mb)");
        m.put("pin", "yes|no: pin each shard's thread to its own CPU (default no: where clients share the"
                + " CPUs, as with redis-benchmark on the same machine, a pinned shard waits behind them; yes for a"
                + " machine of its own)");
        m.put("completion-batch", "auto|N: an idle shard sleeps until N completions are ready or the delay below"
                + " passed: fewer wake-ups under many clients, up to the delay added to a lone request; 1 = off;"
                + " auto (default) batches while 8+ connections per shard are active");
        m.put("completion-batch-delay-us", "longest completion-batch wait in microseconds (default 100)");
        m.put("NAME", "any other redis.conf parameter CONFIG GET knows (timeout, maxmemory, hz, slowlog-max-len,"
                + " hash-max-listpack-entries...), checked as CONFIG SET checks it");
        m.put("config", "FILE of 'name value' lines (redis.conf style) read before the other options");
        return m;
    }

    /** The usage text of {@code ./jglommio demo --help}. */
    public static String usage() {
        StringBuilder sb = new StringBuilder("usage: ./jglommio demo [--NAME VALUE]...\n"
                + "A Redis-compatible key-value server on jglommio: one shard per CPU, keys spread over the shards.\n"
                + "options (redis.conf names):\n");
        OPTIONS.forEach((name, help) -> sb.append(String.format(Locale.ROOT, "  --%-20s %s%n", name + " V", help)));
        return sb.toString();
    }

    /**
     * Reads {@code --name value} pairs (and {@code --config FILE} first, wherever it appears) over the
     * defaults.
     *
     * @throws IllegalArgumentException naming the option and the allowed values, for an unknown
     *                                  option, a missing value or a bad value
     */
    public static KvConfig parse(String[] args) throws IOException {
        Map<String, String> given = new LinkedHashMap<>();
        Path file = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || a.length() == 2) {
                throw new IllegalArgumentException("expected an option --NAME VALUE, got '" + a + "'");
            }
            String name = a.substring(2).toLowerCase(Locale.ROOT);
            int eq = name.indexOf('=');
            String value;
            if (eq >= 0) {
                value = a.substring(2 + eq + 1);
                name = name.substring(0, eq);
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option --" + name + " needs a value");
                }
                value = args[++i];
            }
            checkKnown(name);
            if (name.equals("config")) {
                file = Path.of(value);
            } else {
                given.put(name, value);
            }
        }
        KvConfig c = defaults();
        if (file != null) {
            c = apply(c, readFile(file));
        }
        return apply(c, given);
    }

    /** Reads a redis.conf-style file: {@code name value} per line, {@code #} comments, blank lines. */
    static Map<String, String> readFile(Path file) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException("cannot read the --config file " + IoErrors.describe(e), e);
        }
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+", 2);
            String name = parts[0].toLowerCase(Locale.ROOT);
            if (parts.length < 2) {
                throw new IllegalArgumentException(file + ":" + (n + 1) + ": '" + name + "' needs a value");
            }
            try {
                checkKnown(name);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ":" + (n + 1) + ": " + e.getMessage(), e);
            }
            m.put(name, unquote(parts[1].strip()));
        }
        return m;
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    private static void checkKnown(String name) {
        if (!OPTIONS.containsKey(name) && ConfigParams.lookup(name) == null) {
            throw new IllegalArgumentException("unknown option '" + name + "'; known: "
                    + String.join(", ", new ArrayList<>(OPTIONS.keySet())));
        }
    }

    private static KvConfig apply(KvConfig c, Map<String, String> values) {
        InetAddress bind = c.bind;
        int port = c.port;
        int shards = c.shards;
        Path dir = c.dir;
        boolean appendOnly = c.appendOnly;
        String fsync = c.appendFsync;
        String pass = c.requirePass;
        int maxClients = c.maxClients;
        long maxBulk = c.protoMaxBulkLen;
        boolean pin = c.pin;
        int batch = c.completionBatch;
        long batchDelayUs = c.completionBatchDelayUs;
        Map<String, String> settings = new LinkedHashMap<>(c.settings);
        for (Map.Entry<String, String> e : values.entrySet()) {
            String v = e.getValue();
            switch (e.getKey()) {
                case "port" -> port = (int) number("port", v, 0, 65535);
                case "bind" -> bind = address(v);
                case "shards" -> shards = (int) number("shards", v, 1, 1024);
                case "dir" -> dir = Path.of(v);
                case "appendonly" -> appendOnly = yesNo("appendonly", v);
                case "appendfsync" -> {
                    fsync = v.toLowerCase(Locale.ROOT);
                    if (!FSYNC_VALUES.contains(fsync)) {
                        throw new IllegalArgumentException("appendfsync must be one of "
                                + String.join("|", FSYNC_VALUES) + ", got '" + v + "'");
                    }
                }
                case "requirepass" -> pass = v;
                case "maxclients" -> maxClients = (int) number("maxclients", v, 1, 1_000_000);
                case "proto-max-bulk-len" -> maxBulk = memory("proto-max-bulk-len", v);
                case "pin" -> pin = yesNo("pin", v);
                case "completion-batch" -> batch = v.strip().equalsIgnoreCase("auto") ? COMPLETION_BATCH_AUTO
                        : (int) number("completion-batch", v, 1, 4096);
                case "completion-batch-delay-us" -> batchDelayUs = number("completion-batch-delay-us", v, 1, 1_000_000);
                default -> {
                    ConfigParam p = ConfigParams.lookup(e.getKey());
                    if (p == null) {
                        throw new IllegalArgumentException("unknown option '" + e.getKey() + "'");
                    }
                    try {
                        settings.put(p.name(), p.normalize(v));
                    } catch (ConfigParam.Invalid invalid) {
                        throw new IllegalArgumentException(e.getKey() + ": " + invalid.getMessage() + ", got '" + v + "'");
                    }
                }
            }
        }
        return new KvConfig(bind, port, shards, dir, appendOnly, fsync, pass, maxClients, maxBulk, pin, batch,
                batchDelayUs, settings);
    }

    private static long number(String name, String v, long min, long max) {
        long n;
        try {
            n = Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number from " + min + " to " + max + ", got '" + v + "'");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(name + " must be a number from " + min + " to " + max + ", got " + n);
        }
        return n;
    }

    private static boolean yesNo(String name, String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "yes" -> true;
            case "no" -> false;
            default -> throw new IllegalArgumentException(name + " must be yes or no, got '" + v + "'");
        };
    }

    /** A size as redis.conf writes it: bytes, or with k, kb, m, mb, g, gb (k = 1000, kb = 1024). */
    static long memory(String name, String v) {
        String s = v.strip().toLowerCase(Locale.ROOT);
        long unit = 1;
        String[][] units = {{"kb", "1024"}, {"mb", "1048576"}, {"gb", "1073741824"}, {"k", "1000"},
                {"m", "1000000"}, {"g", "1000000000"}, {"b", "1"}};
        for (String[] u : units) {
            if (s.endsWith(u[0])) {
                unit = Long.parseLong(u[1]);
                s = s.substring(0, s.length() - u[0].length());
                break;
            }
        }
        try {
            long n = Long.parseLong(s);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(n, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(name + " must be a positive size such as 1048576, 512kb or 512mb, got '"
                    + v + "'");
        }
    }

    private static InetAddress address(String v) {
        try {
            return InetAddress.getByName(v.strip());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bind must be an IP address or host name, got '" + v + "'");
        }
    }
}
