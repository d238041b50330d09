package dev.berth.cli.commands.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cli.TestCli;
import dev.berth.client.RawDaemon;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The network commands and {@code port} against a scripted daemon: the requests docker CLI 28.2
 * sends (captured from it), docker's output for canned answers, and its errors.
 */
class NetworkCommandsTest {
    @TempDir
    Path dir;

    private static final String NETWORKS = """
            [{"Name":"n10","Id":"bbbbbbbbbbbb2222222222222222222222222222222222222222222222222222","Created":"2026-11-26T13:44:19.65655Z",\
            "Scope":"local","Driver":"bridge","EnableIPv6":true,"Internal":true,"Labels":{"z":"1","a":"b"}},\
            {"Name":"host","Id":"aaaaaaaaaaaa1111111111111111111111111111111111111111111111111111","Created":"2026-11-26T13:44:13Z",\
            "Scope":"local","Driver":"host","EnableIPv6":false,"Internal":false,"Labels":{}},\
            {"Name":"n9","Id":"cccccccccccc3333333333333333333333333333333333333333333333333333","Created":"2026-11-26T13:44:20.1Z",\
            "Scope":"local","Driver":"bridge","Labels":null}]""";

    private TestCli cli(String api) {
        return new TestCli().env("DOCKER_HOST", "unix://" + dir.resolve("d.sock")).env("DOCKER_API_VERSION", api);
    }

    @Test
    void lsSortsByNameInNaturalOrderAndTruncatesIds() throws Exception {
        try (RawDaemon daemon = RawDaemon.unix(dir.resolve("d.sock"))) {
            daemon.json("GET /networks", 200, NETWORKS);
            TestCli.Result r = cli("1.47").run("network", "ls");
            assertThat(r.out()).isEqualTo("""
                    NETWORK ID     NAME      DRIVER    SCOPE
                    aaaaaaaaaaaa   host      host      local
                    cccccccccccc   n9        bridge    local
                    bbbbbbbbbbbb   n10       bridge    local
                    """);
            assertThat(cli("1.47").run("network", "ls", "-q").out()).isEqualTo("aaaaaaaaaaaa\ncccccccccccc\nbbbbbbbbbbbb\n");
            assertThat(cli("1.47").run("network", "ls", "--format", "{{.Name}} {{.IPv6}} {{.Internal}} {{.Labels}} "
                    + "{{.CreatedAt}}", "--filter", "driver=bridge").out()).isEqualTo("""
                    host false false  2026-11-26 13:44:13 +0000 UTC
                    n9 false false  2026-11-26 13:44:20.1 +0000 UTC
                    n10 true true a=b,z=1 2026-11-26 13:44:19.65655 +0000 UTC
                    """);
            assertThat(daemon.seen().getLast().query()).isEqualTo("filters=%7B%22driver%22%3A%7B%22bridge%22%3Atrue%7D%7D");
            assertThat(cli("1.47").run("network", "ls", "--format", "raw", "-q").out())
                    .startsWith("network_id: aaaaaaaaaaaa\n");
        }
    }

    @Test
    void createPairsTheIpamFlagsWithTheirSubnets() throws Exception {
        try (RawDaemon daemon = RawDaemon.unix(dir.resolve("d.sock"))) {
            daemon.json("POST /networks/create", 201, "{\"Id\":\"abc\",\"Warning\":\"\"}");
            TestCli.Result r = cli("1.47").run("network", "create", "--subnet", "10.1.0.0/16", "--subnet", "fd00:1::/64",
                    "--ip-range", "10.1.2.0/24", "--gateway", "10.1.0.254", "--internal", "--label", "a=b", "--label", "c",
                    "--ipv6", "-o", "com.docker.network.bridge.name=bt0", "--attachable", "--aux-address", "x=10.1.0.3", "n2");
            assertThat(r.status()).as(r.err()).isZero();
            assertThat(r.out()).isEqualTo("abc\n");
            assertThat(daemon.seen().getLast().bodyText()).isEqualTo("{\"Driver\":\"bridge\",\"Scope\":\"\","
                    + "\"EnableIPv6\":true,\"IPAM\":{\"Driver\":\"default\",\"Options\":{},\"Config\":[{\"Subnet\":"
                    + "\"10.1.0.0/16\",\"IPRange\":\"10.1.2.0/24\",\"Gateway\":\"10.1.0.254\",\"AuxiliaryAddresses\":"
                    + "{\"x\":\"10.1.0.3\"}},{\"Subnet\":\"fd00:1::/64\"}]},\"Internal\":true,\"Attachable\":true,"
                    + "\"Ingress\":false,\"ConfigOnly\":false,\"ConfigFrom\":null,\"Options\":{\"com.docker.network.bridge.name\":"
                    + "\"bt0\"},\"Labels\":{\"a\":\"b\",\"c\":\"\"},\"Name\":\"n2\"}");
            cli("1.41").run("network", "create", "n3");
            assertThat(daemon.seen().getLast().bodyText()).endsWith("\"Name\":\"n3\",\"CheckDuplicate\":true}");
        }
    }

    private void fails(String expected, int status, String... args) {
        TestCli.Result r = cli("1.47").run(args);
        assertThat(r.status()).as(String.join(" ", args)).isEqualTo(status);
        assertThat(r.err()).as(String.join(" ", args)).isEqualTo(expected);
    }

    @Test
    void createRefusesIpamFlagsAsDockersCliDoes() throws Exception {
        try (RawDaemon daemon = RawDaemon.unix(dir.resolve("d.sock"))) {
            fails("invalid subnet: invalid CIDR address: x\n", 1, "network", "create", "--subnet", "x", "--gateway", "1.1.1.1",
                    "n");
            fails("multiple overlapping subnet configuration is not supported\n", 1, "network", "create", "--subnet",
                    "10.240.0.0/16", "--subnet", "10.240.1.0/24", "n");
            fails("every ip-range or gateway must have a corresponding subnet\n", 1, "network", "create", "--gateway",
                    "10.1.1.1", "n");
            fails("no matching subnet for gateway 10.2.0.1\n", 1, "network", "create", "--subnet", "10.240.0.0/16",
                    "--gateway", "10.2.0.1", "n");
            fails("invalid CIDR address: x\n", 1, "network", "create", "--subnet", "10.240.0.0/16", "--ip-range", "x", "n");
            fails("no matching subnet for range 10.2.0.0/24\n", 1, "network", "create", "--subnet", "10.240.0.0/16",
                    "--ip-range", "10.2.0.0/24", "n");
            fails("cannot configure multiple gateways (10.240.0.2, 10.240.0.1) for the same subnet (10.240.0.0/16)\n", 1,
                    "network", "create", "--subnet", "10.240.0.0/16,10.241.0.0/16", "--gateway", "10.240.0.1",
                    "--gateway", "10.240.0.2", "n");
            fails("no matching subnet for aux-address 1.1.1.1\n", 1, "network", "create", "--subnet", "10.240.0.0/16",
                    "--aux-address", "a=1.1.1.1", "n");
            fails("invalid argument \"=x\" for \"--label\" flag: invalid label '=x': empty name\n\n"
                    + "Usage:  berth network create [OPTIONS] NETWORK\n\nRun 'berth network create --help' for more "
                    + "information\n", 125, "network", "create", "--label", "=x", "n");
            assertThat(daemon.conversation()).isEmpty();
        }
    }

    @Test
    void connectAndDisconnectSendDockersBodies() throws Exception {
        try (RawDaemon daemon = RawDaemon.unix(dir.resolve("d.sock"))) {
            daemon.json("POST /networks/n1/connect", 200, "");
            daemon.json("POST /networks/n1/disconnect", 200, "");
            assertThat(cli("1.47").run("network", "connect", "--ip", "10.1.0.9", "--alias", "a,b", "--alias", "c", "n1", "c1")
                    .status()).isZero();
            assertThat(daemon.seen().getLast().bodyText()).isEqualTo("{\"Container\":\"c1\",\"EndpointConfig\":{"
                    + "\"IPAMConfig\":{\"IPv4Address\":\"10.1.0.9\"},\"Links\":null,\"Aliases\":[\"a\",\"b\",\"c\"],"
                    + "\"MacAddress\":\"\",\"DriverOpts\":{},\"GwPriority\":0,\"NetworkID\":\"\",\"EndpointID\":\"\","
                    + "\"Gateway\":\"\",\"IPAddress\":\"\",\"IPPrefixLen\":0,\"IPv6Gateway\":\"\",\"GlobalIPv6Address\":\"\","
                    + "\"GlobalIPv6PrefixLen\":0,\"DNSNames\":null}}");
            assertThat(cli("1.47").run("network", "disconnect", "-f", "n1", "c1").status()).isZero();
            assertThat(daemon.seen().getLast().bodyText()).isEqualTo("{\"Container\":\"c1\",\"Force\":true}");
            fails("invalid key/value pair format in driver options\n", 1, "network", "connect", "--driver-opt", "x", "n1",
                    "c1");
        }
    }

    @Test
    void rmGoesOnAfterAnErrorAndSaysExitStatus1() throws Exception {
        try (RawDaemon daemon = RawDaemon.unix(dir.resolve("d.sock"))) {
            daemon.json("DELETE /networks/n1", 204, "");
            daemon.json("DELETE /networks/nope", 404, "{\"message\":\"network nope not found\"}");
            TestCli.Result r = cli("1.47").run("network", "rm", "nope", "n1");
            assertThat(r.status()).isEqualTo(1);
            assertThat(r.out()).isEqualTo("n1\n");
            assertThat(r.err()).isEqualTo("Error response from daemon: network nope not found\nexit status 1\n");
            TestCli.Result forced = cli("1.47").run("network", "rm", "-f", "nope");
            assertThat(forced.status()).isZero();
            assertThat(forced.err()).isEmpty();
        }
    }

    @Test
    void portListsOrLooksUpOneMapping() throws Exception {
        try (RawDaemon daemon = RawDaemon.unix(dir.resolve("d.sock"))) {
            daemon.json("GET /containers/web/json", 200, """
                    {"NetworkSettings":{"Ports":{"80/tcp":[{"HostIp":"0.0.0.0","HostPort":"8080"},\
                    {"HostIp":"::","HostPort":"8080"}],"53/udp":[{"HostIp":"127.0.0.1","HostPort":"32768"}],\
                    "7000/tcp":null,"9/tcp":[{"HostIp":"0.0.0.0","HostPort":"9"}]}}}""");
            assertThat(cli("1.47").run("port", "web").out()).isEqualTo("""
                    9/tcp -> 0.0.0.0:9
                    53/udp -> 127.0.0.1:32768
                    80/tcp -> 0.0.0.0:8080
                    80/tcp -> [::]:8080
                    """);
            assertThat(cli("1.47").run("container", "port", "web", "80/tcp").out()).isEqualTo("0.0.0.0:8080\n[::]:8080\n");
            fails("Error: No public port '7000' published for web\n", 1, "port", "web", "7000");
            fails("Error: invalid port (x): strconv.ParseUint: parsing \"x\": invalid syntax\n", 1, "port", "web", "x");
            fails("berth: 'berth port' requires at least 1 and at most 2 arguments\n\n"
                    + "Usage:  berth port CONTAINER [PRIVATE_PORT[/PROTO]]\n\nRun 'berth port --help' for more information\n",
                    1, "port");
        }
    }
}
