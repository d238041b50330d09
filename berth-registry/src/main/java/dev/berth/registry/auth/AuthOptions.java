package dev.berth.registry.auth;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How {@code berth registry serve} was asked to authenticate; {@link RegistryAuths#create}
 * turns it into a {@link RegistryAuth}.
 *
 * @param htpasswd users and bcrypt hashes (htpasswd -B format), or null for no authentication
 * @param mode "basic" (Basic on every request) or "token" (Bearer tokens from our own token
 *     endpoint, signed with a key made at start-up or read from {@code tokenKey})
 * @param realm the external URL of the token endpoint (token mode) or the Basic realm name
 * @param service the service name in challenges and tokens
 * @param acl a file of per-repository permissions, or null: every authenticated user may do
 *     everything, anonymous users nothing
 * @param tokenKey a PEM private key to sign tokens with, or null for a fresh one per start
 * @param tokenTtl how long a token lives
 */
public record AuthOptions(Path htpasswd, String mode, String realm, String service, Path acl, Path tokenKey,
        Duration tokenTtl) {
    public static AuthOptions none() {
        return new AuthOptions(null, "basic", "berth registry", "berth-registry", null, null, Duration.ofMinutes(5));
    }
}
