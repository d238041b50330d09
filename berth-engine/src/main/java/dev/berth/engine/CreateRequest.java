package dev.berth.engine;

import dev.berth.engine.container.ContainerConfig;
import dev.berth.engine.container.HostConfig;
import dev.berth.engine.network.EndpointSettings;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code POST /containers/create}: an optional name, the Config, the HostConfig and the
 * endpoints asked for in NetworkingConfig.EndpointsConfig (network name or id → --ip, --ip6,
 * --network-alias; the network id in them may be empty).
 */
public record CreateRequest(Optional<String> name, ContainerConfig config, HostConfig hostConfig,
                            Map<String, EndpointSettings> endpoints) {
    public CreateRequest {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(hostConfig, "hostConfig");
        name = name.filter(n -> !n.isEmpty());
        endpoints = endpoints == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(endpoints));
    }

    public CreateRequest(Optional<String> name, ContainerConfig config, HostConfig hostConfig) {
        this(name, config, hostConfig, Map.of());
    }

    public static CreateRequest of(ContainerConfig config, HostConfig hostConfig) {
        return new CreateRequest(Optional.empty(), config, hostConfig);
    }

    public CreateRequest named(String n) {
        return new CreateRequest(Optional.of(n), config, hostConfig, endpoints);
    }

    public CreateRequest withEndpoints(Map<String, EndpointSettings> e) {
        return new CreateRequest(name, config, hostConfig, e);
    }
}
