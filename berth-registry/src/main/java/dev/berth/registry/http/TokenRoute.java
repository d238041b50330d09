package dev.berth.registry.http;

import dev.berth.registry.auth.TokenEndpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Fields;

/**
 * The token endpoint of the Bearer flow, mounted at {@link TokenEndpoint#path()}: a GET with
 * query parameters (docker login) or a POST of an OAuth2 form (containerd, newer docker), handed
 * to the endpoint as one {@link TokenEndpoint.TokenRequest}; its answer goes back as it is.
 */
final class TokenRoute {
    /** A token request's form is a handful of short fields. */
    private static final int MAX_FORM_BYTES = 64 * 1024;

    private TokenRoute() {}

    static void serve(Request request, Response response, TokenEndpoint endpoint) throws IOException {
        Map<String, List<String>> params = new LinkedHashMap<>();
        collect(Request.extractQueryParameters(request, StandardCharsets.UTF_8), params);
        if ("POST".equals(request.getMethod())) {
            collect(FormFields.getFields(request, 64, MAX_FORM_BYTES), params);
        }
        TokenEndpoint.TokenResponse answer = endpoint.issue(new TokenEndpoint.TokenRequest(
                request.getMethod(), request.getHeaders().get(HttpHeader.AUTHORIZATION), params));
        byte[] body = answer.json().getBytes(StandardCharsets.UTF_8);
        response.setStatus(answer.status());
        if (answer.wwwAuthenticateOrNull() != null) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, answer.wwwAuthenticateOrNull());
        }
        // tokens are secrets: never kept by a cache on the way
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        try (Blocker.Callback done = Blocker.callback()) {
            response.write(true, ByteBuffer.wrap(body), done);
            done.block();
        }
    }

    private static void collect(Fields fields, Map<String, List<String>> into) {
        for (Fields.Field field : fields) {
            into.computeIfAbsent(field.getName(), k -> new java.util.ArrayList<>()).addAll(field.getValues());
        }
    }
}
