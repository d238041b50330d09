package dev.berth.registry.auth;

import dev.berth.registry.ErrorCode;
import java.util.List;
import java.util.function.Supplier;

/**
 * Basic mode, as distribution's htpasswd auth: every request carries the user's name and
 * password, checked against the htpasswd file, unless the ACL lets anonymous requests do what
 * this one needs. Wrong or missing credentials are 401 with {@code Basic realm="…"}; a known
 * user without the permission is 403 DENIED.
 */
final class BasicAuth implements RegistryAuth {
    private final String realm;
    private final Supplier<Htpasswd> users;
    private final Permissions permissions;

    BasicAuth(String realm, Supplier<Htpasswd> users, Permissions permissions) {
        this.realm = realm;
        this.users = users;
        this.permissions = permissions;
    }

    @Override
    public boolean permits(String subject, Access access) {
        return permissions.permitsAll(subject, List.of(access));
    }

    @Override
    public AuthDecision authorize(String authorization, List<Access> wanted) {
        if (BasicCredentials.isAnonymous(authorization)) {
            // GET /v2/ (nothing wanted) stays 401 so that clients learn to send credentials
            if (!wanted.isEmpty() && permissions.permitsAll("", wanted)) {
                return new AuthDecision.Granted("");
            }
            return unauthorized(wanted);
        }
        var creds = BasicCredentials.fromHeader(authorization);
        if (creds.isEmpty() || !users.get().verify(creds.get().user(), creds.get().password())) {
            return unauthorized(wanted);
        }
        String user = creds.get().user();
        List<Access> missing = permissions.missing(user, wanted);
        if (!missing.isEmpty()) {
            return new AuthDecision.Refused(ErrorCode.DENIED, Refusals.message(ErrorCode.DENIED, missing), null);
        }
        return new AuthDecision.Granted(user);
    }

    private AuthDecision unauthorized(List<Access> wanted) {
        return new AuthDecision.Refused(ErrorCode.UNAUTHORIZED, Refusals.message(ErrorCode.UNAUTHORIZED, wanted),
                Challenges.basic(realm));
    }
}
