package dev.berth.daemon.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.daemon.api.ApiVersion;
import dev.berth.engine.network.EndpointSettings;
import dev.berth.engine.network.Network;
import dev.berth.oci.json.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Networks as dockerd 20.10 writes them: the documents below were captured from a private dockerd
 * (n2 made with the docker CLI, which sends IPAM.Options {}).
 */
class NetworkWireTest {
    private static final String N2 = "972970fcf2aa6f6b8e7b90c3281457d9cd3846c5ba48619448db7f7c0924818e";
    private static final String U2 = "c1dfe73ccc3b79bb340f18370c57503e521a6aa0edb8625bb67c80b585dbdc44";

    private static Network n2() {
        return new Network(N2, "n2", "bridge", Instant.parse("2026-11-26T13:45:16.088741598Z"), true, true, false,
                List.of(new Network.IpamPool("10.230.0.0/16", "10.230.5.0/24", "10.230.0.254")),
                Map.of("com.docker.network.bridge.name", "btn2"), Map.of());
    }

    @Test
    void aUserNetworkWithAContainerIsDockerdsDocument() {
        EndpointSettings ep = new EndpointSettings(N2, "f43e207b96545fa17df25b1af54c8407a30ba8405a86966cb4a6603082c83b3f",
                "10.230.5.50", "", List.of("a1"), List.of("u2", "a1", "c1dfe73ccc3b"), "10.230.5.50", 16, "10.230.0.254", "", 0, "",
                "02:42:0a:e6:05:32");
        String json = Json.write(NetworkWire.network(n2(), Map.of(U2, new NetworkWire.Attached("u2", ep)), new ApiVersion(1, 41)));
        assertThat(json).isEqualTo("{\"Name\":\"n2\",\"Id\":\"" + N2 + "\",\"Created\":\"2026-11-26T13:45:16.088741598Z\","
                + "\"Scope\":\"local\",\"Driver\":\"bridge\",\"EnableIPv6\":false,\"IPAM\":{\"Driver\":\"default\",\"Options\":{},"
                + "\"Config\":[{\"Subnet\":\"10.230.0.0/16\",\"IPRange\":\"10.230.5.0/24\",\"Gateway\":\"10.230.0.254\"}]},"
                + "\"Internal\":true,\"Attachable\":true,\"Ingress\":false,\"ConfigFrom\":{\"Network\":\"\"},\"ConfigOnly\":false,"
                + "\"Containers\":{\"" + U2 + "\":{\"Name\":\"u2\",\"EndpointID\":"
                + "\"f43e207b96545fa17df25b1af54c8407a30ba8405a86966cb4a6603082c83b3f\",\"MacAddress\":\"02:42:0a:e6:05:32\","
                + "\"IPv4Address\":\"10.230.5.50/16\",\"IPv6Address\":\"\"}},"
                + "\"Options\":{\"com.docker.network.bridge.name\":\"btn2\"},\"Labels\":{}}");
    }

    @Test
    void predefinedNetworksHaveNoPoolsAndApi147AddsEnableIPv4() {
        Network none = new Network("278ad132baff95595c7461b9bd4a6461973aa238616e1452a0d154780ea6e2aa", "none", "null",
                Instant.parse("2026-11-26T13:44:11.765672021Z"), false, false, false, List.of(), Map.of(), Map.of());
        assertThat(Json.write(NetworkWire.network(none, Map.of(), new ApiVersion(1, 41)))).isEqualTo(
                "{\"Name\":\"none\",\"Id\":\"278ad132baff95595c7461b9bd4a6461973aa238616e1452a0d154780ea6e2aa\","
                        + "\"Created\":\"2026-11-26T13:44:11.765672021Z\",\"Scope\":\"local\",\"Driver\":\"null\",\"EnableIPv6\":false,"
                        + "\"IPAM\":{\"Driver\":\"default\",\"Options\":null,\"Config\":[]},\"Internal\":false,\"Attachable\":false,"
                        + "\"Ingress\":false,\"ConfigFrom\":{\"Network\":\"\"},\"ConfigOnly\":false,\"Containers\":{},\"Options\":{},"
                        + "\"Labels\":{}}");
        Map<String, Object> v147 = NetworkWire.network(none, Map.of(), new ApiVersion(1, 47));
        assertThat(v147).containsEntry("EnableIPv4", false);
        assertThat(NetworkWire.network(n2(), Map.of(), new ApiVersion(1, 47))).containsEntry("EnableIPv4", true);
    }

    @Test
    void aPoolWithoutGatewayOrRangeLeavesThemOut() {
        Network n7 = new Network(N2, "n7", "bridge", Instant.EPOCH, false, false, true,
                List.of(new Network.IpamPool("10.233.0.0/24", "", ""), new Network.IpamPool("fd99::/64", "", "")), Map.of(),
                Map.of("a", "b"));
        String json = Json.write(NetworkWire.network(n7, Map.of(), new ApiVersion(1, 41)));
        assertThat(json).contains("\"EnableIPv6\":true", "\"Config\":[{\"Subnet\":\"10.233.0.0/24\"},{\"Subnet\":\"fd99::/64\"}]",
                "\"Labels\":{\"a\":\"b\"}");
    }

    @Test
    void aStoppedContainersEndpointHasNoAddresses() {
        EndpointSettings stopped = EndpointSettings.requested(N2, "", "", List.of());
        String json = Json.write(NetworkWire.network(n2(), Map.of(U2, new NetworkWire.Attached("u2", stopped)), new ApiVersion(1, 47)));
        assertThat(json).contains("{\"Name\":\"u2\",\"EndpointID\":\"\",\"MacAddress\":\"\",\"IPv4Address\":\"\",\"IPv6Address\":\"\"}");
    }
}
