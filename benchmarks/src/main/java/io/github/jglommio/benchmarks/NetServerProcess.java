package io.github.jglommio.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.OutputStreamWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One peer's {@link NetServer} child JVM, started under {@code taskset -c CPU} with this JVM's
 * class path and the jglommio flags, on two free ports. {@link #close} ends it (closing its stdin,
 * then killing it); the suite also kills it from a shutdown hook. Single thread (the suite's).
 */
final class NetServerProcess implements AutoCloseable {

    private static final long READY_TIMEOUT_S = 60;
    private static final long REPLY_TIMEOUT_S = 10;
    /** /proc/PID/stat counts CPU in clock ticks of USER_HZ, 100 on Linux x86-64. */

    final NetPeer peer;
    final int echoPort;
    final int httpPort;
    private final Process process;
    private final BufferedReader stdout;
    private final PrintWriter stdin;

    private NetServerProcess(NetPeer peer, int echoPort, int httpPort, Process process) {
        this.peer = peer;
        this.echoPort = echoPort;
        this.httpPort = httpPort;
        this.process = process;
        this.stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.stdin = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
    }

    /** Starts {@code peer}'s child on {@code cpu} and waits for its READY; stderr goes to {@code log}. */
    static NetServerProcess start(NetPeer peer, int cpu, Path log, List<String> jvmOptions)
            throws IOException, InterruptedException {
        int echoPort = freePort();
        int httpPort = freePort();
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of("taskset", "-c", Integer.toString(cpu), java,
                ForkArgs.ADD_OPENS, ForkArgs.NATIVE_ACCESS, ForkArgs.ALLOW_UNSAFE, "-Xms256m", "-Xmx256m"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), NetServer.class.getName(), peer.id,
                Integer.toString(cpu), Integer.toString(echoPort), Integer.toString(httpPort)));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        NetServerProcess server = new NetServerProcess(peer, echoPort, httpPort, p);
        String line = server.readLine(READY_TIMEOUT_S);
        if (!"READY".equals(line)) {
            server.close();
            throw new IOException(peer.label + " server did not start (got " + line + "); its stderr is in " + log);
        }
        return server;
    }

    /** The server's counters since the previous call ({@link NetServer.Running#stats}). */
    String stats() throws IOException, InterruptedException {
        stdin.println("stats");
        String line = readLine(REPLY_TIMEOUT_S);
        if (line == null || !line.startsWith("STATS ")) {
            throw new IOException(peer.label + " server answered " + line + " to 'stats'");
        }
        return line.substring("STATS ".length());
    }

    /** The child's CPU time so far, user + system, in seconds (NaN when /proc cannot tell). */
    double cpuSeconds() {
        return ProcessCpu.seconds(process.pid());
    }

    boolean isAlive() {
        return process.isAlive();
    }

    private String readLine(long timeoutS) throws IOException, InterruptedException {
        CompletableFuture<String> f = CompletableFuture.supplyAsync(() -> {
            try {
                return stdout.readLine();
            } catch (IOException e) {
                return null;
            }
        }, Thread::startVirtualThread);
        try {
            return f.get(timeoutS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException(peer.label + " server: no answer within " + timeoutS + " s", e);
        }
    }

    /** Closes the child's stdin (it exits), and kills it if it is still there a second later. */
    @Override
    public void close() throws InterruptedException {
        stdin.close();
        if (!process.waitFor(1, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** Kills the child at once: the shutdown hook's way. */
    void kill() {
        process.destroyForcibly();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
