package dev.berth.cli.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** -p and --expose as go-connections' nat package reads them (the cases were checked against docker CLI 28.2). */
class PortSpecsTest {
    private static String bindings(String... publish) {
        return Json.write(PortSpecs.parse(List.of(publish), List.of()).bindingsJson());
    }

    private static String exposed(List<String> publish, List<String> expose) {
        return Json.write(PortSpecs.parse(publish, expose).exposedJson());
    }

    @Test
    void everyFormOfPublish() {
        assertThat(bindings("80")).isEqualTo("{\"80/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"\"}]}");
        assertThat(bindings("8080:80")).isEqualTo("{\"80/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"8080\"}]}");
        assertThat(bindings(":80")).isEqualTo("{\"80/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"\"}]}");
        assertThat(bindings("127.0.0.1:8080:80/udp"))
                .isEqualTo("{\"80/udp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"8080\"}]}");
        assertThat(bindings("127.0.0.1::53/UDP")).isEqualTo("{\"53/udp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"\"}]}");
        assertThat(bindings("[::1]:8082:82")).isEqualTo("{\"82/tcp\":[{\"HostIp\":\"::1\",\"HostPort\":\"8082\"}]}");
        assertThat(bindings("::1:8082:82")).isEqualTo("{\"82/tcp\":[{\"HostIp\":\"::1\",\"HostPort\":\"8082\"}]}");
        assertThat(bindings("8000-8001:80-81")).isEqualTo(
                "{\"80/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"8000\"}],\"81/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"8001\"}]}");
        assertThat(bindings("80-81")).isEqualTo(
                "{\"80/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"\"}],\"81/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"\"}]}");
        // a host range for one container port: the range to pick from
        assertThat(bindings("9000-9005:90")).isEqualTo("{\"90/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"9000-9005\"}]}");
        // the same port twice: both bindings, in the order given
        assertThat(bindings("8080:80", "8081:80")).isEqualTo(
                "{\"80/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"8080\"},{\"HostIp\":\"\",\"HostPort\":\"8081\"}]}");
        assertThat(bindings("published=8081,target=81,protocol=udp"))
                .isEqualTo("{\"81/udp\":[{\"HostIp\":\"\",\"HostPort\":\"8081\"}]}");
        assertThat(bindings("target=81")).isEqualTo("{\"81/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"\"}]}");
    }

    @Test
    void exposedPortsJoinThePublishedOnes() {
        assertThat(exposed(List.of("8080:80", "53/udp"), List.of("7000-7002", "80", "9/udp")))
                .isEqualTo("{\"53/udp\":{},\"7000/tcp\":{},\"7001/tcp\":{},\"7002/tcp\":{},\"80/tcp\":{},\"9/udp\":{}}");
    }

    private static void refused(String message, List<String> publish, List<String> expose) {
        assertThatThrownBy(() -> PortSpecs.parse(publish, expose)).isInstanceOf(RunException.class).hasMessage(message);
    }

    @Test
    void badSpecsInDockersWords() {
        refused("invalid containerPort: x", List.of("x"), List.of());
        refused("invalid containerPort: x", List.of("80:x"), List.of());
        refused("invalid containerPort: 80-79", List.of("80-79"), List.of());
        refused("invalid containerPort: 70000", List.of("70000"), List.of());
        refused("invalid hostPort: 99999", List.of("99999:80"), List.of());
        refused("invalid proto: xyz", List.of(":80/xyz"), List.of());
        refused("invalid IP address: 1.2.3", List.of("1.2.3:80:80"), List.of());
        refused("invalid IP address: 1:2:3", List.of("1:2:3:4:5"), List.of());
        refused("invalid IP address: localhost", List.of("localhost:80:80"), List.of());
        refused("invalid IP address [::1: address [::1:: missing ']' in address", List.of("[::1:80:80"), List.of());
        refused("invalid ranges specified for container and host Ports: 80-81 and 8000", List.of("8000:80-81"), List.of());
        refused("no port specified: <empty>", List.of(""), List.of());
        refused("no port specified: 80:/tcp<empty>", List.of("80:/tcp"), List.of());
        refused("invalid publish opts format (should be name=value but got 'bad')", List.of("published=80,bad"), List.of());
        refused("invalid port format for --expose: 80:81", List.of(), List.of("80:81"));
        refused("invalid range format for --expose: x, error: strconv.ParseUint: parsing \"x\": invalid syntax",
                List.of(), List.of("x"));
        refused("invalid range format for --expose: 90-80, error: invalid range specified for port: 90-80",
                List.of(), List.of("90-80"));
        refused("invalid range format for --expose: , error: empty string specified for ports", List.of(), List.of(""));
        refused("invalid range format for --expose: 70000, error: strconv.ParseUint: parsing \"70000\": value out of range",
                List.of(), List.of("70000"));
    }
}
