package dev.berth.engine;

import dev.berth.engine.container.ContainerConfig;
import dev.berth.engine.container.HostConfig;
import java.util.Objects;
import java.util.Optional;

/** {@code POST /containers/create}: an optional name, the Config and the HostConfig. */
public record CreateRequest(Optional<String> name, ContainerConfig config, HostConfig hostConfig) {
    public CreateRequest {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(hostConfig, "hostConfig");
        name = name.filter(n -> !n.isEmpty());
    }

    public static CreateRequest of(ContainerConfig config, HostConfig hostConfig) {
        return new CreateRequest(Optional.empty(), config, hostConfig);
    }

    public CreateRequest named(String n) {
        return new CreateRequest(Optional.of(n), config, hostConfig);
    }
}
