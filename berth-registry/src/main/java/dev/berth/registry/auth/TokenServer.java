package dev.berth.registry.auth;

import dev.berth.oci.json.Json;
import dev.berth.registry.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The registry's own token endpoint (docker's token authentication spec and its OAuth2 variant):
 *
 * <ul>
 *   <li>{@code GET ?service=&scope=…&account=&client_id=&offline_token=} with Basic credentials
 *       or none (anonymous): what {@code docker login}, {@code docker pull} and skopeo send.
 *       {@code offline_token=true} with credentials adds a {@code refresh_token}.
 *   <li>{@code POST} form, {@code grant_type=password} (username, password; {@code
 *       access_type=offline} adds a refresh token) or {@code grant_type=refresh_token}: what
 *       dockerd sends once it holds an identity token.
 * </ul>
 *
 * The token grants the asked scopes cut down to what the ACL allows the subject (nothing for
 * a scope it may not touch), as the spec says: the registry then refuses what is missing.
 * Wrong credentials are 401 with the registry's error body, one message whether or not the user
 * exists; malformed requests are 400 with an RFC 6749 error body.
 */
final class TokenServer implements TokenEndpoint {
    private static final String BAD_CREDENTIALS = "incorrect username or password";

    private final String path;
    private final TokenIssuer issuer;
    private final Supplier<Htpasswd> users;
    private final Permissions permissions;

    TokenServer(String path, TokenIssuer issuer, Supplier<Htpasswd> users, Permissions permissions) {
        this.path = path;
        this.issuer = issuer;
        this.users = users;
        this.permissions = permissions;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public TokenResponse issue(TokenRequest request) {
        Map<String, List<String>> p = request.params() == null ? Map.of() : request.params();
        String service = first(p, "service");
        if (service != null && !service.equals(issuer.service())) {
            return badRequest("invalid_request", "this token server serves " + issuer.service() + ", not " + service);
        }
        List<Access> asked;
        try {
            asked = Scopes.parse(p.getOrDefault("scope", List.of()));
        } catch (IllegalArgumentException e) {
            return badRequest("invalid_scope", e.getMessage());
        }
        return switch (request.method()) {
            case "GET" -> get(request.authorization(), p, asked);
            case "POST" -> post(p, asked);
            default -> new TokenResponse(405, oauthError("invalid_request", "use GET or POST"), null);
        };
    }

    private TokenResponse get(String authorization, Map<String, List<String>> p, List<Access> asked) {
        String subject = "";
        if (!BasicCredentials.isAnonymous(authorization)) {
            var creds = BasicCredentials.fromHeader(authorization);
            if (creds.isEmpty() || !users.get().verify(creds.get().user(), creds.get().password())) {
                return unauthorized(BAD_CREDENTIALS);
            }
            subject = creds.get().user();
            String account = first(p, "account");
            if (account != null && !account.isEmpty() && !account.equals(subject)) {
                return badRequest("invalid_request", "account " + account + " is not the authenticated user");
            }
        }
        boolean offline = "true".equalsIgnoreCase(first(p, "offline_token")) && !subject.isEmpty();
        return answer(subject, asked, offline, false);
    }

    private TokenResponse post(Map<String, List<String>> p, List<Access> asked) {
        String grant = first(p, "grant_type");
        if ("password".equals(grant)) {
            String user = first(p, "username");
            String password = first(p, "password");
            if (user == null || user.isEmpty() || password == null
                    || !users.get().verify(user, password.getBytes(StandardCharsets.UTF_8))) {
                return unauthorized(BAD_CREDENTIALS);
            }
            return answer(user, asked, "offline".equals(first(p, "access_type")), true);
        }
        if ("refresh_token".equals(grant)) {
            String token = first(p, "refresh_token");
            if (token == null) {
                return badRequest("invalid_request", "refresh_token missing");
            }
            TokenIssuer.Refresh refresh;
            try {
                refresh = issuer.verifyRefresh(token);
            } catch (InvalidTokenException e) {
                return unauthorized("invalid refresh token: " + e.getMessage());
            }
            String now = users.get().fingerprint(refresh.subject());
            if (now.isEmpty() || !MessageDigest.isEqual(now.getBytes(StandardCharsets.US_ASCII),
                    refresh.passwordFingerprint().getBytes(StandardCharsets.US_ASCII))) {
                return unauthorized("invalid refresh token: the user or the password changed");
            }
            return answer(refresh.subject(), asked, false, true);
        }
        return badRequest("unsupported_grant_type", "grant_type must be password or refresh_token");
    }

    private TokenResponse answer(String subject, List<Access> asked, boolean withRefresh, boolean oauth) {
        List<Access> granted = new ArrayList<>();
        for (Access a : asked) {
            Access g = permissions.grant(subject, a);
            if (!g.actions().isEmpty()) {
                granted.add(g);
            }
        }
        TokenIssuer.Issued issued = issuer.issueAccess(subject, granted);
        Map<String, Object> body = new LinkedHashMap<>();
        if (!oauth) {
            body.put("token", issued.token());
        }
        body.put("access_token", issued.token());
        if (oauth) {
            body.put("token_type", "Bearer");
        }
        body.put("expires_in", issued.expiresInSeconds());
        body.put("issued_at", issued.issuedAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        if (oauth) {
            body.put("scope", granted.stream().map(Access::scope).collect(Collectors.joining(" ")));
        }
        if (withRefresh) {
            body.put("refresh_token", issuer.issueRefresh(subject, users.get().fingerprint(subject)));
        }
        return new TokenResponse(200, Json.write(body), null);
    }

    private TokenResponse unauthorized(String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", ErrorCode.UNAUTHORIZED.wire());
        error.put("message", message);
        error.put("detail", null);
        return new TokenResponse(401, Json.write(Map.of("errors", List.of(error))),
                Challenges.basic(issuer.service()));
    }

    private static TokenResponse badRequest(String error, String description) {
        return new TokenResponse(400, oauthError(error, description), null);
    }

    private static String oauthError(String error, String description) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", description);
        return Json.write(body);
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
