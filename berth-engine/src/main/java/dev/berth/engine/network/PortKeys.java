package dev.berth.engine.network;

import dev.berth.oci.BerthException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * docker's port keys ("80/tcp", "53/udp"; a bare "80" is tcp) and the checks dockerd makes on
 * ExposedPorts and PortBindings, in its words ("invalid port specification: \"x\"").
 */
public final class PortKeys {
    private PortKeys() {}

    /** "80" → "80/tcp"; "8000-8001/udp" stays a range. INVALID_ARGUMENT for a bad port or protocol. */
    public static String normalize(String key) {
        String k = key.trim();
        int slash = k.indexOf('/');
        String port = slash < 0 ? k : k.substring(0, slash);
        String proto = slash < 0 ? "tcp" : k.substring(slash + 1).toLowerCase(java.util.Locale.ROOT);
        if (proto.isEmpty()) {
            proto = "tcp";
        }
        if (!proto.equals("tcp") && !proto.equals("udp") && !proto.equals("sctp")) {
            throw BerthException.invalid("invalid proto: " + proto);
        }
        int[] range = range(port);
        if (range[0] == 0) {
            throw BerthException.invalid("invalid port specification: \"" + port + "\"");
        }
        return port + "/" + proto;
    }

    /** The port of a key ("80/tcp" → 80); the first of a range. */
    public static int port(String key) {
        return range(key.substring(0, key.indexOf('/')))[0];
    }

    public static String protocol(String key) {
        return key.substring(key.indexOf('/') + 1);
    }

    /** A port or a range "a-b" as [first, last]; an empty string is [0, 0]. INVALID_ARGUMENT otherwise. */
    public static int[] range(String s) {
        if (s.isEmpty()) {
            return new int[] {0, 0};
        }
        int dash = s.indexOf('-');
        try {
            int first = Integer.parseInt(dash < 0 ? s : s.substring(0, dash));
            int last = dash < 0 ? first : Integer.parseInt(s.substring(dash + 1));
            if (first < 0 || last > 65535 || last < first || !s.matches("[0-9]+(-[0-9]+)?")) {
                throw new NumberFormatException(s);
            }
            return new int[] {first, last};
        } catch (NumberFormatException e) {
            throw BerthException.invalid("invalid port specification: \"" + s + "\"");
        }
    }

    /** ExposedPorts normalized and sorted (by port, then protocol). */
    public static Set<String> checkExposed(Set<String> keys) {
        Set<String> out = new TreeSet<>(PortKeys::compare);
        for (String k : keys) {
            out.add(normalize(k));
        }
        return Collections.unmodifiableSet(out);
    }

    /** PortBindings normalized and sorted; the host ports must be empty, a port or a range. */
    public static Map<String, List<PortBinding>> checkBindings(Map<String, List<PortBinding>> bindings) {
        Map<String, List<PortBinding>> out = new TreeMap<>(PortKeys::compare);
        if (bindings == null) {
            return Collections.unmodifiableMap(out);
        }
        for (Map.Entry<String, List<PortBinding>> e : bindings.entrySet()) {
            String key = normalize(e.getKey());
            List<PortBinding> list = new ArrayList<>(out.getOrDefault(key, List.of()));
            for (PortBinding b : e.getValue() == null ? List.<PortBinding>of() : e.getValue()) {
                range(b.hostPort());
                list.add(b);
            }
            out.put(key, List.copyOf(list));
        }
        return Collections.unmodifiableMap(out);
    }

    /** By port number, then by the whole key (protocol, range). */
    public static int compare(String a, String b) {
        int c = Integer.compare(port(a), port(b));
        return c != 0 ? c : a.compareTo(b);
    }
}
