package dev.berth.cli.registry;

/** Logins kept in config.json's {@code auths}, docker's default when no helper is configured. */
public final class FileCredentialStore implements CredentialStore {
    private final DockerConfig config;

    FileCredentialStore(DockerConfig config) {
        this.config = config;
    }

    @Override
    public AuthConfig get(String key) {
        return config.auth(key).orElseGet(AuthConfig::none); // docker's file store: an empty config, no address
    }

    @Override
    public boolean store(AuthConfig auth) {
        if (!config.putAuth(auth)) {
            return false; // the same login again: docker leaves the file (and the warning) alone
        }
        config.save();
        return !auth.password().isEmpty();
    }

    @Override
    public void erase(String key) {
        config.removeAuth(key);
        config.save();
    }
}
