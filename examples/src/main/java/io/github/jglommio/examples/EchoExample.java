package io.github.jglommio.examples;

import io.github.jglommio.LocalExecutor;
import io.github.jglommio.LocalExecutorBuilder;
import io.github.jglommio.Task;
import io.github.jglommio.net.TcpListener;
import io.github.jglommio.net.TcpStream;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The guide's §6.2 echo server, a client for it, and an echo throughput run: 64 connections on one
 * client executor, each sending 64-byte messages ping-pong to a server executor on another thread.
 */
public final class EchoExample {

    private EchoExample() {
    }

    /** The guide's handle_connection. */
    static void handleConnection(TcpStream stream) {
        try (stream) {
            byte[] buf = new byte[1024];
            for (int n; (n = stream.read(buf)) > 0; ) {     // -1: EOF
                stream.writeAll(buf, 0, n);
            }
        } catch (IOException e) {
            System.err.println("Error: " + e.getMessage());
        }
    }

    /** The guide's server loop: accept, and a task per connection. Returns when the listener closes. */
    static void serve(TcpListener listener) throws IOException {
        try {
            while (true) {
                TcpStream stream = listener.accept();
                Task.local(() -> handleConnection(stream)).detach();
            }
        } catch (ClosedChannelException e) {
            // listener closed: stop serving
        }
    }

    /** Starts a server on its own executor thread; returns {listener address, stop action}. */
    record Server(InetSocketAddress address, Runnable stop) {
    }

    static Server startServer(int port) throws Exception {
        var ready = new java.util.concurrent.CompletableFuture<TcpListener>();
        var handle = LocalExecutorBuilder.create().name("echo-server").spawn(() -> {
            TcpListener listener = TcpListener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            System.out.println("Server listening on " + listener.localAddr());
            ready.complete(listener);
            serve(listener);
            return null;
        });
        TcpListener l = ready.get();
        return new Server(l.localAddr(), () -> {
            handle.handle().submit(() -> {
                l.close();
                return null;
            }).join();
            handle.join();
        });
    }

    /** One client: sends {@code messages} and checks the echoes. */
    static String client(InetSocketAddress addr, List<String> messages) {
        return LocalExecutor.create().run(() -> {
            StringBuilder sb = new StringBuilder();
            try (TcpStream s = TcpStream.connect(addr)) {
                for (String m : messages) {
                    s.writeAll(m.getBytes());
                    byte[] back = new byte[m.length()];
                    s.readFully(back);
                    sb.append(new String(back)).append('|');
                }
            }
            return sb.toString();
        });
    }

    /** {@code connections} ping-pong clients for {@code millis}; returns round trips per second. */
    static double throughput(InetSocketAddress addr, int connections, int size, long millis) {
        return LocalExecutor.create().run(() -> {
            long end = System.nanoTime() + millis * 1_000_000;
            List<Task<Long>> clients = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                clients.add(Task.local(() -> {
                    long n = 0;
                    byte[] msg = new byte[size];
                    byte[] back = new byte[size];
                    Arrays.fill(msg, (byte) 'x');
                    try (TcpStream s = TcpStream.connect(addr)) {
                        s.setNoDelay(true);
                        while (System.nanoTime() < end) {
                            s.writeAll(msg);
                            s.readFully(back);
                            n++;
                        }
                    }
                    return n;
                }));
            }
            long total = 0;
            for (Task<Long> t : clients) {
                total += t.join();
            }
            return total / (millis / 1000.0);
        });
    }

    /**
     * {@code ./jglommio example echo serve [PORT]}: one shard per CPU, all bound to PORT with
     * SO_REUSEPORT, until SIGINT/SIGTERM: the shutdown hook asks every shard to stop (each closes its
     * listener in a stop hook), gives connections 5 s to finish, then cancels what is left.
     */
    static void serveUntilSignal(int port) {
        int shards = io.github.jglommio.CpuSet.online().size();
        io.github.jglommio.PoolThreadHandles<Object> pool = new io.github.jglommio.LocalExecutorPoolBuilder(
                io.github.jglommio.PoolPlacement.maxSpread(shards)).name("echo").onAllShards(() -> {
            TcpListener listener = TcpListener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            LocalExecutor.current().onStopRequest(() -> {
                try {
                    listener.close();
                } catch (IOException e) {
                    System.err.println("closing the listener: " + e.getMessage());
                }
            });
            System.out.println(LocalExecutor.current().name() + " listening on " + listener.localAddr());
            serve(listener);
            System.out.println(LocalExecutor.current().name() + " stopped accepting");
            return null;
        });
        pool.shutdownOnExit(java.time.Duration.ofSeconds(5));
        System.out.println("serving; press Ctrl-C (SIGINT) or send SIGTERM to stop");
        pool.joinAll();
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("serve")) {
            serveUntilSignal(args.length > 1 ? Integer.parseInt(args[1]) : 8080);
            return;
        }
        Server server = startServer(args.length > 0 ? Integer.parseInt(args[0]) : 0);
        try {
            System.out.println("client got back: " + client(server.address(), List.of("hello", "jglommio", "echo")));
            double rps = throughput(server.address(), 64, 64, 2000);
            System.out.printf("echo throughput: 64 connections x 64 B ping-pong for 2 s: %,.0f round trips/s "
                    + "(client and server executors share this machine's cores; loopback TCP on an idle 2-vCPU VM does about"
                    + " 100,000/s; ./jglommio bench net measures the server alone)%n", rps);
        } finally {
            server.stop().run();
        }
    }
}
