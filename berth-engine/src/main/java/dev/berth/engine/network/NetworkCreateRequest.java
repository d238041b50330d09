package dev.berth.engine.network;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * POST /networks/create as the engine takes it: docker's NetworkCreateRequest. An empty
 * {@code ipam} list asks the engine to pick a free subnet (as docker's default address pools).
 */
public record NetworkCreateRequest(
        String name,
        String driver,
        boolean internal,
        boolean attachable,
        boolean ipv6,
        List<Network.IpamPool> ipam,
        Map<String, String> options,
        Map<String, String> labels) {

    public NetworkCreateRequest {
        Objects.requireNonNull(name, "name");
        driver = driver == null || driver.isEmpty() ? "bridge" : driver;
        ipam = List.copyOf(ipam);
        options = Map.copyOf(options);
        labels = Map.copyOf(labels);
    }
}
