package io.github.jglommio;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Publishes running executors' statistics as JMX MBeans ({@link ExecutorMXBean}) and as periodic JFR
 * events ({@code io.github.jglommio.ExecutorStats}, {@code io.github.jglommio.TaskQueueStats}, every
 * second while a recording enables them) plus a {@code io.github.jglommio.Stall} event per detected
 * stall. Monitoring threads read the executors' counters racily; nothing here runs on an executor
 * thread except {@link #register}/{@link #unregister}.
 */
final class Monitoring {

    private static final System.Logger LOG = System.getLogger(Monitoring.class.getName());
    private static final Set<LocalExecutor> RUNNING = ConcurrentHashMap.newKeySet();
    private static volatile boolean jfrHooked;

    private Monitoring() {
    }

    static void register(LocalExecutor executor) {
        RUNNING.add(executor);
        hookJfr();
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            server.registerMBean(new Bean(executor), objectName(executor));
        } catch (JMException | RuntimeException e) {
            LOG.log(Level.DEBUG, "JMX registration of executor '" + executor.name() + "' failed", e);
        }
    }

    static void unregister(LocalExecutor executor) {
        RUNNING.remove(executor);
        try {
            ObjectName name = objectName(executor);
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
        } catch (JMException | RuntimeException e) {
            LOG.log(Level.DEBUG, "JMX unregistration of executor '" + executor.name() + "' failed", e);
        }
    }

    static ObjectName objectName(LocalExecutor executor) throws JMException {
        return new ObjectName("io.github.jglommio:type=Executor,name=" + ObjectName.quote(executor.name())
                + ",id=" + executor.id());
    }

    private static void hookJfr() {
        if (jfrHooked) {
            return;
        }
        synchronized (Monitoring.class) {
            if (jfrHooked) {
                return;
            }
            jfrHooked = true;
            try {
                FlightRecorder.addPeriodicEvent(ExecutorStatsEvent.class, Monitoring::emitStats);
            } catch (RuntimeException | LinkageError e) {
                LOG.log(Level.DEBUG, "JFR is not available; jglommio events are off", e);
            }
        }
    }

    private static void emitStats() {
        for (LocalExecutor ex : RUNNING) {
            ExecutorStats s = ex.statsSnapshot();
            ExecutorStatsEvent e = new ExecutorStatsEvent();
            e.executor = s.executorName();
            e.executorId = s.executorId();
            e.tasksSpawned = s.tasksSpawned();
            e.tasksExecuted = s.tasksExecuted();
            e.schedulerRuns = s.schedulerRuns();
            e.preemptions = s.preemptions();
            e.busyTime = s.busyTime().toNanos();
            e.sleepTime = s.sleepTime().toNanos();
            e.liveTasks = s.liveTasks();
            e.taskQueueDepth = s.taskQueueDepth();
            e.ioSubmissions = s.io().submissions();
            e.ioCompletions = s.io().completions();
            e.commit();
            for (TaskQueue q : ex.scheduler.monitored) {
                TaskQueueStats qs = LocalExecutor.queueStats(q);
                TaskQueueStatsEvent qe = new TaskQueueStatsEvent();
                qe.executor = s.executorName();
                qe.taskQueue = qs.name();
                qe.shares = qs.shares();
                qe.runtime = qs.runtime().toNanos();
                qe.schedulerRuns = qs.schedulerRuns();
                qe.taskRuns = qs.taskRuns();
                qe.queueDepth = qs.queueDepth();
                qe.commit();
            }
        }
    }

    static void stall(StallReport r) {
        StallEvent e = new StallEvent();
        if (e.isEnabled()) {
            e.executor = r.executorName();
            e.taskQueue = r.taskQueue();
            e.ranFor = r.ranFor().toNanos();
            e.budget = r.budget().toNanos();
            e.stack = r.describe();
            e.commit();
        }
    }

    @Name("io.github.jglommio.ExecutorStats")
    @Label("jglommio Executor Statistics")
    @Category({"jglommio", "Executor"})
    @Period("1 s")
    @StackTrace(false)
    static final class ExecutorStatsEvent extends Event {
        @Label("Executor")
        String executor;
        @Label("Executor Id")
        long executorId;
        @Label("Tasks Spawned")
        long tasksSpawned;
        @Label("Tasks Executed")
        long tasksExecuted;
        @Label("Scheduler Runs")
        long schedulerRuns;
        @Label("Preemptions")
        long preemptions;
        @Label("Busy Time")
        @Timespan
        long busyTime;
        @Label("Sleep Time")
        @Timespan
        long sleepTime;
        @Label("Live Tasks")
        long liveTasks;
        @Label("Task Queue Depth")
        long taskQueueDepth;
        @Label("Ring Submissions")
        long ioSubmissions;
        @Label("Ring Completions")
        long ioCompletions;
    }

    @Name("io.github.jglommio.TaskQueueStats")
    @Label("jglommio Task Queue Statistics")
    @Category({"jglommio", "Executor"})
    @StackTrace(false)
    static final class TaskQueueStatsEvent extends Event {
        @Label("Executor")
        String executor;
        @Label("Task Queue")
        String taskQueue;
        @Label("Shares")
        int shares;
        @Label("Runtime")
        @Timespan
        long runtime;
        @Label("Scheduler Runs")
        long schedulerRuns;
        @Label("Task Runs")
        long taskRuns;
        @Label("Queue Depth")
        long queueDepth;
    }

    @Name("io.github.jglommio.Stall")
    @Label("jglommio Stall")
    @Description("A task queue ran past its time budget without yielding")
    @Category({"jglommio", "Executor"})
    @StackTrace(false)
    static final class StallEvent extends Event {
        @Label("Executor")
        String executor;
        @Label("Task Queue")
        String taskQueue;
        @Label("Ran For")
        @Timespan
        long ranFor;
        @Label("Budget")
        @Timespan
        long budget;
        @Label("Report")
        String stack;
    }

    /** The MBean: reads the executor's counters from the JMX thread. */
    private record Bean(LocalExecutor executor) implements ExecutorMXBean {
        private ExecutorStats s() {
            return executor.statsSnapshot();
        }

        @Override
        public String getName() {
            return executor.name();
        }

        @Override
        public long getId() {
            return executor.id();
        }

        @Override
        public long getTasksSpawned() {
            return s().tasksSpawned();
        }

        @Override
        public long getTasksExecuted() {
            return s().tasksExecuted();
        }

        @Override
        public long getTaskRuns() {
            return s().taskRuns();
        }

        @Override
        public long getSchedulerRuns() {
            return s().schedulerRuns();
        }

        @Override
        public long getPreemptions() {
            return s().preemptions();
        }

        @Override
        public long getBusyTimeNanos() {
            return s().busyTime().toNanos();
        }

        @Override
        public long getSleepTimeNanos() {
            return s().sleepTime().toNanos();
        }

        @Override
        public long getLiveTasks() {
            return s().liveTasks();
        }

        @Override
        public long getTaskQueueDepth() {
            return s().taskQueueDepth();
        }

        @Override
        public long getIoSubmissions() {
            return s().io().submissions();
        }

        @Override
        public long getIoCompletions() {
            return s().io().completions();
        }

        @Override
        public long getIoInflight() {
            return s().io().inflight();
        }

        @Override
        public long getStallsDetected() {
            return executor.stallsDetected;
        }

        @Override
        public String[] getTaskQueues() {
            return executor.scheduler.monitored.stream().map(q -> q.name + ": shares=" + q.shares + ", runtime="
                    + q.runtimeNs / 1_000_000 + " ms, turns=" + q.turns + ", depth=" + q.size()).toArray(String[]::new);
        }
    }
}
