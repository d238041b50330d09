package dev.berth.daemon.api;

import dev.berth.oci.BerthException;
import dev.berth.oci.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * One API request and its response: path and query parameters, the body, and the ways to answer
 * (a JSON document, a stream of JSON lines, a raw stream, or a hijacked connection).
 *
 * <p>A call of a blocking route writes and waits for each write. A call answered inline (on
 * Jetty's selector, {@link Router#getInline}) may not wait: its one answer is handed to Jetty with
 * the request's callback, which completes the exchange when the bytes are out; the body, streams
 * and hijacks, which all wait, are refused.
 */
public final class ApiCall {
    /** Request bodies parsed as JSON are small (configs, exec specs); anything larger is a mistake. */
    private static final int MAX_JSON_BODY = 16 << 20;

    private final Request request;
    private final Response response;
    private final Map<String, String> params;
    private final ApiVersion version;
    private Fields query;
    private boolean hijacked;
    /** Inline calls only: the request's callback, given to the one write of the answer. */
    private Callback inline;
    private boolean answered;

    ApiCall(Request request, Response response, Map<String, String> params, ApiVersion version) {
        this.request = request;
        this.response = response;
        this.params = params;
        this.version = version;
    }

    /** From here on the call runs inline: its answer completes {@code done} (see the class comment). */
    void runInline(Callback done) {
        this.inline = done;
    }

    private void mayWait(String what) {
        if (inline != null) {
            throw new IllegalStateException("a route answered inline cannot " + what);
        }
    }

    public String method() {
        return request.getMethod();
    }

    /** The API version of the request: its /v1.NN/ prefix, or the newest when it had none. */
    public ApiVersion version() {
        return version;
    }

    /** A path parameter of the route's template. */
    public String path(String name) {
        String value = params.get(name);
        if (value == null) {
            throw new IllegalArgumentException("route has no parameter " + name);
        }
        return value;
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(request.getHeaders().get(name));
    }

    public Optional<String> query(String name) {
        if (query == null) {
            query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
        }
        return Optional.ofNullable(query.getValue(name));
    }

    /** Every value of a repeated parameter ({@code changes=…&changes=…}). */
    public java.util.List<String> queryAll(String name) {
        query(name);
        java.util.List<String> values = query.getValues(name);
        return values == null ? java.util.List.of() : values;
    }

    /** dockerd's boolean parameters: absent, "", 0, no, false and none are false; anything else true. */
    public boolean flag(String name) {
        String v = query(name).orElse("").trim().toLowerCase(Locale.ROOT);
        return !(v.isEmpty() || v.equals("0") || v.equals("no") || v.equals("false") || v.equals("none"));
    }

    public Filters filters() {
        return Filters.parse(query("filters").orElse(null));
    }

    public InputStream body() {
        mayWait("read the request body");
        return Content.Source.asInputStream(request);
    }

    /** The body as a JSON tree; malformed or empty JSON is INVALID_ARGUMENT saying where. */
    public Object jsonBody() throws IOException {
        byte[] bytes;
        try (InputStream in = body()) {
            bytes = in.readNBytes(MAX_JSON_BODY + 1);
        }
        if (bytes.length > MAX_JSON_BODY) {
            throw BerthException.invalid("request body is larger than " + (MAX_JSON_BODY >> 20) + " MiB");
        }
        return Json.parse(new String(bytes, StandardCharsets.UTF_8), "request body");
    }

    /** Answers with one JSON document and a trailing newline, as dockerd's encoder does. */
    public void json(int status, Object tree) throws IOException {
        byte[] bytes = (Json.write(tree) + "\n").getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        write(true, ByteBuffer.wrap(bytes));
    }

    public void json(Object tree) throws IOException {
        json(200, tree);
    }

    /** Answers with a status and no body (204 No Content, 201 Created, ...). */
    public void status(int status) throws IOException {
        response.setStatus(status);
        if (status != 204 && status != 304) {
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
        }
        write(true, ByteBuffer.allocate(0));
    }

    public void text(int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        write(true, ByteBuffer.wrap(bytes)); // Jetty drops the body of a HEAD answer itself
    }

    public void header(String name, String value) {
        response.getHeaders().put(name, value);
    }

    /**
     * Starts a streamed 200 (chunked, no length): the headers go out at once so that the client
     * knows the request was accepted before the first line, as dockerd flushes them.
     */
    public JsonLines streamJson() throws IOException {
        OutputStream out = stream("application/json");
        return new JsonLines(out);
    }

    /** Starts a streamed 200 with the given content type; write, flush, and return when done. */
    public OutputStream stream(String contentType) throws IOException {
        mayWait("stream its answer");
        response.setStatus(200);
        if (contentType != null) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        }
        write(false, ByteBuffer.allocate(0));
        return Content.Sink.asOutputStream(response);
    }

    /**
     * A streamed 200 whose headers wait for the first byte: a route that may still fail before
     * it writes (an unknown name in docker save) gets its error as a proper status, not a cut stream.
     */
    public OutputStream lazyStream(String contentType) {
        return new OutputStream() {
            private OutputStream out;

            private OutputStream out() throws IOException {
                if (out == null) {
                    out = stream(contentType);
                }
                return out;
            }

            @Override
            public void write(int b) throws IOException {
                out().write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out().write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                if (out != null) {
                    out.flush();
                }
            }

            @Override
            public void close() throws IOException {
                out().close();
            }
        };
    }

    /**
     * Watches for the client hanging up during a long response; {@code onGone} runs (on Jetty's
     * selector: keep it short) when it does. Only after the request body is read; close the watch
     * before returning so that the connection can serve its next request.
     */
    public ClientWatch watchClient(Runnable onGone) {
        mayWait("watch the client");
        return new ClientWatch(request.getConnectionMetaData().getConnection().getEndPoint(), onGone);
    }

    /**
     * Takes over the connection: a 101 with dockerd's headers, then {@code session} gets the raw
     * socket on its own virtual thread. Read any request body before calling this. Refused
     * (400) when the client did not ask for {@code Connection: Upgrade} and {@code Upgrade: tcp}.
     */
    public void hijack(HijackSession session) {
        mayWait("take over the connection");
        String upgrade = request.getHeaders().get(HttpHeader.UPGRADE);
        if (upgrade == null || !request.getHeaders().contains(HttpHeader.CONNECTION, "upgrade")) {
            throw BerthException.invalid("this endpoint takes over the connection: send Connection: Upgrade and Upgrade: tcp");
        }
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        response.setStatus(101);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/vnd.docker.raw-stream");
        response.getHeaders().put(HttpHeader.CONNECTION, "Upgrade");
        response.getHeaders().put(HttpHeader.UPGRADE, "tcp");
        // Jetty's HTTP/1.1 stream hands the endpoint to this connection once the 101 is written
        request.setAttribute(HttpStream.UPGRADE_CONNECTION_ATTRIBUTE, new HijackConnection(endPoint, session));
        hijacked = true;
    }

    boolean hijacked() {
        return hijacked;
    }

    boolean committed() {
        return response.isCommitted();
    }

    /** Whether an inline call has handed its answer to Jetty (the request's callback is then Jetty's to complete). */
    boolean answered() {
        return answered;
    }

    private void write(boolean last, ByteBuffer bytes) throws IOException {
        if (inline != null) {
            if (answered || !last) {
                throw new IllegalStateException("a route answered inline writes one whole answer");
            }
            answered = true;
            response.write(true, bytes, inline);
            return;
        }
        try (Blocker.Callback done = Blocker.callback()) {
            response.write(last, bytes, done);
            done.block();
        }
    }
}
