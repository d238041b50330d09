package dev.berth.image.registry.client;

import dev.berth.image.registry.RegistryCredentials;
import dev.berth.oci.BerthException;
import dev.berth.oci.json.Json;
import dev.berth.oci.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Gets a token from the realm of a Bearer challenge, as docker's client does (distribution's
 * registry/client/auth/session.go and the token spec): with an identity token, an OAuth2 POST
 * {@code grant_type=refresh_token}; otherwise a GET with {@code service}, every {@code scope},
 * and for a user {@code account} and Basic credentials ({@code offline_token=true&client_id=docker}
 * when a refresh token is wanted, as docker login asks).
 */
final class TokenFetcher {
    static final String CLIENT_ID = "docker";
    // dockerd's minimum token lifetime when the server says less or nothing
    private static final long MIN_EXPIRES_SECONDS = 60;
    /** A token answer is a small JSON document; more is not read. */
    private static final int MAX_ANSWER_BYTES = 1 << 20;

    private TokenFetcher() {
    }

    static BearerToken fetch(HttpClient http, AuthChallenge challenge, List<String> scopes,
            RegistryCredentials credentials, boolean wantRefreshToken, String userAgent, Instant now, Duration readTimeout) {
        String realm = challenge.parameter("realm")
                .orElseThrow(() -> BerthException.internal("the registry's Bearer challenge has no realm"));
        URI realmUri;
        try {
            realmUri = URI.create(realm);
        } catch (IllegalArgumentException e) {
            throw BerthException.internal("the registry's token realm is not a URL: " + realm);
        }
        if (realmUri.getScheme() == null || !realmUri.getScheme().matches("https?")) {
            throw BerthException.internal("the registry's token realm is not an http(s) URL: " + realm);
        }
        String service = challenge.parameter("service").orElse("");
        HttpRequest.Builder request;
        if (!credentials.identityToken().isEmpty()) {
            StringBuilder form = new StringBuilder();
            form.append("grant_type=refresh_token");
            param(form, "service", service);
            param(form, "client_id", CLIENT_ID);
            param(form, "scope", String.join(" ", scopes));
            param(form, "refresh_token", credentials.identityToken());
            if (wantRefreshToken) {
                param(form, "access_type", "offline");
            }
            request = HttpRequest.newBuilder(realmUri)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form.toString()));
        } else {
            StringBuilder query = new StringBuilder(realmUri.getRawQuery() == null ? "" : realmUri.getRawQuery());
            if (!service.isEmpty()) {
                param(query, "service", service);
            }
            for (String scope : scopes) {
                param(query, "scope", scope);
            }
            if (!credentials.username().isEmpty()) {
                param(query, "account", credentials.username());
            }
            if (wantRefreshToken) {
                param(query, "offline_token", "true");
                param(query, "client_id", CLIENT_ID);
            }
            String base = realm.contains("?") ? realm.substring(0, realm.indexOf('?')) : realm;
            request = HttpRequest.newBuilder(URI.create(base + (query.isEmpty() ? "" : "?" + query))).GET();
            if (!credentials.username().isEmpty() || !credentials.password().isEmpty()) {
                request.header("Authorization", basic(credentials.username(), credentials.password()));
            }
        }
        request.header("User-Agent", userAgent).timeout(Duration.ofSeconds(60));
        HttpResponse<InputStream> response;
        HttpRequest built = request.build();
        byte[] body;
        try {
            // the token server's answer may stall too: its body is read under the read timeout
            response = http.send(built, IdleTimeout.bodies(readTimeout, built.uri().getAuthority()));
            try (InputStream in = response.body()) {
                body = in.readNBytes(MAX_ANSWER_BYTES);
            }
        } catch (IOException e) {
            throw Transport.unreachable(built.method(), built.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw BerthException.internal("interrupted while fetching a registry token");
        }
        if (response.statusCode() != 200) {
            RegistryError error = ErrorBodies.toError(response.statusCode(), body);
            if (response.statusCode() == 401 || response.statusCode() == 403) {
                // docker: the token server refusing the credentials is an authentication failure
                throw new RegistryError(BerthException.Kind.UNAUTHORIZED, error.getMessage(), error.status(), error.codes());
            }
            throw error.prefixed(built.method() + " \"" + redacted(built.uri()) + "\"");
        }
        return parse(body, now);
    }

    /** {@code now} counts when the server gives no {@code issued_at} (docker's client does the same). */
    static BearerToken parse(byte[] body, Instant now) {
        Object tree = Json.parse(new String(body, StandardCharsets.UTF_8), "token response");
        if (!(tree instanceof Map<?, ?>)) {
            throw BerthException.internal("the registry's token response is not a JSON object");
        }
        JsonObject o = JsonObject.root("token response", tree);
        String token = o.string("token").filter(t -> !t.isEmpty()).or(() -> o.string("access_token")).orElse("");
        if (token.isEmpty()) {
            throw BerthException.internal("the registry's token response has no token");
        }
        long expiresIn = Math.max(MIN_EXPIRES_SECONDS, o.int64("expires_in").orElse(MIN_EXPIRES_SECONDS));
        Instant issued = o.string("issued_at").flatMap(TokenFetcher::instant).orElse(now);
        return new BearerToken(token, issued.plusSeconds(expiresIn), o.string("refresh_token").orElse(""));
    }

    private static java.util.Optional<Instant> instant(String text) {
        try {
            return java.util.Optional.of(java.time.OffsetDateTime.parse(text).toInstant());
        } catch (java.time.format.DateTimeParseException e) {
            return java.util.Optional.empty();
        }
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static void param(StringBuilder sb, String name, String value) {
        if (!sb.isEmpty()) {
            sb.append('&');
        }
        sb.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }

    /** The URL without its query, which may hold an account name: enough to say where it failed. */
    static String redacted(URI uri) {
        String s = uri.toString();
        int q = s.indexOf('?');
        return q < 0 ? s : s.substring(0, q);
    }

    static List<String> scopes(String... scopes) {
        return new ArrayList<>(List.of(scopes));
    }
}
