package dev.berth.registry.auth;

import java.util.List;
import java.util.Map;

/**
 * The Bearer flow's token server (docker's "token authentication specification"), served by
 * the registry itself at {@link #path()}: GET with Basic credentials (what {@code docker login}
 * sends) and POST of an OAuth2 form (grant_type password or refresh_token) both land in
 * {@link #issue}.
 */
public interface TokenEndpoint {
    /** Where the HTTP layer mounts it, e.g. {@code /token}; the realm in challenges points here. */
    String path();

    /** Answers one token request. */
    TokenResponse issue(TokenRequest request);

    /**
     * @param method GET or POST
     * @param authorization the Authorization header or null
     * @param params the query (GET) or form (POST) parameters: service, scope (repeatable),
     *     account, client_id, grant_type, username, password, refresh_token, offline_token
     */
    record TokenRequest(String method, String authorization, Map<String, List<String>> params) {
    }

    /** Status and JSON body ({@code {"token":…,"access_token":…,"expires_in":…,"issued_at":…}} or an error). */
    record TokenResponse(int status, String json, String wwwAuthenticateOrNull) {
    }
}
