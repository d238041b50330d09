package dev.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.engine.network.EndpointJson;
import dev.berth.engine.network.EndpointSettings;
import dev.berth.engine.network.PortBinding;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.json.Json;
import dev.berth.oci.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Published ports, exposed ports and endpoints in the create body and the record. */
class ContainerNetworkJsonTest {

    @Test
    void portsAndEndpointsRoundTripThroughTheRecord() {
        ContainerConfig config = ContainerConfig.of("busybox", List.of("true")).withExposedPorts(Set.of("443", "80/tcp", "53/udp"));
        HostConfig host = HostConfig.DEFAULT.withNetworkMode("bridge")
                .withPorts(Map.of("80/tcp", List.of(new PortBinding("127.0.0.1", "8080"), new PortBinding("", ""))), true);
        EndpointSettings e = new EndpointSettings("n1", "e1", "172.18.0.9", "", List.of("db"), List.of("web", "abc"),
                "172.18.0.9", 16, "172.18.0.1", "", 0, "", "02:42:ac:12:00:99", "02:42:ac:12:00:99");
        Container c = new Container(ContainerId.generate(), ContainerName.of("web"), Instant.parse("2026-11-26T09:00:00Z"),
                Digest.sha256("cfg".getBytes()), config, host, "true", List.of(), ContainerState.created(), 0, false, false,
                Map.of("mynet", e), Map.of("80/tcp", List.of(new PortBinding("0.0.0.0", "32768"))));
        String text = new String(ContainerJson.write(c), StandardCharsets.UTF_8);
        assertThat(text).contains("\"ExposedPorts\"", "\"80/tcp\"", "\"PublishAllPorts\": true", "\"HostPort\": \"8080\"",
                "\"IPv4Address\": \"172.18.0.9\"");
        Container back = ContainerJson.read(ContainerJson.write(c), "test");
        assertThat(back).isEqualTo(c);
        assertThat(back.config().exposedPorts()).containsExactly("53/udp", "80/tcp", "443/tcp");
        assertThat(back.networks().get("mynet").aliases()).containsExactly("db");
        assertThat(back.networks().get("mynet").requestedMac()).as("--mac-address kept in the record").isEqualTo("02:42:ac:12:00:99");
        assertThat(back.ports()).containsEntry("80/tcp", List.of(new PortBinding("0.0.0.0", "32768")));
    }

    @Test
    void aRecordWrittenBeforeNetworksReadsAsOnNoNetwork() {
        Container c = new Container(ContainerId.generate(), ContainerName.of("old"), Instant.parse("2026-11-26T09:00:00Z"),
                Digest.sha256("cfg".getBytes()), ContainerConfig.of("busybox", List.of("true")), HostConfig.DEFAULT, "true",
                List.of(), ContainerState.created(), 0, false, false);
        @SuppressWarnings("unchecked")
        Map<String, Object> tree = (Map<String, Object>) Json.parse(new String(ContainerJson.write(c), StandardCharsets.UTF_8));
        tree.remove("NetworkSettings");
        ((Map<String, Object>) tree.get("HostConfig")).remove("PortBindings");
        ((Map<String, Object>) tree.get("HostConfig")).remove("PublishAllPorts");
        Container back = ContainerJson.read(Json.write(tree).getBytes(StandardCharsets.UTF_8), "old");
        assertThat(back.networks()).isEmpty();
        assertThat(back.hostConfig().portBindings()).isEmpty();
        assertThat(back.hostConfig().networkMode()).isEqualTo("none");
    }

    @Test
    void readsTheCreateBodysPortsAndEndpointsAsTheCliSendsThem() {
        String body = """
                {"Image":"busybox","ExposedPorts":{"80/tcp":{},"9000":{}},
                 "HostConfig":{"NetworkMode":"mynet","PublishAllPorts":false,
                   "PortBindings":{"80/tcp":[{"HostIp":"","HostPort":"8080"}],"53/udp":null}},
                 "NetworkingConfig":{"EndpointsConfig":{"mynet":{"IPAMConfig":{"IPv4Address":"10.201.0.5"},
                   "Aliases":["db"],"Links":null}}}}""";
        JsonObject o = JsonObject.root("body", Json.parse(body));
        ContainerConfig config = ContainerJson.readConfig(o);
        HostConfig host = ContainerJson.readHostConfig(o.object("HostConfig").orElseThrow());
        Map<String, EndpointSettings> endpoints = EndpointJson.readEndpointsConfig(o.object("NetworkingConfig").orElseThrow());
        assertThat(config.exposedPorts()).containsExactly("80/tcp", "9000/tcp");
        assertThat(host.portBindings()).containsEntry("80/tcp", List.of(new PortBinding("", "8080")))
                .containsEntry("53/udp", List.of());
        assertThat(host.networkMode()).isEqualTo("mynet");
        assertThat(endpoints).containsOnlyKeys("mynet");
        assertThat(endpoints.get("mynet").requestedIpv4()).isEqualTo("10.201.0.5");
        assertThat(endpoints.get("mynet").aliases()).containsExactly("db");
        assertThat(endpoints.get("mynet").ipv4Address()).isEmpty();
    }

    @Test
    void badPortsAreRefusedInDockersWords() {
        assertThatThrownBy(() -> HostConfig.DEFAULT.withPorts(Map.of("http/tcp", List.of()), false))
                .hasMessage("invalid port specification: \"http\"");
        assertThatThrownBy(() -> HostConfig.DEFAULT.withPorts(Map.of("80/tcp", List.of(new PortBinding("", "x"))), false))
                .hasMessage("invalid port specification: \"x\"");
        assertThatThrownBy(() -> HostConfig.DEFAULT.withPorts(Map.of("80/icmp", List.of()), false))
                .hasMessage("invalid proto: icmp");
        assertThatThrownBy(() -> ContainerConfig.of("busybox", List.of()).withExposedPorts(Set.of("70000")))
                .hasMessage("invalid port specification: \"70000\"");
    }

    @Test
    void theImagesExposedPortsAreMergedIn() {
        ImageConfig.Config image = new ImageConfig.Config("", Set.of("8080/tcp"), List.of(), List.of(), List.of("sh"),
                Optional.empty(), false, Set.of(), "", List.of(), Map.of(), "", List.of());
        ContainerConfig merged = ConfigMerge.merge(ContainerConfig.of("busybox", List.of()).withExposedPorts(Set.of("80")), image);
        assertThat(merged.exposedPorts()).containsExactly("80/tcp", "8080/tcp");
    }
}
