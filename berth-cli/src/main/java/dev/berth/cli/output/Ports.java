package dev.berth.cli.output;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * docker's PORTS column ({@code formatter.DisplayablePorts}): sorted, consecutive ports of one
 * protocol and address folded into ranges ("80-81/tcp", "0.0.0.0:8080->8080/tcp"), mappings to
 * another host port after them ("0.0.0.0:9000->80/tcp").
 */
public final class Ports {
    private Ports() {}

    /** One entry of a container summary's Ports list. */
    record Port(String ip, int privatePort, int publicPort, String type) {}

    public static String display(List<Map<String, Object>> ports) {
        List<Port> list = new ArrayList<>();
        for (Map<String, Object> p : ports) {
            list.add(new Port(Fields.string(p.get("IP")), (int) Fields.number(p.get("PrivatePort")),
                    (int) Fields.number(p.get("PublicPort")), Fields.string(p.get("Type"))));
        }
        list.sort(Comparator.comparingInt(Port::privatePort).thenComparing(Port::ip)
                .thenComparingInt(Port::publicPort).thenComparing(Port::type));
        Map<String, int[]> groups = new LinkedHashMap<>();
        List<String> result = new ArrayList<>();
        List<String> mappings = new ArrayList<>();
        for (Port port : list) {
            int current = port.privatePort();
            String key = port.type();
            if (!port.ip().isEmpty()) {
                if (port.publicPort() != current) {
                    mappings.add(hostPort(port.ip(), Integer.toString(port.publicPort())) + "->" + current + "/" + port.type());
                    continue;
                }
                key = port.ip() + "/" + port.type();
            }
            int[] group = groups.get(key);
            if (group == null) {
                groups.put(key, new int[] {current, current});
            } else if (current == group[1] + 1) {
                group[1] = current;
            } else {
                result.add(group(key, group));
                group[0] = current;
                group[1] = current;
            }
        }
        groups.forEach((key, g) -> result.add(group(key, g)));
        result.addAll(mappings);
        return String.join(", ", result);
    }

    private static String group(String key, int[] range) {
        int slash = key.lastIndexOf('/');
        String ip = slash < 0 ? "" : key.substring(0, slash);
        String type = slash < 0 ? key : key.substring(slash + 1);
        String group = range[0] == range[1] ? Integer.toString(range[0]) : range[0] + "-" + range[1];
        if (!ip.isEmpty()) {
            group = hostPort(ip, group) + "->" + group;
        }
        return group + "/" + type;
    }

    private static String hostPort(String ip, String port) {
        return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + port;
    }
}
