package dev.berth.cli.container;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One {@code --network} value as the docker CLI's NetworkOpt reads it: a name, or the long form
 * {@code name=n1,alias=a,ip=10.0.0.5,ip6=…,mac-address=…,link-local-ip=…,driver-opt=k=v,gw-priority=1}
 * (CSV fields, keys and values lower-cased as docker does). A bad value is refused as pflag
 * refuses one: {@code invalid argument "x" for "--network" flag: invalid field key x}.
 */
public record NetworkAttachment(String target, List<String> aliases, String ipv4, String ipv6, String mac,
        List<String> linkLocalIps, Map<String, String> driverOpts, int gwPriority) {
    // unanchored, as Go's regexp.MatchString: any "k=v" inside makes it the long form
    private static final Pattern LONG_SYNTAX = Pattern.compile("\\w+=\\w+(,\\w+=\\w+)*");

    public NetworkAttachment {
        aliases = List.copyOf(aliases);
        linkLocalIps = List.copyOf(linkLocalIps);
        driverOpts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(driverOpts));
    }

    static NetworkAttachment of(String target) {
        return new NetworkAttachment(target, List.of(), "", "", "", List.of(), Map.of(), 0);
    }

    /** @throws FlagValueException in pflag's words */
    public static NetworkAttachment parse(String value) {
        if (!LONG_SYNTAX.matcher(value).find()) {
            return of(value);
        }
        String target = "";
        List<String> aliases = new ArrayList<>();
        String ipv4 = "";
        String ipv6 = "";
        String mac = "";
        List<String> linkLocal = new ArrayList<>();
        Map<String, String> driverOpts = new LinkedHashMap<>();
        int gwPriority = 0;
        for (String field : csvFields(value)) {
            String lower = field.toLowerCase(Locale.ROOT);
            int eq = lower.indexOf('=');
            if (eq <= 0) {
                throw error(value, "invalid field " + field);
            }
            String key = lower.substring(0, eq).strip();
            String val = lower.substring(eq + 1).strip();
            switch (key) {
                case "name" -> target = val;
                case "alias" -> aliases.add(val);
                case "ip" -> ipv4 = val;
                case "ip6" -> ipv6 = val;
                case "mac-address" -> mac = val;
                case "link-local-ip" -> linkLocal.add(val);
                case "driver-opt" -> {
                    int e = val.indexOf('=');
                    if (e <= 0) {
                        throw error(value, "invalid key value pair format in driver options");
                    }
                    driverOpts.put(val.substring(0, e).strip(), val.substring(e + 1).strip());
                }
                case "gw-priority" -> {
                    try {
                        gwPriority = (int) GoValues.parseInt(val);
                    } catch (IllegalArgumentException x) {
                        String why = x.getMessage().endsWith("value out of range") ? "value out of range" : "invalid syntax";
                        throw error(value, "invalid gw-priority (" + val + "): " + why);
                    }
                }
                default -> throw error(value, "invalid field key " + key);
            }
        }
        if (target.isEmpty()) {
            throw error(value, "network name/id is not specified");
        }
        return new NetworkAttachment(target, aliases, ipv4, ipv6, mac, linkLocal, driverOpts, gwPriority);
    }

    private static FlagValueException error(String value, String reason) {
        return new FlagValueException("--network", value, reason);
    }

    /** One CSV record (Go's encoding/csv, comma-separated, double quotes around a field with commas). */
    static List<String> csvFields(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"' && field.isEmpty()) {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }

    /** Neither default, bridge, host, none nor container:…: a network the user made. */
    static boolean userDefined(String mode) {
        return !mode.equals("default") && !mode.equals("bridge") && !mode.equals("host") && !mode.equals("none")
                && !mode.startsWith("container:");
    }
}
