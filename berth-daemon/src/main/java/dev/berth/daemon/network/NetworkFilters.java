package dev.berth.daemon.network;

import dev.berth.daemon.api.Filters;
import dev.berth.engine.network.Network;
import dev.berth.oci.BerthException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * GET /networks' filters as dockerd reads them (daemon/network/filter.go): {@code name} and
 * {@code id} are regular expressions searched in the name or id (a bad one matches nothing, as
 * in dockerd), {@code driver} is exact, {@code label} is key or key=value, {@code scope} is
 * local/swarm/global, {@code type} custom/builtin, {@code dangling} true/false (user networks
 * with no container; false also lists the predefined ones, which are never dangling).
 */
final class NetworkFilters {
    static final List<String> ACCEPTED = List.of("dangling", "driver", "id", "label", "name", "scope", "type");

    private final Filters filters;
    private final Boolean dangling;

    NetworkFilters(Filters filters) {
        this.filters = filters.validate(ACCEPTED);
        for (String t : filters.get("type")) {
            if (!t.equals("custom") && !t.equals("builtin")) {
                throw BerthException.invalid("invalid filter 'type=" + t + "'");
            }
        }
        for (String s : filters.get("scope")) {
            if (!s.equals("local") && !s.equals("swarm") && !s.equals("global")) {
                throw BerthException.invalid("invalid filter 'scope=" + s + "'");
            }
        }
        Boolean d = null;
        for (String v : filters.get("dangling")) {
            d = switch (v.toLowerCase(Locale.ROOT)) {
                case "true", "1" -> true;
                case "false", "0" -> false;
                default -> throw BerthException.invalid("invalid value for filter 'dangling', must be \"true\" (or \"1\"),"
                        + " or \"false\" (or \"0\")");
            };
        }
        this.dangling = d;
    }

    /** Whether the list needs to know which networks have containers. */
    boolean needsUse() {
        return dangling != null;
    }

    /** @param inUse the network has at least one container attached */
    boolean matches(Network n, boolean inUse) {
        boolean predefined = NetworkCreateBody.PREDEFINED.contains(n.name());
        if (!searches("name", n.name()) || !searches("id", n.id())) {
            return false;
        }
        if (!filters.matchesAny("driver", n.driver()) || !filters.matchesAny("scope", "local")
                || !filters.matchesLabels("label", n.labels())) {
            return false;
        }
        if (!filters.matchesAny("type", predefined ? "builtin" : "custom")) {
            return false;
        }
        if (dangling != null) {
            boolean isDangling = !predefined && !inUse;
            return dangling == isDangling;
        }
        return true;
    }

    /** dockerd's filters.Match: the value itself, or a regular expression found in it. */
    private boolean searches(String key, String value) {
        if (!filters.has(key)) {
            return true;
        }
        for (String want : filters.get(key)) {
            if (want.equals(value)) {
                return true;
            }
            try {
                if (Pattern.compile(want).matcher(value).find()) {
                    return true;
                }
            } catch (PatternSyntaxException e) {
                // dockerd skips a term that is no regular expression
            }
        }
        return false;
    }
}
