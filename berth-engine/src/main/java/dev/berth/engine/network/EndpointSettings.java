package dev.berth.engine.network;

import java.util.List;
import java.util.Objects;

/**
 * A container's place on one network: docker's EndpointSettings, kept in the container's record
 * so that addresses survive a daemon restart (the IPAM state is rebuilt from these records).
 * Addresses are empty strings while the container has none (created, or stopped).
 *
 * @param requestedIpv4 --ip (docker's IPAMConfig.IPv4Address); empty for one from the pool
 * @param requestedIpv6 --ip6
 * @param aliases --network-alias, resolvable by the embedded DNS on user-defined networks
 * @param dnsNames the names this endpoint answers to: container name, short id, aliases
 * @param requestedMac --mac-address (docker's MacAddress in a create's EndpointsConfig); empty for
 *     docker's MAC derived from the IPv4 address
 */
public record EndpointSettings(
        String networkId,
        String endpointId,
        String requestedIpv4,
        String requestedIpv6,
        List<String> aliases,
        List<String> dnsNames,
        String ipv4Address,
        int ipv4PrefixLength,
        String gateway,
        String ipv6Address,
        int ipv6PrefixLength,
        String ipv6Gateway,
        String macAddress,
        String requestedMac) {

    public EndpointSettings {
        Objects.requireNonNull(networkId, "networkId");
        endpointId = Objects.requireNonNullElse(endpointId, "");
        requestedIpv4 = Objects.requireNonNullElse(requestedIpv4, "");
        requestedIpv6 = Objects.requireNonNullElse(requestedIpv6, "");
        aliases = List.copyOf(aliases);
        dnsNames = List.copyOf(dnsNames);
        ipv4Address = Objects.requireNonNullElse(ipv4Address, "");
        gateway = Objects.requireNonNullElse(gateway, "");
        ipv6Address = Objects.requireNonNullElse(ipv6Address, "");
        ipv6Gateway = Objects.requireNonNullElse(ipv6Gateway, "");
        macAddress = Objects.requireNonNullElse(macAddress, "");
        requestedMac = Objects.requireNonNullElse(requestedMac, "");
    }

    /** An endpoint without a chosen MAC. */
    public EndpointSettings(String networkId, String endpointId, String requestedIpv4, String requestedIpv6,
                            List<String> aliases, List<String> dnsNames, String ipv4Address, int ipv4PrefixLength,
                            String gateway, String ipv6Address, int ipv6PrefixLength, String ipv6Gateway, String macAddress) {
        this(networkId, endpointId, requestedIpv4, requestedIpv6, aliases, dnsNames, ipv4Address, ipv4PrefixLength,
                gateway, ipv6Address, ipv6PrefixLength, ipv6Gateway, macAddress, "");
    }

    /** What a create or connect asks for, before the engine has given addresses. */
    public static EndpointSettings requested(String networkId, String ipv4, String ipv6, List<String> aliases) {
        return requested(networkId, ipv4, ipv6, aliases, "");
    }

    /** The same with a chosen MAC, which a created or stopped container shows as its MacAddress, as dockerd's. */
    public static EndpointSettings requested(String networkId, String ipv4, String ipv6, List<String> aliases, String mac) {
        return new EndpointSettings(networkId, "", ipv4, ipv6, aliases, List.of(), "", 0, "", "", 0, "", mac, mac);
    }

    /** The same endpoint with the MAC its interface got. */
    public EndpointSettings withMacAddress(String mac) {
        return new EndpointSettings(networkId, endpointId, requestedIpv4, requestedIpv6, aliases, dnsNames, ipv4Address,
                ipv4PrefixLength, gateway, ipv6Address, ipv6PrefixLength, ipv6Gateway, mac, requestedMac);
    }

    public EndpointSettings withRequestedMac(String mac) {
        return new EndpointSettings(networkId, endpointId, requestedIpv4, requestedIpv6, aliases, dnsNames, ipv4Address,
                ipv4PrefixLength, gateway, ipv6Address, ipv6PrefixLength, ipv6Gateway,
                endpointId.isEmpty() ? mac : macAddress, mac);
    }
}
