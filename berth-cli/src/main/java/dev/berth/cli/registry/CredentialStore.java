package dev.berth.cli.registry;

/**
 * Where one registry's login is kept: config.json itself, or a {@code docker-credential-*}
 * helper (docker's {@code credentials.Store}).
 */
public sealed interface CredentialStore permits FileCredentialStore, HelperCredentialStore {
    /** The login filed under {@code key}; an empty one (a helper fills in the address) when there is none. */
    AuthConfig get(String key);

    /**
     * Keeps {@code auth} under its server address.
     *
     * @return true when a password was just written in clear into config.json (docker then warns)
     */
    boolean store(AuthConfig auth);

    /** Forgets the login filed under {@code key}. */
    void erase(String key);
}
