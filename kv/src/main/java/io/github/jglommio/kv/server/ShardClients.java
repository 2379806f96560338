package io.github.jglommio.kv.server;

import io.github.jglommio.LocalExecutor;
import io.github.jglommio.Task;
import io.github.jglommio.TaskQueueHandle;
import io.github.jglommio.timer.Timer;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The connections one shard serves, for CLIENT LIST and CLIENT KILL, and the once-a-second check
 * that closes the clients past their soft {@code client-output-buffer-limit} for longer than its
 * seconds (see {@link Connection#pastSoftLimit}) and those idle for longer than {@code timeout} seconds (monitors, subscribers and
 * clients waiting for a CLIENT PAUSE are exempt, as Redis exempts replicas, pub/sub and blocked clients). The check starts with the first connection and stops when the shard is
 * asked to stop.
 *
 * <p>Threading: the shard's executor only.
 */
final class ShardClients {

    private static final System.Logger LOG = System.getLogger(ShardClients.class.getName());
    private static final Duration CHECK_PERIOD = Duration.ofSeconds(1);

    private final Set<Connection> open = new LinkedHashSet<>();
    private Task<Void> idleCheck;

    /** A connection starts; {@code background} is where the idle check runs. */
    void add(Connection c, TaskQueueHandle background, LiveConfig config) {
        open.add(c);
        c.client.resolveAddresses();
        if (idleCheck == null) {
            idleCheck = Task.localInto(() -> closeIdle(config), background);
            Task<Void> check = idleCheck;
            LocalExecutor.current().onStopRequest(check::cancel);
        }
    }

    /** A connection ended; a monitor stops getting the feed. */
    void remove(Connection c, Admin admin) {
        open.remove(c);
        c.client.reset(admin);
    }

    /** The connections, in the order they came. */
    List<Connection> all() {
        return new ArrayList<>(open);
    }

    /**
     * Closes every connection {@code which} selects except {@code keep} (which the caller closes
     * after its reply); returns how many were selected, {@code keep} included.
     */
    int kill(Predicate<Connection> which, Connection keep) {
        int n = 0;
        for (Connection c : all()) {
            if (which.test(c)) {
                n++;
                if (c != keep) {
                    close(c);
                }
            }
        }
        return n;
    }

    private static void close(Connection c) {
        try {
            c.stream.close(); // its task's read fails and the connection ends
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing a killed client", e);
        }
    }

    private Void closeIdle(LiveConfig config) {
        while (true) {
            Timer.sleep(CHECK_PERIOD);
            long timeout = config.timeoutSeconds();
            long now = System.currentTimeMillis();
            OutputLimits limits = config.outputLimits();
            for (Connection c : all()) {
                if (c.pastSoftLimit(limits, now)) {
                    c.shard.server.outputLimitReached(c, "soft", c.pendingOutput());
                    close(c);
                    continue;
                }
                if (timeout == 0) {
                    continue;
                }
                if (c.client.monitor == null && !c.client.blocked && !c.subscribed()
                        && (now - c.client.lastActiveMillis) / 1000 > timeout) {
                    close(c);
                }
            }
        }
    }
}
