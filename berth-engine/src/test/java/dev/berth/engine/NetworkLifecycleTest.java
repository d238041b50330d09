package dev.berth.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.engine.container.Container;
import dev.berth.engine.container.ContainerConfig;
import dev.berth.engine.container.HostConfig;
import dev.berth.engine.network.EndpointSettings;
import dev.berth.engine.network.Network;
import dev.berth.engine.network.NetworkCreateRequest;
import dev.berth.engine.network.NetworkEvent;
import dev.berth.engine.network.NetworkKernel;
import dev.berth.engine.network.PortBinding;
import dev.berth.engine.testing.EngineFixture;
import dev.berth.engine.testing.FakeNetworkKernel;
import dev.berth.oci.BerthException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Containers on networks through the engine, with the fake network kernel: real containers in
 * real (empty) namespaces, the bridges, veths and port mappings only recorded. Needs root.
 */
class NetworkLifecycleTest {
    private EngineFixture fx;
    private ContainerEngine engine;
    private FakeNetworkKernel kernel;
    private String bridge;
    private String prefix;
    private final List<NetworkEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        EngineFixture.assumePrivileged();
        kernel = new FakeNetworkKernel();
        bridge = "bt" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        prefix = "10." + (200 + ThreadLocalRandom.current().nextInt(51)) + "." + ThreadLocalRandom.current().nextInt(128);
        fx = new EngineFixture().startWithNetworks(kernel, bridge, prefix + ".1/24");
        engine = fx.engine;
        engine.onNetworkEvent(events::add);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (fx == null) {
            return;
        }
        try {
            List<String> ids = new ArrayList<>();
            for (Container c : fx.engine.list(true)) {
                ids.add(c.id());
                fx.engine.remove(c.id(), true);
            }
            assertThat(kernel.leftoverNamespaces()).as("namespaces left").isEmpty();
            assertThat(kernel.attached()).as("endpoints left").isEmpty();
            fx.assertNoLeaks(ids);
        } finally {
            kernel.cleanUp();
            fx.close();
        }
    }

    private Container run(String name, HostConfig host) {
        return run(name, ContainerConfig.of("busybox", List.of("sleep", "1000")), host, Map.of());
    }

    private Container run(String name, ContainerConfig config, HostConfig host, Map<String, EndpointSettings> endpoints) {
        Container c = engine.create(CreateRequest.of(config, host).named(name).withEndpoints(endpoints));
        engine.start(c.id());
        return engine.inspect(c.id());
    }

    private static String netnsOf(Container c) throws Exception {
        return Files.readSymbolicLink(Path.of("/proc/" + c.state().pid() + "/ns/net")).toString();
    }

    private static long inode(Path p) throws Exception {
        return ((Number) Files.getAttribute(p, "unix:ino")).longValue();
    }

    @Test
    void theDefaultBridgeGivesAnAddressAHostsLineAndAPinnedNamespace() throws Exception {
        Container created = engine.create(CreateRequest.of(ContainerConfig.of("busybox", List.of("sleep", "1000")),
                HostConfig.DEFAULT.withNetworkMode("default")).named("web"));
        assertThat(created.hostConfig().networkMode()).isEqualTo("bridge");
        assertThat(created.networks()).containsOnlyKeys("bridge");
        assertThat(created.networks().get("bridge").ipv4Address()).isEmpty();
        Network defaultBridge = engine.networkInspect("bridge");
        assertThat(defaultBridge.ipam()).containsExactly(new Network.IpamPool(prefix + ".0/24", "", prefix + ".1"));
        assertThat(defaultBridge.options()).containsEntry("com.docker.network.bridge.name", bridge);
        assertThat(kernel.bridges()).containsKey(bridge);

        engine.start("web");
        Container c = engine.inspect("web");
        EndpointSettings e = c.networks().get("bridge");
        assertThat(e.ipv4Address()).isEqualTo(prefix + ".2");
        assertThat(e.ipv4PrefixLength()).isEqualTo(24);
        assertThat(e.gateway()).isEqualTo(prefix + ".1");
        assertThat(e.networkId()).isEqualTo(defaultBridge.id());
        assertThat(e.endpointId()).matches("[0-9a-f]{64}");
        assertThat(e.macAddress()).startsWith("02:42:");
        assertThat(e.dnsNames()).as("no names on the default bridge").isEmpty();
        FakeNetworkKernel.Attachment a = kernel.attachedTo(c.id()).getFirst();
        assertThat(a.endpoint().ifName()).isEqualTo("eth0");
        assertThat(a.endpoint().defaultRoute()).isTrue();
        assertThat(a.endpoint().addresses()).containsExactly(prefix + ".2/24");
        assertThat(kernel.isLoopbackUp(a.netns())).isTrue();
        assertThat(netnsOf(c)).isEqualTo("net:[" + inode(a.netns()) + "]");
        assertThat(Files.readString(engine.paths("web").hostsPath())).contains(prefix + ".2\t" + c.id().substring(0, 12) + "\n");
        assertThat(Files.readString(engine.paths("web").resolvConfPath())).doesNotContain("ndots:0");

        List<String> order = new CopyOnWriteArrayList<>();
        try (AutoCloseable x = engine.onEvent(ev -> order.add(ev.action()));
             AutoCloseable y = engine.onNetworkEvent(ev -> order.add("network " + ev.action()))) {
            engine.stop("web", Optional.of(0));
        }
        assertThat(order).as("dockerd's order").containsSubsequence("die", "network disconnect", "stop");
        Container stopped = engine.inspect("web");
        assertThat(stopped.networks().get("bridge").ipv4Address()).isEmpty();
        assertThat(stopped.networks().get("bridge").endpointId()).isEmpty();
        assertThat(kernel.attached()).isEmpty();
        assertThat(kernel.leftoverNamespaces()).isEmpty();
        assertThat(events).extracting(NetworkEvent::action).containsExactly("connect", "disconnect");
        assertThat(events.getFirst().networkName()).isEqualTo("bridge");
        assertThat(events.getFirst().containerId()).isEqualTo(c.id());

        engine.start("web");
        assertThat(engine.inspect("web").networks().get("bridge").ipv4Address()).startsWith(prefix + ".");
    }

    @Test
    void aUserNetworkHasNamesAliasesAnEmbeddedDnsAndActiveEndpoints() throws Exception {
        String sub = prefix.substring(0, prefix.lastIndexOf('.')) + "." + (128 + ThreadLocalRandom.current().nextInt(127));
        Network net = engine.networkCreate(new NetworkCreateRequest("app", "", false, false, false,
                List.of(new Network.IpamPool(sub + ".0/24", "", "")), Map.of(), Map.of("tier", "1")));
        assertThat(net.ipam()).containsExactly(new Network.IpamPool(sub + ".0/24", "", sub + ".1"));
        assertThat(kernel.bridges()).containsKey("br-" + net.id().substring(0, 12));
        assertThat(engine.networkList()).extracting(Network::name).contains("bridge", "host", "none", "app");
        assertThat(engine.networkInspect(net.id().substring(0, 5)).name()).isEqualTo("app");

        Container db = run("db", ContainerConfig.of("busybox", List.of("sleep", "1000")), HostConfig.DEFAULT.withNetworkMode("app"),
                Map.of("app", EndpointSettings.requested("", sub + ".50", "", List.of("Store", "cache"))));
        Container web = run("web", HostConfig.DEFAULT.withNetworkMode("app"));
        assertThat(db.networks().get("app").ipv4Address()).isEqualTo(sub + ".50");
        assertThat(db.networks().get("app").dnsNames()).containsExactly("db", "Store", "cache", db.id().substring(0, 12));
        assertThat(web.networks().get("app").ipv4Address()).isEqualTo(sub + ".2");
        assertThat(Files.readString(engine.paths("web").resolvConfPath())).startsWith("nameserver " + sub + ".1\n")
                .contains("options ndots:0");

        var dir = engine.dnsDirectory();
        InetAddress fromWeb = InetAddress.getByName(sub + ".2");
        assertThat(dir.lookup(fromWeb, "db", false)).contains(List.of(InetAddress.getByName(sub + ".50")));
        assertThat(dir.lookup(fromWeb, "STORE.", false)).contains(List.of(InetAddress.getByName(sub + ".50")));
        assertThat(dir.lookup(fromWeb, db.id().substring(0, 12), false)).isPresent();
        assertThat(dir.lookup(fromWeb, "db", true)).contains(List.of());
        assertThat(dir.lookup(fromWeb, "example.com", false)).isEmpty();
        assertThat(dir.lookup(InetAddress.getByName("192.0.2.99"), "db", false)).as("not a container").isEmpty();
        var reverse = (dev.berth.engine.network.dns.DnsReverseDirectory) dir;
        assertThat(reverse.nameOf(fromWeb, InetAddress.getByName(sub + ".50"))).contains("db.app");
        assertThat(reverse.nameOf(InetAddress.getByName("192.0.2.99"), InetAddress.getByName(sub + ".50"))).isEmpty();

        Container other = run("other", HostConfig.DEFAULT.withNetworkMode("bridge"));
        InetAddress fromOther = InetAddress.getByName(other.networks().get("bridge").ipv4Address());
        assertThat(dir.lookup(fromOther, "db", false)).as("the default bridge has no names").isEmpty();

        assertThat(engine.networkEndpoints("app")).containsOnlyKeys(db.id(), web.id());
        assertThatThrownBy(() -> engine.networkRemove("app"))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.kind()).isEqualTo(BerthException.Kind.FORBIDDEN))
                .hasMessage("error while removing network: network app id " + net.id() + " has active endpoints");
        assertThatThrownBy(() -> engine.networkConnect("app", "web", null))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.kind()).isEqualTo(BerthException.Kind.FORBIDDEN))
                .hasMessage("endpoint with name web already exists in network app");
        assertThatThrownBy(() -> run("clash", ContainerConfig.of("busybox", List.of("sleep", "1000")),
                HostConfig.DEFAULT.withNetworkMode("app"), Map.of("app", EndpointSettings.requested("", sub + ".50", "", List.of()))))
                .hasMessageContaining("Address already in use");

        // the default-bridge container joins the user network while it runs: eth1, no default route
        engine.networkConnect("app", "other", EndpointSettings.requested("", "", "", List.of("o")));
        Container connected = engine.inspect("other");
        assertThat(connected.networks()).containsOnlyKeys("bridge", "app");
        assertThat(kernel.attachedTo(other.id())).extracting(x -> x.endpoint().ifName()).containsExactly("eth0", "eth1");
        assertThat(kernel.attachedTo(other.id()).get(1).endpoint().defaultRoute()).isFalse();
        assertThat(dir.lookup(fromWeb, "o", false)).contains(List.of(InetAddress.getByName(
                connected.networks().get("app").ipv4Address())));
        assertThat(Files.readString(engine.paths("other").resolvConfPath())).as("the embedded DNS comes with the first user network")
                .startsWith("nameserver " + sub + ".1\n");
        engine.networkDisconnect("app", "other", false);
        assertThat(Files.readString(engine.paths("other").resolvConfPath())).doesNotContain(sub + ".1");
        assertThat(engine.inspect("other").networks()).containsOnlyKeys("bridge");
        assertThat(kernel.attachedTo(other.id())).hasSize(1);
        assertThatThrownBy(() -> engine.networkDisconnect("app", "other", false))
                .hasMessage("container " + other.id() + " is not connected to network app");

        // a stopped container is connected in its record and attached at its next start, after its first network
        engine.stop("other", Optional.of(0));
        engine.networkConnect("app", "other", null);
        assertThat(engine.inspect("other").networks().get("app").ipv4Address()).isEmpty();
        engine.start("other");
        assertThat(kernel.attachedTo(other.id())).extracting(x -> x.endpoint().ifName() + " " + x.network().name())
                .containsExactly("eth0 bridge", "eth1 app");
        assertThat(engine.inspect("other").networks().get("app").ipv4Address()).startsWith(sub + ".");
        engine.stop("other", Optional.of(0));

        engine.stop("db", Optional.of(0));
        engine.stop("web", Optional.of(0));
        engine.networkRemove("app");
        assertThat(kernel.bridges()).doesNotContainKey("br-" + net.id().substring(0, 12));
        assertThat(engine.networkList()).extracting(Network::name).doesNotContain("app");
        assertThatThrownBy(() -> engine.start("web")).hasMessage("network app not found");
        assertThat(events).extracting(NetworkEvent::action).contains("create", "connect", "disconnect", "destroy");
    }

    @Test
    void publishedPortsAreReservedOnTheHostAndFreedAtStop() throws Exception {
        int fixed;
        try (ServerSocket probe = new ServerSocket(0)) {
            fixed = probe.getLocalPort();
        }
        ContainerConfig exposing = ContainerConfig.of("busybox", List.of("sleep", "1000")).withExposedPorts(Set.of("53/udp"));
        HostConfig ports = HostConfig.DEFAULT.withNetworkMode("bridge").withPorts(Map.of(
                "80/tcp", List.of(new PortBinding("", Integer.toString(fixed))),
                "443/tcp", List.of(new PortBinding("127.0.0.1", ""))), true);
        Container web = run("web", exposing, ports, Map.of());
        assertThat(web.ports()).containsOnlyKeys("53/udp", "80/tcp", "443/tcp");
        assertThat(web.ports().get("80/tcp")).containsExactly(new PortBinding("0.0.0.0", Integer.toString(fixed)));
        int random = Integer.parseInt(web.ports().get("443/tcp").getFirst().hostPort());
        assertThat(random).isBetween(32768, 60999);
        assertThat(web.ports().get("443/tcp").getFirst().hostIp()).isEqualTo("127.0.0.1");
        assertThat(kernel.attachedTo(web.id()).getFirst().endpoint().ports()).contains(
                new NetworkKernel.PortMapping("tcp", "", fixed, 80), new NetworkKernel.PortMapping("tcp", "127.0.0.1", random, 443));
        try (ServerSocket taken = new ServerSocket()) {
            assertThatThrownBy(() -> taken.bind(new InetSocketAddress("0.0.0.0", fixed))).as("held for the container")
                    .isInstanceOf(java.net.BindException.class);
        }

        Container clash = engine.create(CreateRequest.of(ContainerConfig.of("busybox", List.of("sleep", "1000")),
                HostConfig.DEFAULT.withNetworkMode("bridge").withPorts(Map.of("8080/tcp",
                        List.of(new PortBinding("", Integer.toString(fixed)))), false)).named("clash"));
        assertThatThrownBy(() -> engine.start("clash"))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.kind()).isEqualTo(BerthException.Kind.INTERNAL))
                .hasMessageStartingWith("driver failed programming external connectivity on endpoint clash (")
                .hasMessageEndingWith("): Bind for 0.0.0.0:" + fixed + " failed: port is already allocated");
        Container failed = engine.inspect("clash");
        assertThat(failed.state().running()).isFalse();
        assertThat(failed.networks().get("bridge").ipv4Address()).isEmpty();
        assertThat(kernel.attachedTo(clash.id())).isEmpty();

        engine.stop("web", Optional.of(0));
        assertThat(engine.inspect("web").ports()).isEmpty();
        try (ServerSocket free = new ServerSocket()) {
            free.bind(new InetSocketAddress("0.0.0.0", fixed)); // released at stop
        }
        engine.start("clash");
        assertThat(engine.inspect("clash").ports().get("8080/tcp")).containsExactly(new PortBinding("0.0.0.0", Integer.toString(fixed)));
    }

    @Test
    void aCrashLeavesNoAddressNamespaceOrEndpointBehind() throws Exception {
        Container a = run("ctr-a", HostConfig.DEFAULT.withNetworkMode("bridge"));
        Container b = run("ctr-b", HostConfig.DEFAULT.withNetworkMode("bridge"));
        assertThat(a.networks().get("bridge").ipv4Address()).isNotEqualTo(b.networks().get("bridge").ipv4Address());
        engine.abandonForTest();
        long pa = a.state().pid();
        long pb = b.state().pid();
        fx.engine = engine = fx.openEngine(kernel, bridge, prefix + ".1/24");
        assertThat(ProcessHandle.of(pa).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(ProcessHandle.of(pb).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(engine.inspect("ctr-a").networks().get("bridge").ipv4Address()).isEmpty();
        assertThat(kernel.attached()).isEmpty();
        assertThat(kernel.leftoverNamespaces()).isEmpty();
        assertThat(kernel.calls()).contains("detach " + a.id() + " " + bridge + " eth0", "removeNetns " + b.id());

        Container c1 = run("c1", HostConfig.DEFAULT.withNetworkMode("bridge"));
        engine.start("ctr-a");
        assertThat(engine.inspect("ctr-a").networks().get("bridge").ipv4Address())
                .isNotEqualTo(c1.networks().get("bridge").ipv4Address());
    }

    @Test
    void aFailedAttachUndoesTheStart() throws Exception {
        // a /30 has one address for a container: the retry gets it only if the failed start gave it back
        String tiny = prefix.substring(0, prefix.lastIndexOf('.')) + "." + (128 + ThreadLocalRandom.current().nextInt(127));
        engine.networkCreate(new NetworkCreateRequest("tiny", "bridge", false, false, false,
                List.of(new Network.IpamPool(tiny + ".0/30", "", "")), Map.of(), Map.of()));
        engine.create(CreateRequest.of(ContainerConfig.of("busybox", List.of("sleep", "1000")),
                HostConfig.DEFAULT.withNetworkMode("tiny")).named("ctr-x"));
        kernel.failNextAttach("plugin bridge failed: boom");
        assertThatThrownBy(() -> engine.start("ctr-x")).hasMessageContaining("boom");
        assertThat(kernel.leftoverNamespaces()).isEmpty();
        assertThat(engine.inspect("ctr-x").state().running()).isFalse();
        assertThat(engine.inspect("ctr-x").networks().get("tiny").ipv4Address()).isEmpty();
        engine.start("ctr-x");
        assertThat(engine.inspect("ctr-x").networks().get("tiny").ipv4Address()).isEqualTo(tiny + ".2");
        engine.create(CreateRequest.of(ContainerConfig.of("busybox", List.of("sleep", "1000")),
                HostConfig.DEFAULT.withNetworkMode("tiny")).named("ctr-y"));
        assertThatThrownBy(() -> engine.start("ctr-y")).hasMessageContaining("no available IPv4 addresses");
        assertThat(kernel.leftoverNamespaces()).hasSize(1);
    }

    @Test
    void aChosenMacAddressIsTheInterfacesAndSurvivesAStop() {
        String mac = "02:42:0a:c8:00:99";
        Container c = run("ctr-mac", ContainerConfig.of("busybox", List.of("sleep", "1000")),
                HostConfig.DEFAULT.withNetworkMode("bridge"),
                Map.of("bridge", EndpointSettings.requested("", "", "", List.of(), mac)));
        assertThat(kernel.attachedTo(c.id()).getFirst().endpoint().macAddress()).isEqualTo(mac);
        assertThat(c.networks().get("bridge").macAddress()).isEqualTo(mac);
        engine.stop("ctr-mac", Optional.of(0));
        EndpointSettings stopped = engine.inspect("ctr-mac").networks().get("bridge");
        assertThat(stopped.ipv4Address()).isEmpty();
        assertThat(stopped.requestedMac()).isEqualTo(mac);
        engine.start("ctr-mac");
        assertThat(kernel.attachedTo(c.id()).getFirst().endpoint().macAddress()).as("again at the next start").isEqualTo(mac);
        assertKind(() -> engine.create(new CreateRequest(Optional.empty(), ContainerConfig.of("busybox", List.of("true")),
                        HostConfig.DEFAULT.withNetworkMode("host"), Map.of("host", EndpointSettings.requested("", "", "", List.of(), mac)))),
                BerthException.Kind.INVALID_ARGUMENT, "conflicting options: mac-address and the network mode");
    }

    @Test
    void containerModeJoinsTheOtherNamespaceAndItsFiles() throws Exception {
        Container a = run("ctr-a", HostConfig.DEFAULT.withNetworkMode("bridge"));
        Container b = run("ctr-b", HostConfig.DEFAULT.withNetworkMode("container:ctr-a"));
        assertThat(b.networks()).isEmpty();
        assertThat(b.hostConfig().networkMode()).as("recorded by id, as dockerd").isEqualTo("container:" + a.id());
        assertThat(netnsOf(b)).isEqualTo(netnsOf(a));
        assertThat(Files.readString(engine.paths("ctr-b").hostsPath())).isEqualTo(Files.readString(engine.paths("ctr-a").hostsPath()));
        assertThat(engine.inspect("ctr-b").config().hostname()).as("docker: the other's hostname").isEqualTo(a.id().substring(0, 12));
        assertThat(Files.readString(Path.of("/proc/" + b.state().pid() + "/root/etc/hostname"))).isEqualTo(a.id().substring(0, 12) + "\n");
        engine.stop("ctr-a", Optional.of(0));
        engine.stop("ctr-b", Optional.of(0));
        assertThatThrownBy(() -> engine.start("ctr-b"))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.kind()).isEqualTo(BerthException.Kind.CONFLICT))
                .hasMessage("cannot join network of a non running container: " + a.id());
        assertThatThrownBy(() -> engine.create(CreateRequest.of(ContainerConfig.of("busybox", List.of("true")),
                HostConfig.DEFAULT.withNetworkMode("container:ctr-a").withPorts(Map.of("80/tcp", List.of()), false))))
                .hasMessage("conflicting options: port publishing and the container type network mode");
        assertThatThrownBy(() -> engine.create(CreateRequest.of(ContainerConfig.of("busybox", List.of("true")),
                HostConfig.DEFAULT.withNetworkMode("container:nope"))))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.kind()).isEqualTo(BerthException.Kind.NOT_FOUND));
    }

    @Test
    void badNetworkRequestsGetDockersAnswers() {
        ContainerConfig cfg = ContainerConfig.of("busybox", List.of("true"));
        for (String mode : List.of("host", "none")) {
            assertKind(() -> engine.create(new CreateRequest(Optional.empty(), cfg, HostConfig.DEFAULT.withNetworkMode(mode),
                            Map.of(mode, EndpointSettings.requested("", "10.1.2.3", "", List.of())))),
                    BerthException.Kind.INVALID_ARGUMENT, "user specified IP address is supported on user defined networks only");
            assertKind(() -> engine.create(new CreateRequest(Optional.empty(), cfg, HostConfig.DEFAULT.withNetworkMode(mode),
                            Map.of(mode, EndpointSettings.requested("", "", "", List.of("al"))))),
                    BerthException.Kind.INVALID_ARGUMENT, "network-scoped alias is supported only for containers in user defined networks");
        }
        String other = prefix.substring(0, prefix.lastIndexOf('.')) + "." + (128 + ThreadLocalRandom.current().nextInt(127));
        assertKind(() -> engine.networkCreate(request("bridge", List.of())), BerthException.Kind.FORBIDDEN,
                "operation is not permitted on predefined bridge network ");
        engine.networkCreate(request("n1", List.of(new Network.IpamPool(other + ".0/25", "", ""))));
        assertKind(() -> engine.networkCreate(request("n1", List.of())), BerthException.Kind.CONFLICT,
                "network with name n1 already exists");
        assertKind(() -> engine.networkCreate(request("n2", List.of(new Network.IpamPool(other + ".64/26", "", "")))),
                BerthException.Kind.FORBIDDEN, "Pool overlaps with other one on this address space");
        assertKind(() -> engine.networkCreate(request("n3", List.of(new Network.IpamPool("10.251.0.0/24", "", "10.252.0.1")))),
                BerthException.Kind.INVALID_ARGUMENT, "failed to allocate gateway (10.252.0.1): Requested address is out of range");
        assertKind(() -> engine.networkCreate(request("n4", List.of(new Network.IpamPool("10.251.0.0/33", "", "")))),
                BerthException.Kind.INVALID_ARGUMENT, "Invalid subnet 10.251.0.0/33 : invalid CIDR address: 10.251.0.0/33");
        assertKind(() -> engine.networkCreate(new NetworkCreateRequest("n5", "foo", false, false, false, List.of(), Map.of(), Map.of())),
                BerthException.Kind.NOT_FOUND, "plugin \"foo\" not found");
        assertKind(() -> engine.networkRemove("host"), BerthException.Kind.FORBIDDEN, "host is a pre-defined network and cannot be removed");
        assertKind(() -> engine.networkRemove("nope"), BerthException.Kind.NOT_FOUND, "network nope not found");
        assertKind(() -> engine.create(CreateRequest.of(cfg, HostConfig.DEFAULT.withNetworkMode("nope"))),
                BerthException.Kind.NOT_FOUND, "network nope not found");
        assertKind(() -> engine.create(CreateRequest.of(cfg, HostConfig.DEFAULT.withNetworkMode("bridge"))
                        .withEndpoints(Map.of("bridge", EndpointSettings.requested("", prefix + ".9", "", List.of())))),
                BerthException.Kind.INVALID_ARGUMENT, "user specified IP address is supported on user defined networks only");
        assertKind(() -> engine.create(CreateRequest.of(cfg, HostConfig.DEFAULT.withNetworkMode("n1"))
                        .withEndpoints(Map.of("n1", EndpointSettings.requested("", other + ".200", "", List.of())))),
                BerthException.Kind.INVALID_ARGUMENT, "Invalid address " + other + ".200: It does not belong to any of this network's subnets");
        Container none = engine.create(CreateRequest.of(cfg, HostConfig.DEFAULT.withNetworkMode("none")));
        assertThat(none.networks()).containsOnlyKeys("none");
        assertKind(() -> engine.networkConnect("n1", none.id(), null), BerthException.Kind.INVALID_ARGUMENT,
                "container cannot be connected to multiple networks with one of the networks in private (none) mode");
        assertThat(engine.networkPrune()).containsExactly("n1");
        assertThat(engine.networkList()).extracting(Network::name).containsExactlyInAnyOrder("bridge", "host", "none");
    }

    private static NetworkCreateRequest request(String name, List<Network.IpamPool> pools) {
        return new NetworkCreateRequest(name, "bridge", false, false, false, pools, Map.of(), Map.of());
    }

    private static void assertKind(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, BerthException.Kind kind,
                                   String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.kind()).isEqualTo(kind))
                .hasMessage(message);
    }
}
