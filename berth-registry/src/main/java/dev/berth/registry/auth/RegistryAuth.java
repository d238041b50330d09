package dev.berth.registry.auth;

import java.util.List;
import java.util.Optional;

/**
 * Who may do what (spec.md leaves authentication to the registry; docker's clients speak Basic
 * and the token flow). The HTTP layer asks once per request, with the request's Authorization
 * header and what the endpoint needs; it sends a refusal as the spec's error body.
 */
public interface RegistryAuth {

    /** @param authorization the Authorization header, or null when the request had none */
    AuthDecision authorize(String authorization, List<Access> wanted);

    /** The token endpoint of the Bearer flow, when this registry issues its own tokens. */
    default Optional<TokenEndpoint> tokenEndpoint() {
        return Optional.empty();
    }

    /**
     * Whether {@code subject} (a {@link AuthDecision.Granted#subject()}, "" for anonymous) may do
     * {@code access} by the registry's own rules, whatever its request's token holds: for the
     * automatic mount, whose source no client can name in its token scope beforehand.
     */
    default boolean permits(String subject, Access access) {
        return false;
    }

    /** Everyone may do everything: the default, as distribution without an auth section. */
    static RegistryAuth open() {
        return new RegistryAuth() {
            @Override
            public AuthDecision authorize(String authorization, List<Access> wanted) {
                return new AuthDecision.Granted("");
            }

            @Override
            public boolean permits(String subject, Access access) {
                return true;
            }
        };
    }
}
