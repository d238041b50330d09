package dev.berth.engine.network.kernel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code iptables-save} printed, by table: the chains that exist and the rules as
 * {@code -A CHAIN ...} lines (iptables-save writes each rule in its canonical form).
 */
final class FirewallDump {
    private final Map<String, Set<String>> chains = new HashMap<>();
    private final Map<String, List<String>> rules = new HashMap<>();

    static FirewallDump parse(String text) {
        FirewallDump d = new FirewallDump();
        String table = null;
        for (String line : text.split("\n")) {
            if (line.startsWith("*")) {
                table = line.substring(1).strip();
                d.chains.computeIfAbsent(table, t -> new LinkedHashSet<>());
                d.rules.computeIfAbsent(table, t -> new ArrayList<>());
            } else if (table != null && line.startsWith(":")) {
                int space = line.indexOf(' ');
                d.chains.get(table).add(space < 0 ? line.substring(1) : line.substring(1, space));
            } else if (table != null && line.startsWith("-A ")) {
                d.rules.get(table).add(line.strip());
            }
        }
        return d;
    }

    boolean hasChain(String table, String chain) {
        return chains.getOrDefault(table, Set.of()).contains(chain);
    }

    boolean hasChainStartingWith(String table, String prefix) {
        return chains.getOrDefault(table, Set.of()).stream().anyMatch(c -> c.startsWith(prefix));
    }

    /** The rules of a table that jump to target ("-j target" at the end or before more options). */
    List<String> rulesJumpingTo(String table, String target) {
        List<String> out = new ArrayList<>();
        for (String r : rules.getOrDefault(table, List.of())) {
            if (r.endsWith(" -j " + target) || r.contains(" -j " + target + " ")) {
                out.add(r);
            }
        }
        return out;
    }

    /** The rules of one chain, in order. */
    List<String> rulesOf(String table, String chain) {
        List<String> out = new ArrayList<>();
        for (String r : rules.getOrDefault(table, List.of())) {
            if (r.startsWith("-A " + chain + " ")) {
                out.add(r);
            }
        }
        return out;
    }
}
