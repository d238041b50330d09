package dev.berth.daemon.container;

import dev.berth.daemon.api.ApiVersion;
import dev.berth.engine.container.Container;
import dev.berth.engine.container.Status;
import dev.berth.engine.network.EndpointSettings;
import dev.berth.engine.network.PortBinding;
import dev.berth.engine.network.PortKeys;
import dev.berth.oci.json.JsonObjectBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A container's networking as the API shows it: inspect's NetworkSettings and the list's Ports
 * and NetworkSettings, written as dockerd does. The top-level IPAddress, Gateway, MacAddress...
 * repeat the default bridge's endpoint (docker's deprecated DefaultNetworkSettings) and are
 * empty on other networks. Ports exist only while the container runs: every exposed port, with
 * its bindings or null when it is not published. Endpoints follow the API version: DNSNames from
 * 1.44, and before 1.45 the short id among a user network's Aliases, as dockerd 26+ still writes
 * for older clients (and 20.10 always did).
 */
final class ContainerNetworkWire {
    private static final Set<String> PREDEFINED = Set.of("bridge", "host", "none");

    private final ApiVersion version;
    private final Function<String, String> networkIds;
    private final Path execRoot;

    /**
     * @param version the request's API version
     * @param networkIds the id of a network by name, for the entry of a none or host container
     *     (whose endpoint the engine does not record); "" when it cannot be had
     * @param execRoot where the pinned network namespaces are ({@code netns/<id>})
     */
    ContainerNetworkWire(ApiVersion version, Function<String, String> networkIds, Path execRoot) {
        this.version = version;
        this.networkIds = networkIds;
        this.execRoot = execRoot;
    }

    /** No version, network or namespace to look at: what /system/df's rows need. */
    static ContainerNetworkWire plain() {
        return new ContainerNetworkWire(ApiVersion.MAX, name -> "", Path.of("/nonexistent"));
    }

    /** Inspect's NetworkSettings. */
    Map<String, Object> settings(Container c) {
        String sandboxKey = sandboxKey(c);
        EndpointSettings bridge = c.networks().get("bridge");
        JsonObjectBuilder b = JsonObjectBuilder.create()
                .put("Bridge", "")
                .put("SandboxID", sandboxKey.isEmpty() ? "" : c.id())
                .put("HairpinMode", false)
                .put("LinkLocalIPv6Address", "")
                .put("LinkLocalIPv6PrefixLen", 0L)
                .put("Ports", ports(c))
                .put("SandboxKey", sandboxKey)
                .put("SecondaryIPAddresses", null)
                .put("SecondaryIPv6Addresses", null)
                .put("EndpointID", bridge == null ? "" : bridge.endpointId())
                .put("Gateway", bridge == null ? "" : bridge.gateway())
                .put("GlobalIPv6Address", bridge == null ? "" : bridge.ipv6Address())
                .put("GlobalIPv6PrefixLen", bridge == null ? 0L : (long) bridge.ipv6PrefixLength())
                .put("IPAddress", bridge == null ? "" : bridge.ipv4Address())
                .put("IPPrefixLen", bridge == null ? 0L : (long) bridge.ipv4PrefixLength())
                .put("IPv6Gateway", bridge == null ? "" : bridge.ipv6Gateway())
                .put("MacAddress", bridge == null ? "" : bridge.macAddress());
        return b.put("Networks", networks(c)).build();
    }

    /** The list's NetworkSettings: only Networks. */
    Map<String, Object> listSettings(Container c) {
        return Map.of("Networks", networks(c));
    }

    /**
     * Every network the container is on, by name. A none or host container has the one entry
     * named after its mode, with no addresses, as dockerd lists it; container:&lt;x&gt; has none.
     */
    Map<String, Object> networks(Container c) {
        Map<String, Object> out = new LinkedHashMap<>();
        String mode = c.hostConfig().networkMode();
        if (c.networks().isEmpty() && (mode.equals("none") || mode.equals("host"))) {
            out.put(mode, endpoint(c, mode, EndpointSettings.requested(networkIds.apply(mode), "", "", List.of())));
            return out;
        }
        c.networks().forEach((name, e) -> out.put(name, endpoint(c, name, e)));
        return out;
    }

    /** docker's EndpointSettings, in dockerd 25+'s field order. */
    Map<String, Object> endpoint(Container c, String network, EndpointSettings e) {
        Object ipam = e.requestedIpv4().isEmpty() && e.requestedIpv6().isEmpty() ? null
                : JsonObjectBuilder.create().omitEmpty("IPv4Address", e.requestedIpv4())
                        .omitEmpty("IPv6Address", e.requestedIpv6()).build();
        List<String> aliases = new ArrayList<>(e.aliases());
        if (!version.atLeast(1, 45) && !PREDEFINED.contains(network)) {
            String shortId = c.id().substring(0, 12);
            if (!aliases.contains(shortId)) {
                aliases.add(shortId);
            }
        }
        JsonObjectBuilder b = JsonObjectBuilder.create()
                .put("IPAMConfig", ipam)
                .put("Links", null)
                .put("Aliases", aliases.isEmpty() ? null : aliases)
                .put("MacAddress", e.macAddress())
                .put("DriverOpts", null)
                .put("NetworkID", e.networkId())
                .put("EndpointID", e.endpointId())
                .put("Gateway", e.gateway())
                .put("IPAddress", e.ipv4Address())
                .put("IPPrefixLen", (long) e.ipv4PrefixLength())
                .put("IPv6Gateway", e.ipv6Gateway())
                .put("GlobalIPv6Address", e.ipv6Address())
                .put("GlobalIPv6PrefixLen", (long) e.ipv6PrefixLength());
        if (version.atLeast(1, 44)) {
            b.put("DNSNames", e.dnsNames().isEmpty() ? null : e.dnsNames());
        }
        return b.build();
    }

    private static boolean running(Container c) {
        return c.status() == Status.RUNNING || c.status() == Status.PAUSED;
    }

    /** NetworkSettings.Ports: while it runs, each exposed or published port with what is bound (null: nothing). */
    static Map<String, Object> ports(Container c) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (!running(c) && c.ports().isEmpty()) {
            return out;
        }
        Set<String> keys = new TreeSet<>(ContainerNetworkWire::byPort);
        keys.addAll(c.ports().keySet());
        if (running(c) && !c.hostConfig().networkMode().equals("host")) {
            keys.addAll(c.config().exposedPorts());
        }
        for (String key : keys) {
            List<PortBinding> bound = c.ports().get(key);
            if (bound == null || bound.isEmpty()) {
                out.put(key, null);
                continue;
            }
            List<Object> list = new ArrayList<>();
            for (PortBinding p : bound) {
                list.add(JsonObjectBuilder.create().put("HostIp", p.hostIp()).put("HostPort", p.hostPort()).build());
            }
            out.put(key, list);
        }
        return out;
    }

    /**
     * The list's Ports: one entry per binding ({@code IP} and {@code PublicPort} as bound) and one
     * without them for an exposed port that is not published, sorted by port.
     */
    static List<Object> portList(Container c) {
        List<Object> out = new ArrayList<>();
        for (Map.Entry<String, Object> e : ports(c).entrySet()) {
            int port = PortKeys.port(e.getKey());
            String proto = PortKeys.protocol(e.getKey());
            if (e.getValue() == null) {
                out.add(JsonObjectBuilder.create().put("PrivatePort", (long) port).put("Type", proto).build());
                continue;
            }
            for (PortBinding p : c.ports().get(e.getKey())) {
                JsonObjectBuilder b = JsonObjectBuilder.create().omitEmpty("IP", p.hostIp()).put("PrivatePort", (long) port);
                try {
                    b.omitEmpty("PublicPort", Long.parseLong(p.hostPort()));
                } catch (NumberFormatException notOne) {
                    // a binding is one port once bound; a range here would be a record from elsewhere
                }
                out.add(b.put("Type", proto).build());
            }
        }
        return out;
    }

    private static int byPort(String a, String b) {
        return Comparator.<String>comparingInt(PortKeys::port).thenComparing(Comparator.naturalOrder()).compare(a, b);
    }

    /**
     * The container's own pinned network namespace while it runs on a bridge or user network
     * (berth's sandbox; SandboxID is then the container's id), else "".
     */
    private String sandboxKey(Container c) {
        if (!running(c) || c.networks().isEmpty()) {
            return "";
        }
        Path ns = execRoot.resolve("netns").resolve(c.id());
        return Files.exists(ns) ? ns.toString() : "";
    }
}
