package io.github.jglommio.kv.server;

import io.github.jglommio.kv.command.EncodingLimits;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * The configuration as it is now: every {@link ConfigParams} parameter's value, starting from the
 * {@link KvConfig} the server started with and changed by {@code CONFIG SET}. The values the request
 * path reads ({@link #requirePass}, {@link #maxClients}, {@link #timeoutSeconds}, the slow log's) are
 * kept as volatile fields too, so reading one costs a volatile read.
 *
 * <p>Threading: any thread. {@link #set} is serialized, validates every pair before it changes
 * anything, and publishes the values together (readers may see a mix of old and new values of
 * different parameters for a moment, never a value that was not valid).
 */
final class LiveConfig {

    private final String[] values = new String[ConfigParams.ALL.size()];

    private volatile String requirePass;
    private volatile long maxClients;
    private volatile long timeoutSeconds;
    private volatile long protoMaxBulkLen;
    private volatile long slowlogSlowerThanUs;
    private volatile long slowlogMaxLen;
    private volatile boolean debugCommand;
    private volatile long latencyThresholdMs;
    /** The maxmemory settings, replaced together when one changes (see {@link Memory}). */
    private volatile Memory memory;

    /**
     * The maxmemory settings at one moment: {@code maxmemory} (unsigned, 0 = no bound), the policy,
     * {@code maxmemory-samples}, {@code lfu-log-factor}, {@code lfu-decay-time}. A shard compares
     * the instance by identity to learn that something changed.
     */
    record Memory(long maxmemory, io.github.jglommio.kv.store.EvictionPolicy policy, int samples, int lfuLogFactor,
                  int lfuDecayTime) {
        /** The bound of one of {@code shards} shards: an equal share, at least 1 byte; 0 = none. */
        long shareOf(int shards) {
            if (maxmemory == 0) {
                return 0;
            }
            long share = Long.compareUnsigned(maxmemory, Long.MAX_VALUE) > 0 ? Long.MAX_VALUE / shards
                    : maxmemory / shards;
            return Math.max(1, share);
        }
    }

    private volatile OutputLimits outputLimits;

    private volatile long busyReplyThresholdMs;

    private final IntSupplier port;
    /** The encoding limits the shards' command executors read (OBJECT ENCODING), kept in step with the values. */
    final EncodingLimits encodings = new EncodingLimits();

    /** The values {@code config} starts with; {@code port} tells the port the server bound. */
    LiveConfig(KvConfig config, IntSupplier port) {
        this.port = port;
        for (int i = 0; i < values.length; i++) {
            ConfigParam p = ConfigParams.ALL.get(i);
            values[i] = config.settings().getOrDefault(p.name(), p.defaultValue());
        }
        put("bind", config.bind().getHostAddress());
        put("port", null); // CONFIG GET port reads the port bound; CONFIG SET port writes the one asked for
        put("dir", config.dir().toAbsolutePath().toString());
        put("appendonly", config.appendOnly() ? "yes" : "no");
        put("appendfsync", config.appendFsync());
        put("requirepass", config.requirePass() == null ? "" : config.requirePass());
        put("maxclients", Integer.toString(config.maxClients()));
        put("proto-max-bulk-len", Long.toString(config.protoMaxBulkLen()));
        put("shards", Integer.toString(config.shards()));
        put("pin", config.pin() ? "yes" : "no");
        put("completion-batch", config.completionBatch() == KvConfig.COMPLETION_BATCH_AUTO ? "auto"
                : Integer.toString(config.completionBatch()));
        put("completion-batch-delay-us", Long.toString(config.completionBatchDelayUs()));
        publish();
    }

    private void put(String name, String value) {
        values[ConfigParams.indexOf(ConfigParams.lookup(name))] = value;
    }

    /** The current value of {@code p}, as CONFIG GET prints it. */
    synchronized String get(ConfigParam p) {
        if (p.name().equals("port")) {
            return Integer.toString(port.getAsInt()); // immutable: the one bound, also when the start asked for 0
        }
        return values[ConfigParams.indexOf(p)];
    }

    /** The port the last CONFIG SET port asked for, or {@code current} when none did since the last rebind. */
    synchronized int requestedPort(int current) {
        String v = values[ConfigParams.indexOf(ConfigParams.lookup("port"))];
        return v == null ? current : Integer.parseInt(v);
    }

    /** Puts back a value CONFIG SET set but could not apply (a bind that failed). */
    synchronized void restore(String name, String value) {
        values[ConfigParams.indexOf(ConfigParams.lookup(name))] = value;
        publish();
    }

    /** The password AUTH must give, or null for none. */
    String requirePass() {
        return requirePass;
    }

    /** The most connections served at once, over all shards. */
    long maxClients() {
        return maxClients;
    }

    /** Seconds of idleness after which a client is closed; 0 = never. */
    long timeoutSeconds() {
        return timeoutSeconds;
    }

    /** The largest bulk string a new connection accepts. */
    long protoMaxBulkLen() {
        return protoMaxBulkLen;
    }

    /** Commands slower than this many microseconds go to the slow log; negative: none; 0: all. */
    long slowlogSlowerThanUs() {
        return slowlogSlowerThanUs;
    }

    /** The most entries the slow log keeps. */
    long slowlogMaxLen() {
        return slowlogMaxLen;
    }

    /** Commands at least this many milliseconds long are latency events; 0: the monitor is off. */
    long latencyThresholdMs() {
        return latencyThresholdMs;
    }

    /** The maxmemory settings now. */
    Memory memory() {
        return memory;
    }

    /** {@code client-output-buffer-limit} as it is now. */
    OutputLimits outputLimits() {
        return outputLimits;
    }

    /** How long a script runs before the server answers -BUSY and lets SCRIPT KILL end it; 0: never. */
    long busyReplyThresholdMs() {
        return busyReplyThresholdMs;
    }

    /** Whether DEBUG is allowed ({@code enable-debug-command yes}, or {@code local}: loopback clients only). */
    boolean debugCommand(boolean local) {
        return debugCommand || (local && get("enable-debug-command").equals("local"));
    }

    /** The current value of parameter {@code name}; throws for a name that is not in the table. */
    String get(String name) {
        return get(ConfigParams.lookup(name));
    }

    /**
     * CONFIG SET: checks every pair, in order, as Redis 7.0 does (unknown name, immutable, protected,
     * duplicate; then each value), and sets them all or none.
     *
     * @param pairs name, value, name, value...
     * @return null when set, else Redis's error text (without the leading '-')
     */
    synchronized String set(List<String> pairs) {
        List<ConfigParam> params = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i += 2) {
            String name = pairs.get(i);
            ConfigParam p = ConfigParams.lookup(name);
            if (p == null) {
                return "ERR Unknown option or number of arguments for CONFIG SET - '" + name + "'";
            }
            if (p.change() == ConfigParam.Change.IMMUTABLE) {
                return failed(name, "can't set immutable config");
            }
            if (p.change() == ConfigParam.Change.PROTECTED) {
                return failed(name, "can't set protected config");
            }
            String lower = name.toLowerCase(java.util.Locale.ROOT);
            if (seen.contains(lower)) {
                return failed(name, "duplicate parameter");
            }
            seen.add(lower);
            params.add(p);
        }
        Map<Integer, String> next = new LinkedHashMap<>();
        for (int k = 0; k < params.size(); k++) {
            ConfigParam p = params.get(k);
            try {
                next.put(ConfigParams.indexOf(p), p.normalize(pairs.get(2 * k + 1), values[ConfigParams.indexOf(p)]));
            } catch (ConfigParam.Invalid e) {
                // Redis names the parameter as it found it: the given name, in lower case.
                return failed(seen.get(k), e.getMessage());
            }
        }
        next.forEach((i, v) -> values[i] = v);
        publish();
        return null;
    }

    private static String failed(String name, String reason) {
        return "ERR CONFIG SET failed (possibly related to argument '" + name + "') - " + reason;
    }

    /** Copies the values the request path reads into their volatile fields. */
    private void publish() {
        String pass = get("requirepass");
        requirePass = pass.isEmpty() ? null : pass;
        maxClients = Long.parseLong(get("maxclients"));
        timeoutSeconds = Long.parseLong(get("timeout"));
        protoMaxBulkLen = Long.parseLong(get("proto-max-bulk-len"));
        slowlogSlowerThanUs = Long.parseLong(get("slowlog-log-slower-than"));
        slowlogMaxLen = Long.parseLong(get("slowlog-max-len"));
        debugCommand = get("enable-debug-command").equals("yes");
        latencyThresholdMs = Long.parseLong(get("latency-monitor-threshold"));
        Memory m = new Memory(Long.parseUnsignedLong(get("maxmemory")),
                io.github.jglommio.kv.store.EvictionPolicy.byName(get("maxmemory-policy")),
                Integer.parseInt(get("maxmemory-samples")), Integer.parseInt(get("lfu-log-factor")),
                Integer.parseInt(get("lfu-decay-time")));
        if (!m.equals(memory)) {
            memory = m;
        }
        try {
            outputLimits = OutputLimits.parse(get("client-output-buffer-limit"), null);
        } catch (ConfigParam.Invalid e) {
            throw new IllegalStateException("a stored client-output-buffer-limit is invalid: " + e.getMessage(), e);
        }
        busyReplyThresholdMs = Long.parseLong(get("busy-reply-threshold"));
        encodings.set(Long.parseLong(get("set-max-intset-entries")), Long.parseLong(get("hash-max-listpack-entries")),
                Long.parseLong(get("hash-max-listpack-value")), Long.parseLong(get("zset-max-listpack-entries")),
                Long.parseLong(get("zset-max-listpack-value")));
    }
}
