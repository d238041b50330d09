package dev.berth.registry.auth;

import dev.berth.oci.BerthException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;

/**
 * Builds the {@link RegistryAuth} that {@link AuthOptions} describe: open without an htpasswd
 * file, else Basic or token mode over that file and the optional ACL (both re-read when they
 * change on disk).
 */
public final class RegistryAuths {
    /** Where the token endpoint is served when the realm URL names no path of its own. */
    public static final String DEFAULT_TOKEN_PATH = "/token";

    private RegistryAuths() {
    }

    /** @throws BerthException INVALID_ARGUMENT for a bad file, mode, realm or key, naming it */
    public static RegistryAuth create(AuthOptions options) {
        return create(options, Clock.systemUTC());
    }

    static RegistryAuth create(AuthOptions options, Clock clock) {
        if (options.htpasswd() == null) {
            if (options.acl() != null) {
                throw BerthException.invalid("an ACL file needs an htpasswd file: without users everyone may do everything");
            }
            return RegistryAuth.open();
        }
        ReloadingFile<Htpasswd> users = new ReloadingFile<>(options.htpasswd(), Htpasswd::parse);
        Permissions permissions = options.acl() == null
                ? Permissions.everyUserEverything()
                : Permissions.of(new ReloadingFile<>(options.acl(), Acl::parse)::current);
        String mode = options.mode() == null ? "basic" : options.mode();
        return switch (mode) {
            case "basic" -> new BasicAuth(options.realm() == null ? AuthOptions.none().realm() : options.realm(),
                    users::current, permissions);
            case "token" -> token(options, users, permissions, clock);
            default -> throw BerthException.invalid("unknown auth mode \"" + mode + "\" (basic or token)");
        };
    }

    private static RegistryAuth token(AuthOptions options, ReloadingFile<Htpasswd> users, Permissions permissions, Clock clock) {
        String realm = options.realm();
        URI uri;
        try {
            uri = realm == null ? null : new URI(realm);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
            throw BerthException.invalid("token mode needs the realm to be the token endpoint's URL as clients reach it,"
                    + " e.g. http://127.0.0.1:5000/token (got \"" + realm + "\")");
        }
        String path = uri.getRawPath();
        if (path == null || path.isEmpty() || path.equals("/")) {
            path = DEFAULT_TOKEN_PATH;
            realm = realm.replaceAll("/+$", "") + DEFAULT_TOKEN_PATH;
        }
        Duration ttl = options.tokenTtl() == null ? Duration.ofMinutes(5) : options.tokenTtl();
        if (ttl.toSeconds() < 60) {
            // docker's client treats anything shorter as 60 s and would use an expired token
            throw BerthException.invalid("token lifetime must be at least 60 seconds");
        }
        TokenKey key = options.tokenKey() == null ? TokenKey.generate() : TokenKey.load(options.tokenKey());
        String service = options.service() == null ? AuthOptions.none().service() : options.service();
        TokenIssuer issuer = new TokenIssuer(key, realm, service, ttl, clock);
        TokenServer server = new TokenServer(path, issuer, users::current, permissions);
        return new TokenAuth(realm, issuer, server, permissions);
    }
}
