package io.github.jglommio.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The JDK peer of the {@code net} suite: blocking {@link ServerSocket}/{@link Socket} with a virtual
 * thread per connection on the default scheduler (whose parallelism is the one CPU the child is
 * pinned to). Same echo and HTTP handling as {@link JglommioNetServer}.
 */
final class JdkNetServer {

    private static final int BUFFER = 4096;
    private static final int BACKLOG = 1024;

    private JdkNetServer() {
    }

    static NetServer.Running start(InetSocketAddress echo, InetSocketAddress http) throws IOException {
        ServerSocket echoSocket = new ServerSocket();
        echoSocket.bind(echo, BACKLOG);
        ServerSocket httpSocket = new ServerSocket();
        httpSocket.bind(http, BACKLOG);
        Thread.ofVirtual().name("echo-accept").start(() -> acceptLoop(echoSocket, false));
        Thread.ofVirtual().name("http-accept").start(() -> acceptLoop(httpSocket, true));
        return () -> "-";
    }

    private static void acceptLoop(ServerSocket server, boolean http) {
        while (true) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                System.err.println("JDK accept failed: " + e);
                return;
            }
            Thread.ofVirtual().start(() -> serve(s, http));
        }
    }

    private static void serve(Socket s, boolean http) {
        byte[] buf = new byte[BUFFER];
        HttpScanner scanner = http ? new HttpScanner() : null;
        try (s) {
            s.setTcpNoDelay(true);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            int n;
            while ((n = in.read(buf)) > 0) {
                if (scanner == null) {
                    out.write(buf, 0, n);
                } else {
                    int requests = scanner.feed(buf, 0, n);
                    if (requests > 0) {
                        out.write(HttpScanner.responses(requests));
                    }
                }
            }
        } catch (IOException e) {
            // A reset by the load generator ending its run: the connection is over either way.
        }
    }
}
