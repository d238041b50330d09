package dev.berth.cli.commands.network;

import dev.berth.cli.CommandFailed;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * docker network create's IPAM flags paired as the docker CLI's createIPAMConfig pairs them:
 * each --ip-range, --gateway and --aux-address goes to the --subnet that contains it, with the
 * CLI's errors ("no matching subnet for gateway x", "multiple overlapping subnet configuration is
 * not supported", …). The entries keep the order of the subnets (docker's come in a Go map's order).
 */
final class IpamConfig {
    private IpamConfig() {}

    static List<Map<String, Object>> pair(List<String> subnets, List<String> ipRanges, List<String> gateways,
            List<String> auxAddresses) {
        if (subnets.size() < ipRanges.size() || subnets.size() < gateways.size()) {
            throw new CommandFailed("every ip-range or gateway must have a corresponding subnet");
        }
        Map<String, Map<String, Object>> data = new LinkedHashMap<>();
        for (String s : subnets) {
            for (String k : data.keySet()) {
                if (matches(s, k) || matches(k, s)) {
                    throw new CommandFailed("multiple overlapping subnet configuration is not supported");
                }
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("Subnet", s);
            entry.put("AuxiliaryAddresses", new LinkedHashMap<String, Object>());
            data.put(s, entry);
        }
        for (String r : ipRanges) {
            boolean match = false;
            for (String s : subnets) {
                cidr(r, "");
                if (!matches(s, r)) {
                    continue;
                }
                Map<String, Object> entry = data.get(s);
                if (entry.containsKey("IPRange")) {
                    throw new CommandFailed("cannot configure multiple ranges (" + r + ", " + entry.get("IPRange")
                            + ") on the same subnet (" + s + ")");
                }
                entry.put("IPRange", r);
                match = true;
            }
            if (!match) {
                throw new CommandFailed("no matching subnet for range " + r);
            }
        }
        for (String g : gateways) {
            boolean match = false;
            for (String s : subnets) {
                if (!matches(s, g)) {
                    continue;
                }
                Map<String, Object> entry = data.get(s);
                if (entry.containsKey("Gateway")) {
                    throw new CommandFailed("cannot configure multiple gateways (" + g + ", " + entry.get("Gateway")
                            + ") for the same subnet (" + s + ")");
                }
                entry.put("Gateway", g);
                match = true;
            }
            if (!match) {
                throw new CommandFailed("no matching subnet for gateway " + g);
            }
        }
        for (String aux : auxAddresses) {
            int eq = aux.indexOf('=');
            String key = eq < 0 ? aux : aux.substring(0, eq);
            String address = eq < 0 ? "" : aux.substring(eq + 1);
            boolean match = false;
            for (String s : subnets) {
                if (!matches(s, address)) {
                    continue;
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> aa = (Map<String, Object>) data.get(s).get("AuxiliaryAddresses");
                aa.put(key, address);
                match = true;
            }
            if (!match) {
                throw new CommandFailed("no matching subnet for aux-address " + address);
            }
        }
        List<Map<String, Object>> config = new ArrayList<>();
        for (Map<String, Object> entry : data.values()) {
            // Go's field order with omitempty: Subnet, IPRange, Gateway, AuxiliaryAddresses
            Map<String, Object> ordered = new LinkedHashMap<>();
            ordered.put("Subnet", entry.get("Subnet"));
            if (entry.containsKey("IPRange")) {
                ordered.put("IPRange", entry.get("IPRange"));
            }
            if (entry.containsKey("Gateway")) {
                ordered.put("Gateway", entry.get("Gateway"));
            }
            if (!((Map<?, ?>) entry.get("AuxiliaryAddresses")).isEmpty()) {
                ordered.put("AuxiliaryAddresses", entry.get("AuxiliaryAddresses"));
            }
            config.add(ordered);
        }
        return config;
    }

    /** subnetMatches: whether {@code data} (an address or "ip/bits") lies in {@code subnet}. */
    private static boolean matches(String subnet, String data) {
        Cidr s = cidr(subnet, "invalid subnet: ");
        byte[] ip = data.indexOf('/') >= 0 ? cidrAddress(data) : Cidr.address(data);
        return s.contains(ip);
    }

    private static byte[] cidrAddress(String data) {
        cidr(data, "");
        return Cidr.address(data.substring(0, data.indexOf('/')));
    }

    private static Cidr cidr(String s, String prefix) {
        try {
            return Cidr.parse(s);
        } catch (IllegalArgumentException e) {
            throw new CommandFailed(prefix + e.getMessage());
        }
    }
}
