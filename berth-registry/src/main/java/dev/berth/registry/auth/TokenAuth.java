package dev.berth.registry.auth;

import dev.berth.registry.ErrorCode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Token mode: every request carries {@code Authorization: Bearer <token>} from our own
 * {@link TokenServer}; without one it gets the 401 challenge that sends docker's clients there
 * ({@code Bearer realm="…",service="…",scope="repository:x:pull,push"}). Each token is checked
 * for signature, issuer, audience and lifetime, and its {@code access} claim must cover what the
 * request needs: if not, anonymous tokens get 401 (log in) and a user's token 403 DENIED, both
 * with {@code error="insufficient_scope"}.
 */
final class TokenAuth implements RegistryAuth {
    private final String realm;
    private final TokenIssuer issuer;
    private final TokenServer server;
    private final Permissions permissions;

    TokenAuth(String realm, TokenIssuer issuer, TokenServer server, Permissions permissions) {
        this.realm = realm;
        this.issuer = issuer;
        this.server = server;
        this.permissions = permissions;
    }

    @Override
    public boolean permits(String subject, Access access) {
        return permissions.permitsAll(subject, List.of(access));
    }

    @Override
    public AuthDecision authorize(String authorization, List<Access> wanted) {
        if (!BasicCredentials.isBearer(authorization)) {
            return refused(ErrorCode.UNAUTHORIZED, wanted, null);
        }
        TokenIssuer.Verified token;
        try {
            token = issuer.verifyAccess(authorization.strip().substring("Bearer ".length()).strip());
        } catch (InvalidTokenException e) {
            return refused(ErrorCode.UNAUTHORIZED, wanted, "invalid_token");
        }
        List<Access> missing = missing(token.access(), wanted);
        if (missing.isEmpty()) {
            return new AuthDecision.Granted(token.subject());
        }
        ErrorCode code = token.subject().isEmpty() ? ErrorCode.UNAUTHORIZED : ErrorCode.DENIED;
        return new AuthDecision.Refused(code, Refusals.message(code, missing),
                Challenges.bearer(realm, issuer.service(), wanted, "insufficient_scope"));
    }

    @Override
    public Optional<TokenEndpoint> tokenEndpoint() {
        return Optional.of(server);
    }

    /** Whether the granted entries, added up per resource, hold every wanted action ({@code *} holds all). */
    static boolean covers(List<Access> granted, List<Access> wanted) {
        return missing(granted, wanted).isEmpty();
    }

    /** The wanted actions the granted entries do not hold, per resource. */
    static List<Access> missing(List<Access> granted, List<Access> wanted) {
        Map<String, Set<String>> byResource = new HashMap<>();
        for (Access g : granted) {
            byResource.computeIfAbsent(g.type() + ":" + g.name(), k -> new HashSet<>()).addAll(g.actions());
        }
        List<Access> missing = new ArrayList<>();
        for (Access w : wanted) {
            Set<String> have = byResource.getOrDefault(w.type() + ":" + w.name(), Set.of());
            if (!have.contains("*")) {
                Set<String> lacking = new TreeSet<>(w.actions());
                lacking.removeAll(have);
                if (!lacking.isEmpty()) {
                    missing.add(new Access(w.type(), w.name(), lacking));
                }
            }
        }
        return missing;
    }

    private AuthDecision refused(ErrorCode code, List<Access> wanted, String error) {
        return new AuthDecision.Refused(code, Refusals.message(code, wanted), Challenges.bearer(realm, issuer.service(), wanted, error));
    }
}
