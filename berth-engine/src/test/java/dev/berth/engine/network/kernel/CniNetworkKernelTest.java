package dev.berth.engine.network.kernel;

import static dev.berth.engine.network.kernel.KernelTestNetworks.SYS;
import static dev.berth.engine.network.kernel.KernelTestNetworks.bridge;
import static dev.berth.engine.network.kernel.KernelTestNetworks.bridgeName;
import static dev.berth.engine.network.kernel.KernelTestNetworks.connectFrom;
import static dev.berth.engine.network.kernel.KernelTestNetworks.endpoint;
import static dev.berth.engine.network.kernel.KernelTestNetworks.exchange;
import static dev.berth.engine.network.kernel.KernelTestNetworks.firewallLinesMentioning;
import static dev.berth.engine.network.kernel.KernelTestNetworks.freeHostPort;
import static dev.berth.engine.network.kernel.KernelTestNetworks.listenIn;
import static dev.berth.engine.network.kernel.KernelTestNetworks.subnetPrefix;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.engine.network.NetworkKernel.AttachResult;
import dev.berth.engine.network.NetworkKernel.BridgeSpec;
import dev.berth.engine.network.NetworkKernel.EndpointSpec;
import dev.berth.engine.network.NetworkKernel.PortMapping;
import dev.berth.engine.network.NetworkKernel.Subnet;
import dev.berth.oci.BerthException;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real kernel as root: namespaces, the CNI bridge and portmap plugins and berth's firewall
 * chains, with traffic only among namespaces this test made and the host's loopback.
 */
class CniNetworkKernelTest {
    private Path execRoot;
    private CniNetworkKernel kernel;
    private final List<BridgeSpec> bridges = new ArrayList<>();
    private final List<Runnable> undo = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        KernelTestNetworks.assumeRootWithCni();
        execRoot = Files.createTempDirectory("berth-netkernel-");
        kernel = new CniNetworkKernel(SYS, execRoot, CniNetworkKernel.DEFAULT_PLUGIN_DIR);
    }

    @AfterEach
    void cleanUp() throws IOException {
        if (kernel == null) {
            return;
        }
        for (Runnable r : undo.reversed()) {
            try {
                r.run();
            } catch (RuntimeException e) {
                System.err.println("cleanup: " + e.getMessage());
            }
        }
        for (BridgeSpec b : bridges) {
            try {
                kernel.tearDownNetwork(b);
            } catch (RuntimeException e) {
                System.err.println("cleanup: " + e.getMessage());
            }
        }
        for (String id : kernel.pinnedNetns()) {
            kernel.removeNetns(id);
        }
        try (Stream<Path> files = Files.walk(execRoot)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private BridgeSpec network(boolean icc, boolean internal) {
        BridgeSpec b = bridge(bridgeName(), subnetPrefix(), icc, internal);
        bridges.add(b);
        kernel.setUpNetwork(b);
        return b;
    }

    private Path netns(String id) {
        Path ns = kernel.createNetns(id);
        undo.add(() -> kernel.removeNetns(id));
        kernel.loopbackUp(ns);
        return ns;
    }

    private AttachResult attach(Path ns, BridgeSpec b, EndpointSpec e) {
        AttachResult r = kernel.attach(ns, b, e);
        undo.add(() -> kernel.detach(ns, b, e));
        return r;
    }

    private static String gateway(BridgeSpec b) {
        return b.subnets().getFirst().gateway();
    }

    private static String address(BridgeSpec b, int host) {
        return b.subnets().getFirst().gateway().replaceFirst("\\.1$", "." + host);
    }

    @Test
    void twoNamespacesOnOneBridgeTalkTcp() throws Exception {
        BridgeSpec b = network(true, false);
        Path a = netns("ctr-a");
        Path c = netns("ctr-c");
        var ea = new EndpointSpec("ctr-a", "eth0", List.of(address(b, 2) + "/24"), true, "02:42:0a:00:00:02", List.of());
        AttachResult ra = attach(a, b, ea);
        attach(c, b, endpoint("ctr-c", address(b, 3), List.of()));

        assertThat(ra.macAddress()).isEqualTo("02:42:0a:00:00:02");
        assertThat(Path.of("/sys/class/net", ra.hostVeth(), "master").toRealPath().getFileName().toString())
                .isEqualTo(b.bridgeName());
        try (ServerSocket server = listenIn(a, 7000)) {
            assertThat(exchange(server, c, address(b, 2), 7000)).isEqualTo("hello");
        }
        // the host reaches the container through the bridge's gateway address, and lo is up inside
        try (ServerSocket server = listenIn(a, 7001)) {
            assertThat(exchange(server, null, address(b, 2), 7001)).isEqualTo("hello");
        }
        try (ServerSocket server = listenIn(a, 7002)) {
            assertThat(exchange(server, a, "127.0.0.1", 7002)).isEqualTo("hello");
        }
    }

    @Test
    void theBridgeHasItsGatewayBeforeAnyContainer() throws Exception {
        BridgeSpec b = network(true, false);
        // the embedded DNS server binds the gateway address before anyone joins
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName(gateway(b)))) {
            assertThat(s.getLocalPort()).isPositive();
        }
        assertThat(Files.readString(Path.of("/sys/class/net", b.bridgeName(), "operstate"))).isNotBlank();
        kernel.setUpNetwork(b); // idempotent
        assertThat(firewallLinesMentioning("-j BERTH-IN-" + b.bridgeName())).hasSize(1);
    }

    @Test
    void anIpv6SubnetGetsItsGatewayAndIp6tablesChainsAndLosesThemAtTeardown() throws Exception {
        String name = bridgeName();
        String v6 = "fd42:b0:" + Integer.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextInt(1, 0xffff));
        String v4 = subnetPrefix();
        BridgeSpec b = new BridgeSpec("id-" + name, "net-" + name, name,
                List.of(new Subnet(v4 + ".0/24", v4 + ".1"), new Subnet(v6 + "::/64", v6 + "::1")), true, false, true, 0);
        bridges.add(b);
        kernel.setUpNetwork(b);
        // no duplicate address detection: bindable at once
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName(v6 + "::1"))) {
            assertThat(s.getLocalPort()).isPositive();
        }
        HostCommand.Result nat6 = HostCommand.run(List.of("ip6tables-save", "-t", "nat"), java.util.Map.of(), "",
                java.time.Duration.ofSeconds(30));
        assertThat(nat6.stdout()).contains("-A BERTH-NAT-" + name + " -s " + v6 + "::/64 ! -o " + name + " -j MASQUERADE");
        assertThat(firewallLinesMentioning("-j BERTH-IN-" + name)).hasSize(2); // iptables and ip6tables
        kernel.tearDownNetwork(b);
        assertThat(firewallLinesMentioning(name)).isEmpty();
        assertThat(Path.of("/sys/class/net", name)).doesNotExist();
    }

    @Test
    void dualStackNamespacesTalkOverIpv6() throws Exception {
        // the bridge plugin turns on the host's net.ipv6.conf.all.forwarding for an IPv6 gateway
        assumeTrue(Files.readString(Path.of("/proc/sys/net/ipv6/conf/all/forwarding")).strip().equals("1"),
                "would turn on the host's IPv6 forwarding; runs where it is on already");
        String name = bridgeName();
        String v6 = "fd42:b1:" + Integer.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextInt(1, 0xffff));
        String v4 = subnetPrefix();
        BridgeSpec b = new BridgeSpec("id-" + name, "net-" + name, name,
                List.of(new Subnet(v4 + ".0/24", v4 + ".1"), new Subnet(v6 + "::/64", v6 + "::1")), true, false, true, 0);
        bridges.add(b);
        kernel.setUpNetwork(b);
        Path a = netns("ctr-v6a");
        Path c = netns("ctr-v6c");
        int hostPort = freeHostPort();
        attach(a, b, new EndpointSpec("ctr-v6a", "eth0", List.of(v4 + ".2/24", v6 + "::2/64"), true, "",
                List.of(new PortMapping("tcp", "", hostPort, 80))));
        attach(c, b, new EndpointSpec("ctr-v6c", "eth0", List.of(v4 + ".3/24", v6 + "::3/64"), true, "", List.of()));
        try (ServerSocket server = NetnsThread.inNetns(SYS, a, () -> {
            ServerSocket s = new ServerSocket();
            s.bind(new java.net.InetSocketAddress(java.net.InetAddress.getByName("::"), 80));
            return s;
        })) {
            assertThat(exchange(server, c, v6 + "::2", 80)).isEqualTo("hello");
            assertThat(exchange(server, null, v6 + "::2", 80)).as("host to container").isEqualTo("hello");
            assertThat(exchange(server, null, "127.0.0.1", hostPort)).as("published, IPv4 loopback").isEqualTo("hello");
            assertThat(exchange(server, c, v6 + "::1", hostPort)).as("published, through the IPv6 gateway").isEqualTo("hello");
        }
    }

    @Test
    void aPublishedPortReachesTheNamespaceFromTheHostLoopback() throws Exception {
        BridgeSpec b = network(true, false);
        Path a = netns("ctr-p");
        int hostPort = freeHostPort();
        attach(a, b, endpoint("ctr-p", address(b, 2), List.of(new PortMapping("tcp", "", hostPort, 8080))));
        try (ServerSocket server = listenIn(a, 8080)) {
            assertThat(exchange(server, null, "127.0.0.1", hostPort)).isEqualTo("hello");
        }
    }

    @Test
    void aPublishedPortIsReachableFromContainersOnTheSameAndOtherNetworks() throws Exception {
        BridgeSpec b = network(true, false);
        BridgeSpec other = network(true, false);
        Path server = netns("ctr-srv");
        Path neighbour = netns("ctr-nb");
        Path stranger = netns("ctr-str");
        int hostPort = freeHostPort();
        attach(server, b, endpoint("ctr-srv", address(b, 2), List.of(new PortMapping("tcp", "", hostPort, 80))));
        attach(neighbour, b, endpoint("ctr-nb", address(b, 3), List.of()));
        attach(stranger, other, endpoint("ctr-str", address(other, 2), List.of()));
        try (ServerSocket s = listenIn(server, 80)) {
            // through a host address (here each one's gateway): DNAT, then hairpin or forward
            assertThat(exchange(s, neighbour, gateway(b), hostPort)).isEqualTo("hello");
            assertThat(exchange(s, server, gateway(b), hostPort)).as("hairpin: to itself").isEqualTo("hello");
            assertThat(exchange(s, stranger, gateway(other), hostPort)).isEqualTo("hello");
            // but not straight to the address on the other network
            assertThatThrownBy(() -> connectFrom(stranger, address(b, 2), 80, 1500).close()).isInstanceOf(IOException.class);
        }
    }

    @Test
    void aSecondNetworkIsASecondInterfaceWithoutTheDefaultRoute() throws Exception {
        BridgeSpec first = network(true, false);
        BridgeSpec second = network(true, false);
        Path a = netns("ctr-two");
        Path peer = netns("ctr-peer");
        attach(a, first, endpoint("ctr-two", address(first, 2), List.of()));
        attach(a, second, new EndpointSpec("ctr-two", "eth1", List.of(address(second, 2) + "/24"), false, "", List.of()));
        attach(peer, second, endpoint("ctr-peer", address(second, 3), List.of()));
        String routes = NetnsThread.inNetns(SYS, a, () -> Files.readString(Path.of("/proc/thread-self/net/route")));
        assertThat(routes.lines().filter(l -> l.split("\\s+")[1].equals("00000000")).map(l -> l.split("\\s+")[0]))
                .containsExactly("eth0");
        try (ServerSocket s = listenIn(a, 7400)) {
            assertThat(exchange(s, peer, address(second, 2), 7400)).isEqualTo("hello");
        }
    }

    @Test
    void differentBridgesAreIsolated() throws Exception {
        BridgeSpec one = network(true, false);
        BridgeSpec two = network(true, false);
        Path a = netns("ctr-i1");
        Path c = netns("ctr-i2");
        attach(a, one, endpoint("ctr-i1", address(one, 2), List.of()));
        attach(c, two, endpoint("ctr-i2", address(two, 2), List.of()));
        try (ServerSocket server = listenIn(a, 7100)) {
            assertThatThrownBy(() -> connectFrom(c, address(one, 2), 7100, 1500).close()).isInstanceOf(IOException.class);
            // the way out is open: the host (through the other bridge's gateway) still answers
            assertThat(exchange(server, null, address(one, 2), 7100)).isEqualTo("hello");
        }
    }

    @Test
    void iccFalseDropsTrafficWithinTheBridge() throws Exception {
        BridgeSpec b = network(false, false);
        Path a = netns("ctr-n1");
        Path c = netns("ctr-n2");
        attach(a, b, endpoint("ctr-n1", address(b, 2), List.of()));
        attach(c, b, endpoint("ctr-n2", address(b, 3), List.of()));
        try (ServerSocket server = listenIn(a, 7200)) {
            assertThatThrownBy(() -> connectFrom(c, address(b, 2), 7200, 1500).close()).isInstanceOf(IOException.class);
            assertThat(exchange(server, null, address(b, 2), 7200)).isEqualTo("hello");
        }
    }

    @Test
    void anInternalNetworkHasNoWayOut() throws Exception {
        BridgeSpec internal = network(true, true);
        BridgeSpec outside = network(true, false);
        Path i = netns("ctr-int");
        Path o = netns("ctr-out");
        attach(i, internal, endpoint("ctr-int", address(internal, 2), List.of()));
        attach(o, outside, endpoint("ctr-out", address(outside, 2), List.of()));

        // no default route was made although the endpoint asked for one
        String routes = NetnsThread.inNetns(SYS, i, () -> Files.readString(Path.of("/proc/thread-self/net/route")));
        assertThat(routes.lines().skip(1).map(l -> l.split("\\s+")[1])).doesNotContain("00000000");
        // and with a route added by hand, the firewall still drops what leaves the bridge
        assertThat(KernelTestNetworks.nsenter(i, "ip", "route", "add", "default", "via", gateway(internal)).ok()).isTrue();
        try (ServerSocket server = listenIn(o, 7300)) {
            assertThatThrownBy(() -> connectFrom(i, address(outside, 2), 7300, 1500).close()).isInstanceOf(IOException.class);
        }
        // the gateway (where the embedded DNS listens) is still reachable from inside
        try (ServerSocket onGateway = new ServerSocket(0, 1, java.net.InetAddress.getByName(gateway(internal)))) {
            assertThat(exchange(onGateway, i, gateway(internal), onGateway.getLocalPort())).isEqualTo("hello");
        }
    }

    @Test
    void nothingIsLeftBehind() throws Exception {
        BridgeSpec b = network(true, false);
        Path a = kernel.createNetns("ctr-gone");
        kernel.loopbackUp(a);
        int hostPort = freeHostPort();
        var e = endpoint("ctr-gone", address(b, 2), List.of(new PortMapping("tcp", "", hostPort, 80)));
        long t0 = System.nanoTime();
        AttachResult r = kernel.attach(a, b, e);
        long t1 = System.nanoTime();
        kernel.detach(a, b, e);
        long t2 = System.nanoTime();
        kernel.detach(a, b, e); // idempotent
        kernel.removeNetns("ctr-gone");
        kernel.removeNetns("ctr-gone");
        kernel.tearDownNetwork(b);
        kernel.tearDownNetwork(b);
        System.out.printf("attach with a published port %.1f ms, detach %.1f ms%n", (t1 - t0) / 1e6, (t2 - t1) / 1e6);

        assertThat(Path.of("/sys/class/net", r.hostVeth())).doesNotExist();
        assertThat(Path.of("/sys/class/net", b.bridgeName())).doesNotExist();
        assertThat(a).doesNotExist();
        assertThat(kernel.pinnedNetns()).isEmpty();
        assertThat(firewallLinesMentioning(b.bridgeName())).isEmpty();
        assertThat(firewallLinesMentioning("\"id: \\\"ctr-gone\\\"")).isEmpty();
        assertThat(firewallLinesMentioning(":" + hostPort)).isEmpty();
    }

    @Test
    void removeTakesOffStackedPinsAndCreateKeepsAnExistingOne() {
        Path ns = kernel.createNetns("ctr-stack");
        assertThat(kernel.createNetns("ctr-stack")).isEqualTo(ns);
        SYS.mount(ns.toString(), ns, null, 4096 /* MS_BIND: what two racing creates would leave */, null);
        kernel.removeNetns("ctr-stack");
        assertThat(ns).doesNotExist();
        assertThat(kernel.pinnedNetns()).doesNotContain("ctr-stack");
    }

    @Test
    void detachToleratesANamespaceThatIsGone() throws InterruptedException {
        BridgeSpec b = network(true, false);
        Path a = kernel.createNetns("ctr-early");
        var e = endpoint("ctr-early", address(b, 2), List.of());
        AttachResult r = kernel.attach(a, b, e);
        kernel.removeNetns("ctr-early");
        kernel.detach(a, b, e);
        // the kernel frees an unpinned namespace, and the veth with it, in the background
        assertThat(waitUntilGone(Path.of("/sys/class/net", r.hostVeth()))).doesNotExist();
    }

    private static Path waitUntilGone(Path p) throws InterruptedException {
        for (int i = 0; i < 200 && Files.exists(p); i++) {
            Thread.sleep(50);
        }
        return p;
    }

    @Test
    void detachOfWhatWasNeverAttachedIsHarmless() throws Exception {
        // recovery after a kill between the plugins' ADDs detaches whatever the record says
        BridgeSpec b = network(true, false);
        Path a = netns("ctr-never");
        kernel.detach(a, b, endpoint("ctr-never", address(b, 2), List.of(new PortMapping("tcp", "", freeHostPort(), 80))));
        kernel.detach(kernel.netnsPath("ctr-none"), b, endpoint("ctr-none", address(b, 3), List.of()));
        // a record whose addresses were cleared before the crash
        Path cleared = netns("ctr-cleared");
        var e = endpoint("ctr-cleared", address(b, 4), List.of());
        AttachResult r = kernel.attach(cleared, b, e);
        kernel.detach(cleared, b, new EndpointSpec("ctr-cleared", "eth0", List.of(), true, "", List.of()));
        assertThat(Path.of("/sys/class/net", r.hostVeth())).doesNotExist();
    }

    @Test
    void aSecondAttachOnTheSameInterfaceFailsAndLeavesTheFirstAlone() throws Exception {
        BridgeSpec b = network(true, false);
        Path a = netns("ctr-twice");
        Path peer = netns("ctr-peer2");
        attach(a, b, endpoint("ctr-twice", address(b, 2), List.of()));
        attach(peer, b, endpoint("ctr-peer2", address(b, 3), List.of()));
        assertThatThrownBy(() -> kernel.attach(a, b, endpoint("ctr-twice", address(b, 4), List.of())))
                .isInstanceOf(BerthException.class).hasMessageStartingWith("cni plugin bridge ADD: ");
        try (ServerSocket s = listenIn(a, 7500)) {
            assertThat(exchange(s, peer, address(b, 2), 7500)).isEqualTo("hello");
        }
    }

    @Test
    void attachRefusesAMissingNamespaceAndAnAddressOutsideTheSubnet() {
        BridgeSpec b = network(true, false);
        assertThatThrownBy(() -> kernel.attach(kernel.netnsPath("nope"), b, endpoint("nope", address(b, 2), List.of())))
                .isInstanceOf(BerthException.class).hasMessageContaining("no network namespace");
        Path a = netns("ctr-bad");
        assertThatThrownBy(() -> kernel.attach(a, b, endpoint("ctr-bad", "10.199.0.2", List.of())))
                .isInstanceOf(BerthException.class).hasMessageContaining("is in no subnet");
        assertThatThrownBy(() -> kernel.createNetns("../escape"))
                .isInstanceOf(BerthException.class).hasMessageContaining("invalid container id");
        assertThatThrownBy(() -> kernel.attach(a, b, endpoint("a\" -j ACCEPT", address(b, 2), List.of())))
                .isInstanceOf(BerthException.class).hasMessageContaining("invalid container id");
        BridgeSpec odd = new BridgeSpec("x", "x", "bt x\n-F", b.subnets(), true, false, true, 0);
        assertThatThrownBy(() -> kernel.setUpNetwork(odd)).isInstanceOf(BerthException.class)
                .hasMessageContaining("invalid bridge name");
    }
}
