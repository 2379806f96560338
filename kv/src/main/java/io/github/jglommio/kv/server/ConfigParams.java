package io.github.jglommio.kv.server;

import io.github.jglommio.kv.server.ConfigParam.Change;
import io.github.jglommio.kv.server.ConfigParam.Kind;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every configuration parameter the server has, in one table: name, alias, kind, default, whether
 * CONFIG SET may change it and its range, as Redis 7.0 defines them ({@code CONFIG SET} of a bad
 * value gives the same reason as Redis). What each one does here:
 *
 * <ul>
 *   <li>in effect at once: {@code requirepass} (new connections must AUTH), {@code maxclients},
 *       {@code client-output-buffer-limit} (normal and pubsub classes; see {@link OutputLimits}, whose
 *       default for normal clients is not Redis's unlimited one),
 *       {@code timeout} (idle clients are closed), {@code slowlog-*}, {@code maxmemory},
 *       {@code maxmemory-policy}, {@code maxmemory-samples}, {@code lfu-log-factor},
 *       {@code lfu-decay-time} (every shard bounds its data to its share of maxmemory from its next
 *       command, see {@link Shard#makeRoom}), {@code appendfsync} (every
 *       shard's log follows it from its next write), {@code port} and {@code bind} (every shard
 *       listens there instead, see {@link Listeners}), {@code proto-max-bulk-len}
 *       (for connections opened afterwards), {@code latency-monitor-threshold} (kept, see LATENCY),
 *       {@code notify-keyspace-events} (every shard publishes those events from its next command),
 *       {@code busy-reply-threshold} (alias {@code lua-time-limit}: see {@code kv.script});</li>
 *   <li>kept and returned, without an effect yet: {@code maxmemory-eviction-tenacity} (a shard
 *       evicts until it fits, however long it takes), {@code hz}, {@code save} (there is no RDB),
 *       {@code tcp-keepalive}, and the encoding limits ({@code hash-max-listpack-*},
 *       {@code list-max-listpack-size}, {@code list-compress-depth}, {@code set-max-intset-entries},
 *       {@code zset-max-listpack-*}: this server's values have one encoding each);</li>
 *   <li>set at start only: {@code appendonly} (a log cannot be started or stopped on a running shard
 *       yet),
 *       {@code databases},
 *       {@code enable-debug-command}, and this server's own {@code shards}, {@code pin},
 *       {@code completion-batch*}; {@code dir} is protected, as in Redis.</li>
 * </ul>
 *
 * <p>Redis 7.0 has no {@code set-max-listpack-*} (that came in 7.2), so neither has this table.
 * Immutable and shared.
 */
final class ConfigParams {

    static final long INT_MAX = Integer.MAX_VALUE;
    static final long UINT_MAX = 0xffff_ffffL;

    /** Every parameter, in a fixed order. */
    static final List<ConfigParam> ALL = table();
    /** By name and by alias. */
    private static final Map<String, ConfigParam> BY_NAME = index();

    private ConfigParams() {
    }

    private static List<ConfigParam> table() {
        List<ConfigParam> t = new ArrayList<>();
        // Connections and security.
        t.add(ConfigParam.ranged("maxclients", null, Kind.INT, 1, UINT_MAX, "10000"));
        t.add(ConfigParam.of("requirepass", Kind.STRING, Change.MUTABLE, ""));
        t.add(ConfigParam.ranged("timeout", null, Kind.INT, 0, INT_MAX, "0"));
        t.add(ConfigParam.ranged("tcp-keepalive", null, Kind.INT, 0, INT_MAX, "0"));
        t.add(ConfigParam.of("client-output-buffer-limit", Kind.OUTPUT_LIMITS, Change.MUTABLE, OutputLimits.DEFAULT));
        t.add(ConfigParam.ranged("proto-max-bulk-len", null, Kind.MEMORY, 1 << 20, Long.MAX_VALUE, "536870912"));
        t.add(ConfigParam.ranged("port", null, Kind.INT, 0, 65535, "6379"));
        t.add(ConfigParam.of("bind", Kind.ADDRESSES, Change.MUTABLE, "127.0.0.1"));
        t.add(ConfigParam.ranged("databases", null, Kind.INT, 1, INT_MAX, "16").withChange(Change.IMMUTABLE));
        t.add(ConfigParam.of("enable-debug-command", Kind.ENUM, Change.IMMUTABLE, "no", "no", "yes", "local"));
        // Persistence.
        t.add(ConfigParam.of("dir", Kind.STRING, Change.PROTECTED, ""));
        t.add(ConfigParam.of("appendonly", Kind.BOOL, Change.IMMUTABLE, "yes"));
        t.add(ConfigParam.of("appendfsync", Kind.ENUM, Change.MUTABLE, "everysec", "everysec", "always", "no"));
        t.add(ConfigParam.of("save", Kind.SAVE, Change.MUTABLE, ""));
        // Memory.
        t.add(ConfigParam.ranged("maxmemory", null, Kind.MEMORY, 0, -1, "0"));
        t.add(ConfigParam.of("maxmemory-policy", Kind.ENUM, Change.MUTABLE, "noeviction", "volatile-lru",
                "volatile-lfu", "volatile-random", "volatile-ttl", "allkeys-lru", "allkeys-lfu", "allkeys-random",
                "noeviction"));
        t.add(ConfigParam.ranged("maxmemory-samples", null, Kind.INT, 1, INT_MAX, "5"));
        t.add(ConfigParam.ranged("maxmemory-eviction-tenacity", null, Kind.INT, 0, 100, "10"));
        t.add(ConfigParam.ranged("lfu-log-factor", null, Kind.INT, 0, INT_MAX, "10"));
        t.add(ConfigParam.ranged("lfu-decay-time", null, Kind.INT, 0, INT_MAX, "1"));
        t.add(ConfigParam.ranged("hz", null, Kind.INT, 0, INT_MAX, "10"));
        // Monitoring.
        t.add(ConfigParam.ranged("slowlog-log-slower-than", null, Kind.INT, -1, Long.MAX_VALUE, "10000"));
        t.add(ConfigParam.ranged("slowlog-max-len", null, Kind.INT, 0, Long.MAX_VALUE, "128"));
        t.add(ConfigParam.ranged("latency-monitor-threshold", null, Kind.INT, 0, Long.MAX_VALUE, "0"));
        // Keyspace notifications: every shard publishes the classes it names (see KeyspaceNotifier).
        t.add(ConfigParam.of("notify-keyspace-events", Kind.KEYSPACE_EVENTS, Change.MUTABLE, ""));
        // Scripting: how long a script runs before other clients get -BUSY and SCRIPT KILL works.
        t.add(ConfigParam.ranged("busy-reply-threshold", "lua-time-limit", Kind.INT, 0, Long.MAX_VALUE, "5000"));
        // Encoding limits.
        t.add(ConfigParam.ranged("hash-max-listpack-entries", "hash-max-ziplist-entries", Kind.INT, 0, Long.MAX_VALUE,
                "512"));
        t.add(ConfigParam.ranged("hash-max-listpack-value", "hash-max-ziplist-value", Kind.MEMORY, 0, Long.MAX_VALUE,
                "64"));
        t.add(ConfigParam.ranged("list-max-listpack-size", "list-max-ziplist-size", Kind.INT, Integer.MIN_VALUE,
                INT_MAX, "-2"));
        t.add(ConfigParam.ranged("list-compress-depth", null, Kind.INT, 0, INT_MAX, "0"));
        t.add(ConfigParam.ranged("set-max-intset-entries", null, Kind.INT, 0, Long.MAX_VALUE, "512"));
        t.add(ConfigParam.ranged("zset-max-listpack-entries", "zset-max-ziplist-entries", Kind.INT, 0, Long.MAX_VALUE,
                "128"));
        t.add(ConfigParam.ranged("zset-max-listpack-value", "zset-max-ziplist-value", Kind.MEMORY, 0, Long.MAX_VALUE,
                "64"));
        // This server's own.
        t.add(ConfigParam.ranged("shards", null, Kind.INT, 1, 1024, "1").withChange(Change.IMMUTABLE));
        t.add(ConfigParam.of("pin", Kind.BOOL, Change.IMMUTABLE, "no"));
        // completion-batch is "auto" or a number; KvConfig checks it at start.
        t.add(ConfigParam.of("completion-batch", Kind.STRING, Change.IMMUTABLE, "auto"));
        t.add(ConfigParam.ranged("completion-batch-delay-us", null, Kind.INT, 1, 1_000_000, "100")
                .withChange(Change.IMMUTABLE));
        return Collections.unmodifiableList(t);
    }

    private static Map<String, ConfigParam> index() {
        Map<String, ConfigParam> m = new HashMap<>();
        for (ConfigParam p : ALL) {
            m.put(p.name(), p);
            if (p.alias() != null) {
                m.put(p.alias(), p);
            }
        }
        return m;
    }

    /** The parameter of a name or alias, in any case; null if there is none. */
    static ConfigParam lookup(String name) {
        return BY_NAME.get(name.toLowerCase(Locale.ROOT));
    }

    /** The position of {@code p} in {@link #ALL}: the index of its value in a {@link LiveConfig}. */
    static int indexOf(ConfigParam p) {
        return ALL.indexOf(p);
    }
}
