package dev.berth.engine.network;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One network's record, as persisted under {@code <data-root>/networks/}: docker's network
 * object. The predefined ones are {@code bridge} (the default bridge), {@code host} and
 * {@code none}; user-defined ones use the {@code bridge} driver.
 *
 * @param driver {@code bridge}, {@code host} or {@code null} (docker's names)
 * @param ipam the address pools: an IPv4 one always for a bridge, an IPv6 one with {@code ipv6}
 * @param options docker's driver options ({@code com.docker.network.bridge.name}, {@code ...enable_icc}, ...)
 */
public record Network(
        String id,
        String name,
        String driver,
        Instant created,
        boolean internal,
        boolean attachable,
        boolean ipv6,
        List<IpamPool> ipam,
        Map<String, String> options,
        Map<String, String> labels) {

    public Network {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(created, "created");
        ipam = List.copyOf(ipam);
        options = Map.copyOf(options);
        labels = Map.copyOf(labels);
    }

    /** An address pool: docker's IPAM.Config entry; {@code ipRange} and {@code gateway} may be empty. */
    public record IpamPool(String subnet, String ipRange, String gateway) {
        public IpamPool {
            Objects.requireNonNull(subnet, "subnet");
            ipRange = Objects.requireNonNullElse(ipRange, "");
            gateway = Objects.requireNonNullElse(gateway, "");
        }
    }
}
