package io.github.jglommio.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The child-JVM side of the {@code net} suite: starts one peer's echo and HTTP servers on
 * 127.0.0.1 and serves until its standard input closes.
 *
 * <p>Usage: {@code NetServer PEER CPU ECHO_PORT HTTP_PORT}; the parent runs it under
 * {@code taskset -c CPU}. Protocol on the pipes: the child prints {@code READY} once both ports
 * listen; each {@code stats} line read from stdin is answered with one {@code STATS ...} line (the
 * jglommio executor's loop counters since the previous one, {@code STATS -} for the other peers); at
 * end of input the JVM exits. Threading: the main thread reads stdin; the servers own their threads.
 */
public final class NetServer {

    /** What the parent needs from a running server. */
    interface Running {
        /** Counters since the previous call, as {@code key=value} words; "-" when the peer has none. */
        String stats();
    }

    private NetServer() {
    }

    /** Runs one peer's servers; see the class javadoc. */
    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: NetServer PEER CPU ECHO_PORT HTTP_PORT");
            System.exit(2);
        }
        NetPeer peer = NetPeer.byId(args[0]);
        int cpu = Integer.parseInt(args[1]);
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        InetSocketAddress echo = new InetSocketAddress(loopback, Integer.parseInt(args[2]));
        InetSocketAddress http = new InetSocketAddress(loopback, Integer.parseInt(args[3]));
        Running running = switch (peer) {
            case JGLOMMIO -> JglommioNetServer.start(cpu, echo, http);
            case NETTY_IO_URING -> NettyNetServer.start(true, echo, http);
            case NETTY_EPOLL -> NettyNetServer.start(false, echo, http);
            case JDK -> JdkNetServer.start(echo, http);
        };
        System.out.println("READY");
        System.out.flush();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.equals("stats")) {
                    System.out.println("STATS " + running.stats());
                    System.out.flush();
                }
            }
        } catch (IOException e) {
            // The parent is gone: nothing left to serve.
        }
        // The servers' threads are not daemons; the parent closing the pipe means "stop now".
        System.exit(0);
    }
}
