package dev.berth.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * A scripted Docker API daemon for client tests, on a unix socket or TLS: answers /_ping with
 * the headers the CLI reads, routes "METHOD /path" (version prefix included) to canned
 * replies, and records every request it saw.
 */
public final class FakeDaemon implements AutoCloseable {
    /** A request as the daemon saw it. */
    public record Seen(String method, String path, String query, Map<String, String> headers, byte[] body) {
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** A canned answer. */
    public record Reply(int status, String contentType, byte[] body) {
        public static Reply json(int status, String json) {
            return new Reply(status, "application/json", (json + "\n").getBytes(StandardCharsets.UTF_8));
        }

        public static Reply error(int status, String message) {
            return json(status, "{\"message\":\"" + message.replace("\"", "\\\"") + "\"}");
        }

        public static Reply bytes(String contentType, byte[] body) {
            return new Reply(200, contentType, body);
        }
    }

    private final Server server = new Server();
    private final Map<String, Function<Seen, Reply>> routes = new LinkedHashMap<>();
    private final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
    private volatile String apiVersion = "1.47";
    private volatile boolean pingAnswers = true;

    private FakeDaemon() {
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws IOException {
                byte[] body;
                try (InputStream in = Content.Source.asInputStream(request)) {
                    body = in.readAllBytes();
                }
                Map<String, String> headers = new LinkedHashMap<>();
                request.getHeaders().forEach(f -> headers.put(f.getName(), f.getValue()));
                String path = request.getHttpURI().getPath();
                Seen s = new Seen(request.getMethod(), path, request.getHttpURI().getQuery(), headers, body);
                seen.add(s);
                response.getHeaders().put("Api-Version", apiVersion);
                response.getHeaders().put("Ostype", "linux");
                response.getHeaders().put("Docker-Experimental", "false");
                response.getHeaders().put("Server", "FakeDaemon/1.0 (linux)");
                if (path.equals("/_ping") && pingAnswers) {
                    response.setStatus(200);
                    response.getHeaders().put("Content-Type", "text/plain; charset=utf-8");
                    Content.Sink.write(response, true, request.getMethod().equals("HEAD") ? "" : "OK", callback);
                    return true;
                }
                Function<Seen, Reply> route = routes.get(request.getMethod() + " " + path);
                Reply reply = route == null ? Reply.error(404, "page not found") : route.apply(s);
                response.setStatus(reply.status());
                if (reply.contentType() != null) {
                    response.getHeaders().put("Content-Type", reply.contentType());
                }
                response.write(true, ByteBuffer.wrap(reply.body()), callback);
                return true;
            }
        });
    }

    /** A daemon on a unix socket. */
    public static FakeDaemon unix(Path socket) throws Exception {
        FakeDaemon daemon = new FakeDaemon();
        UnixDomainServerConnector connector = new UnixDomainServerConnector(daemon.server);
        connector.setUnixDomainPath(socket);
        daemon.server.addConnector(connector);
        daemon.server.start();
        return daemon;
    }

    /** A daemon on 127.0.0.1 with TLS; the port is {@link #port()}. */
    public static FakeDaemon tls(SslContextFactory.Server ssl) throws Exception {
        FakeDaemon daemon = new FakeDaemon();
        ServerConnector connector = new ServerConnector(daemon.server,
                new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory());
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        daemon.server.addConnector(connector);
        daemon.server.start();
        return daemon;
    }

    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    public FakeDaemon apiVersion(String version) {
        this.apiVersion = version;
        return this;
    }

    /** Routes "GET /v1.47/images/json"-style keys to a reply. */
    public FakeDaemon on(String methodAndPath, Function<Seen, Reply> reply) {
        routes.put(methodAndPath, reply);
        return this;
    }

    public FakeDaemon on(String methodAndPath, Reply reply) {
        return on(methodAndPath, s -> reply);
    }

    public List<Seen> seen() {
        synchronized (seen) {
            return new ArrayList<>(seen);
        }
    }

    /** The last request to a path other than /_ping. */
    public Seen last() {
        List<Seen> all = seen();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (!all.get(i).path().equals("/_ping")) {
                return all.get(i);
            }
        }
        throw new AssertionError("no request");
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
