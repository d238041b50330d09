package dev.berth.daemon.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.daemon.api.Filters;
import dev.berth.engine.network.EndpointSettings;
import dev.berth.engine.network.Network;
import dev.berth.engine.network.NetworkCreateRequest;
import dev.berth.oci.BerthException;
import dev.berth.oci.json.Json;
import dev.berth.oci.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What clients send for networks (create bodies, endpoint configs, list filters), read as dockerd reads it. */
class NetworkBodiesTest {
    private static JsonObject json(String text) {
        return JsonObject.root("request body", Json.parse(text));
    }

    private static NetworkCreateRequest create(String text) {
        return NetworkCreateBody.read(json(text));
    }

    @Test
    void theDockerCliCreateBodyBecomesTheEnginesRequest() {
        NetworkCreateRequest r = create("{\"Name\":\"n2\",\"CheckDuplicate\":true,\"Driver\":\"bridge\",\"Scope\":\"\","
                + "\"EnableIPv6\":true,\"IPAM\":{\"Driver\":\"default\",\"Options\":{},\"Config\":[{\"Subnet\":\"10.230.0.0/16\","
                + "\"IPRange\":\"10.230.5.0/24\",\"Gateway\":\"10.230.0.254\",\"AuxiliaryAddresses\":{}},{\"Subnet\":\"fd99::/64\"}]},"
                + "\"Internal\":true,\"Attachable\":true,\"Ingress\":false,\"ConfigOnly\":false,\"ConfigFrom\":null,"
                + "\"Options\":{\"com.docker.network.bridge.name\":\"btn2\"},\"Labels\":{\"a\":\"b\"}}");
        assertThat(r.name()).isEqualTo("n2");
        assertThat(r.driver()).isEqualTo("bridge");
        assertThat(r.internal()).isTrue();
        assertThat(r.attachable()).isTrue();
        assertThat(r.ipv6()).isTrue();
        assertThat(r.ipam()).containsExactly(new Network.IpamPool("10.230.0.0/16", "10.230.5.0/24", "10.230.0.254"),
                new Network.IpamPool("fd99::/64", "", ""));
        assertThat(r.options()).containsEntry("com.docker.network.bridge.name", "btn2");
        assertThat(r.labels()).containsEntry("a", "b");
        NetworkCreateRequest bare = create("{\"Name\":\"n1\"}");
        assertThat(bare.driver()).isEqualTo("bridge");
        assertThat(bare.ipam()).isEmpty();
    }

    @Test
    void badCreateBodiesAreRefusedInDockerdsWords() {
        assertRefused("{\"Name\":\"\"}", BerthException.Kind.INVALID_ARGUMENT, "invalid name: ");
        assertRefused("{\"Name\":\"bridge\"}", BerthException.Kind.FORBIDDEN, "operation is not permitted on predefined bridge network ");
        assertRefused("{\"Name\":\"x\",\"Driver\":\"foo\"}", BerthException.Kind.NOT_FOUND, "plugin \"foo\" not found");
        assertRefused("{\"Name\":\"x\",\"Driver\":\"host\"}", BerthException.Kind.FORBIDDEN,
                "only one instance of \"host\" network is allowed");
        assertRefused("{\"Name\":\"x\",\"Driver\":\"overlay\"}", BerthException.Kind.UNSUPPORTED,
                "This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.");
        assertRefused("{\"Name\":\"x\",\"IPAM\":{\"Driver\":\"foo\"}}", BerthException.Kind.NOT_FOUND, "plugin \"foo\" not found");
        assertRefused("{\"Name\":\"x\",\"IPAM\":{\"Config\":[{\"Subnet\":\"bogus\"}]}}", BerthException.Kind.INVALID_ARGUMENT,
                "Invalid subnet bogus : invalid CIDR address: bogus");
        assertRefused("{\"Name\":\"x\",\"IPAM\":{\"Config\":[{\"Subnet\":\"10.1.0.0/33\"}]}}", BerthException.Kind.INVALID_ARGUMENT,
                "Invalid subnet 10.1.0.0/33 : invalid CIDR address: 10.1.0.0/33");
        assertRefused("{\"Name\":\"x\",\"IPAM\":{\"Config\":[{\"Subnet\":\"10.1.0.0/16\",\"Gateway\":\"10.1.0.300\"}]}}",
                BerthException.Kind.INVALID_ARGUMENT, "invalid gateway address 10.1.0.300 in Ipam configuration");
        assertRefused("{\"Name\":\"x\",\"IPAM\":{\"Config\":[{\"Subnet\":\"10.1.0.0/16\",\"IPRange\":\"10.1.0.0\"}]}}",
                BerthException.Kind.INVALID_ARGUMENT, "Invalid ip-range 10.1.0.0 : invalid CIDR address: 10.1.0.0");
        assertRefused("{\"Name\":\"x\",\"IPAM\":{\"Config\":[{\"IPRange\":\"10.1.0.0/24\"}]}}",
                BerthException.Kind.INVALID_ARGUMENT, "Invalid subnet  : invalid CIDR address: ");
        assertRefused("{\"Name\":\"x\",\"Scope\":\"swarm\"}", BerthException.Kind.FORBIDDEN,
                "cannot create a swarm scoped network when swarm is not active");
        assertRefused("{\"Name\":\"x\",\"ConfigOnly\":true}", BerthException.Kind.UNSUPPORTED,
                "config-only networks are not supported by berthd");
    }

    private static void assertRefused(String body, BerthException.Kind kind, String message) {
        assertThatThrownBy(() -> create(body)).as(body).isInstanceOfSatisfying(BerthException.class,
                e -> assertThat(e.kind()).isEqualTo(kind)).hasMessage(message);
    }

    @Test
    void endpointConfigsKeepWhatAClientConfiguresAndIgnoreTheRest() {
        EndpointSettings e = EndpointBody.read("n2", json("{\"IPAMConfig\":{\"IPv4Address\":\"10.230.5.50\","
                + "\"IPv6Address\":\"fd99::5\",\"LinkLocalIPs\":[]},\"Links\":null,\"Aliases\":[\"a1\",\"a1\",\"\"],"
                + "\"MacAddress\":\"\",\"DriverOpts\":null,\"GwPriority\":0,\"NetworkID\":\"\",\"EndpointID\":\"\",\"Gateway\":\"\","
                + "\"IPAddress\":\"\",\"IPPrefixLen\":0,\"IPv6Gateway\":\"\",\"GlobalIPv6Address\":\"\",\"GlobalIPv6PrefixLen\":0,"
                + "\"DNSNames\":null}"));
        assertThat(e.networkId()).isEqualTo("n2");
        assertThat(e.requestedIpv4()).isEqualTo("10.230.5.50");
        assertThat(e.requestedIpv6()).isEqualTo("fd99::5");
        assertThat(e.aliases()).containsExactly("a1");
        assertThat(EndpointBody.isEmpty(e)).isFalse();
        assertThat(EndpointBody.isEmpty(EndpointBody.read("default", json("{\"IPAMConfig\":null,\"Aliases\":null}")))).isTrue();
        EndpointSettings withMac = EndpointBody.read("n2", json("{\"MacAddress\":\"02:42:AC:11:00:0F\"}"));
        assertThat(withMac.requestedMac()).isEqualTo("02:42:ac:11:00:0f");
        assertThat(withMac.macAddress()).as("a created container shows the MAC it asked for").isEqualTo("02:42:ac:11:00:0f");
        assertThat(EndpointBody.isEmpty(withMac)).isFalse();
        assertThatThrownBy(() -> EndpointBody.read("n2", json("{\"MacAddress\":\"02:42:ac:11:00\"}")))
                .isInstanceOfSatisfying(BerthException.class, x -> assertThat(x.kind()).isEqualTo(BerthException.Kind.INVALID_ARGUMENT))
                .hasMessage("invalid MAC address 02:42:ac:11:00");
        assertThatThrownBy(() -> EndpointBody.read("n2", json("{\"IPAMConfig\":{\"IPv4Address\":\"10.1\"}}")))
                .hasMessage("invalid IPv4 address: 10.1");
        assertThatThrownBy(() -> EndpointBody.read("n2", json("{\"IPAMConfig\":{\"IPv6Address\":\"10.1.2.3\"}}")))
                .hasMessage("invalid IPv6 address: 10.1.2.3");
    }

    private static Network network(String name, String id, String driver, Map<String, String> labels) {
        return new Network(id, name, driver, Instant.EPOCH, false, false, false, List.of(), Map.of(), labels);
    }

    @Test
    void listFiltersMatchAsDockerdsDo() {
        Network bridge = network("bridge", "047bb4370a6b", "bridge", Map.of());
        Network host = network("host", "0a80b911aeb1", "host", Map.of());
        Network n1 = network("n1", "a778b6951d75", "bridge", Map.of("a", "b"));
        List<Network> all = List.of(bridge, host, n1);
        assertThat(names(all, "{\"type\":[\"custom\"]}")).containsExactly("n1");
        assertThat(names(all, "{\"type\":[\"builtin\"]}")).containsExactly("bridge", "host");
        assertThat(names(all, "{\"driver\":[\"bridge\"]}")).containsExactly("bridge", "n1");
        assertThat(names(all, "{\"name\":[\"^n1$\"]}")).containsExactly("n1");
        assertThat(names(all, "{\"name\":[\"o\"]}")).containsExactly("host");
        assertThat(names(all, "{\"name\":[\"n[1\"]}")).isEmpty();
        assertThat(names(all, "{\"id\":[\"778\"]}")).containsExactly("n1");
        assertThat(names(all, "{\"label\":[\"a=b\"]}")).containsExactly("n1");
        assertThat(names(all, "{\"scope\":[\"local\"]}")).hasSize(3);
        assertThat(names(all, "{\"scope\":[\"swarm\"]}")).isEmpty();
        // n1 is unused here: dangling; the predefined ones never are
        assertThat(names(all, "{\"dangling\":[\"true\"]}")).containsExactly("n1");
        assertThat(names(all, "{\"dangling\":[\"0\"]}")).containsExactly("bridge", "host");
        assertThatThrownBy(() -> names(all, "{\"bogus\":[\"x\"]}")).hasMessage("invalid filter 'bogus'");
        assertThatThrownBy(() -> names(all, "{\"type\":[\"x\"]}")).hasMessage("invalid filter 'type=x'");
        assertThatThrownBy(() -> names(all, "{\"dangling\":[\"x\"]}"))
                .hasMessage("invalid value for filter 'dangling', must be \"true\" (or \"1\"), or \"false\" (or \"0\")");
    }

    private static List<String> names(List<Network> networks, String filters) {
        NetworkFilters f = new NetworkFilters(Filters.parse(filters));
        return networks.stream().filter(n -> f.matches(n, false)).map(Network::name).toList();
    }
}
