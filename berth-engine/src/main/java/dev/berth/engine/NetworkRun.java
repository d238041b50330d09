package dev.berth.engine;

import dev.berth.engine.network.Network;
import dev.berth.engine.network.NetworkKernel;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What a run of a container holds on the networks, for its teardown: the pinned namespace, the
 * endpoints attached (with the addresses IPAM gave) and the host ports reserved. Kept in the
 * container's {@link Slot}; after a crash the record's endpoints tell the same (see
 * {@link ContainerNetworking#teardown}).
 */
final class NetworkRun {
    /** One endpoint attached: its network, as the kernel saw them, and the addresses held. */
    record Attached(Network network, NetworkKernel.BridgeSpec bridge, NetworkKernel.EndpointSpec endpoint,
                    List<BigInteger> addresses) {}

    /** Addresses held for an endpoint not attached (yet): released with the run. */
    record Reserved(Network network, List<BigInteger> addresses) {}

    /** A host port reserved for a published port. */
    record HeldPort(String protocol, String hostIp, int port) {}

    /** The container's pinned namespace; null when it has none of its own (host, none, container:). */
    final Path netns;
    final List<Attached> attached = new ArrayList<>();
    final List<Reserved> unattached = new ArrayList<>();
    /** The MAC each network's endpoint got from the plugin, by network name. */
    final Map<String, String> attachedMacs = new LinkedHashMap<>();
    /**
     * The start's endpoints being attached on another thread, null once joined: until then that
     * thread alone touches {@link #attached}, {@link #unattached} and {@link #attachedMacs}.
     */
    CompletableFuture<Void> attaching;
    final List<HeldPort> ports = new ArrayList<>();
    /** [::1] listeners for its TCP ports published on every address (the kernel path cannot serve them). */
    final List<dev.berth.engine.network.Ipv6LoopbackProxy> proxies = new ArrayList<>();

    NetworkRun(Path netns) {
        this.netns = netns;
    }

    /** The next interface name: eth0, eth1, ... (the lowest one free, as a disconnect frees one). */
    String nextInterface() {
        for (int i = 0; ; i++) {
            String name = "eth" + i;
            if (attached.stream().noneMatch(a -> a.endpoint().ifName().equals(name))) {
                return name;
            }
        }
    }
}
