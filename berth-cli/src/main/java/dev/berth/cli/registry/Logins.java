package dev.berth.cli.registry;

import dev.berth.cli.Cli;
import dev.berth.cli.output.ImageName;
import java.nio.file.Path;

/** The logins of the user running berth, as the commands that talk to registries through the daemon need them. */
public final class Logins {
    private Logins() {}

    /** The config directory: --config, DOCKER_CONFIG, or ~/.docker. */
    public static Path configDir(Cli cli) {
        return DockerConfig.directory(cli.options().configDir, cli.env);
    }

    public static DockerConfig config(Cli cli) {
        return DockerConfig.load(configDir(cli)).searchPath(cli.env.get("PATH"));
    }

    /**
     * The X-Registry-Auth value for an image's registry (docker's {@code ResolveAuthConfig} then
     * {@code EncodeAuthConfig}): the stored login, or {@code e30=} (an empty object) when there is
     * none or it cannot be read, as docker ignores those errors too.
     */
    public static String headerFor(Cli cli, ImageName image) {
        String key = RegistryAddress.keyFor(image);
        try {
            return config(cli).storeFor(key).get(key).encode();
        } catch (RuntimeException e) {
            return AuthConfig.none().encode();
        }
    }
}
