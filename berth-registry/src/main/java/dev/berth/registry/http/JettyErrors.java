package dev.berth.registry.http;

import dev.berth.oci.json.Json;
import dev.berth.registry.ErrorCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers before a request reaches {@link RegistryHandler} (an ambiguous path such
 * as {@code /v2/a//b/...}, a malformed header): in the spec's JSON too, not Jetty's HTML page.
 * Such a request has no endpoint yet, so its code is UNSUPPORTED whatever the status.
 */
final class JettyErrors extends ErrorHandler {
    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
            Callback callback) {
        String text = message == null || message.isEmpty() ? "bad request" : message;
        String wire = code == 413 ? ErrorCode.SIZE_TOO_LARGE.wire() : ErrorCode.UNSUPPORTED.wire();
        byte[] body = Json.write(new RegistryErrors.Problem(code, wire, text, null).body()).getBytes(StandardCharsets.UTF_8);
        response.getHeaders().put(Headers.API_VERSION, "registry/2.0");
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
