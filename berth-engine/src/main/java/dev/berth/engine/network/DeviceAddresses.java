package dev.berth.engine.network;

import java.util.List;

/**
 * The IPv4 addresses of a host device, each with its prefix length ({@code 10.77.0.1/16}), in the
 * kernel's order (the primary first, as {@code ip addr} lists them); empty when the device does
 * not exist or has none. The registry asks it once, at start, for an existing default bridge
 * device whose network it has no record of: that network takes the device's address, as
 * dockerd's does with an existing docker0, instead of a pool (and a second address on it).
 */
@FunctionalInterface
public interface DeviceAddresses {
    /** No device exists (tests of the pure parts; an engine without a kernel). */
    DeviceAddresses NONE = device -> List.of();

    List<String> ipv4(String device);
}
