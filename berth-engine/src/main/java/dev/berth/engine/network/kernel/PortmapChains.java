package dev.berth.engine.network.kernel;

import dev.berth.engine.network.kernel.BerthFirewall.Family;
import dev.berth.oci.BerthException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The CNI portmap plugin's base chains in the nat table, {@code CNI-HOSTPORT-DNAT},
 * {@code CNI-HOSTPORT-SETMARK} and {@code CNI-HOSTPORT-MASQ}, with the jumps to them from
 * PREROUTING, OUTPUT and POSTROUTING.
 *
 * <p>portmap makes them at its first ADD and never removes them: its DEL removes only the
 * container's own {@code CNI-DN-*} chain and the jump to it. berthd leaves them too. They are
 * not berth's: every CNI user on the host (podman's CNI backend, containerd, a kubelet) shares
 * them, and portmap's ADD checks that they exist and then adds to them in separate iptables
 * calls, so removing them between two of another user's calls would fail its ADD; no daemon
 * can know that no other one is in the middle of an ADD.
 *
 * <p>A test run can know: it made them, and once its daemons are gone nothing of it publishes a
 * port. {@link #removeIdle} is for that moment. It removes them only when idle: DNAT holds no
 * rule, no {@code CNI-DN-*} chain exists (an ADD in progress makes its chain before the jump to
 * it), SETMARK and MASQ hold only portmap's own marking and masquerading rules, and nothing but
 * the built-in chains jumps to any of them. DNAT is deleted with {@code -X} and no flush, in the
 * same transaction as the rest, so a rule added after the dump makes the whole removal fail.
 */
public final class PortmapChains {
    static final String DNAT = "CNI-HOSTPORT-DNAT";
    static final String SETMARK = "CNI-HOSTPORT-SETMARK";
    static final String MASQ = "CNI-HOSTPORT-MASQ";
    private static final List<String> BUILT_IN = List.of("PREROUTING", "OUTPUT", "POSTROUTING");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private PortmapChains() {}

    /** The tools ({@code iptables}, {@code ip6tables}) whose nat table has portmap's DNAT chain now. */
    public static Set<String> presentIn() {
        Set<String> tools = new LinkedHashSet<>();
        for (Family f : Family.values()) {
            if (BerthFirewall.save(f).hasChain("nat", DNAT)) {
                tools.add(f.tool);
            }
        }
        return tools;
    }

    /**
     * Removes the chains and their jumps where they are idle (see the class comment), in the
     * tables of the given tools only; returns the tools it removed them from.
     */
    public static Set<String> removeIdle(Set<String> tools) {
        Set<String> removed = new LinkedHashSet<>();
        for (Family f : Family.values()) {
            if (!tools.contains(f.tool)) {
                continue;
            }
            String script = removalScript(BerthFirewall.save(f));
            if (script.isEmpty()) {
                continue;
            }
            HostCommand.Result r = HostCommand.run(List.of(f.tool + "-restore", "-w", "--noflush"), Map.of(), script, TIMEOUT);
            if (!r.ok()) {
                throw BerthException.internal("removing portmap's chains: " + f.tool + "-restore: " + r.stderr());
            }
            removed.add(f.tool);
        }
        return removed;
    }

    /** The iptables-restore script that removes idle base chains; empty when absent or in use. */
    static String removalScript(FirewallDump dump) {
        List<String> chains = List.of(DNAT, SETMARK, MASQ).stream().filter(c -> dump.hasChain("nat", c)).toList();
        if (chains.isEmpty() || !isIdle(dump, chains)) {
            return "";
        }
        StringBuilder s = new StringBuilder("*nat\n");
        for (String chain : chains) {
            for (String jump : dump.rulesJumpingTo("nat", chain)) {
                s.append("-D").append(jump.substring(2)).append('\n');
            }
        }
        for (String chain : List.of(SETMARK, MASQ)) {
            if (chains.contains(chain)) {
                s.append("-F ").append(chain).append('\n'); // portmap's own rule, made again at its next ADD
            }
        }
        for (String chain : chains) {
            s.append("-X ").append(chain).append('\n');
        }
        return s.append("COMMIT\n").toString();
    }

    private static boolean isIdle(FirewallDump dump, List<String> chains) {
        if (!dump.rulesOf("nat", DNAT).isEmpty() || dump.hasChainStartingWith("nat", "CNI-DN-")) {
            return false;
        }
        if (!dump.rulesOf("nat", SETMARK).stream().allMatch(r -> r.contains(" -j MARK --set-xmark "))
                || !dump.rulesOf("nat", MASQ).stream().allMatch(r -> r.endsWith(" -j MASQUERADE"))) {
            return false;
        }
        for (String chain : chains) {
            for (String jump : dump.rulesJumpingTo("nat", chain)) {
                if (BUILT_IN.stream().noneMatch(b -> jump.startsWith("-A " + b + " "))) {
                    return false;
                }
            }
        }
        return true;
    }
}
