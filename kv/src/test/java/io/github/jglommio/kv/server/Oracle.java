package io.github.jglommio.kv.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A real redis-server 7.0 beside this server, for differential tests: each call sends the same
 * request to both over raw RESP and asserts that the replies are the same bytes. Tests use it
 * with {@code assumeTrue(Oracle.available(), Oracle.MISSING)}, so they skip where the Debian
 * {@code redis-server} package is not installed.
 *
 * <p>The redis-server child runs without persistence on a free port of 127.0.0.1 and is killed
 * by PID in {@link #close()}. Not thread-safe: one test thread.
 */
final class Oracle implements AutoCloseable {
    /** Why a differential test skips. */
    static final String MISSING = "redis-server 7.x is not installed (apt-get install redis-server)";

    private static Boolean available;
    /**
     * The protocol the pairs of connections made from now on speak: 3 makes each send HELLO 3 to
     * both servers first, so that a differential test runs unchanged under RESP3 (see {@link Resp3}).
     */
    static volatile int protocol = 2;

    private final Process redis;
    private final KvServer ours;
    private final RespClient theirClient;
    private final RespClient ourClient;

    private int theirPort;

    private Oracle(Process redis, KvServer ours, RespClient theirClient, RespClient ourClient) {
        this.redis = redis;
        this.ours = ours;
        this.theirClient = theirClient;
        this.ourClient = ourClient;
    }

    /** @return whether a redis-server 7.x can be started here */
    static synchronized boolean available() {
        if (available == null) {
            available = false;
            Path bin = binary();
            if (bin != null) {
                try {
                    Process p = new ProcessBuilder(bin.toString(), "--version").redirectErrorStream(true).start();
                    String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    available = p.waitFor(10, TimeUnit.SECONDS) && v.contains("v=7.");
                } catch (IOException e) {
                    available = false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        return available;
    }

    private static Path binary() {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(d, "redis-server");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * Starts both servers: ours with {@code shards} shards and its log off, redis-server without
     * persistence, each with the same extra {@code config} pairs (e.g. {@code "databases", "4"}).
     *
     * @param dir a directory for both servers' files
     * @param shards our server's shard count
     * @param config extra configuration as name, value pairs, passed to both
     * @return the pair, connected
     * @throws IOException if a server cannot start
     */
    static Oracle start(Path dir, int shards, String... config) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> cmd = new ArrayList<>(List.of(binary().toString(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no",
                "--dir", dir.toString()));
        KvConfig kv = KvServerTest.config(dir.resolve("kv")).with("shards", Integer.toString(shards))
                .with("appendonly", "no");
        for (int i = 0; i + 1 < config.length; i += 2) {
            cmd.add("--" + config[i]);
            cmd.add(config[i + 1]);
            kv = kv.with(config[i], config[i + 1]);
        }
        Process redis = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        KvServer ours = null;
        try {
            Files.createDirectories(dir.resolve("kv"));
            ours = KvServer.start(kv);
            RespClient theirs = connect(port, redis);
            Oracle o = new Oracle(redis, ours, theirs, new RespClient(ours.port()));
            o.theirPort = port;
            o.negotiate();
            return o;
        } catch (IOException | RuntimeException e) {
            redis.destroyForcibly();
            if (ours != null) {
                ours.close();
            }
            throw e;
        }
    }

    private static RespClient connect(int port, Process redis) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                RespClient c = new RespClient(port);
                if ("+PONG\r\n".equals(c.call("PING"))) {
                    return c;
                }
                c.close();
            } catch (IOException e) {
                if (!redis.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("redis-server did not start on port " + port, e);
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for redis-server", e);
            }
        }
    }

    /** @return the port of the redis-server, for a test's own raw connections */
    int theirPort() {
        return theirPort;
    }

    /** @return our server */
    KvServer ours() {
        return ours;
    }

    /**
     * Opens another connection to each server, for tests of what one client sees of another's
     * commands (WATCH, pub/sub, blocking pops). Close it when done.
     *
     * @return a second pair of connections, compared as this one is
     * @throws IOException if a connection fails
     */
    Oracle session() throws IOException {
        Oracle o = new Oracle(null, null, new RespClient(theirPort), new RespClient(ours.port()));
        o.theirPort = theirPort;
        o.negotiate();
        return o;
    }

    /** Under {@link #protocol} 3, switches both connections to RESP3 and checks that both did. */
    private void negotiate() throws IOException {
        negotiate(theirClient, ourClient);
    }

    /** Under {@link #protocol} 3, switches connections a test opened itself to RESP3, checking that each did. */
    static void negotiate(RespClient... clients) throws IOException {
        if (protocol == 3) {
            for (RespClient c : clients) {
                String hello = c.call("HELLO", "3");
                if (!hello.startsWith("%7\r\n")) {
                    throw new IOException("HELLO 3 was refused: " + hello);
                }
            }
        }
    }

    /**
     * Sends one request to both and asserts that the replies are the same bytes.
     *
     * @param args the request
     * @return the common reply's wire text
     * @throws IOException if a connection fails
     */
    String same(String... args) throws IOException {
        String theirs = theirClient.call(args);
        String mine = ourClient.call(args);
        assertEquals(theirs, mine, () -> "reply to " + Arrays.toString(args));
        return mine;
    }

    /**
     * Sends each request to both and compares every reply, as {@link #same(String...)}.
     *
     * @param requests the requests, each a command and its arguments
     * @throws IOException if a connection fails
     */
    void same(String[]... requests) throws IOException {
        for (String[] r : requests) {
            same(r);
        }
    }

    /**
     * Sends the requests to each server as one pipeline, followed by a {@code PING} whose reply
     * marks the end, and asserts that everything before the mark is the same bytes: for commands
     * that change which replies are sent (CLIENT REPLY, SUBSCRIBE...).
     *
     * @param requests the pipeline
     * @return the common replies' wire text, the mark excluded
     * @throws IOException if a connection fails
     */
    String pipeline(String[]... requests) throws IOException {
        String theirs = pipeline(theirClient, requests);
        String mine = pipeline(ourClient, requests);
        assertEquals(theirs, mine, () -> "replies to " + Arrays.deepToString(requests));
        return mine;
    }

    private static String pipeline(RespClient client, String[]... requests) throws IOException {
        String mark = "end-of-pipeline-mark";
        for (String[] r : requests) {
            client.send(r);
        }
        client.send("PING", mark);
        String end = "$" + mark.length() + "\r\n" + mark + "\r\n";
        StringBuilder sb = new StringBuilder();
        for (String r; !(r = client.reply()).equals(end); ) {
            sb.append(r);
        }
        return sb.toString();
    }

    /**
     * Sends one request to both and asserts that the replies hold the same elements in any order:
     * for commands whose order Redis leaves unspecified (SMEMBERS, HGETALL on a hash table...).
     * Pairs (field, value) are kept together when {@code pairs} is true.
     *
     * @param pairs whether the array is a flat list of pairs to compare as pairs
     * @param args the request
     * @throws IOException if a connection fails
     */
    void sameUnordered(boolean pairs, String... args) throws IOException {
        String theirs = theirClient.call(args);
        String mine = ourClient.call(args);
        assertEquals(sortedElements(theirs, pairs), sortedElements(mine, pairs), () -> "reply to " + Arrays.toString(args));
    }

    /** A flat array's elements (or element pairs), sorted; other replies as they are. */
    static List<String> sortedElements(String reply, boolean pairs) {
        if (!reply.startsWith("*") && !reply.startsWith("~") && !reply.startsWith("%")) {
            return List.of(reply);
        }
        String[] lines = reply.split("\r\n");
        List<String> items = new ArrayList<>();
        int i = 1;
        while (i < lines.length) {
            StringBuilder item = new StringBuilder();
            for (int k = 0; k < (pairs || reply.startsWith("%") ? 2 : 1) && i < lines.length; k++) {
                String l = lines[i++];
                item.append(l).append("\r\n");
                if (l.startsWith("$") && !l.equals("$-1")) {
                    item.append(lines[i++]).append("\r\n");
                }
            }
            items.add(item.toString());
        }
        items.sort(null);
        List<String> out = new ArrayList<>();
        out.add(lines[0]);
        out.addAll(items);
        return out;
    }

    /**
     * Sends one request to both and returns both replies, for replies that may differ in content
     * (random choices, times) but not in shape.
     *
     * @param args the request
     * @return {@code {redis's reply, ours}}
     * @throws IOException if a connection fails
     */
    String[] both(String... args) throws IOException {
        return new String[] {theirClient.call(args), ourClient.call(args)};
    }

    /**
     * Sends {@code theirs} to redis-server and {@code ours} to this server and returns both replies:
     * for requests that must name something each server has its own of (a client id, an address).
     *
     * @return {@code {redis's reply, ours}}
     * @throws IOException if a connection fails
     */
    String[] each(String[] theirs, String[] ours) throws IOException {
        return new String[] {theirClient.call(theirs), ourClient.call(ours)};
    }

    /** Empties both servers (FLUSHALL) and checks that both answered +OK. */
    void flush() throws IOException {
        same("FLUSHALL");
    }

    @Override
    public void close() throws IOException {
        try {
            theirClient.close();
            ourClient.close();
        } finally {
            if (redis != null) { // a session() owns only its connections
                redis.destroyForcibly();
                ours.close();
            }
        }
    }
}
