package dev.berth.registry.http;

import dev.berth.oci.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Fields;

/**
 * One registry request and its response, for the blocking route code (handlers run on virtual
 * threads): headers, query parameters, the body as a stream, and the ways to answer. Every
 * answer is written with a known length, so keep-alive connections stay usable.
 */
public final class RegistryCall {
    private final Request request;
    private final Response response;
    private final RegistryPath path;
    private final Map<String, String> errorHeaders = new LinkedHashMap<>();
    private Fields query;

    RegistryCall(Request request, Response response, RegistryPath path) {
        this.request = request;
        this.response = response;
        this.path = path;
    }

    public String method() {
        return request.getMethod();
    }

    public boolean isHead() {
        return "HEAD".equals(request.getMethod());
    }

    public RegistryPath path() {
        return path;
    }

    public Request request() {
        return request;
    }

    public Response response() {
        return response;
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(request.getHeaders().get(name));
    }

    /** Every value of a header, split at commas (Accept may come as several lines or one list). */
    public List<String> headerValues(String name) {
        return request.getHeaders().getCSV(name, false);
    }

    public Optional<String> query(String name) {
        if (query == null) {
            query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
        }
        return Optional.ofNullable(query.getValue(name));
    }

    public List<String> queryAll(String name) {
        query(name);
        List<String> values = query.getValues(name);
        return values == null ? List.of() : values;
    }

    /** The Content-Length header, or -1 when the body is chunked or absent. */
    public long contentLength() {
        return request.getLength();
    }

    /** Whether a body follows: a positive length, or chunked transfer coding. */
    public boolean hasBody() {
        long length = request.getLength();
        return length > 0 || length < 0 && request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    }

    public InputStream body() {
        return Content.Source.asInputStream(request);
    }

    public void setHeader(String name, String value) {
        response.getHeaders().put(name, value);
    }

    public void addHeader(String name, String value) {
        response.getHeaders().add(name, value);
    }

    /**
     * A header for the error answer should the route fail next (a 416's Range and Location):
     * the error path resets the response, and keeps only these.
     */
    public void errorHeader(String name, String value) {
        errorHeaders.put(name, value);
    }

    Map<String, String> errorHeaders() {
        return errorHeaders;
    }

    /** A status with an empty body (201, 202, 204). */
    public void status(int status) throws IOException {
        response.setStatus(status);
        if (status != 204) {
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
        }
        write(ByteBuffer.allocate(0));
    }

    /** A JSON document (the spec's lists and errors). */
    public void json(int status, String contentType, Object tree) throws IOException {
        bytes(status, contentType, Json.write(tree).getBytes(StandardCharsets.UTF_8));
    }

    /** A body of bytes; for HEAD only the headers go out (Jetty drops the body). */
    public void bytes(int status, String contentType, byte[] body) throws IOException {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        write(isHead() ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body));
    }

    /** Writes the last buffer of the response and waits until it is sent (or fails). */
    void write(ByteBuffer buffer) throws IOException {
        try (Blocker.Callback done = Blocker.callback()) {
            response.write(true, buffer, done);
            done.block();
        }
    }
}
