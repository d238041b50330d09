package dev.berth.client;

import dev.berth.oci.json.Json;
import dev.berth.oci.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamRequestContent;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.ProxyAuthenticationProtocolHandler;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.WWWAuthenticationProtocolHandler;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Transport;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A Docker Engine API client over Jetty's HttpClient: one per CLI run. The API version is
 * negotiated on first use with {@code HEAD /_ping}, as the docker CLI does (the lower of the
 * daemon's Api-Version and {@link ApiVersion#CLIENT_MAX}), unless DOCKER_API_VERSION fixes it.
 * Error statuses become {@link DaemonException}s with the daemon's message; an unreachable
 * daemon is a {@link ConnectException}.
 */
public final class ApiClient implements AutoCloseable {
    private static final String USER_AGENT = "Berth-Client/0.1.0 (linux)";

    private final DaemonHost host;
    private final TlsSettings tls;
    private final HttpClient http;
    private final Transport transport;
    private final String base;
    private String version;
    private Ping ping;

    /** The daemon's answer to /_ping. */
    public record Ping(String apiVersion, String osType, boolean experimental, String server) {}

    private ApiClient(DaemonHost host, TlsSettings tls, String fixedVersion) {
        this.host = host;
        this.tls = tls;
        this.version = fixedVersion;
        this.base = host.baseUri(tls != null);
        this.transport = host.isUnix() ? new Transport.TCPUnix(host.socket()) : Transport.TCP_IP;
        ClientConnector connector = new ClientConnector();
        connector.setSelectors(1);
        if (tls != null) {
            connector.setSslContextFactory(sslContext(tls));
        }
        QueuedThreadPool threads = new QueuedThreadPool(8, 1);
        threads.setName("berth-client");
        threads.setDaemon(true);
        connector.setExecutor(threads);
        this.http = new HttpClient(new HttpClientTransportOverHTTP(connector));
        http.setExecutor(threads);
        http.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, USER_AGENT));
        http.setFollowRedirects(false);
        http.setIdleTimeout(0); // a load or save may be quiet for a long time
        http.setConnectTimeout(30_000);
        try {
            http.start();
        } catch (Exception e) {
            throw new IllegalStateException("could not start the HTTP client: " + e.getMessage(), e);
        }
        // a 401 is the daemon's answer to show (a refused login, a registry refusing a pull), not a
        // challenge for this client: Jetty's handlers (installed by start) would turn one without
        // WWW-Authenticate into an exception
        http.getProtocolHandlers().remove(WWWAuthenticationProtocolHandler.NAME);
        http.getProtocolHandlers().remove(ProxyAuthenticationProtocolHandler.NAME);
    }

    /**
     * A client for the daemon; no connection is made yet.
     *
     * @param tls           null for plain HTTP
     * @param fixedVersion  an API version to use without negotiating (DOCKER_API_VERSION), or null
     */
    public static ApiClient create(DaemonHost host, TlsSettings tls, String fixedVersion) {
        return new ApiClient(host, tls, fixedVersion == null || fixedVersion.isBlank() ? null : fixedVersion.strip());
    }

    public DaemonHost host() {
        return host;
    }

    /** The API version requests use, negotiating it first if needed. */
    public String apiVersion() {
        if (version == null) {
            version = ApiVersion.negotiate(ping().apiVersion());
        }
        return version;
    }

    /** {@code HEAD /_ping} (then GET if HEAD is refused), once per client. */
    public Ping ping() {
        if (ping == null) {
            Response response;
            try (Exchange head = exchange("HEAD", "/_ping", null, null, null, null, Map.of())) {
                response = head.response;
            }
            if (response.getStatus() >= 400 && response.getStatus() != 500) {
                // some proxies refuse HEAD; the docker CLI then asks with GET
                try (Exchange get = exchange("GET", "/_ping", null, null, null, null, Map.of())) {
                    response = get.response;
                }
            }
            var h = response.getHeaders();
            ping = new Ping(h.get("Api-Version"), h.get("Ostype"), "true".equals(h.get("Docker-Experimental")),
                    h.get("Server"));
        }
        return ping;
    }

    /** GET, returning the parsed JSON body. */
    public Object getJson(String path, Query query) {
        return json("GET", path, query);
    }

    /** POST without a body, returning the parsed JSON body (null when empty). */
    public Object postJson(String path, Query query) {
        return json("POST", path, query);
    }

    /** DELETE, returning the parsed JSON body (null when empty). */
    public Object deleteJson(String path, Query query) {
        return json("DELETE", path, query);
    }

    /** POST with a JSON body, returning the parsed JSON answer (null when empty). */
    public Object postJson(String path, Query query, Object body) {
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        try (ApiResponse response = send("POST", path, query, "application/json", bytes, null)) {
            return parse(response.text());
        }
    }

    private Object json(String method, String path, Query query) {
        try (ApiResponse response = send(method, path, query, null, null, null)) {
            return parse(response.text());
        }
    }

    private static Object parse(String text) {
        return text.isBlank() ? null : Json.parse(text, "daemon response");
    }

    /**
     * A request whose response body is streamed; the body to send, if any, is {@code bytes} or
     * {@code stream} (sent chunked, as read).
     */
    public ApiResponse send(String method, String path, Query query, String contentType, byte[] bytes,
            InputStream stream) {
        return send(method, path, query, contentType, bytes, stream, Map.of());
    }

    /**
     * {@link #send(String, String, Query, String, byte[], InputStream)} with extra request headers
     * (X-Registry-Auth on pull and push).
     */
    public ApiResponse send(String method, String path, Query query, String contentType, byte[] bytes,
            InputStream stream, Map<String, String> headers) {
        Exchange exchange = exchange(method, "/v" + apiVersion() + path, query, contentType, bytes, stream, headers);
        int status = exchange.response.getStatus();
        if (status >= 400) {
            String body;
            try (exchange) {
                body = new String(exchange.body.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                body = "";
            }
            throw error(status, exchange.response.getHeaders().get(HttpHeader.CONTENT_TYPE), body, method, path);
        }
        return new ApiResponse(status, exchange.response.getHeaders(), exchange.body);
    }

    /**
     * POST with {@code Connection: Upgrade}: the daemon's answer becomes a raw full-duplex stream
     * (attach, exec start). Error statuses throw as {@link #send} does.
     */
    public HijackedStream hijack(String path, Query query, String contentType, byte[] body) {
        String full = "/v" + apiVersion() + path + (query == null || query.isEmpty() ? "" : "?" + query.encode());
        return new HijackClient(host, tls, USER_AGENT).open(full, contentType, body,
                (status, text, p) -> error(status, null, text, "POST", path));
    }

    private DaemonException error(int status, String contentType, String body, String method, String path) {
        String trimmed = body.strip();
        if (trimmed.isEmpty()) {
            return new DaemonException(status, "request returned " + statusText(status) + " for API route and version "
                    + base + "/v" + version + path + ", check if the server supports the requested API version");
        }
        if (trimmed.startsWith("{")) {
            try {
                String message = JsonObject.root("error", Json.parse(trimmed)).string("message").orElse(null);
                if (message != null) {
                    return new DaemonException(status, message);
                }
            } catch (RuntimeException notJson) {
                // fall through: print the body as it is, as docker does
            }
        }
        return new DaemonException(status, trimmed);
    }

    private static String statusText(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 503 -> "Service Unavailable";
            default -> "status " + status;
        };
    }

    /** One request in flight: its response head and the body as it arrives. */
    private static final class Exchange implements AutoCloseable {
        final Response response;
        final InputStream body;

        Exchange(Response response, InputStream body) {
            this.response = response;
            this.body = body;
        }

        @Override
        public void close() {
            try {
                body.close();
            } catch (IOException ignored) {
                // nothing more to read
            }
        }
    }

    private Exchange exchange(String method, String path, Query query, String contentType, byte[] bytes,
            InputStream stream, Map<String, String> headers) {
        String uri = base + path + (query == null || query.isEmpty() ? "" : "?" + query.encode());
        Request request = http.newRequest(uri).method(method).transport(transport).idleTimeout(0, TimeUnit.MILLISECONDS);
        headers.forEach((name, value) -> request.headers(h -> h.put(name, value)));
        if (bytes != null) {
            request.body(new BytesRequestContent(contentType, bytes));
        } else if (stream != null) {
            request.body(new InputStreamRequestContent(contentType, stream, new ByteBufferPool.Sized(null, false, 1 << 20)));
        } else if (method.equals("POST")) {
            // the docker CLI sends an explicit empty body on POSTs without one
            request.headers(h -> h.put(HttpHeader.CONTENT_LENGTH, "0"));
        }
        InputStreamResponseListener listener = new InputStreamResponseListener();
        request.send(listener);
        try {
            Response response = listener.get(365, TimeUnit.DAYS);
            return new Exchange(response, listener.getInputStream());
        } catch (ExecutionException e) {
            throw connectError(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("interrupted", e);
        } catch (TimeoutException e) {
            throw new ConnectException("the daemon did not answer", e);
        }
    }

    private ConnectException connectError(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof SSLException || cause instanceof SSLException) {
            return new ConnectException("error during connect: " + base + ": tls: " + root.getMessage(), cause);
        }
        if (root instanceof java.net.ConnectException || root instanceof NoSuchFileException
                || root instanceof SocketException || root instanceof UnresolvedAddressException
                || root instanceof java.nio.channels.ClosedChannelException) {
            return new ConnectException("Cannot connect to the berth daemon at " + host.text()
                    + ". Is the berth daemon running?", cause);
        }
        return new ConnectException("error during connect: " + root, cause);
    }

    private static SslContextFactory.Client sslContext(TlsSettings tls) {
        SslContextFactory.Client ssl = new SslContextFactory.Client();
        if (tls.verify()) {
            ssl.setTrustStore(PemFiles.trustStore(tls.caCert()));
        } else {
            ssl.setTrustAll(true);
            ssl.setEndpointIdentificationAlgorithm(null);
        }
        if (tls.hasClientCert() || tls.verify()) {
            ssl.setKeyStore(PemFiles.keyStore(tls.cert(), tls.key()));
            ssl.setKeyStorePassword(new String(PemFiles.STORE_PASSWORD));
        }
        return ssl;
    }

    @Override
    public void close() {
        try {
            http.stop();
        } catch (Exception ignored) {
            // the process is about to exit
        }
    }
}
