package dev.berth.cli.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cli.TestCli;
import dev.berth.client.RawDaemon;
import dev.berth.oci.json.Json;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * run/create's network flags: what reaches the create body (the shapes docker CLI 28.2 sends,
 * captured from it), and docker's words and statuses for bad values.
 */
class NetworkFlagsTest {
    @TempDir
    Path dir;

    private static final String USAGE = "\n\nUsage:  berth create [OPTIONS] IMAGE [COMMAND] [ARG...]\n\n"
            + "Run 'berth create --help' for more information\n";

    private static TestCli.Result create(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "create";
        System.arraycopy(args, 0, all, 1, args.length);
        all[all.length - 1] = "busybox";
        return new TestCli().env("DOCKER_HOST", "unix:///nonexistent/berth.sock").run(all);
    }

    private static void runError(String expected, String... args) {
        TestCli.Result r = create(args);
        assertThat(r.status()).as(String.join(" ", args)).isEqualTo(125);
        assertThat(r.err()).as(String.join(" ", args))
                .isEqualTo("berth: " + expected + "\n\nRun 'berth create --help' for more information\n");
    }

    private static void flagError(String expected, String... args) {
        TestCli.Result r = create(args);
        assertThat(r.status()).as(String.join(" ", args)).isEqualTo(125);
        assertThat(r.err()).as(String.join(" ", args)).isEqualTo(expected + USAGE);
    }

    @Test
    void badValuesInDockersWords() {
        runError("invalid containerPort: x", "-p", "x");
        runError("invalid proto: xyz", "-p", ":80/xyz");
        runError("invalid port format for --expose: 80:81", "--expose", "80:81");
        runError("zz is not a valid mac address", "--mac-address", "zz");
        runError("no name set for network", "--network", "");
        runError("network-scoped aliases are only supported for user-defined networks", "--network", "host",
                "--network-alias", "a");
        runError("network-scoped aliases are only supported for user-defined networks", "--network-alias", "a");
        runError("network \"n1\" is specified multiple times", "--network", "n1", "--network", "n1");
        runError("conflicting options: cannot attach both user-defined and non-user-defined network-modes",
                "--network", "n1", "--network", "host");
        runError("conflicting options: cannot specify both --ip and per-network IPv4 address",
                "--network", "name=n1,ip=1.2.3.4", "--ip", "1.2.3.5");
        runError("conflicting options: cannot specify both --network-alias and per-network alias",
                "--network", "name=n1,alias=a", "--network-alias", "b");
        flagError("invalid argument \"alias=x\" for \"--network\" flag: network name/id is not specified",
                "--network", "alias=x");
        flagError("invalid argument \"foo=bar\" for \"--network\" flag: invalid field key foo", "--network", "foo=bar");
        flagError("invalid argument \"name=n1,gw-priority=x\" for \"--network\" flag: invalid gw-priority (x): invalid syntax",
                "--network", "name=n1,gw-priority=x");
        flagError("invalid argument \"name=n1,driver-opt=x\" for \"--network\" flag: invalid key value pair format in "
                + "driver options", "--network", "name=n1,driver-opt=x");
    }

    @Test
    void nameResolutionFlagsAreCheckedAsDockersValidators() {
        flagError("invalid argument \"x\" for \"--dns\" flag: IP address is not correctly formatted: x", "--dns", "x");
        flagError("invalid argument \"-bad\" for \"--dns-search\" flag: -bad is not a valid domain", "--dns-search", "-bad");
        flagError("invalid argument \"123\" for \"--dns-search\" flag: 123 is not a valid domain", "--dns-search", "123");
        flagError("invalid argument \"x\" for \"--add-host\" flag: bad format for add-host: \"x\"", "--add-host", "x");
        flagError("invalid argument \"a:b:c\" for \"--add-host\" flag: invalid IP address in add-host: \"b:c\"",
                "--add-host", "a:b:c");
        flagError("invalid argument \"a=[1.2.3]\" for \"--add-host\" flag: invalid IP address in add-host: \"1.2.3\"",
                "--add-host", "a=[1.2.3]");
    }

    @Test
    void nameResolutionFlagsReachTheHostConfigAsDockerRewritesThem() throws Exception {
        Map<String, Object> body = body("--dns", "1.2.3.4", "--dns", "0:0:0:0:0:0:0:1", "--dns", "2001:db8:0:0:1:0:0:1",
                "--dns-search", "example.com", "--dns-search", ".", "--dns-search", " a.b. ", "--dns-option", "ndots:2",
                "--add-host", "a:1.2.3.4", "--add-host", "b=[::1]", "--add-host", "c:host-gateway");
        Map<?, ?> host = (Map<?, ?>) body.get("HostConfig");
        assertThat(Json.write(host.get("Dns"))).isEqualTo("[\"1.2.3.4\",\"::1\",\"2001:db8::1:0:0:1\"]");
        assertThat(Json.write(host.get("DnsSearch"))).isEqualTo("[\"example.com\",\".\",\"a.b\"]");
        assertThat(Json.write(host.get("DnsOptions"))).isEqualTo("[\"ndots:2\"]");
        assertThat(Json.write(host.get("ExtraHosts"))).isEqualTo("[\"a:1.2.3.4\",\"b:::1\",\"c:host-gateway\"]");
    }

    private Map<String, Object> body(String... args) throws Exception {
        try (RawDaemon daemon = RawDaemon.unix(dir.resolve("d.sock"))) {
            daemon.json("POST /containers/create", 201, "{\"Id\":\"c1\"}");
            String[] all = new String[args.length + 2];
            all[0] = "create";
            System.arraycopy(args, 0, all, 1, args.length);
            all[all.length - 1] = "busybox";
            TestCli.Result r = new TestCli().env("DOCKER_HOST", "unix://" + dir.resolve("d.sock"))
                    .env("DOCKER_API_VERSION", "1.47").run(all);
            assertThat(r.status()).as(r.err()).isZero();
            @SuppressWarnings("unchecked")
            Map<String, Object> body = (Map<String, Object>) Json.parse(daemon.seen().getLast().bodyText(), "body");
            return body;
        }
    }

    private static final String EMPTY_ENDPOINT_TAIL = "\"DriverOpts\":null,\"GwPriority\":0,\"NetworkID\":\"\","
            + "\"EndpointID\":\"\",\"Gateway\":\"\",\"IPAddress\":\"\",\"IPPrefixLen\":0,\"IPv6Gateway\":\"\","
            + "\"GlobalIPv6Address\":\"\",\"GlobalIPv6PrefixLen\":0,\"DNSNames\":null}";

    @Test
    void withoutNetworkTheDefaultEndpointIsSentAsDocker28SendsIt() throws Exception {
        Map<String, Object> body = body();
        assertThat(Json.write(body.get("NetworkingConfig"))).isEqualTo("{\"EndpointsConfig\":{\"default\":{"
                + "\"IPAMConfig\":null,\"Links\":null,\"Aliases\":null,\"MacAddress\":\"\"," + EMPTY_ENDPOINT_TAIL + "}}");
        assertThat(Json.write(((Map<?, ?>) body.get("HostConfig")).get("NetworkMode"))).isEqualTo("\"default\"");
        assertThat(body).doesNotContainKey("ExposedPorts");
    }

    @Test
    void oneNetworkWithoutOptionsSendsNoEndpoint() throws Exception {
        Map<String, Object> body = body("--network", "host");
        assertThat(Json.write(body.get("NetworkingConfig"))).isEqualTo("{\"EndpointsConfig\":{}}");
        assertThat(((Map<?, ?>) body.get("HostConfig")).get("NetworkMode")).isEqualTo("host");
    }

    @Test
    void singleNetworkFlagsGoToTheFirstNetwork() throws Exception {
        Map<String, Object> body = body("--network", "n1", "--network", "name=n2,alias=a2,ip=10.1.0.9", "--ip", "10.0.0.5",
                "--ip6", "fd00::5", "--network-alias", "x", "--net-alias", "y", "--mac-address", "02:42:ac:11:00:02");
        assertThat(((Map<?, ?>) body.get("HostConfig")).get("NetworkMode")).isEqualTo("n1");
        assertThat(Json.write(body.get("NetworkingConfig"))).isEqualTo("{\"EndpointsConfig\":{"
                + "\"n1\":{\"IPAMConfig\":{\"IPv4Address\":\"10.0.0.5\",\"IPv6Address\":\"fd00::5\"},\"Links\":null,"
                + "\"Aliases\":[\"x\",\"y\"],\"MacAddress\":\"02:42:ac:11:00:02\"," + EMPTY_ENDPOINT_TAIL + ","
                + "\"n2\":{\"IPAMConfig\":{\"IPv4Address\":\"10.1.0.9\"},\"Links\":null,\"Aliases\":[\"a2\"],"
                + "\"MacAddress\":\"\"," + EMPTY_ENDPOINT_TAIL + "}}");
    }

    @Test
    void publishedAndExposedPorts() throws Exception {
        Map<String, Object> body = body("-p", "8080:80", "-p", "127.0.0.1::53/udp", "--expose", "7000-7001", "-P");
        Map<?, ?> host = (Map<?, ?>) body.get("HostConfig");
        assertThat(Json.write(body.get("ExposedPorts")))
                .isEqualTo("{\"53/udp\":{},\"7000/tcp\":{},\"7001/tcp\":{},\"80/tcp\":{}}");
        assertThat(Json.write(host.get("PortBindings"))).isEqualTo("{\"53/udp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"\"}],"
                + "\"80/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"8080\"}]}");
        assertThat(host.get("PublishAllPorts")).isEqualTo(true);
    }

    @Test
    void aMacAddressNeedsApi144() throws Exception {
        try (RawDaemon daemon = RawDaemon.unix(dir.resolve("d.sock"))) {
            TestCli.Result create = new TestCli().env("DOCKER_HOST", "unix://" + dir.resolve("d.sock"))
                    .env("DOCKER_API_VERSION", "1.41").run("create", "--mac-address", "02:42:ac:11:00:02", "busybox");
            assertThat(create.status()).isEqualTo(1);
            assertThat(create.err()).isEqualTo("\"specify mac-address per network\" requires API version 1.44, but the "
                    + "Docker daemon API version is 1.41\n");
            TestCli.Result run = new TestCli().env("DOCKER_HOST", "unix://" + dir.resolve("d.sock"))
                    .env("DOCKER_API_VERSION", "1.41").run("run", "--mac-address", "02:42:ac:11:00:02", "busybox");
            assertThat(run.status()).isEqualTo(125);
            assertThat(run.err()).isEqualTo("berth: \"specify mac-address per network\" requires API version 1.44, but the "
                    + "Docker daemon API version is 1.41\n\nRun 'berth run --help' for more information\n");
            assertThat(daemon.conversation()).isEmpty();
        }
    }
}
