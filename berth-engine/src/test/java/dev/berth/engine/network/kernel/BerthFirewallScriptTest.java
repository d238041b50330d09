package dev.berth.engine.network.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.engine.network.NetworkKernel.BridgeSpec;
import dev.berth.engine.network.NetworkKernel.Subnet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The iptables-restore scripts, without root: what set-up writes and what teardown deletes. */
class BerthFirewallScriptTest {
    private static final FirewallDump EMPTY = FirewallDump.parse("*filter\n:FORWARD ACCEPT [0:0]\nCOMMIT\n*nat\nCOMMIT\n");

    private static BridgeSpec net(boolean icc, boolean internal, boolean masquerade) {
        return new BridgeSpec("id", "web", "br-1", List.of(new Subnet("172.18.0.0/16", "172.18.0.1")), icc, internal,
                masquerade, 0);
    }

    private static List<Cidr> v4() {
        return List.of(Cidr.parse("172.18.0.0/16"));
    }

    @Test
    void aPlainNetworkAcceptsItsOwnRepliesAndPublishedPortsDropsTheRestAndMasquerades() {
        String s = BerthFirewall.setUpScript(net(true, false, true), "br-1", v4(), EMPTY);
        assertThat(s).isEqualTo("""
                *filter
                :BERTH-IN-br-1 - [0:0]
                :BERTH-OUT-br-1 - [0:0]
                -A BERTH-IN-br-1 -i br-1 -j ACCEPT
                -A BERTH-IN-br-1 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
                -A BERTH-IN-br-1 -m conntrack --ctstate DNAT -j ACCEPT
                -A BERTH-IN-br-1 -j DROP
                -A BERTH-OUT-br-1 -j ACCEPT
                -I BERTH-FORWARD 1 -o br-1 -j BERTH-IN-br-1
                -A BERTH-FORWARD -i br-1 -j BERTH-OUT-br-1
                COMMIT
                *nat
                :BERTH-NAT-br-1 - [0:0]
                -A BERTH-NAT-br-1 -s 172.18.0.0/16 ! -o br-1 -j MASQUERADE
                -A BERTH-POSTROUTING -j BERTH-NAT-br-1
                COMMIT
                """);
    }

    @Test
    void iccOffDropsWithinTheBridgeAndInternalDropsEverythingAcrossIt() {
        assertThat(BerthFirewall.setUpScript(net(false, false, true), "br-1", v4(), EMPTY))
                .contains("-A BERTH-IN-br-1 -i br-1 -j DROP\n");
        String internal = BerthFirewall.setUpScript(net(true, true, true), "br-1", v4(), EMPTY);
        assertThat(internal).contains("-A BERTH-IN-br-1 -i br-1 -j ACCEPT\n-A BERTH-IN-br-1 -j DROP\n")
                .contains("-A BERTH-OUT-br-1 -j DROP\n")
                .doesNotContain("MASQUERADE").doesNotContain("ESTABLISHED");
        assertThat(BerthFirewall.setUpScript(net(true, false, false), "br-1", v4(), EMPTY)).doesNotContain("MASQUERADE");
    }

    @Test
    void aSecondSetUpRefillsTheBridgesChainsButAddsNoSecondJump() {
        FirewallDump after = FirewallDump.parse("""
                *filter
                :FORWARD ACCEPT [0:0]
                :BERTH-FORWARD - [0:0]
                :BERTH-IN-br-1 - [0:0]
                :BERTH-OUT-br-1 - [0:0]
                -A FORWARD -j BERTH-FORWARD
                -A BERTH-FORWARD -o br-1 -j BERTH-IN-br-1
                -A BERTH-FORWARD -i br-1 -j BERTH-OUT-br-1
                COMMIT
                *nat
                :BERTH-POSTROUTING - [0:0]
                :BERTH-NAT-br-1 - [0:0]
                -A BERTH-POSTROUTING -j BERTH-NAT-br-1
                COMMIT
                """);
        String s = BerthFirewall.setUpScript(net(true, false, true), "br-1", v4(), after);
        assertThat(s).contains(":BERTH-IN-br-1 - [0:0]").doesNotContain("BERTH-FORWARD").doesNotContain("BERTH-POSTROUTING");
    }

    @Test
    void teardownDeletesExactlyTheJumpsToTheBridgesChainsAndTheChains() {
        FirewallDump dump = FirewallDump.parse("""
                *filter
                :FORWARD ACCEPT [0:0]
                :BERTH-FORWARD - [0:0]
                :BERTH-IN-br-1 - [0:0]
                :BERTH-OUT-br-1 - [0:0]
                :BERTH-IN-br-12 - [0:0]
                -A FORWARD -j BERTH-FORWARD
                -A BERTH-FORWARD -o br-12 -j BERTH-IN-br-12
                -A BERTH-FORWARD -o br-1 -j BERTH-IN-br-1
                -A BERTH-FORWARD -i br-1 -j BERTH-OUT-br-1
                -A BERTH-IN-br-1 -i br-1 -j ACCEPT
                COMMIT
                *nat
                :POSTROUTING ACCEPT [0:0]
                :BERTH-POSTROUTING - [0:0]
                :BERTH-NAT-br-1 - [0:0]
                :BERTH-NAT-br-12 - [0:0]
                -A POSTROUTING -j BERTH-POSTROUTING
                -A BERTH-POSTROUTING -j BERTH-NAT-br-1
                -A BERTH-POSTROUTING -j BERTH-NAT-br-12
                COMMIT
                """);
        assertThat(BerthFirewall.tearDownScript("br-1", dump)).isEqualTo("""
                *filter
                -D BERTH-FORWARD -o br-1 -j BERTH-IN-br-1
                -D BERTH-FORWARD -i br-1 -j BERTH-OUT-br-1
                -F BERTH-IN-br-1
                -X BERTH-IN-br-1
                -F BERTH-OUT-br-1
                -X BERTH-OUT-br-1
                COMMIT
                *nat
                -D BERTH-POSTROUTING -j BERTH-NAT-br-1
                -F BERTH-NAT-br-1
                -X BERTH-NAT-br-1
                COMMIT
                """);
        assertThat(BerthFirewall.tearDownScript("br-9", dump)).isEmpty();
    }

    /** What one bridge br-1 leaves in a family's tables, with the shared chains and their jumps. */
    private static final String ONE_BRIDGE = """
            *filter
            :FORWARD ACCEPT [0:0]
            :BERTH-FORWARD - [0:0]
            :BERTH-IN-br-1 - [0:0]
            :BERTH-OUT-br-1 - [0:0]
            -A FORWARD -j BERTH-FORWARD
            -A BERTH-FORWARD -o br-1 -j BERTH-IN-br-1
            -A BERTH-FORWARD -i br-1 -j BERTH-OUT-br-1
            -A BERTH-IN-br-1 -i br-1 -j ACCEPT
            -A BERTH-OUT-br-1 -j ACCEPT
            COMMIT
            *nat
            :POSTROUTING ACCEPT [0:0]
            :BERTH-POSTROUTING - [0:0]
            :BERTH-NAT-br-1 - [0:0]
            -A POSTROUTING -j BERTH-POSTROUTING
            -A BERTH-POSTROUTING -j BERTH-NAT-br-1
            -A BERTH-NAT-br-1 -s 172.18.0.0/16 ! -o br-1 -j MASQUERADE
            COMMIT
            """;

    @Test
    void theLastBridgeTakesTheSharedChainsAndTheirJumpsAlongWithoutFlushingThem() {
        assertThat(BerthFirewall.tearDownScript("br-1", FirewallDump.parse(ONE_BRIDGE))).isEqualTo("""
                *filter
                -D BERTH-FORWARD -o br-1 -j BERTH-IN-br-1
                -D BERTH-FORWARD -i br-1 -j BERTH-OUT-br-1
                -F BERTH-IN-br-1
                -X BERTH-IN-br-1
                -F BERTH-OUT-br-1
                -X BERTH-OUT-br-1
                -D FORWARD -j BERTH-FORWARD
                -X BERTH-FORWARD
                COMMIT
                *nat
                -D BERTH-POSTROUTING -j BERTH-NAT-br-1
                -F BERTH-NAT-br-1
                -X BERTH-NAT-br-1
                -D POSTROUTING -j BERTH-POSTROUTING
                -X BERTH-POSTROUTING
                COMMIT
                """);
    }

    @Test
    void theLastTryRemovesOnlyTheBridgesOwnChains() {
        assertThat(BerthFirewall.tearDownScript("br-1", FirewallDump.parse(ONE_BRIDGE), false))
                .doesNotContain("-X BERTH-FORWARD").doesNotContain("-X BERTH-POSTROUTING").contains("-X BERTH-IN-br-1");
    }

    @Test
    void aSharedChainWithARuleThatIsNoBridgesJumpStays() {
        String admins = ONE_BRIDGE.replace("-A BERTH-FORWARD -i br-1 -j BERTH-OUT-br-1\n",
                "-A BERTH-FORWARD -i br-1 -j BERTH-OUT-br-1\n-A BERTH-FORWARD -s 10.9.9.9/32 -j DROP\n");
        String script = BerthFirewall.tearDownScript("br-1", FirewallDump.parse(admins));
        assertThat(script).doesNotContain("BERTH-FORWARD\n").contains("-X BERTH-POSTROUTING");
    }

    @Test
    void aSharedChainSomeoneElsesChainJumpsToStays() {
        String referenced = ONE_BRIDGE.replace(":FORWARD ACCEPT [0:0]\n", ":FORWARD ACCEPT [0:0]\n:MINE - [0:0]\n")
                .replace("-A FORWARD -j BERTH-FORWARD\n", "-A FORWARD -j BERTH-FORWARD\n-A MINE -j BERTH-FORWARD\n");
        String script = BerthFirewall.tearDownScript("br-1", FirewallDump.parse(referenced));
        assertThat(script).doesNotContain("-D FORWARD -j BERTH-FORWARD").doesNotContain("-X BERTH-FORWARD");
    }

    @Test
    void emptySharedChainsLeftByAnEarlierVersionGoWithAnyTeardown() {
        FirewallDump leftovers = FirewallDump.parse("""
                *filter
                :FORWARD ACCEPT [0:0]
                :BERTH-FORWARD - [0:0]
                -A FORWARD -j BERTH-FORWARD
                COMMIT
                *nat
                COMMIT
                """);
        assertThat(BerthFirewall.tearDownScript("br-9", leftovers)).isEqualTo("""
                *filter
                -D FORWARD -j BERTH-FORWARD
                -X BERTH-FORWARD
                COMMIT
                """);
    }
}
