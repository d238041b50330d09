package dev.berth.engine.network.kernel;

import dev.berth.engine.network.NetworkKernel.BridgeSpec;
import dev.berth.engine.network.NetworkKernel.EndpointSpec;
import dev.berth.engine.network.NetworkKernel.PortMapping;
import dev.berth.engine.network.NetworkKernel.Subnet;
import dev.berth.oci.BerthException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The network configurations berth hands the CNI plugins for one endpoint: the bridge plugin
 * with the static IPAM plugin (berth owns address management, so the addresses come from the
 * endpoint) and, with published ports, the portmap plugin chained after it.
 */
final class CniConfigs {
    private CniConfigs() {}

    /**
     * The CNI network name: stable for a bridge (portmap names its per-container chains after
     * network name and container id, so ADD and DEL must agree) and valid per the spec.
     */
    static String networkName(BridgeSpec network) {
        return "berth-" + network.bridgeName();
    }

    /**
     * bridge: isGateway puts the gateway address on the bridge, ipMasq stays off (berth's own
     * chains masquerade), hairpinMode lets a container reach itself through a published port.
     */
    static Map<String, Object> bridge(BridgeSpec network, EndpointSpec endpoint) {
        Map<String, Object> c = bridgeBase(network);
        c.put("ipam", staticIpam(network, endpoint));
        if (!endpoint.macAddress().isEmpty()) {
            c.put("runtimeConfig", Map.of("mac", endpoint.macAddress()));
        }
        return c;
    }

    /**
     * The bridge configuration for DEL: the ADD's when it can still be made, else one without
     * addresses (static IPAM's DEL needs none), so that a record whose addresses were cleared
     * or no longer fit the network can still be detached.
     */
    static Map<String, Object> bridgeForDel(BridgeSpec network, EndpointSpec endpoint) {
        try {
            return bridge(network, endpoint);
        } catch (BerthException e) {
            Map<String, Object> c = bridgeBase(network);
            c.put("ipam", Map.of("type", "static"));
            return c;
        }
    }

    /**
     * Whether a bridge configuration's IPAM keeps no state of its own (static: the addresses are
     * in the configuration), so that its DEL has nothing to release.
     */
    static boolean hasStatelessIpam(Map<String, Object> bridgeConfig) {
        return bridgeConfig.get("ipam") instanceof Map<?, ?> ipam && "static".equals(ipam.get("type"));
    }

    private static Map<String, Object> bridgeBase(BridgeSpec network) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("cniVersion", CniPlugins.CNI_VERSION);
        c.put("name", networkName(network));
        c.put("type", "bridge");
        c.put("bridge", network.bridgeName());
        c.put("isGateway", true);
        c.put("isDefaultGateway", false);
        c.put("ipMasq", false);
        c.put("hairpinMode", true);
        if (network.mtu() > 0) {
            c.put("mtu", network.mtu());
        }
        return c;
    }

    /** The static IPAM section: each address with its subnet's gateway, and the default routes. */
    static Map<String, Object> staticIpam(BridgeSpec network, EndpointSpec endpoint) {
        if (endpoint.addresses().isEmpty()) {
            throw BerthException.invalid("endpoint of " + endpoint.containerId() + " on " + network.name()
                    + " has no address");
        }
        List<Object> addresses = new ArrayList<>();
        List<Object> routes = new ArrayList<>();
        boolean v4Route = false;
        boolean v6Route = false;
        for (String address : endpoint.addresses()) {
            Cidr cidr = Cidr.parse(address);
            Subnet subnet = subnetOf(network, cidr);
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("address", address);
            a.put("gateway", subnet.gateway());
            addresses.add(a);
            // an internal network has no way out, so no default route either (docker's too)
            if (endpoint.defaultRoute() && !network.internal()) {
                if (cidr.ipv4() && !v4Route) {
                    routes.add(route("0.0.0.0/0", subnet.gateway()));
                    v4Route = true;
                } else if (!cidr.ipv4() && !v6Route) {
                    routes.add(route("::/0", subnet.gateway()));
                    v6Route = true;
                }
            }
        }
        Map<String, Object> ipam = new LinkedHashMap<>();
        ipam.put("type", "static");
        ipam.put("addresses", addresses);
        if (!routes.isEmpty()) {
            ipam.put("routes", routes);
        }
        return ipam;
    }

    /** A route in field order (Map.of's order changes from run to run). */
    private static Map<String, Object> route(String dst, String gw) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("dst", dst);
        r.put("gw", gw);
        return r;
    }

    /** The subnet of the network that holds the address; its prefix must be the subnet's. */
    static Subnet subnetOf(BridgeSpec network, Cidr address) {
        for (Subnet s : network.subnets()) {
            Cidr subnet = Cidr.parse(s.cidr());
            if (subnet.contains(address.address())) {
                if (subnet.prefix() != address.prefix()) {
                    throw BerthException.invalid("address " + address + " has another prefix than its subnet "
                            + s.cidr());
                }
                return s;
            }
        }
        throw BerthException.invalid("address " + address + " is in no subnet of network " + network.name());
    }

    /** portmap: DNAT of the published ports, SNAT so that 127.0.0.1:hostPort works too. */
    static Map<String, Object> portmap(BridgeSpec network, EndpointSpec endpoint, Map<String, Object> prevResult) {
        List<Object> mappings = new ArrayList<>();
        for (PortMapping p : endpoint.ports()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("hostPort", p.hostPort());
            m.put("containerPort", p.containerPort());
            m.put("protocol", p.protocol());
            m.put("hostIP", p.hostIp() == null ? "" : p.hostIp());
            mappings.add(m);
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("cniVersion", CniPlugins.CNI_VERSION);
        c.put("name", networkName(network));
        c.put("type", "portmap");
        c.put("snat", true);
        c.put("runtimeConfig", Map.of("portMappings", mappings));
        if (prevResult != null) {
            c.put("prevResult", prevResult);
        }
        return c;
    }

    /** Checks published ports before anything is made: protocols and port ranges. */
    static void checkPorts(EndpointSpec endpoint) {
        for (PortMapping p : endpoint.ports()) {
            if (!p.protocol().equals("tcp") && !p.protocol().equals("udp") && !p.protocol().equals("sctp")) {
                throw BerthException.invalid("invalid protocol " + p.protocol() + " for port " + p.containerPort());
            }
            if (p.hostPort() < 1 || p.hostPort() > 65535 || p.containerPort() < 1 || p.containerPort() > 65535) {
                throw BerthException.invalid("invalid port mapping " + p.hostPort() + ":" + p.containerPort());
            }
            if (p.hostIp() != null && !p.hostIp().isEmpty()) {
                Cidr.literal(p.hostIp(), p.hostIp());
            }
        }
    }
}
