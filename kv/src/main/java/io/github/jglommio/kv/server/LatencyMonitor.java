package io.github.jglommio.kv.server;

import io.github.jglommio.kv.command.CommandSpec;
import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * LATENCY: the latency monitor, minimal. It records one event class, {@code command} (and
 * {@code fast-command} for commands flagged fast), for every command that took at least
 * {@code latency-monitor-threshold} milliseconds (0: off, as by default); samples in the same second
 * keep the highest, and each event keeps its last 160, as in Redis. LATEST, HISTORY, RESET and HELP
 * answer as Redis does; DOCTOR says whether spikes were seen (Redis's texts for the two cases
 * without samples, a short list of the events otherwise); GRAPH answers Redis's error when there
 * are no samples and a plain list of the samples otherwise; HISTOGRAM is {@link LatencyHistogram}'s.
 *
 * <p>Threading: any shard samples; a lock guards the events. Only commands over the threshold take
 * it, so the request path pays a volatile read.
 */
final class LatencyMonitor {

    private static final int HISTORY = 160;

    private record Sample(long unixSeconds, long millis) {
    }

    private static final class Event {
        final ArrayDeque<Sample> samples = new ArrayDeque<>();
        long max;
    }

    private final LiveConfig config;
    private final Map<String, Event> events = new LinkedHashMap<>();

    LatencyMonitor(LiveConfig config) {
        this.config = config;
    }

    /** A command of {@code spec} took {@code micros}: an event when it reaches the threshold. */
    void sample(CommandSpec spec, long micros) {
        long threshold = config.latencyThresholdMs();
        if (threshold > 0 && micros / 1000 >= threshold) {
            add(spec.flags().contains("fast") ? "fast-command" : "command", micros / 1000);
        }
    }

    private synchronized void add(String event, long millis) {
        Event e = events.computeIfAbsent(event, k -> new Event());
        long now = System.currentTimeMillis() / 1000;
        Sample last = e.samples.peekLast();
        if (last != null && last.unixSeconds() == now) {
            e.samples.pollLast();
            millis = Math.max(millis, last.millis());
        }
        e.samples.addLast(new Sample(now, millis));
        if (e.samples.size() > HISTORY) {
            e.samples.pollFirst();
        }
        e.max = Math.max(e.max, millis);
    }

    /** LATENCY DOCTOR|GRAPH|HISTORY|LATEST|RESET|HISTOGRAM|HELP. */
    void execute(Command c, RespWriter out) {
        if (!Subcommands.check(c, out, "latency")) {
            return;
        }
        switch (ServerCommands.text(c, 1).toLowerCase(Locale.ROOT)) {
            case "latest" -> latest(out);
            case "history" -> history(ServerCommands.text(c, 2), out);
            case "reset" -> out.integer(reset(c));
            case "doctor" -> out.verbatim(bytes(doctor()));
            case "graph" -> graph(ServerCommands.text(c, 2), out);
            case "histogram" -> out.mapHeader(0); // served by LatencyHistogram, which has the shards' counts
            case "help" -> Subcommands.help(out, "LATENCY",
                    "DOCTOR",
                    "    Return a human readable latency analysis report.",
                    "GRAPH <event>",
                    "    Return an ASCII latency graph for the <event> class.",
                    "HISTORY <event>",
                    "    Return time-latency samples for the <event> class.",
                    "LATEST",
                    "    Return the latest latency samples for all events.",
                    "RESET [<event> ...]",
                    "    Reset latency data of one or more <event> classes.",
                    "    (default: reset all data for all event classes)",
                    "HISTOGRAM [COMMAND ...]",
                    "    Return a cumulative distribution of latencies in the format of a histogram for the specified"
                            + " command names.",
                    "    If no commands are specified then all histograms are replied.");
            default -> Subcommands.unknown(c, out, "LATENCY");
        }
    }

    private synchronized void latest(RespWriter out) {
        out.arrayHeader(events.size());
        events.forEach((name, e) -> {
            Sample last = e.samples.peekLast();
            out.arrayHeader(4).bulk(bytes(name)).integer(last.unixSeconds()).integer(last.millis()).integer(e.max);
        });
    }

    private synchronized void history(String event, RespWriter out) {
        Event e = events.get(event);
        if (e == null) {
            out.arrayHeader(0);
            return;
        }
        out.arrayHeader(e.samples.size());
        for (Sample s : e.samples) {
            out.arrayHeader(2).integer(s.unixSeconds()).integer(s.millis());
        }
    }

    private synchronized int reset(Command c) {
        if (c.argCount() == 2) {
            int n = events.size();
            events.clear();
            return n;
        }
        int n = 0;
        for (int i = 2; i < c.argCount(); i++) {
            if (events.remove(ServerCommands.text(c, i)) != null) {
                n++;
            }
        }
        return n;
    }

    private synchronized String doctor() {
        if (events.isEmpty()) {
            if (config.latencyThresholdMs() == 0) {
                return "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may"
                        + " use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we"
                        + " weren't in a deep space mission I'd suggest to take a look at"
                        + " https://redis.io/topics/latency-monitor.\n";
            }
            return "Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest"
                    + " bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n";
        }
        StringBuilder sb = new StringBuilder("Latency spikes were observed (threshold ")
                .append(config.latencyThresholdMs()).append(" ms):\n\n");
        int i = 1;
        for (Map.Entry<String, Event> en : events.entrySet()) {
            Event e = en.getValue();
            long sum = 0;
            for (Sample s : e.samples) {
                sum += s.millis();
            }
            sb.append(i++).append(". ").append(en.getKey()).append(": ").append(e.samples.size())
                    .append(" latency spikes (average ").append(sum / e.samples.size()).append("ms, worst ")
                    .append(e.max).append("ms).\n");
        }
        sb.append("\nCommands slower than the threshold are in SLOWLOG GET; commandstats in INFO tell which ones.\n");
        return sb.toString();
    }

    private synchronized void graph(String event, RespWriter out) {
        Event e = events.get(event);
        if (e == null) {
            out.error("ERR No samples available for event '" + event + "'");
            return;
        }
        List<String> lines = new ArrayList<>();
        lines.add(event + " - high " + e.max + " ms, low "
                + e.samples.stream().mapToLong(Sample::millis).min().orElse(0) + " ms (all time high " + e.max + " ms)");
        for (Sample s : e.samples) {
            lines.add(s.unixSeconds() + " " + s.millis() + " ms");
        }
        out.verbatim(bytes(String.join("\n", lines) + "\n"));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
