package dev.berth.cli.container;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The create request's {@code NetworkingConfig.EndpointsConfig} from {@code --network} (any
 * number), {@code --network-alias}, {@code --ip}, {@code --ip6} and {@code --mac-address}, as
 * the docker CLI's parseNetworkOpts builds it: the single-network flags apply to the first
 * network; without --network they make the "default" endpoint, which docker 28 always sends;
 * one network without options sends no endpoint. Errors are docker run's ({@link RunException}).
 */
public final class NetworkEndpoints {
    private NetworkEndpoints() {}

    /** The single-network flags of run/create. */
    public record ContainerOptions(List<String> aliases, String ipv4, String ipv6, String mac) {
        boolean empty() {
            return aliases.isEmpty() && ipv4.isEmpty() && ipv6.isEmpty() && mac.isEmpty();
        }
    }

    /** The network mode: the first --network's target, else "default". */
    public static String mode(List<NetworkAttachment> networks) {
        return networks.isEmpty() ? "default" : networks.getFirst().target();
    }

    public static Map<String, Object> build(List<NetworkAttachment> networks, ContainerOptions options) {
        Map<String, Object> endpoints = new LinkedHashMap<>();
        if (networks.isEmpty()) {
            endpoints.put("default", endpoint(apply(NetworkAttachment.of("default"), options)));
            return endpoints;
        }
        boolean userDefined = false;
        boolean other = false;
        for (int i = 0; i < networks.size(); i++) {
            NetworkAttachment n = networks.get(i);
            if (NetworkAttachment.userDefined(n.target())) {
                userDefined = true;
            } else {
                other = true;
            }
            if (i == 0) {
                n = apply(n, options);
            }
            Map<String, Object> endpoint = endpoint(n);
            if (endpoints.containsKey(n.target())) {
                throw new RunException("network \"" + n.target() + "\" is specified multiple times");
            }
            if (i == 0 && networks.size() == 1 && isEmpty(n)) {
                continue;
            }
            endpoints.put(n.target(), endpoint);
        }
        if (userDefined && other) {
            throw new RunException("conflicting options: cannot attach both user-defined and non-user-defined network-modes");
        }
        return endpoints;
    }

    /** applyContainerOptions: the first network takes --network-alias, --ip, --ip6 and --mac-address. */
    private static NetworkAttachment apply(NetworkAttachment n, ContainerOptions o) {
        if (!n.aliases().isEmpty() && !o.aliases().isEmpty()) {
            throw new RunException("conflicting options: cannot specify both --network-alias and per-network alias");
        }
        if (!n.ipv4().isEmpty() && !o.ipv4().isEmpty()) {
            throw new RunException("conflicting options: cannot specify both --ip and per-network IPv4 address");
        }
        if (!n.ipv6().isEmpty() && !o.ipv6().isEmpty()) {
            throw new RunException("conflicting options: cannot specify both --ip6 and per-network IPv6 address");
        }
        if (!n.mac().isEmpty() && !o.mac().isEmpty()) {
            throw new RunException("conflicting options: cannot specify both --mac-address and per-network MAC address");
        }
        return new NetworkAttachment(n.target(), o.aliases().isEmpty() ? n.aliases() : o.aliases(),
                o.ipv4().isEmpty() ? n.ipv4() : o.ipv4(), o.ipv6().isEmpty() ? n.ipv6() : o.ipv6(),
                o.mac().isEmpty() ? n.mac() : o.mac(), n.linkLocalIps(), n.driverOpts(), n.gwPriority());
    }

    private static boolean isEmpty(NetworkAttachment n) {
        return n.aliases().isEmpty() && n.ipv4().isEmpty() && n.ipv6().isEmpty() && n.mac().isEmpty()
                && n.linkLocalIps().isEmpty() && n.driverOpts().isEmpty() && n.gwPriority() == 0;
    }

    /** parseNetworkAttachmentOpt: the endpoint's JSON, fields in the order of docker's EndpointSettings. */
    static Map<String, Object> endpoint(NetworkAttachment n) {
        if (n.target().strip().isEmpty()) {
            throw new RunException("no name set for network");
        }
        if (!NetworkAttachment.userDefined(n.target()) && !n.aliases().isEmpty()) {
            throw new RunException("network-scoped aliases are only supported for user-defined networks");
        }
        Map<String, Object> ipam = null;
        if (!n.ipv4().isEmpty() || !n.ipv6().isEmpty() || !n.linkLocalIps().isEmpty()) {
            ipam = new LinkedHashMap<>();
            if (!n.ipv4().isEmpty()) {
                ipam.put("IPv4Address", n.ipv4());
            }
            if (!n.ipv6().isEmpty()) {
                ipam.put("IPv6Address", n.ipv6());
            }
            if (!n.linkLocalIps().isEmpty()) {
                ipam.put("LinkLocalIPs", n.linkLocalIps());
            }
        }
        if (!n.mac().isEmpty() && !MacAddress.valid(n.mac())) {
            throw new RunException(n.mac() + " is not a valid mac address");
        }
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("IPAMConfig", ipam);
        e.put("Links", null);
        e.put("Aliases", n.aliases().isEmpty() ? null : new ArrayList<>(n.aliases()));
        e.put("MacAddress", n.mac());
        e.put("DriverOpts", n.driverOpts().isEmpty() ? null : n.driverOpts());
        e.put("GwPriority", n.gwPriority());
        e.put("NetworkID", "");
        e.put("EndpointID", "");
        e.put("Gateway", "");
        e.put("IPAddress", "");
        e.put("IPPrefixLen", 0);
        e.put("IPv6Gateway", "");
        e.put("GlobalIPv6Address", "");
        e.put("GlobalIPv6PrefixLen", 0);
        e.put("DNSNames", null);
        return e;
    }

    /** True when an endpoint asks for a MAC address (the client refuses that below API 1.44). */
    public static boolean hasMac(Map<String, Object> endpoints) {
        for (Object e : endpoints.values()) {
            if (e instanceof Map<?, ?> m && m.get("MacAddress") instanceof String s && !s.isEmpty()) {
                return true;
            }
        }
        return false;
    }
}
