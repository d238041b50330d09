package dev.berth.engine.network.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.engine.network.NetworkKernel.BridgeSpec;
import dev.berth.engine.network.NetworkKernel.EndpointSpec;
import dev.berth.engine.network.NetworkKernel.PortMapping;
import dev.berth.engine.network.NetworkKernel.Subnet;
import dev.berth.oci.BerthException;
import dev.berth.oci.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CniConfigsTest {
    private static final BridgeSpec DUAL = new BridgeSpec("0123456789ab", "web", "br-0123456789ab",
            List.of(new Subnet("172.18.0.0/16", "172.18.0.1"), new Subnet("fd00:1::/64", "fd00:1::1")),
            true, false, true, 1450);

    @Test
    void theBridgeGetsBerthsAddressesWithTheirGatewaysAndTheDefaultRoutes() {
        var e = new EndpointSpec("c1", "eth0", List.of("172.18.0.5/16", "fd00:1::5/64"), true, "02:42:ac:12:00:05", List.of());
        assertThat(Json.write(CniConfigs.bridge(DUAL, e))).isEqualTo("{\"cniVersion\":\"1.0.0\",\"name\":\"berth-br-0123456789ab\","
                + "\"type\":\"bridge\",\"bridge\":\"br-0123456789ab\",\"isGateway\":true,\"isDefaultGateway\":false,"
                + "\"ipMasq\":false,\"hairpinMode\":true,\"mtu\":1450,\"ipam\":{\"type\":\"static\",\"addresses\":["
                + "{\"address\":\"172.18.0.5/16\",\"gateway\":\"172.18.0.1\"},{\"address\":\"fd00:1::5/64\",\"gateway\":\"fd00:1::1\"}],"
                + "\"routes\":[{\"dst\":\"0.0.0.0/0\",\"gw\":\"172.18.0.1\"},{\"dst\":\"::/0\",\"gw\":\"fd00:1::1\"}]},"
                + "\"runtimeConfig\":{\"mac\":\"02:42:ac:12:00:05\"}}");
    }

    @Test
    void noDefaultRouteForASecondNetworkOrAnInternalOne() {
        var second = new EndpointSpec("c1", "eth1", List.of("172.18.0.5/16"), false, "", List.of());
        assertThat(CniConfigs.staticIpam(DUAL, second)).doesNotContainKey("routes");
        var internal = new BridgeSpec("n", "n", "bt1", DUAL.subnets(), true, true, false, 0);
        var first = new EndpointSpec("c1", "eth0", List.of("172.18.0.5/16"), true, "", List.of());
        assertThat(CniConfigs.staticIpam(internal, first)).doesNotContainKey("routes");
        assertThat(CniConfigs.bridge(internal, first)).doesNotContainKeys("mtu", "runtimeConfig");
    }

    @Test
    void anAddressOutsideTheSubnetsOrWithAnotherPrefixIsRefused() {
        assertThatThrownBy(() -> CniConfigs.bridge(DUAL, new EndpointSpec("c1", "eth0", List.of("10.0.0.2/8"), true, "", List.of())))
                .isInstanceOf(BerthException.class).hasMessage("address 10.0.0.2/8 is in no subnet of network web");
        assertThatThrownBy(() -> CniConfigs.bridge(DUAL, new EndpointSpec("c1", "eth0", List.of("172.18.0.2/24"), true, "", List.of())))
                .hasMessage("address 172.18.0.2/24 has another prefix than its subnet 172.18.0.0/16");
        assertThatThrownBy(() -> CniConfigs.bridge(DUAL, new EndpointSpec("c1", "eth0", List.of(), true, "", List.of())))
                .hasMessage("endpoint of c1 on web has no address");
    }

    @Test
    void delNeedsNoAddresses() {
        var cleared = new EndpointSpec("c1", "eth0", List.of(), true, "", List.of());
        assertThat(Json.write(CniConfigs.bridgeForDel(DUAL, cleared))).endsWith("\"mtu\":1450,\"ipam\":{\"type\":\"static\"}}");
        var full = new EndpointSpec("c1", "eth0", List.of("172.18.0.5/16"), true, "", List.of());
        assertThat(CniConfigs.bridgeForDel(DUAL, full)).isEqualTo(CniConfigs.bridge(DUAL, full));
    }

    @Test
    void portmapCarriesThePublishedPortsAndThePreviousResult() {
        var e = new EndpointSpec("c1", "eth0", List.of("172.18.0.5/16"), true, "",
                List.of(new PortMapping("tcp", "", 8080, 80), new PortMapping("udp", "127.0.0.1", 5353, 53)));
        Map<String, Object> c = CniConfigs.portmap(DUAL, e, Map.of("cniVersion", "1.0.0"));
        assertThat(Json.write(c)).isEqualTo("{\"cniVersion\":\"1.0.0\",\"name\":\"berth-br-0123456789ab\",\"type\":\"portmap\","
                + "\"snat\":true,\"runtimeConfig\":{\"portMappings\":[{\"hostPort\":8080,\"containerPort\":80,\"protocol\":\"tcp\","
                + "\"hostIP\":\"\"},{\"hostPort\":5353,\"containerPort\":53,\"protocol\":\"udp\",\"hostIP\":\"127.0.0.1\"}]},"
                + "\"prevResult\":{\"cniVersion\":\"1.0.0\"}}");
    }

    @Test
    void badPortsAreRefusedBeforeAnythingIsMade() {
        assertThatThrownBy(() -> CniConfigs.checkPorts(new EndpointSpec("c", "eth0", List.of(), true, "",
                List.of(new PortMapping("icmp", "", 1, 1))))).hasMessage("invalid protocol icmp for port 1");
        assertThatThrownBy(() -> CniConfigs.checkPorts(new EndpointSpec("c", "eth0", List.of(), true, "",
                List.of(new PortMapping("tcp", "", 0, 80))))).hasMessage("invalid port mapping 0:80");
        assertThatThrownBy(() -> CniConfigs.checkPorts(new EndpointSpec("c", "eth0", List.of(), true, "",
                List.of(new PortMapping("tcp", "localhost", 80, 80))))).hasMessage("invalid IP address: localhost");
    }
}
