package dev.berth.engine.network;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The kernel seam of networking: network namespaces, bridges, veths, addresses, routes, port
 * mappings and firewall rules. The real one runs the CNI plugins (DESIGN.md decision 7) and
 * keeps berth's own firewall chains; tests of the engine use a fake. Every method is idempotent
 * so that recovery after a crash can call it again.
 */
public interface NetworkKernel {

    /** Creates an empty network namespace for a container, pinned by a bind mount; returns its path. */
    Path createNetns(String containerId);

    /** Where the container's pinned namespace is (whether or not it exists). */
    Path netnsPath(String containerId);

    /** Unpins and deletes a container's namespace; nothing when it does not exist. */
    void removeNetns(String containerId);

    /** Brings up {@code lo} in a namespace (every container with its own network has it, as docker's). */
    void loopbackUp(Path netns);

    /** Makes the network's bridge and its firewall rules (masquerade, isolation, icc, internal). */
    void setUpNetwork(BridgeSpec network);

    /** Removes the bridge and its rules. */
    void tearDownNetwork(BridgeSpec network);

    /** Connects a namespace to a bridge network: veth, addresses, routes, published ports. */
    AttachResult attach(Path netns, BridgeSpec network, EndpointSpec endpoint);

    /** Undoes {@link #attach}; tolerates a namespace that is gone. */
    void detach(Path netns, BridgeSpec network, EndpointSpec endpoint);

    /** Names of the namespaces pinned now (container ids), for recovery to clean up after a crash. */
    List<String> pinnedNetns();

    /**
     * A host device's IPv4 addresses with their prefixes, primary first ({@link DeviceAddresses});
     * empty when it does not exist. The default: no device exists (fakes).
     */
    default List<String> ipv4Addresses(String device) {
        return List.of();
    }

    /**
     * A bridge network as the kernel sees it.
     *
     * @param bridgeName the Linux bridge device (at most 15 characters)
     * @param subnets CIDRs with their gateways, IPv4 first
     * @param icc containers on the bridge may talk to each other
     * @param internal no route out of the bridge
     * @param masquerade outgoing traffic is NATed to the host's address
     */
    record BridgeSpec(String networkId, String name, String bridgeName, List<Subnet> subnets, boolean icc,
                      boolean internal, boolean masquerade, int mtu) {
        public BridgeSpec {
            Objects.requireNonNull(networkId, "networkId");
            Objects.requireNonNull(bridgeName, "bridgeName");
            subnets = List.copyOf(subnets);
        }
    }

    /** A subnet (CIDR, e.g. 172.18.0.0/16) and its gateway address on the bridge (no prefix). */
    record Subnet(String cidr, String gateway) {}

    /**
     * One container's endpoint on a bridge network.
     *
     * @param ifName the interface in the namespace: eth0, eth1, ...
     * @param addresses the container's addresses with prefix (e.g. 172.18.0.2/16)
     * @param defaultRoute routes 0.0.0.0/0 (and ::/0) through this network's gateway
     * @param ports the published ports (host port already chosen, never 0)
     */
    record EndpointSpec(String containerId, String ifName, List<String> addresses, boolean defaultRoute,
                        String macAddress, List<PortMapping> ports) {
        public EndpointSpec {
            Objects.requireNonNull(containerId, "containerId");
            Objects.requireNonNull(ifName, "ifName");
            addresses = List.copyOf(addresses);
            macAddress = Objects.requireNonNullElse(macAddress, "");
            ports = List.copyOf(ports);
        }
    }

    /** A published port: {@code protocol} tcp or udp, {@code hostIp} empty for every address. */
    record PortMapping(String protocol, String hostIp, int hostPort, int containerPort) {}

    /** What an attach made: the container interface's MAC address and the host-side veth's name. */
    record AttachResult(String macAddress, String hostVeth) {}
}
