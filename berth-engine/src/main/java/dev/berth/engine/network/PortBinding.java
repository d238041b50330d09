package dev.berth.engine.network;

import java.util.Objects;

/**
 * docker's PortBinding: where a container port is published on the host. In HostConfig
 * (what was asked) {@code hostPort} may be empty or a range; in NetworkSettings.Ports (what is
 * bound) it is one port. {@code hostIp} is empty for every address.
 */
public record PortBinding(String hostIp, String hostPort) {
    public PortBinding {
        hostIp = Objects.requireNonNullElse(hostIp, "");
        hostPort = Objects.requireNonNullElse(hostPort, "");
    }
}
