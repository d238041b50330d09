package dev.berth.engine.network.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When portmap's base chains count as idle, and the script that removes them, without root. */
class PortmapChainsTest {
    /** What portmap leaves after the DEL of the last published port. */
    private static final String IDLE = """
            *nat
            :PREROUTING ACCEPT [0:0]
            :INPUT ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            :POSTROUTING ACCEPT [0:0]
            :CNI-HOSTPORT-DNAT - [0:0]
            :CNI-HOSTPORT-MASQ - [0:0]
            :CNI-HOSTPORT-SETMARK - [0:0]
            -A PREROUTING -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT
            -A OUTPUT -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT
            -A POSTROUTING -m comment --comment "CNI portfwd requiring masquerade" -j CNI-HOSTPORT-MASQ
            -A CNI-HOSTPORT-MASQ -m mark --mark 0x2000/0x2000 -j MASQUERADE
            -A CNI-HOSTPORT-SETMARK -m comment --comment "CNI portfwd masquerade mark" -j MARK --set-xmark 0x2000/0x2000
            COMMIT
            """;

    private static final String CONTAINER_CHAIN = ":CNI-DN-8e5f1c0a2b4d6e8f0a1b2 - [0:0]\n";

    @Test
    void idleChainsGoWithTheirJumpsInOneTransactionDnatUnflushed() {
        assertThat(PortmapChains.removalScript(FirewallDump.parse(IDLE))).isEqualTo("""
                *nat
                -D PREROUTING -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT
                -D OUTPUT -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT
                -D POSTROUTING -m comment --comment "CNI portfwd requiring masquerade" -j CNI-HOSTPORT-MASQ
                -F CNI-HOSTPORT-SETMARK
                -F CNI-HOSTPORT-MASQ
                -X CNI-HOSTPORT-DNAT
                -X CNI-HOSTPORT-SETMARK
                -X CNI-HOSTPORT-MASQ
                COMMIT
                """);
    }

    @Test
    void aPublishedPortKeepsThem() {
        String inUse = IDLE.replace(":CNI-HOSTPORT-DNAT - [0:0]\n", CONTAINER_CHAIN + ":CNI-HOSTPORT-DNAT - [0:0]\n")
                .replace("-A CNI-HOSTPORT-MASQ", """
                        -A CNI-DN-8e5f1c0a2b4d6e8f0a1b2 -s 10.1.0.2/32 -p tcp -m tcp --dport 8080 -j CNI-HOSTPORT-SETMARK
                        -A CNI-DN-8e5f1c0a2b4d6e8f0a1b2 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 10.1.0.2:80
                        -A CNI-HOSTPORT-DNAT -p tcp -m comment --comment "dnat name: \\"berth-bt1\\" id: \\"c1\\"" -m multiport --dports 8080 -j CNI-DN-8e5f1c0a2b4d6e8f0a1b2
                        -A CNI-HOSTPORT-MASQ""");
        assertThat(PortmapChains.removalScript(FirewallDump.parse(inUse))).isEmpty();
    }

    @Test
    void anAddInProgressKeepsThem() {
        // its container chain exists, the jump to it from DNAT is not there yet
        String adding = IDLE.replace(":CNI-HOSTPORT-DNAT - [0:0]\n", CONTAINER_CHAIN + ":CNI-HOSTPORT-DNAT - [0:0]\n");
        assertThat(PortmapChains.removalScript(FirewallDump.parse(adding))).isEmpty();
    }

    @Test
    void aRuleSomeoneElseAddedKeepsThem() {
        String extra = IDLE.replace("-A CNI-HOSTPORT-MASQ -m mark", "-A CNI-HOSTPORT-MASQ -s 10.9.0.0/16 -j RETURN\n-A CNI-HOSTPORT-MASQ -m mark");
        assertThat(PortmapChains.removalScript(FirewallDump.parse(extra))).isEmpty();
        String jumpedTo = IDLE.replace(":CNI-HOSTPORT-DNAT - [0:0]\n", ":CNI-HOSTPORT-DNAT - [0:0]\n:MINE - [0:0]\n")
                .replace("COMMIT", "-A MINE -j CNI-HOSTPORT-DNAT\nCOMMIT");
        assertThat(PortmapChains.removalScript(FirewallDump.parse(jumpedTo))).isEmpty();
    }

    @Test
    void nothingToDoWithoutThem() {
        assertThat(PortmapChains.removalScript(FirewallDump.parse("*nat\n:PREROUTING ACCEPT [0:0]\nCOMMIT\n"))).isEmpty();
    }
}
