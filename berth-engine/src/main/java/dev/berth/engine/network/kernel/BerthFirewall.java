package dev.berth.engine.network.kernel;

import dev.berth.engine.network.NetworkKernel.BridgeSpec;
import dev.berth.engine.network.NetworkKernel.Subnet;
import dev.berth.oci.BerthException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * berth's own iptables and ip6tables chains, next to (never inside) anyone else's.
 *
 * <pre>
 * filter FORWARD        -j BERTH-FORWARD                      (first rule, added once)
 * filter BERTH-FORWARD  -o B -j BERTH-IN-B                    (per bridge, inserted at the top)
 *                       ...
 *                       -i B -j BERTH-OUT-B                   (per bridge, appended at the end)
 * filter BERTH-IN-B     traffic into bridge B: from B itself accepted (icc) or dropped;
 *                       replies and DNATed (published port) traffic accepted, the rest dropped,
 *                       which isolates B from every other bridge; internal: only from B itself
 * filter BERTH-OUT-B    traffic leaving B for elsewhere: accepted, or dropped when internal
 * nat POSTROUTING       -j BERTH-POSTROUTING                  (first rule, added once)
 * nat BERTH-POSTROUTING -j BERTH-NAT-B                        (per bridge)
 * nat BERTH-NAT-B       -s SUBNET ! -o B -j MASQUERADE        (unless internal or masquerade off)
 * </pre>
 *
 * Because every inbound jump sits above every outbound one, a packet from bridge A to bridge B
 * meets B's inbound chain first and is dropped there: isolation needs no list of all bridges.
 * A bridge's own chains are declared in each {@code iptables-restore --noflush} call, which
 * empties and refills them in one transaction, so setting up twice is harmless; the jumps in
 * the shared chains are added only when the dump shows them missing. Teardown deletes exactly
 * the rules that jump to the bridge's chains, then the chains, and the shared chains with their
 * jumps once no bridge's jump is left in them (the last berth network takes them along; a
 * daemon's default bridge stays when it stops, as docker0 does, and keeps them).
 */
final class BerthFirewall {
    static final String FORWARD = "BERTH-FORWARD";
    static final String POSTROUTING = "BERTH-POSTROUTING";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** A restore computed from a dump fails if the tables changed in between; that many tries. */
    private static final int ATTEMPTS = 3;
    /** One host firewall: engines in one JVM (tests) must not interleave read-modify-write. */
    private static final Object LOCK = new Object();

    enum Family {
        V4("iptables"), V6("ip6tables");

        final String tool;

        Family(String tool) {
            this.tool = tool;
        }
    }

    static String inChain(String bridge) {
        return "BERTH-IN-" + bridge;
    }

    static String outChain(String bridge) {
        return "BERTH-OUT-" + bridge;
    }

    static String natChain(String bridge) {
        return "BERTH-NAT-" + bridge;
    }

    void setUp(BridgeSpec network) {
        String b = BridgeDevice.checkName(network.bridgeName());
        synchronized (LOCK) {
            for (Family f : Family.values()) {
                List<Cidr> subnets = subnets(network, f);
                if (f == Family.V6 && subnets.isEmpty()) {
                    continue; // no IPv6 on this bridge: nothing crosses it over IPv6 but link-local
                }
                for (int attempt = 1; ; attempt++) {
                    try {
                        FirewallDump dump = ensureBase(f);
                        restore(f, setUpScript(network, b, subnets, dump), "setting up the firewall of " + b);
                        break;
                    } catch (BerthException e) {
                        // another program changed the tables between our dump and restore (e.g. another
                        // berthd's teardown of its last network removed the shared chains): read again
                        if (attempt == ATTEMPTS) {
                            throw e;
                        }
                    }
                }
            }
        }
    }

    void tearDown(String bridgeName) {
        String b = BridgeDevice.checkName(bridgeName);
        synchronized (LOCK) {
            for (Family f : Family.values()) {
                for (int attempt = 1; ; attempt++) {
                    // the last try leaves the shared chains alone: their removal is optional, the bridge's is not
                    String script = tearDownScript(b, save(f), attempt < ATTEMPTS);
                    if (script.isEmpty()) {
                        break;
                    }
                    try {
                        restore(f, script, "removing the firewall rules of " + b);
                        break;
                    } catch (BerthException e) {
                        if (attempt == ATTEMPTS) {
                            throw e;
                        }
                    }
                }
            }
        }
    }

    /** The rules for one family, as an iptables-restore --noflush script. */
    static String setUpScript(BridgeSpec network, String b, List<Cidr> subnets, FirewallDump dump) {
        StringBuilder s = new StringBuilder();
        String in = inChain(b);
        String out = outChain(b);
        s.append("*filter\n");
        s.append(':').append(in).append(" - [0:0]\n");
        s.append(':').append(out).append(" - [0:0]\n");
        s.append("-A ").append(in).append(" -i ").append(b).append(" -j ").append(network.icc() ? "ACCEPT" : "DROP").append('\n');
        if (!network.internal()) {
            s.append("-A ").append(in).append(" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n");
            s.append("-A ").append(in).append(" -m conntrack --ctstate DNAT -j ACCEPT\n");
        }
        s.append("-A ").append(in).append(" -j DROP\n");
        s.append("-A ").append(out).append(" -j ").append(network.internal() ? "DROP" : "ACCEPT").append('\n');
        if (dump.rulesJumpingTo("filter", in).isEmpty()) {
            s.append("-I ").append(FORWARD).append(" 1 -o ").append(b).append(" -j ").append(in).append('\n');
        }
        if (dump.rulesJumpingTo("filter", out).isEmpty()) {
            s.append("-A ").append(FORWARD).append(" -i ").append(b).append(" -j ").append(out).append('\n');
        }
        s.append("COMMIT\n");
        String nat = natChain(b);
        s.append("*nat\n");
        s.append(':').append(nat).append(" - [0:0]\n");
        if (network.masquerade() && !network.internal()) {
            for (Cidr subnet : subnets) {
                s.append("-A ").append(nat).append(" -s ").append(subnet.network()).append(" ! -o ").append(b)
                        .append(" -j MASQUERADE\n");
            }
        }
        if (dump.rulesJumpingTo("nat", nat).isEmpty()) {
            s.append("-A ").append(POSTROUTING).append(" -j ").append(nat).append('\n');
        }
        s.append("COMMIT\n");
        return s.toString();
    }

    /** Deletes the jumps to the bridge's chains, then the chains; empty when nothing is left. */
    static String tearDownScript(String b, FirewallDump dump) {
        return tearDownScript(b, dump, true);
    }

    /**
     * Deletes the jumps to the bridge's chains, then the chains, and, with removeIdleShared,
     * a shared chain (BERTH-FORWARD, BERTH-POSTROUTING) with the jump to it from the built-in
     * chain when no other bridge's jump is left in it: the last berth network on the host takes
     * them along. The shared chain is deleted with -X, never flushed first: if another berthd
     * put a rule into it after our dump, -X fails and with it the table's whole transaction,
     * and the next try sees the rule. Empty when nothing is left.
     */
    static String tearDownScript(String b, FirewallDump dump, boolean removeIdleShared) {
        StringBuilder s = new StringBuilder();
        List<String> filterChains = List.of(inChain(b), outChain(b));
        String filter = tableTearDown(dump, "filter", filterChains)
                + (removeIdleShared ? idleSharedTearDown(dump, "filter", FORWARD, "FORWARD", filterChains) : "");
        if (!filter.isEmpty()) {
            s.append("*filter\n").append(filter).append("COMMIT\n");
        }
        List<String> natChains = List.of(natChain(b));
        String nat = tableTearDown(dump, "nat", natChains)
                + (removeIdleShared ? idleSharedTearDown(dump, "nat", POSTROUTING, "POSTROUTING", natChains) : "");
        if (!nat.isEmpty()) {
            s.append("*nat\n").append(nat).append("COMMIT\n");
        }
        return s.toString();
    }

    /**
     * The lines that delete the shared chain when, once the bridge's chains are gone, it holds no
     * rule and only the built-in chain jumps to it (anything else referring to it is not ours to
     * delete, and would make -X fail).
     */
    private static String idleSharedTearDown(FirewallDump dump, String table, String shared, String builtIn,
                                             List<String> goingChains) {
        if (!dump.hasChain(table, shared)) {
            return "";
        }
        for (String rule : dump.rulesOf(table, shared)) {
            if (goingChains.stream().noneMatch(c -> rule.endsWith(" -j " + c))) {
                return ""; // another bridge's jump, or a rule someone else put there
            }
        }
        List<String> jumps = dump.rulesJumpingTo(table, shared);
        if (jumps.stream().anyMatch(r -> !r.startsWith("-A " + builtIn + " "))) {
            return "";
        }
        StringBuilder s = new StringBuilder();
        for (String jump : jumps) {
            s.append("-D").append(jump.substring(2)).append('\n');
        }
        s.append("-X ").append(shared).append('\n');
        return s.toString();
    }

    private static String tableTearDown(FirewallDump dump, String table, List<String> chains) {
        StringBuilder s = new StringBuilder();
        for (String chain : chains) {
            for (String rule : dump.rulesJumpingTo(table, chain)) {
                s.append("-D").append(rule.substring(2)).append('\n');
            }
        }
        for (String chain : chains) {
            if (dump.hasChain(table, chain)) {
                s.append("-F ").append(chain).append('\n');
                s.append("-X ").append(chain).append('\n');
            }
        }
        return s.toString();
    }

    private static List<Cidr> subnets(BridgeSpec network, Family f) {
        List<Cidr> out = new ArrayList<>();
        for (Subnet s : network.subnets()) {
            Cidr c = Cidr.parse(s.cidr());
            if (c.ipv4() == (f == Family.V4)) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * The shared chains and their jumps from the built-in chains, made once per host; a chain
     * is created with -N (never declared in a restore, which would empty it of other networks'
     * jumps). Returns the dump taken after.
     */
    private static FirewallDump ensureBase(Family f) {
        FirewallDump dump = save(f);
        boolean changed = false;
        for (String[] tc : new String[][] {{"filter", FORWARD, "FORWARD"}, {"nat", POSTROUTING, "POSTROUTING"}}) {
            if (!dump.hasChain(tc[0], tc[1])) {
                // another daemon may create it at the same moment: "already exists" is fine
                HostCommand.run(List.of(f.tool, "-w", "-t", tc[0], "-N", tc[1]), Map.of(), "", TIMEOUT);
                changed = true;
            }
            if (dump.rulesJumpingTo(tc[0], tc[1]).isEmpty()) {
                HostCommand.Result r = HostCommand.run(List.of(f.tool, "-w", "-t", tc[0], "-I", tc[2], "1", "-j", tc[1]),
                        Map.of(), "", TIMEOUT);
                if (!r.ok()) {
                    throw BerthException.internal(f.tool + ": adding the jump to " + tc[1] + ": " + r.stderr());
                }
                changed = true;
            }
        }
        return changed ? save(f) : dump;
    }

    static FirewallDump save(Family f) {
        HostCommand.Result r = HostCommand.run(List.of(f.tool + "-save"), Map.of(), "", TIMEOUT);
        if (!r.ok()) {
            throw BerthException.internal(f.tool + "-save: " + r.stderr());
        }
        return FirewallDump.parse(r.stdout());
    }

    private static void restore(Family f, String script, String what) {
        HostCommand.Result r = HostCommand.run(List.of(f.tool + "-restore", "-w", "--noflush"), Map.of(), script, TIMEOUT);
        if (!r.ok()) {
            throw BerthException.internal(what + ": " + f.tool + "-restore: " + r.stderr());
        }
    }
}
