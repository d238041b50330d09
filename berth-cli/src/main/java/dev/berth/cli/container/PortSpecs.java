package dev.berth.cli.container;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * docker run's {@code -p/--publish} and {@code --expose} as the create request's
 * {@code Config.ExposedPorts} and {@code HostConfig.PortBindings}, read as the docker CLI reads
 * them (go-connections' nat.ParsePortSpecs after the CLI's long-form conversion): every form
 * ({@code 80}, {@code 8080:80}, {@code :80}, {@code 127.0.0.1:8080:80/udp}, {@code [::1]:80:80},
 * ranges {@code 8000-8001:80-81}, a host range for one port {@code 9000-9005:80},
 * {@code published=8080,target=80,protocol=udp}) and the same error words. Keys are "80/tcp";
 * the maps are sorted, as Go writes them.
 */
public final class PortSpecs {
    private static final Set<String> PROTOCOLS = Set.of("tcp", "udp", "sctp");

    /** One host side of a published port: HostIp and HostPort as the API has them ("" = any). */
    public record Binding(String hostIp, String hostPort) {
        Map<String, Object> json() {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("HostIp", hostIp);
            b.put("HostPort", hostPort);
            return b;
        }
    }

    /** The exposed ports ("80/tcp") and the bindings of the published ones, both sorted by port. */
    public record Ports(Set<String> exposed, Map<String, List<Binding>> bindings) {
        public Map<String, Object> exposedJson() {
            Map<String, Object> m = new TreeMap<>();
            exposed.forEach(p -> m.put(p, Map.of()));
            return m;
        }

        public Map<String, Object> bindingsJson() {
            Map<String, Object> m = new TreeMap<>();
            bindings.forEach((port, list) -> m.put(port, list.stream().map(Binding::json).toList()));
            return m;
        }
    }

    private PortSpecs() {}

    /**
     * Parses the flags.
     *
     * @throws RunException with docker's message ("invalid containerPort: x", "invalid proto: y", …)
     */
    public static Ports parse(List<String> publish, List<String> expose) {
        Set<String> exposed = new TreeSet<>();
        Map<String, List<Binding>> bindings = new TreeMap<>();
        for (String p : standardNotation(publish)) {
            for (Map.Entry<String, Binding> mapping : spec(p)) {
                exposed.add(mapping.getKey());
                bindings.computeIfAbsent(mapping.getKey(), k -> new ArrayList<>()).add(mapping.getValue());
            }
        }
        for (String e : expose) {
            if (e.indexOf(':') >= 0) {
                throw new RunException("invalid port format for --expose: " + e);
            }
            String[] protoPort = splitProtoPort(e);
            long[] range;
            try {
                range = portRange(protoPort[1]);
            } catch (IllegalArgumentException x) {
                throw new RunException("invalid range format for --expose: " + e + ", error: " + x.getMessage());
            }
            for (long i = range[0]; i <= range[1]; i++) {
                exposed.add(i + "/" + protoPort[0]);
            }
        }
        return new Ports(exposed, bindings);
    }

    /** The CLI's convertToStandardNotation: "published=8080,target=80,protocol=udp" → "8080:80/udp". */
    static List<String> standardNotation(List<String> publish) {
        List<String> out = new ArrayList<>();
        for (String p : publish) {
            if (p.indexOf('=') < 0) {
                out.add(p);
                continue;
            }
            Map<String, String> params = new LinkedHashMap<>();
            params.put("protocol", "tcp");
            for (String param : p.split(",", -1)) {
                int eq = param.indexOf('=');
                if (eq <= 0) {
                    throw new RunException("invalid publish opts format (should be name=value but got '" + param + "')");
                }
                params.put(param.substring(0, eq), param.substring(eq + 1));
            }
            out.add(params.getOrDefault("published", "") + ":" + params.getOrDefault("target", "") + "/"
                    + params.get("protocol"));
        }
        return out;
    }

    /** nat.ParsePortSpec: one "ip:host:container/proto" as (port, binding) pairs, one per container port. */
    static List<Map.Entry<String, Binding>> spec(String raw) {
        String[] parts = raw.split(":", -1);
        int n = parts.length;
        String containerPart = parts[n - 1];
        String hostPort = n >= 2 ? parts[n - 2] : "";
        String ip = n >= 3 ? String.join(":", java.util.Arrays.copyOfRange(parts, 0, n - 2)) : "";
        String[] protoPort = splitProtoPort(containerPart);
        String proto = protoPort[0];
        String containerPort = protoPort[1];
        if (!ip.isEmpty() && ip.charAt(0) == '[') {
            if (!ip.endsWith("]")) {
                throw new RunException("invalid IP address " + ip + ": address " + ip + ":: missing ']' in address");
            }
            ip = ip.substring(1, ip.length() - 1);
        }
        if (!ip.isEmpty() && !IpLiteral.valid(ip)) {
            throw new RunException("invalid IP address: " + ip);
        }
        if (containerPort.isEmpty()) {
            throw new RunException("no port specified: " + raw + "<empty>");
        }
        long[] container;
        try {
            container = portRange(containerPort);
        } catch (IllegalArgumentException e) {
            throw new RunException("invalid containerPort: " + containerPort);
        }
        long[] host = {0, 0};
        if (!hostPort.isEmpty()) {
            try {
                host = portRange(hostPort);
            } catch (IllegalArgumentException e) {
                throw new RunException("invalid hostPort: " + hostPort);
            }
            // a host range for one container port is the range to pick a free port from
            if (container[1] - container[0] != host[1] - host[0] && container[1] != container[0]) {
                throw new RunException("invalid ranges specified for container and host Ports: " + containerPort + " and "
                        + hostPort);
            }
        }
        if (!PROTOCOLS.contains(proto.toLowerCase(Locale.ROOT))) {
            throw new RunException("invalid proto: " + proto);
        }
        List<Map.Entry<String, Binding>> mappings = new ArrayList<>();
        for (long i = 0; i <= container[1] - container[0]; i++) {
            String h = hostPort.isEmpty() ? "" : Long.toString(host[0] + i);
            if (container[0] == container[1] && host[0] != host[1]) {
                h = h + "-" + host[1];
            }
            mappings.add(Map.entry((container[0] + i) + "/" + proto.toLowerCase(Locale.ROOT), new Binding(ip, h)));
        }
        return mappings;
    }

    /** nat.SplitProtoPort: {proto, port}; "tcp" when no protocol is named, both "" without a port. */
    static String[] splitProtoPort(String raw) {
        String[] parts = raw.split("/", -1);
        if (raw.isEmpty() || parts[0].isEmpty()) {
            return new String[] {"", ""};
        }
        if (parts.length == 1 || parts[1].isEmpty()) {
            return new String[] {"tcp", parts[0]};
        }
        return new String[] {parts[1], parts[0]};
    }

    /** nat.ParsePortRange: "80" or "80-81" as {start, end}, with strconv's words for bad numbers. */
    static long[] portRange(String ports) {
        if (ports.isEmpty()) {
            throw new IllegalArgumentException("empty string specified for ports");
        }
        if (ports.indexOf('-') < 0) {
            long p = parseUint16(ports);
            return new long[] {p, p};
        }
        String[] parts = ports.split("-", -1);
        long start = parseUint16(parts[0]);
        long end = parseUint16(parts[1]);
        if (end < start) {
            throw new IllegalArgumentException("invalid range specified for port: " + ports);
        }
        return new long[] {start, end};
    }

    /** strconv.ParseUint(s, 10, 16). */
    static long parseUint16(String s) {
        if (s.isEmpty() || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("strconv.ParseUint: parsing " + GoValues.quote(s) + ": invalid syntax");
        }
        if (s.length() > 5 || Long.parseLong(s) > 65535) {
            throw new IllegalArgumentException("strconv.ParseUint: parsing " + GoValues.quote(s) + ": value out of range");
        }
        return Long.parseLong(s);
    }
}
