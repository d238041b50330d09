package dev.berth.registry.auth;

/** Builds the {@link RegistryAuth} that {@link AuthOptions} describe. */
public final class RegistryAuths {
    private RegistryAuths() {
    }

    public static RegistryAuth create(AuthOptions options) {
        if (options.htpasswd() == null) {
            return RegistryAuth.open();
        }
        throw new UnsupportedOperationException("htpasswd authentication is not built yet");
    }
}
