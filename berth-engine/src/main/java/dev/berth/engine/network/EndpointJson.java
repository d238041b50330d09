package dev.berth.engine.network;

import dev.berth.oci.json.JsonObject;
import dev.berth.oci.json.JsonObjectBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link EndpointSettings} in docker's field names (NetworkSettings.Networks entries), for the
 * container record and for the create body's NetworkingConfig.EndpointsConfig. IPAMConfig is
 * null unless --ip or --ip6 was given, as dockerd writes it.
 */
public final class EndpointJson {
    private EndpointJson() {}

    public static Map<String, Object> write(EndpointSettings e) {
        Object ipam = e.requestedIpv4().isEmpty() && e.requestedIpv6().isEmpty() ? null
                : JsonObjectBuilder.create().omitEmpty("IPv4Address", e.requestedIpv4())
                        .omitEmpty("IPv6Address", e.requestedIpv6()).build();
        return JsonObjectBuilder.create()
                .put("IPAMConfig", ipam)
                .put("Links", null)
                .put("Aliases", e.aliases().isEmpty() ? null : e.aliases())
                .put("MacAddress", e.macAddress())
                .put("NetworkID", e.networkId())
                .put("EndpointID", e.endpointId())
                .put("Gateway", e.gateway())
                .put("IPAddress", e.ipv4Address())
                .put("IPPrefixLen", (long) e.ipv4PrefixLength())
                .put("IPv6Gateway", e.ipv6Gateway())
                .put("GlobalIPv6Address", e.ipv6Address())
                .put("GlobalIPv6PrefixLen", (long) e.ipv6PrefixLength())
                .put("DNSNames", e.dnsNames().isEmpty() ? null : e.dnsNames())
                .omitEmpty("RequestedMacAddress", e.requestedMac()) // berth's record only: the --mac-address asked for
                .build();
    }

    public static EndpointSettings read(JsonObject o) {
        JsonObject ipam = o.object("IPAMConfig").orElse(null);
        return new EndpointSettings(
                o.string("NetworkID").orElse(""),
                o.string("EndpointID").orElse(""),
                ipam == null ? "" : ipam.string("IPv4Address").orElse(""),
                ipam == null ? "" : ipam.string("IPv6Address").orElse(""),
                o.strings("Aliases"),
                o.strings("DNSNames"),
                o.string("IPAddress").orElse(""),
                o.int32("IPPrefixLen").orElse(0L).intValue(),
                o.string("Gateway").orElse(""),
                o.string("GlobalIPv6Address").orElse(""),
                o.int32("GlobalIPv6PrefixLen").orElse(0L).intValue(),
                o.string("IPv6Gateway").orElse(""),
                o.string("MacAddress").orElse(""),
                o.string("RequestedMacAddress").orElse(""));
    }

    /** Networks by name, in order. */
    public static Map<String, Object> writeAll(Map<String, EndpointSettings> networks) {
        Map<String, Object> out = new LinkedHashMap<>();
        networks.forEach((name, e) -> out.put(name, write(e)));
        return out;
    }

    /**
     * A create body's NetworkingConfig (the object holding EndpointsConfig): network name → what
     * is asked there (IPAMConfig.IPv4Address/IPv6Address, Aliases, MacAddress); the network id is left for
     * the engine to fill, unless the body named it.
     */
    public static Map<String, EndpointSettings> readEndpointsConfig(JsonObject networkingConfig) {
        Map<String, EndpointSettings> out = new LinkedHashMap<>();
        networkingConfig.objectMap("EndpointsConfig", EndpointJson::read).forEach((name, e) -> out.put(name,
                EndpointSettings.requested(e.networkId(), e.requestedIpv4(), e.requestedIpv6(), e.aliases(), e.macAddress())));
        return out;
    }
}
