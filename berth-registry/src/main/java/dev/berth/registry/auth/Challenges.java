package dev.berth.registry.auth;

import java.util.List;
import java.util.stream.Collectors;

/** The WWW-Authenticate values the registry and its token endpoint send (RFC 7235, RFC 6750). */
final class Challenges {
    private Challenges() {
    }

    static String basic(String realm) {
        return "Basic realm=" + quote(realm);
    }

    /**
     * {@code Bearer realm="…",service="…",scope="repository:x:pull,push"} with the scopes the
     * request needs, space-separated as distribution sends them, and an RFC 6750 error when a
     * token was presented ({@code invalid_token}, {@code insufficient_scope}), else null.
     */
    static String bearer(String realm, String service, List<Access> wanted, String errorOrNull) {
        StringBuilder b = new StringBuilder("Bearer realm=").append(quote(realm)).append(",service=").append(quote(service));
        if (!wanted.isEmpty()) {
            b.append(",scope=").append(quote(wanted.stream().map(Access::scope).collect(Collectors.joining(" "))));
        }
        if (errorOrNull != null) {
            b.append(",error=").append(quote(errorOrNull));
        }
        return b.toString();
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
