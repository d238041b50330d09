package dev.berth.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A scripted daemon speaking plain HTTP/1.1 on a unix socket, byte by byte, for what Jetty's
 * server makes awkward in a test: hijacked attach and exec streams (101, then raw bytes both
 * ways) next to ordinary JSON routes, on keep-alive connections, as docker run uses them.
 * A route gets the request and the connection; it writes the whole answer itself.
 */
public final class RawDaemon implements AutoCloseable {
    /** A request as read off the wire; {@code path} without the version prefix. */
    public record Request(String method, String path, String query, Map<String, String> headers, byte[] body) {
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** A route: answers on {@code out}; returns false to close the connection afterwards. */
    public interface Route {
        boolean handle(Request request, InputStream in, OutputStream out) throws IOException;
    }

    private final ServerSocketChannel server;
    private final java.net.ServerSocket tlsServer;
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final List<Request> seen = Collections.synchronizedList(new ArrayList<>());
    private final List<SocketChannel> connections = Collections.synchronizedList(new ArrayList<>());
    private final Path socket;

    private RawDaemon(Path socket) throws IOException {
        this.socket = socket;
        this.tlsServer = null;
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread.ofPlatform().daemon().name("raw-daemon").start(this::accept);
    }

    private RawDaemon(java.net.ServerSocket listening) {
        this.socket = null;
        this.server = null;
        tlsServer = listening;
        Thread.ofPlatform().daemon().name("raw-daemon-tls").start(() -> {
            while (!tlsServer.isClosed()) {
                try {
                    java.net.Socket s = tlsServer.accept();
                    Thread.ofPlatform().daemon().name("raw-daemon-conn").start(() -> {
                        try (s) {
                            serve(s.getInputStream(), s.getOutputStream());
                        } catch (IOException e) {
                            // the client went away
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    public static RawDaemon unix(Path socket) throws IOException {
        return new RawDaemon(socket);
    }

    /** A daemon on 127.0.0.1 with mutual TLS; the port is {@link #port()}. */
    public static RawDaemon tls(javax.net.ssl.SSLContext context) throws IOException {
        javax.net.ssl.SSLServerSocket listening = (javax.net.ssl.SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress());
        listening.setNeedClientAuth(true);
        return new RawDaemon(listening);
    }

    /** A daemon on 127.0.0.1 over plain TCP; the port is {@link #port()}. */
    public static RawDaemon tcp() throws IOException {
        return new RawDaemon(new java.net.ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress()));
    }

    public int port() {
        return tlsServer.getLocalPort();
    }

    public RawDaemon on(String methodAndPath, Route route) {
        routes.put(methodAndPath, route);
        return this;
    }

    /** A JSON answer with this status. */
    public RawDaemon json(String methodAndPath, int status, String json) {
        return on(methodAndPath, (r, in, out) -> {
            respond(out, status, "application/json", json.isEmpty() ? new byte[0] : (json + "\n").getBytes(StandardCharsets.UTF_8));
            return true;
        });
    }

    public List<Request> seen() {
        synchronized (seen) {
            return new ArrayList<>(seen);
        }
    }

    /** The requests' "METHOD path" in order, pings left out. */
    public List<String> conversation() {
        return seen().stream().filter(r -> !r.path().equals("/_ping")).map(r -> r.method() + " " + r.path()).toList();
    }

    public static void respond(OutputStream out, int status, String contentType, byte[] body) throws IOException {
        StringBuilder head = new StringBuilder("HTTP/1.1 " + status + " " + (status < 300 ? "OK" : "Error") + "\r\n");
        head.append("Api-Version: 1.47\r\nServer: RawDaemon\r\n");
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    /** The 101 docker sends before an attach or exec stream. */
    public static void upgrade(OutputStream out) throws IOException {
        out.write(("HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\n"
                + "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                SocketChannel c = server.accept();
                connections.add(c);
                Thread.ofPlatform().daemon().name("raw-daemon-conn").start(() -> serve(c));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(SocketChannel c) {
        try (c) {
            serve(Channels.newInputStream(c), Channels.newOutputStream(c));
        } catch (IOException e) {
            // the client went away
        }
    }

    private void serve(InputStream in, OutputStream out) throws IOException {
        {
            while (true) {
                Request r = read(in);
                if (r == null) {
                    return;
                }
                seen.add(r);
                if (r.path().equals("/_ping")) {
                    respond(out, 200, "text/plain; charset=utf-8", r.method().equals("HEAD") ? new byte[0] : "OK".getBytes());
                    continue;
                }
                Route route = routes.get(r.method() + " " + r.path());
                if (route == null) {
                    respond(out, 404, "application/json", "{\"message\":\"page not found\"}\n".getBytes());
                    continue;
                }
                if (!route.handle(r, in, out)) {
                    return;
                }
            }
        }
    }

    private static Request read(InputStream in) throws IOException {
        String line = line(in);
        if (line == null || line.isEmpty()) {
            return null;
        }
        String[] parts = line.split(" ");
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).strip().toLowerCase(Locale.ROOT), h.substring(colon + 1).strip());
        }
        byte[] body = new byte[0];
        if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int n = Integer.parseInt(line(in).strip(), 16); n > 0; n = Integer.parseInt(line(in).strip(), 16)) {
                all.write(in.readNBytes(n));
                line(in);
            }
            line(in);
            body = all.toByteArray();
        }
        String target = parts[1];
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        path = path.replaceFirst("^/v1\\.\\d+", "");
        return new Request(parts[0], path, q < 0 ? null : target.substring(q + 1), headers, body);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                b.write(c);
            }
        }
        return c < 0 && b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        if (tlsServer != null) {
            tlsServer.close();
            return;
        }
        server.close();
        synchronized (connections) {
            for (SocketChannel c : connections) {
                c.close();
            }
        }
        Files.deleteIfExists(socket);
    }
}
