package dev.berth.engine.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.BerthException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The network manager's pure parts: prefixes, IPAM, default pools, the registry, host ports. No root. */
class NetworkPartsTest {
    @TempDir
    Path tmp;

    @Test
    void prefixesParseFormatAndOverlapInBothFamilies() {
        IpPrefix p = IpPrefix.parse("172.18.3.9/16");
        assertThat(p.toString()).isEqualTo("172.18.0.0/16");
        assertThat(p.format(p.nth(1))).isEqualTo("172.18.0.1");
        assertThat(p.format(p.last())).isEqualTo("172.18.255.255");
        assertThat(p.overlaps(IpPrefix.parse("172.18.200.0/24"))).isTrue();
        assertThat(p.overlaps(IpPrefix.parse("172.19.0.0/16"))).isFalse();
        assertThat(p.contains(IpPrefix.parse("172.18.4.0/24"))).isTrue();
        IpPrefix v6 = IpPrefix.parse("fd00:1:2::/64");
        assertThat(v6.toString()).isEqualTo("fd00:1:2::/64");
        assertThat(v6.format(v6.nth(1))).isEqualTo("fd00:1:2::1");
        assertThat(v6.overlaps(p)).isFalse();
        assertThatThrownBy(() -> IpPrefix.parse("10.0.0.0/33")).hasMessage("invalid CIDR address: 10.0.0.0/33");
        assertThatThrownBy(() -> IpPrefix.parse("example.com/24")).hasMessage("invalid CIDR address: example.com/24");
        assertThatThrownBy(() -> IpPrefix.parse("10.0.0.0")).hasMessage("invalid CIDR address: 10.0.0.0");
    }

    @Test
    void ipamSkipsTheReservedAddressesAndDoesNotReuseAFreedOneAtOnce() {
        Ipam ipam = new Ipam();
        Network.IpamPool pool = new Network.IpamPool("10.1.0.0/29", "", "10.1.0.1");
        BigInteger a = ipam.allocate("n", pool);
        BigInteger b = ipam.allocate("n", pool);
        IpPrefix sub = IpPrefix.parse(pool.subnet());
        assertThat(sub.format(a)).isEqualTo("10.1.0.2");
        assertThat(sub.format(b)).isEqualTo("10.1.0.3");
        ipam.release("n", a);
        assertThat(sub.format(ipam.allocate("n", pool))).isEqualTo("10.1.0.4");
        ipam.allocate("n", pool);
        ipam.allocate("n", pool);
        assertThat(sub.format(ipam.allocate("n", pool))).as("wraps to the freed one").isEqualTo("10.1.0.2");
        assertThatThrownBy(() -> ipam.allocate("n", pool)).hasMessageContaining("no available IPv4 addresses");
        assertThat(ipam.inUse("n")).isTrue();
        assertThat(ipam.inUse("other")).isFalse();

        Network.IpamPool ranged = new Network.IpamPool("10.2.0.0/24", "10.2.0.128/25", "10.2.0.1");
        assertThat(sub.format(ipam.allocate("r", ranged))).as("the range's first address too, as libnetwork").isEqualTo("10.2.0.128");
        assertThat(sub.format(ipam.allocateRequested("r", List.of(ranged), "10.2.0.200"))).isEqualTo("10.2.0.200");
        assertThatThrownBy(() -> ipam.allocateRequested("r", List.of(ranged), "10.2.0.200"))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.kind()).isEqualTo(BerthException.Kind.CONFLICT))
                .hasMessage("Address already in use");
        assertThat(sub.format(ipam.allocateRequested("r", List.of(ranged), "10.2.0.5"))).as("outside the range, inside the subnet")
                .isEqualTo("10.2.0.5");
        assertThatThrownBy(() -> ipam.allocateRequested("r", List.of(ranged), "10.3.0.5"))
                .hasMessage("Invalid address 10.3.0.5: It does not belong to any of this network's subnets");
        assertThatThrownBy(() -> ipam.allocateRequested("r", List.of(ranged), "10.2.0.1")).hasMessage("Address already in use");
    }

    @Test
    void defaultPoolsAvoidOtherNetworksAndTheHostsRoutes() throws Exception {
        Path route = tmp.resolve("route");
        Files.writeString(route, """
                Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
                eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0
                eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
                br0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0
                """);
        List<IpPrefix> routes = SubnetPicker.hostRoutes(route);
        assertThat(routes).extracting(IpPrefix::toString).containsExactly("192.0.2.0/24", "172.17.0.0/16");
        assertThat(SubnetPicker.pick(List.of(IpPrefix.parse("172.18.5.0/24")), routes).toString()).isEqualTo("172.19.0.0/16");
        List<IpPrefix> all172 = new java.util.ArrayList<>();
        for (int i = 16; i < 32; i++) {
            all172.add(IpPrefix.parse("172." + i + ".0.0/16"));
        }
        assertThat(SubnetPicker.pick(all172, routes).toString()).isEqualTo("192.168.0.0/20");
    }

    @Test
    void theRegistryKeepsPredefinedNetworksAndChecksCreatesAsDockerd() {
        Path route = tmp.resolve("none-route");
        NetworkStore store = new NetworkStore(tmp);
        NetworkRegistry r = new NetworkRegistry(store, "bt0test", "10.210.3.1/24", route);
        Network bridge = r.find("bridge");
        assertThat(bridge.ipam()).containsExactly(new Network.IpamPool("10.210.3.0/24", "", "10.210.3.1"));
        assertThat(NetworkRegistry.bridgeSpec(bridge).bridgeName()).isEqualTo("bt0test");
        assertThat(r.list()).extracting(Network::name).containsExactlyInAnyOrder("bridge", "host", "none");

        Network n = r.create(new NetworkCreateRequest("app", "", true, false, false, List.of(), Map.of(), Map.of("a", "b")));
        assertThat(n.ipam().getFirst().subnet()).isEqualTo("172.17.0.0/16");
        assertThat(NetworkRegistry.bridgeName(n)).isEqualTo("br-" + n.id().substring(0, 12));
        assertThat(NetworkRegistry.bridgeSpec(n).masquerade()).as("internal").isFalse();
        assertThat(r.find(n.id().substring(0, 6))).isEqualTo(n);

        // the records survive a restart with their ids; --bridge none drops the default bridge
        NetworkRegistry again = new NetworkRegistry(new NetworkStore(tmp), "bt0test", "", route);
        assertThat(again.find("bridge").id()).isEqualTo(bridge.id());
        assertThat(again.find("bridge").ipam().getFirst().subnet()).as("its own subnet kept").isEqualTo("10.210.3.0/24");
        assertThat(again.find("app")).isEqualTo(n);
        NetworkRegistry none = new NetworkRegistry(new NetworkStore(tmp), "none", "", route);
        assertThat(none.lookup("bridge")).isEmpty();
        assertThat(none.find("host").id()).isEqualTo(r.find("host").id());

        assertThatThrownBy(() -> none.create(new NetworkCreateRequest("x", "bridge", false, false, false,
                List.of(new Network.IpamPool("10.9.0.0/24", "10.8.0.0/25", "")), Map.of(), Map.of())))
                .hasMessage("ip-range 10.8.0.0/25 is not within subnet 10.9.0.0/24");
        assertThatThrownBy(() -> none.create(new NetworkCreateRequest("x", "bridge", false, false, false,
                List.of(), Map.of(NetworkRegistry.OPT_BRIDGE_NAME, "a-very-long-bridge-name"), Map.of())))
                .hasMessageContaining("invalid bridge name");
        assertThatThrownBy(() -> none.create(new NetworkCreateRequest("x", "host", false, false, false, List.of(), Map.of(), Map.of())))
                .hasMessage("only one instance of \"host\" network is allowed");
        assertThatThrownBy(() -> none.create(new NetworkCreateRequest("x", "bridge", false, false, true, List.of(), Map.of(), Map.of())))
                .hasMessageStartingWith("could not find an available, non-overlapping IPv6 address pool");
        Network dual = none.create(new NetworkCreateRequest("dual", "bridge", false, false, true,
                List.of(new Network.IpamPool("fd00:7::/64", "", "")), Map.of(), Map.of()));
        assertThat(dual.ipam()).extracting(Network.IpamPool::subnet).containsExactly("172.18.0.0/16", "fd00:7::/64");
        assertThat(dual.ipam().get(1).gateway()).isEqualTo("fd00:7::1");
        Network ranged = none.create(new NetworkCreateRequest("ranged", "bridge", false, false, false,
                List.of(new Network.IpamPool("10.9.0.0/24", "10.9.0.128/25", "")), Map.of(), Map.of()));
        assertThat(ranged.ipam().getFirst().gateway()).as("dockerd 20.10: the range's first address").isEqualTo("10.9.0.128");
    }

    @Test
    void hostPortsAreHeldUntilReleased() throws Exception {
        PortAllocator ports = new PortAllocator();
        int fixed;
        try (ServerSocket probe = new ServerSocket(0)) {
            fixed = probe.getLocalPort();
        }
        assertThat(ports.reserve("tcp", "", fixed)).isEqualTo(fixed);
        assertThatThrownBy(() -> ports.reserve("tcp", "127.0.0.1", fixed))
                .hasMessage("Bind for 127.0.0.1:" + fixed + " failed: port is already allocated");
        try (ServerSocket other = new ServerSocket()) {
            assertThatThrownBy(() -> other.bind(new InetSocketAddress("127.0.0.1", fixed))).isInstanceOf(java.net.BindException.class);
        }
        assertThat(ports.reserve("udp", "", fixed)).as("another protocol").isEqualTo(fixed);
        int random = ports.reserve("tcp", "127.0.0.1", 0);
        assertThat(random).isBetween(PortAllocator.FIRST_EPHEMERAL, PortAllocator.LAST_EPHEMERAL);
        ports.release("tcp", "", fixed);
        ports.release("udp", "", fixed);
        ports.release("tcp", "127.0.0.1", random);
        try (ServerSocket free = new ServerSocket()) {
            free.bind(new InetSocketAddress("0.0.0.0", fixed));
        }
        try (ServerSocket busy = new ServerSocket(0)) {
            assertThatThrownBy(() -> ports.reserve("tcp", "", busy.getLocalPort()))
                    .hasMessage("Error starting userland proxy: listen tcp4 0.0.0.0:" + busy.getLocalPort()
                            + ": bind: address already in use");
        }
    }
}
