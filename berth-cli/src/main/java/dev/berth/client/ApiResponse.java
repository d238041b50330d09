package dev.berth.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;

/** A successful response whose body is read as it arrives; close it when done. */
public final class ApiResponse implements AutoCloseable {
    private final int status;
    private final HttpFields headers;
    private final InputStream body;

    ApiResponse(int status, HttpFields headers, InputStream body) {
        this.status = status;
        this.headers = headers;
        this.body = body;
    }

    public int status() {
        return status;
    }

    /** A response header, or null. */
    public String header(String name) {
        return headers.get(name);
    }

    public InputStream body() {
        return body;
    }

    /** The whole body as text. */
    public String text() {
        try {
            return new String(body.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException ignored) {
            // the exchange is over either way
        }
    }
}
