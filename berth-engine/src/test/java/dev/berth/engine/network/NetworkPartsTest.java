package dev.berth.engine.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.BerthException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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
        NetworkRegistry r = new NetworkRegistry(store, "bt0test", "10.210.3.1/24", route, DeviceAddresses.NONE);
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
        NetworkRegistry again = new NetworkRegistry(new NetworkStore(tmp), "bt0test", "", route, DeviceAddresses.NONE);
        assertThat(again.find("bridge").id()).isEqualTo(bridge.id());
        assertThat(again.find("bridge").ipam().getFirst().subnet()).as("its own subnet kept").isEqualTo("10.210.3.0/24");
        assertThat(again.find("app")).isEqualTo(n);
        NetworkRegistry none = new NetworkRegistry(new NetworkStore(tmp), "none", "", route, DeviceAddresses.NONE);
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
    void theDefaultBridgeTakesAnExistingDevicesFirstAddressUnlessBipOrItsRecordSaysOtherwise() throws Exception {
        // the device's own route, as the kernel shows it while the device has 10.77.0.1/16
        Path route = tmp.resolve("route");
        Files.writeString(route, """
                Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
                bt0adopt\t00004D0A\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0
                """);
        Map<String, List<String>> devices = new HashMap<>();
        List<String> asked = new ArrayList<>();
        DeviceAddresses fake = d -> {
            asked.add(d);
            return devices.getOrDefault(d, List.of());
        };

        // an existing device with one address: its subnet and gateway, its own route no conflict
        devices.put("bt0adopt", List.of("10.77.0.1/16"));
        NetworkRegistry a = new NetworkRegistry(new NetworkStore(tmp.resolve("a")), "bt0adopt", "", route, fake);
        assertThat(a.find("bridge").ipam()).containsExactly(new Network.IpamPool("10.77.0.0/16", "", "10.77.0.1"));
        assertThat(asked).containsExactly("bt0adopt");
        Network user = a.create(new NetworkCreateRequest("app", "", false, false, false, List.of(), Map.of(), Map.of()));
        assertThat(user.ipam().getFirst().subnet()).isEqualTo("172.17.0.0/16");

        // what the bug left on hosts: several addresses; the first, as ip lists it, and no other
        devices.put("bt0adopt", List.of("172.19.0.1/16", "172.17.0.1/16", "192.168.16.1/20"));
        NetworkRegistry b = new NetworkRegistry(new NetworkStore(tmp.resolve("b")), "bt0adopt", "", route, fake);
        assertThat(b.find("bridge").ipam()).containsExactly(new Network.IpamPool("172.19.0.0/16", "", "172.19.0.1"));
        assertThat(NetworkRegistry.bridgeSpec(b.find("bridge")).subnets())
                .containsExactly(new NetworkKernel.Subnet("172.19.0.0/16", "172.19.0.1"));

        // no device (or one without an IPv4 address): a pool, avoiding the host's routes, as before
        devices.clear();
        NetworkRegistry c = new NetworkRegistry(new NetworkStore(tmp.resolve("c")), "bt0adopt", "", route, fake);
        assertThat(c.find("bridge").ipam()).containsExactly(new Network.IpamPool("172.17.0.0/16", "", "172.17.0.1"));

        // the record wins over the device (which is then not even asked) ...
        devices.put("bt0adopt", List.of("10.88.0.1/16"));
        asked.clear();
        NetworkRegistry again = new NetworkRegistry(new NetworkStore(tmp.resolve("a")), "bt0adopt", "", route, fake);
        assertThat(again.find("bridge").ipam().getFirst().subnet()).isEqualTo("10.77.0.0/16");
        assertThat(again.find("bridge").id()).isEqualTo(a.find("bridge").id());
        assertThat(asked).isEmpty();
        // ... and --bip over both
        NetworkRegistry bip = new NetworkRegistry(new NetworkStore(tmp.resolve("a")), "bt0adopt", "10.99.0.1/24", route, fake);
        assertThat(bip.find("bridge").ipam()).containsExactly(new Network.IpamPool("10.99.0.0/24", "", "10.99.0.1"));
        NetworkRegistry fresh = new NetworkRegistry(new NetworkStore(tmp.resolve("d")), "bt0adopt", "10.99.0.1/24", route, fake);
        assertThat(fresh.find("bridge").ipam().getFirst().subnet()).isEqualTo("10.99.0.0/24");
        assertThat(asked).isEmpty();

        // a record of another device: the device's address, not the old record's subnet
        devices.put("bt0other", List.of("10.66.0.1/24"));
        NetworkRegistry moved = new NetworkRegistry(new NetworkStore(tmp.resolve("a")), "bt0other", "", route, fake);
        assertThat(moved.find("bridge").ipam().getFirst().subnet()).isEqualTo("10.66.0.0/24");
    }

    @Test
    void anAdoptedAddressGivesWayToAnotherNetworksSubnetAndIsNoGatewayWhenItIsTheSubnetsOwn() {
        Path route = tmp.resolve("none-route");
        Map<String, List<String>> devices = new HashMap<>();
        DeviceAddresses fake = d -> devices.getOrDefault(d, List.of());
        // a data root with a user network (it ran with --bridge none) whose subnet the device now holds
        NetworkRegistry none = new NetworkRegistry(new NetworkStore(tmp), "none", "", route, fake);
        none.create(new NetworkCreateRequest("app", "", false, false, false,
                List.of(new Network.IpamPool("10.66.0.0/16", "", "")), Map.of(), Map.of()));
        devices.put("bt0adopt", List.of("10.66.5.1/24"));
        NetworkRegistry r = new NetworkRegistry(new NetworkStore(tmp), "bt0adopt", "", route, fake);
        assertThat(r.find("bridge").ipam().getFirst().subnet()).as("picked, as before").isEqualTo("172.17.0.0/16");

        devices.put("bt0base", List.of("10.67.0.0/24"));
        NetworkRegistry base = new NetworkRegistry(new NetworkStore(tmp.resolve("e")), "bt0base", "", route, fake);
        assertThat(base.find("bridge").ipam()).containsExactly(new Network.IpamPool("10.67.0.0/24", "", "10.67.0.1"));
        devices.put("bt0host", List.of("10.68.0.9/32"));
        NetworkRegistry host = new NetworkRegistry(new NetworkStore(tmp.resolve("f")), "bt0host", "", route, fake);
        assertThat(host.find("bridge").ipam()).containsExactly(new Network.IpamPool("10.68.0.9/32", "", "10.68.0.9"));
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
