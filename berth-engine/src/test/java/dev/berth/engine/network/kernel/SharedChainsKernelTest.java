package dev.berth.engine.network.kernel;

import static dev.berth.engine.network.kernel.KernelTestNetworks.bridge;
import static dev.berth.engine.network.kernel.KernelTestNetworks.bridgeName;
import static dev.berth.engine.network.kernel.KernelTestNetworks.firewallLinesMentioning;
import static dev.berth.engine.network.kernel.KernelTestNetworks.subnetPrefix;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.engine.network.NetworkKernel.BridgeSpec;
import dev.berth.engine.network.kernel.BerthFirewall.Family;
import dev.berth.oci.BerthException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * berth's shared chains (BERTH-FORWARD, BERTH-POSTROUTING) on the real iptables, as root: the
 * last network's teardown removes them, and a removal computed from a dump that another daemon
 * has since outdated (it put its bridge's jump in) fails as a whole and leaves everything, which
 * is what makes the removal safe without knowing of other daemons. Bridges only (no namespaces
 * or containers), named bt… like the other kernel tests' and removed after.
 */
class SharedChainsKernelTest {
    private final BerthFirewall firewall = new BerthFirewall();
    private BridgeSpec first;
    private BridgeSpec second;

    @BeforeEach
    void needsRoot() {
        KernelTestNetworks.assumeRootWithCni();
        String prefix = subnetPrefix();
        String other = subnetPrefix();
        while (other.equals(prefix)) {
            other = subnetPrefix();
        }
        first = bridge(bridgeName(), prefix, true, false);
        second = bridge(bridgeName(), other, true, false);
    }

    @AfterEach
    void removeBridges() {
        for (BridgeSpec b : new BridgeSpec[] {second, first}) {
            if (b != null) {
                CniNetworkKernel.removeBridge(b.bridgeName());
            }
        }
    }

    @Test
    void aRemovalFromAnOutdatedDumpFailsWholeAndTheLastTeardownTakesTheSharedChainsAlong() {
        // another berth network on this host (a daemon's default bridge: its rules outlive the
        // daemon, as docker0's do) keeps the shared chains in use, so no dump plans their removal
        FirewallDump atStart = BerthFirewall.save(Family.V4);
        org.junit.jupiter.api.Assumptions.assumeTrue(atStart.rulesOf("filter", BerthFirewall.FORWARD).isEmpty()
                && atStart.rulesOf("nat", BerthFirewall.POSTROUTING).isEmpty(),
                "the host's shared BERTH chains hold another network's rules (iptables -S BERTH-FORWARD)");
        BridgeDevice.ensure(first);
        firewall.setUp(first);
        FirewallDump beforeSecond = BerthFirewall.save(Family.V4);
        BridgeDevice.ensure(second);
        firewall.setUp(second); // "another daemon", after our dump

        String outdated = BerthFirewall.tearDownScript(first.bridgeName(), beforeSecond);
        assertThat(outdated).as("the old dump shows only the first bridge in the shared chains")
                .contains("-X " + BerthFirewall.FORWARD).contains("-X " + BerthFirewall.POSTROUTING);
        HostCommand.Result r = HostCommand.run(List.of("iptables-restore", "-w", "--noflush"), Map.of(), outdated,
                Duration.ofSeconds(30));
        assertThat(r.ok()).as("-X of a chain that holds the second bridge's jump").isFalse();
        FirewallDump now = BerthFirewall.save(Family.V4);
        assertThat(now.hasChain("filter", BerthFirewall.inChain(first.bridgeName())))
                .as("the failed table's transaction removed nothing").isTrue();
        assertThat(now.rulesJumpingTo("filter", BerthFirewall.inChain(second.bridgeName()))).hasSize(1);
        assertThat(now.rulesJumpingTo("filter", BerthFirewall.FORWARD)).isNotEmpty();

        firewall.tearDown(first.bridgeName()); // a fresh dump: the shared chains stay for the second
        now = BerthFirewall.save(Family.V4);
        assertThat(now.hasChain("filter", BerthFirewall.FORWARD)).isTrue();
        assertThat(now.rulesJumpingTo("nat", BerthFirewall.natChain(second.bridgeName()))).hasSize(1);
        assertThat(firewallLinesMentioning(first.bridgeName())).isEmpty();

        firewall.tearDown(second.bridgeName());
        now = BerthFirewall.save(Family.V4);
        assertThat(firewallLinesMentioning(second.bridgeName())).isEmpty();
        // the host's other berth networks (another test run on this machine) would keep them
        if (now.rulesOf("filter", BerthFirewall.FORWARD).isEmpty()) {
            assertThat(now.hasChain("filter", BerthFirewall.FORWARD)).as("nothing left in it, so gone").isFalse();
            assertThat(now.rulesJumpingTo("filter", BerthFirewall.FORWARD)).isEmpty();
        }
        if (now.rulesOf("nat", BerthFirewall.POSTROUTING).isEmpty()) {
            assertThat(now.hasChain("nat", BerthFirewall.POSTROUTING)).isFalse();
            assertThat(now.rulesJumpingTo("nat", BerthFirewall.POSTROUTING)).isEmpty();
        }
    }

    @Test
    void aTeardownOfABridgeThatIsGoneStillSucceeds() {
        // nothing of it, nothing to fail on; the shared chains, if any, are someone else's or idle
        firewall.tearDown(first.bridgeName());
        assertThat(firewallLinesMentioning(first.bridgeName())).isEmpty();
        assertThatThrownBy(() -> firewall.tearDown("bad/name")).isInstanceOf(BerthException.class);
    }
}
