package dev.berth.daemon.network;

import dev.berth.engine.network.EndpointSettings;
import dev.berth.oci.BerthException;
import dev.berth.oci.json.JsonObject;
import java.net.InetAddress;
import java.util.List;

/**
 * docker's EndpointSettings as a client sends it: in NetworkingConfig.EndpointsConfig of a
 * container create and as EndpointConfig of POST /networks/{id}/connect. Only the parts a
 * client configures are read (IPAMConfig.IPv4Address/IPv6Address, Aliases); the operational
 * fields the docker CLI 28 also fills in with zero values (EndpointID, Gateway, IPAddress, ...)
 * are ignored, as dockerd ignores them, and so are Links and DriverOpts. MacAddress is
 * --mac-address (API 1.44+; older clients put it in Config.MacAddress).
 */
public final class EndpointBody {
    private EndpointBody() {}

    /** @param network the network's name or id as the client gave it (the engine resolves it) */
    public static EndpointSettings read(String network, JsonObject o) {
        String ipv4 = "";
        String ipv6 = "";
        var ipam = o.object("IPAMConfig");
        if (ipam.isPresent()) {
            ipv4 = address(ipam.get(), "IPv4Address", false);
            ipv6 = address(ipam.get(), "IPv6Address", true);
        }
        String mac = mac(o.string("MacAddress").orElse(""));
        List<String> aliases = o.strings("Aliases").stream().filter(a -> !a.isBlank()).distinct().toList();
        return EndpointSettings.requested(network, ipv4, ipv6, aliases, mac);
    }

    /**
     * --mac-address, in an endpoint (API 1.44+) or the old Config.MacAddress: six colon-separated
     * bytes, lower-cased as dockerd prints it; empty for docker's MAC derived from the address.
     */
    public static String mac(String mac) {
        String m = mac.trim();
        if (m.isEmpty()) {
            return "";
        }
        if (!m.matches("[0-9A-Fa-f]{2}([:-][0-9A-Fa-f]{2}){5}")) {
            throw BerthException.invalid("invalid MAC address " + m);
        }
        return m.replace('-', ':').toLowerCase(java.util.Locale.ROOT);
    }

    /** True when the client asked for nothing particular (the CLI 28's EndpointsConfig.default). */
    public static boolean isEmpty(EndpointSettings e) {
        return e.requestedIpv4().isEmpty() && e.requestedIpv6().isEmpty() && e.aliases().isEmpty()
                && e.requestedMac().isEmpty();
    }

    /** dockerd's words for an address that is not one: "invalid IPv4 address: x". */
    private static String address(JsonObject ipam, String key, boolean v6) {
        String a = ipam.string(key).orElse("").trim();
        if (a.isEmpty()) {
            return "";
        }
        boolean ok = v6 ? a.contains(":") && a.matches("[0-9A-Fa-f:.]+") : a.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        if (ok) {
            try {
                InetAddress.ofLiteral(a);
            } catch (IllegalArgumentException e) {
                ok = false;
            }
        }
        if (!ok) {
            throw BerthException.invalid("invalid " + (v6 ? "IPv6" : "IPv4") + " address: " + a);
        }
        return a;
    }
}
