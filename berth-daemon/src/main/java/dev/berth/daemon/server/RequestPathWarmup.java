package dev.berth.daemon.server;

import dev.berth.daemon.api.ApiVersion;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Sends berthd's own socket, right after it starts listening, what a docker CLI sends most:
 * a new connection, {@code HEAD /_ping}, {@code GET /images/json}, now and then
 * {@code GET /version}; a few hundred times, from one background thread.
 *
 * <p>Why: berthd runs C1 alone, which compiles a method after ~200 calls and interprets it
 * until then. A request crosses some thousand methods of Jetty and berth, so the first ~1,000
 * CLI calls after a start took 1.2x the time dockerd (Go, compiled ahead of time) takes, and
 * reached parity only once that path was compiled (bench/README.md, issue 3). The warm-up does
 * that work at start instead of during the user's first commands. It changes nothing (read-only
 * routes, no events) and stops at the first error (a daemon shutting down).
 */
final class RequestPathWarmup implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(RequestPathWarmup.class);
    /** How many connections; bin/berthd sets it, tests and embedders get none by default. */
    static final String PROPERTY = "berth.warmup";
    /**
     * bin/berthd's class-data training run: the daemon stops itself (SIGTERM, the operator's
     * path) once the warm-up is over, so the JVM's archive of loaded classes holds what a started
     * daemon that served the CLI's commonest calls loaded, and nothing a longer life added.
     */
    static final String EXIT_AFTER = "berth.exitAfterWarmup";

    private final Path socket;
    private final int connections;
    private final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
    private int completed;

    RequestPathWarmup(Path socket, int connections) {
        this.socket = socket;
        this.connections = connections;
    }

    /** Starts the warm-up on {@code socket} when {@value #PROPERTY} asks for it. */
    static void startIfConfigured(Path socket) {
        int connections = Integer.getInteger(PROPERTY, 0);
        if (connections > 0) {
            Thread t = new Thread(new RequestPathWarmup(socket, connections), "berthd-warmup");
            t.setDaemon(true);
            t.start();
        }
    }

    @Override
    public void run() {
        String prefix = "/v" + ApiVersion.MAX;
        long start = System.nanoTime();
        try {
            for (int i = 0; i < connections; i++) {
                try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    ch.connect(UnixDomainSocketAddress.of(socket));
                    exchange(ch, "HEAD", "/_ping");
                    exchange(ch, "GET", prefix + "/images/json");
                    if (i % 4 == 0) {
                        exchange(ch, "GET", prefix + "/version");
                    }
                }
                completed++;
            }
            LOG.debug("request path warmed up with {} connections in {} ms", connections, (System.nanoTime() - start) / 1_000_000);
        } catch (IOException | RuntimeException e) {
            LOG.debug("request path warm-up stopped: {}", e.toString());
        } finally {
            if (Boolean.getBoolean(EXIT_AFTER)) {
                Signal.raise(new Signal("TERM"));
            }
        }
    }

    /** Connections that went through all their requests (for tests). */
    int completed() {
        return completed;
    }

    /** One request; reads the answer's headers and its Content-Length of body (a HEAD answer has none). */
    private void exchange(SocketChannel ch, String method, String path) throws IOException {
        ByteBuffer out = ByteBuffer.wrap((method + " " + path + " HTTP/1.1\r\nHost: api.moby.localhost\r\n"
                + "User-Agent: berthd-warmup\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        while (out.hasRemaining()) {
            ch.write(out);
        }
        in.clear();
        int headerEnd;
        while ((headerEnd = headerEnd()) < 0) {
            fill(ch);
        }
        String head = new String(in.array(), 0, headerEnd, StandardCharsets.ISO_8859_1);
        if (!head.startsWith("HTTP/1.1 200")) {
            throw new IOException("warm-up " + method + " " + path + ": " + head.lines().findFirst().orElse(""));
        }
        long body = method.equals("HEAD") ? 0 : contentLength(head);
        while (in.position() - headerEnd < body) {
            fill(ch);
        }
    }

    private void fill(SocketChannel ch) throws IOException {
        if (!in.hasRemaining()) {
            throw new IOException("warm-up answer larger than " + in.capacity() + " bytes");
        }
        if (ch.read(in) < 0) {
            throw new IOException("warm-up connection closed early");
        }
    }

    /** The offset just past the blank line ending the headers, or -1. */
    private int headerEnd() {
        byte[] a = in.array();
        for (int i = 3; i < in.position(); i++) {
            if (a[i - 3] == '\r' && a[i - 2] == '\n' && a[i - 1] == '\r' && a[i] == '\n') {
                return i + 1;
            }
        }
        return -1;
    }

    private static long contentLength(String head) throws IOException {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
                return Long.parseLong(line.substring(colon + 1).trim());
            }
        }
        throw new IOException("warm-up answer without Content-Length");
    }
}
