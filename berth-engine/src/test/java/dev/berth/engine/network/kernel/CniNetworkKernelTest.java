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

import dev.berth.engine.network.NetworkKernel.AttachResult;
import dev.berth.engine.network.NetworkKernel.BridgeSpec;
import dev.berth.engine.network.NetworkKernel.EndpointSpec;
import dev.berth.engine.network.NetworkKernel.PortMapping;
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
    void detachToleratesANamespaceThatIsGone() {
        BridgeSpec b = network(true, false);
        Path a = kernel.createNetns("ctr-early");
        var e = endpoint("ctr-early", address(b, 2), List.of());
        AttachResult r = kernel.attach(a, b, e);
        kernel.removeNetns("ctr-early");
        kernel.detach(a, b, e);
        assertThat(Path.of("/sys/class/net", r.hostVeth())).doesNotExist();
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
    }
}
