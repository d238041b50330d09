package dev.berth.daemon.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.daemon.api.ApiVersion;
import dev.berth.engine.container.Container;
import dev.berth.engine.container.ContainerConfig;
import dev.berth.engine.container.ContainerName;
import dev.berth.engine.container.ContainerState;
import dev.berth.engine.container.HostConfig;
import dev.berth.engine.network.EndpointSettings;
import dev.berth.engine.network.PortBinding;
import dev.berth.oci.image.Digest;
import dev.berth.oci.json.Json;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A container's networking as dockerd 20.10 shows it; the expected documents are what a private
 * dockerd wrote for {@code docker run -d --name web -p 8080:80 -p 127.0.0.1::81/udp --expose 90 busybox}
 * (its ::-bindings left out: berth binds IPv4 only).
 */
class ContainerNetworkWireTest {
    private static final String ID = "c29d9028080d9718655411692ff8204582cd35a9fadd31c49e5b9b5dd39250cb";
    private static final String BRIDGE = "047bb4370a6b3d00c52524ae071076babe485e50fe9479042eff8a97b29f8714";
    private static final String EP = "c763cbe02f81f2457f2f4e5ee70d389b55c44fa87627da67833d1865e75df388";

    private static Container web(ContainerState state, Map<String, List<PortBinding>> ports) {
        ContainerConfig config = ContainerConfig.of("busybox", List.of("sleep", "1000")).withExposedPorts(Set.of("80/tcp", "81/udp", "90/tcp"));
        HostConfig host = HostConfig.DEFAULT.withNetworkMode("default")
                .withPorts(Map.of("80/tcp", List.of(new PortBinding("", "8080")), "81/udp", List.of(new PortBinding("127.0.0.1", ""))), false);
        EndpointSettings e = new EndpointSettings(BRIDGE, EP, "", "", List.of(), List.of(), "10.239.0.2", 24, "10.239.0.1", "", 0, "",
                "02:42:0a:ef:00:02");
        return new Container(ID, ContainerName.of("web"), Instant.parse("2026-11-26T13:46:03Z"), Digest.sha256("x".getBytes()),
                config, host, "sleep", List.of("1000"), state, 0, false, true, Map.of("bridge", e), ports);
    }

    private static final Map<String, List<PortBinding>> BOUND = Map.of(
            "80/tcp", List.of(new PortBinding("0.0.0.0", "8080")), "81/udp", List.of(new PortBinding("127.0.0.1", "32768")));

    private static ContainerState running() {
        return ContainerState.created().toRunning(42, Instant.parse("2026-11-26T13:46:04Z"));
    }

    private static ContainerNetworkWire wire(int minor) {
        return new ContainerNetworkWire(new ApiVersion(1, minor), name -> "", Path.of("/nonexistent"));
    }

    @Test
    void aRunningContainerOnTheDefaultBridgeIsDockerdsDocument() {
        String json = Json.write(wire(41).settings(web(running(), BOUND)));
        assertThat(json).isEqualTo("{\"Bridge\":\"\",\"SandboxID\":\"\",\"HairpinMode\":false,\"LinkLocalIPv6Address\":\"\","
                + "\"LinkLocalIPv6PrefixLen\":0,\"Ports\":{\"80/tcp\":[{\"HostIp\":\"0.0.0.0\",\"HostPort\":\"8080\"}],"
                + "\"81/udp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"32768\"}],\"90/tcp\":null},\"SandboxKey\":\"\","
                + "\"SecondaryIPAddresses\":null,\"SecondaryIPv6Addresses\":null,\"EndpointID\":\"" + EP + "\","
                + "\"Gateway\":\"10.239.0.1\",\"GlobalIPv6Address\":\"\",\"GlobalIPv6PrefixLen\":0,\"IPAddress\":\"10.239.0.2\","
                + "\"IPPrefixLen\":24,\"IPv6Gateway\":\"\",\"MacAddress\":\"02:42:0a:ef:00:02\",\"Networks\":{\"bridge\":{"
                + "\"IPAMConfig\":null,\"Links\":null,\"Aliases\":null,\"MacAddress\":\"02:42:0a:ef:00:02\",\"DriverOpts\":null,"
                + "\"NetworkID\":\"" + BRIDGE + "\",\"EndpointID\":\"" + EP + "\",\"Gateway\":\"10.239.0.1\","
                + "\"IPAddress\":\"10.239.0.2\",\"IPPrefixLen\":24,\"IPv6Gateway\":\"\",\"GlobalIPv6Address\":\"\","
                + "\"GlobalIPv6PrefixLen\":0}}}");
    }

    @Test
    void theListsPortsAreDockerdsRows() {
        assertThat(Json.write(ContainerNetworkWire.portList(web(running(), BOUND)))).isEqualTo(
                "[{\"IP\":\"0.0.0.0\",\"PrivatePort\":80,\"PublicPort\":8080,\"Type\":\"tcp\"},"
                        + "{\"IP\":\"127.0.0.1\",\"PrivatePort\":81,\"PublicPort\":32768,\"Type\":\"udp\"},"
                        + "{\"PrivatePort\":90,\"Type\":\"tcp\"}]");
        assertThat(Json.write(wire(41).listSettings(web(running(), BOUND)))).startsWith("{\"Networks\":{\"bridge\":{\"IPAMConfig\":null");
    }

    @Test
    void aContainerThatDoesNotRunHasNoPorts() {
        Container created = web(ContainerState.created(), Map.of());
        assertThat(ContainerNetworkWire.ports(created)).isEmpty();
        assertThat(ContainerNetworkWire.portList(created)).isEmpty();
    }

    @Test
    void userNetworkEndpointsFollowTheApiVersion() {
        EndpointSettings e = new EndpointSettings("972970fcf2aa", "f43e", "10.230.5.50", "", List.of("a1"),
                List.of("u2", "a1", ID.substring(0, 12)), "10.230.5.50", 16, "10.230.0.254", "", 0, "", "02:42:0a:e6:05:32");
        Container c = web(running(), Map.of()).withNetworks(Map.of("n2", e));
        String v141 = Json.write(wire(41).networks(c));
        assertThat(v141).contains("\"IPAMConfig\":{\"IPv4Address\":\"10.230.5.50\"}", "\"Aliases\":[\"a1\",\"c29d9028080d\"]")
                .doesNotContain("DNSNames");
        String v147 = Json.write(wire(47).networks(c));
        assertThat(v147).contains("\"Aliases\":[\"a1\"]", "\"DNSNames\":[\"u2\",\"a1\",\"c29d9028080d\"]");
        // not on the default bridge: the top-level fields are empty
        assertThat(Json.write(wire(47).settings(c))).contains("\"IPAddress\":\"\"", "\"Gateway\":\"\"");
    }

    @Test
    void noneAndHostContainersShowTheirModesNetwork() {
        Container none = web(ContainerState.created(), Map.of()).withNetworks(Map.of());
        none = new Container(none.id(), none.name(), none.created(), none.imageId(), none.config(),
                none.hostConfig().withNetworkMode("none"), none.path(), none.args(), none.state(), 0, false, false);
        ContainerNetworkWire w = new ContainerNetworkWire(new ApiVersion(1, 47), name -> name.equals("none") ? "278ad132baff" : "",
                Path.of("/nonexistent"));
        assertThat(Json.write(w.networks(none))).startsWith("{\"none\":{\"IPAMConfig\":null,\"Links\":null,\"Aliases\":null,")
                .contains("\"NetworkID\":\"278ad132baff\"");
    }

    @Test
    void createBodiesAskForEndpointsByNetworkName() {
        // the docker CLI 28's body for docker run busybox: an empty "default" endpoint, dropped
        var plain = CreateBody.read(java.util.Optional.empty(), Json.parse("{\"Image\":\"busybox\",\"HostConfig\":"
                + "{\"NetworkMode\":\"default\"},\"NetworkingConfig\":{\"EndpointsConfig\":{\"default\":{\"IPAMConfig\":null,"
                + "\"Links\":null,\"Aliases\":null,\"MacAddress\":\"\",\"DriverOpts\":null,\"GwPriority\":0,\"NetworkID\":\"\","
                + "\"EndpointID\":\"\",\"Gateway\":\"\",\"IPAddress\":\"\",\"IPPrefixLen\":0,\"IPv6Gateway\":\"\","
                + "\"GlobalIPv6Address\":\"\",\"GlobalIPv6PrefixLen\":0,\"DNSNames\":null}}}}"));
        assertThat(plain.endpoints()).isEmpty();
        var onN2 = CreateBody.read(java.util.Optional.empty(), Json.parse("{\"Image\":\"busybox\",\"HostConfig\":"
                + "{\"NetworkMode\":\"n2\"},\"NetworkingConfig\":{\"EndpointsConfig\":{\"n2\":{\"IPAMConfig\":"
                + "{\"IPv4Address\":\"10.230.5.50\"},\"Aliases\":[\"a1\"]}}}}"));
        assertThat(onN2.endpoints()).containsOnlyKeys("n2");
        assertThat(onN2.endpoints().get("n2").requestedIpv4()).isEqualTo("10.230.5.50");
        assertThat(onN2.endpoints().get("n2").aliases()).containsExactly("a1");
        // an address asked for on the default network is the default bridge's, for the engine to refuse in dockerd's words
        var ipOnDefault = CreateBody.read(java.util.Optional.empty(), Json.parse("{\"Image\":\"busybox\",\"HostConfig\":"
                + "{\"NetworkMode\":\"default\"},\"NetworkingConfig\":{\"EndpointsConfig\":{\"default\":{\"IPAMConfig\":"
                + "{\"IPv4Address\":\"10.1.2.3\"}}}}}"));
        assertThat(ipOnDefault.endpoints()).containsOnlyKeys("bridge");
    }

    @Test
    void psFiltersPublishExposeAndNetworkMatchAsDockerds() {
        Container c = web(running(), BOUND);
        assertThat(matches(c, "{\"publish\":[\"32768/udp\"]}")).isTrue();
        assertThat(matches(c, "{\"publish\":[\"8080\"]}")).isTrue();
        assertThat(matches(c, "{\"publish\":[\"80\"]}")).isFalse(); // a container port, not a published one
        assertThat(matches(c, "{\"publish\":[\"8000-8080/tcp\"]}")).isTrue();
        assertThat(matches(c, "{\"expose\":[\"90\"]}")).isTrue();
        assertThat(matches(c, "{\"expose\":[\"90/udp\"]}")).isFalse();
        assertThat(matches(web(ContainerState.created(), Map.of()), "{\"expose\":[\"90\"]}")).isFalse(); // no ports unless it runs
        assertThat(matches(c, "{\"network\":[\"bridge\"]}")).isTrue();
        assertThat(matches(c, "{\"network\":[\"047bb437\"]}")).isTrue(); // a network id prefix
        assertThat(matches(c, "{\"network\":[\"app\"]}")).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> matches(c, "{\"publish\":[\"x\"]}"))
                .hasMessage("invalid filter 'publish=x'");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> matches(c, "{\"expose\":[\"80/xyz\"]}"))
                .hasMessage("invalid filter 'expose=80/xyz'");
    }

    private static boolean matches(Container c, String filters) {
        return new ContainerFilters(dev.berth.daemon.api.Filters.parse(filters), null, null).matches(c, java.util.Optional.empty());
    }
}
