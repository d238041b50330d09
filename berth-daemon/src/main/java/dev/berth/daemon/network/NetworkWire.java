package dev.berth.daemon.network;

import dev.berth.daemon.api.ApiVersion;
import dev.berth.engine.network.EndpointSettings;
import dev.berth.engine.network.Network;
import dev.berth.oci.json.Json;
import dev.berth.oci.json.JsonObjectBuilder;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A network as the API shows it: docker's Network object (GET /networks, GET /networks/{id}),
 * fields in dockerd's order. {@code EnableIPv4} exists from API 1.47 on and is left out before,
 * as dockerd 20.10 (API 1.41) writes no such field. IPAM.Config shows the pools as the network
 * record has them: Subnet, then IPRange and Gateway only when set (dockerd's omitempty).
 * IPAM.Options is null on the predefined networks and {} on user ones: dockerd keeps what the
 * create sent, and the docker CLI always sends {}.
 */
public final class NetworkWire {
    /** A container on the network: its name (without the slash) and its endpoint there. */
    public record Attached(String name, EndpointSettings endpoint) {}

    private NetworkWire() {}

    /** @param containers container id → what is attached; empty in lists, as dockerd's GET /networks */
    public static Map<String, Object> network(Network n, Map<String, Attached> containers, ApiVersion version) {
        JsonObjectBuilder b = JsonObjectBuilder.create()
                .put("Name", n.name())
                .put("Id", n.id())
                .put("Created", DateTimeFormatter.ISO_INSTANT.format(n.created()))
                .put("Scope", "local")
                .put("Driver", n.driver());
        if (version.atLeast(1, 47)) {
            b.put("EnableIPv4", n.driver().equals("bridge"));
        }
        return b.put("EnableIPv6", n.ipv6())
                .put("IPAM", ipam(n, !PREDEFINED.contains(n.name())))
                .put("Internal", n.internal())
                .put("Attachable", n.attachable())
                .put("Ingress", false)
                .put("ConfigFrom", Map.of("Network", ""))
                .put("ConfigOnly", false)
                .put("Containers", containers(containers))
                .put("Options", new TreeMap<>(n.options()))
                .put("Labels", new TreeMap<>(n.labels()))
                .build();
    }

    private static final java.util.Set<String> PREDEFINED = java.util.Set.of("bridge", "host", "none");

    private static Map<String, Object> ipam(Network n, boolean user) {
        List<Object> config = new ArrayList<>();
        for (Network.IpamPool p : n.ipam()) {
            config.add(JsonObjectBuilder.create()
                    .put("Subnet", p.subnet())
                    .omitEmpty("IPRange", p.ipRange())
                    .omitEmpty("Gateway", p.gateway())
                    .build());
        }
        return JsonObjectBuilder.create()
                .put("Driver", "default")
                .put("Options", user ? Map.of() : null)
                .put("Config", config)
                .build();
    }

    /** docker's NetworkContainer: addresses with their prefix, empty while the container has none. */
    private static Map<String, Object> containers(Map<String, Attached> containers) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Attached> e : Json.sortedByKey(containers).entrySet()) {
            EndpointSettings ep = e.getValue().endpoint();
            out.put(e.getKey(), JsonObjectBuilder.create()
                    .put("Name", e.getValue().name())
                    .put("EndpointID", ep.endpointId())
                    .put("MacAddress", ep.macAddress())
                    .put("IPv4Address", withPrefix(ep.ipv4Address(), ep.ipv4PrefixLength()))
                    .put("IPv6Address", withPrefix(ep.ipv6Address(), ep.ipv6PrefixLength()))
                    .build());
        }
        return out;
    }

    static String withPrefix(String address, int prefix) {
        return address.isEmpty() ? "" : address + "/" + prefix;
    }

    /** POST /networks/create's answer. */
    public static Map<String, Object> created(String id, String warning) {
        return JsonObjectBuilder.create().put("Id", id).put("Warning", warning).build();
    }
}
