package dev.berth.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cli.it.ReferenceDaemon.Run;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * bin/berth's network commands, {@code port}, ps's PORTS and run/create's network flags against
 * the docker CLI's, on the same daemon ({@link ReferenceDaemon}: a private dockerd, which can make
 * user-defined bridge networks and publish ports on 127.0.0.1 even with --bridge=none and
 * --iptables=false, or BERTH_COMPARE_HOST). Same stdout, stderr and status; where each CLI makes
 * its own object (a network, a container), the daemon's view of the two is compared instead.
 * Networks use 10.236–10.239.x subnets and bridges named bt…; all are removed after.
 */
class NetworkCompatibilityIT {
    private static final String IMAGE = "berth-nit-bb:1";
    private static final List<String> CONTAINERS = List.of("nit-web", "nit-idle", "nit-d1", "nit-b1", "nit-d2", "nit-b2",
            "nit-d3", "nit-b3", "nit-d4", "nit-b4", "nit-d5", "nit-b5", "nit-d6", "nit-b6", "nit-d7", "nit-b7");
    private static final List<String> NETWORKS = List.of("nit-a", "nit-b", "nit-x", "nit-p1", "nit-p2");
    private static ReferenceDaemon daemon;
    private static int webPort;

    @BeforeAll
    static void seed() throws Exception {
        daemon = ReferenceDaemon.start("berth-nit-");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/busybox")),
                "no static /bin/busybox to make a runnable image of");
        Path root = Files.createDirectories(daemon.work.resolve("rootfs/bin"));
        Files.copy(Path.of("/bin/busybox"), root.resolve("busybox"));
        for (String tool : List.of("sh", "sleep", "true")) {
            Files.createSymbolicLink(root.resolve(tool), Path.of("busybox"));
        }
        Files.createDirectories(daemon.work.resolve("rootfs/etc"));
        DockerArchive a = new DockerArchive(daemon.work.resolve("archive"));
        String[] layer = a.layerOf(daemon.work.resolve("rootfs"));
        a.image("""
                {"architecture":"amd64","os":"linux","created":"2021-01-01T00:00:00Z",\
                "config":{"Env":["PATH=/bin"],"Cmd":["sh"],"ExposedPorts":{"80/tcp":{},"53/udp":{}}},\
                "rootfs":{"type":"layers","diff_ids":["%s"]},\
                "history":[{"created":"2021-01-01T00:00:00Z","created_by":"busybox"}]}""".formatted(layer[1]),
                List.of(layer[0]), List.of(IMAGE));
        must(daemon.docker("load", "-i", a.pack("bb.tar").toString()));
        cleanUp();
        must(daemon.docker("network", "create", "--subnet", "10.236.0.0/24", "--label", "tier=front",
                "-o", "com.docker.network.bridge.name=btnit0", "nit-a"));
        webPort = freePort();
        must(daemon.docker("run", "-d", "--name", "nit-web", "--network", "nit-a", "-p", "127.0.0.1:" + webPort + ":80",
                "-p", "127.0.0.1::53/udp", "--expose", "7000-7001", IMAGE, "sleep", "600"));
        must(daemon.docker("run", "-d", "--name", "nit-idle", "--network", "nit-a", IMAGE, "sleep", "600"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void must(Run r) {
        assertThat(r.status()).as(r.all()).isZero();
    }

    @AfterAll
    static void stop() throws Exception {
        if (daemon != null) {
            try {
                cleanUp();
                daemon.docker("rmi", "-f", IMAGE);
            } finally {
                daemon.close();
            }
        }
    }

    /** Containers first, then the networks (a dockerd leaves a network's bridge behind if it is not removed). */
    private static void cleanUp() throws IOException, InterruptedException {
        List<String> rm = new ArrayList<>(List.of("rm", "-f", "-v"));
        rm.addAll(CONTAINERS);
        daemon.docker(rm.toArray(String[]::new));
        List<String> networks = new ArrayList<>(List.of("network", "rm"));
        networks.addAll(NETWORKS);
        daemon.docker(networks.toArray(String[]::new));
    }

    private static String normalize(String s) {
        return s.replaceAll("(Less than a second|About a minute|About an hour|\\d+ (seconds?|minutes?|hours?))", "T")
                .replaceAll(" {2,}", " ");
    }

    private static void same(String... args) throws Exception {
        Run expected = daemon.docker(args);
        Run actual = daemon.berth(args);
        // the CLI's name in its messages only: stdout has "com.docker.network.*" options
        String docker = "status " + expected.status() + "\n--- stdout\n" + expected.out() + "--- stderr\n"
                + expected.err().replace("docker", "berth");
        assertThat(normalize(actual.all())).as("berth %s", String.join(" ", args)).isEqualTo(normalize(docker));
    }

    @Test
    void listingsAndInspect() throws Exception {
        same("network", "ls", "--filter", "name=nit-");
        same("network", "ls", "-q", "--filter", "name=nit-");
        same("network", "ls", "--no-trunc", "--filter", "name=nit-");
        same("network", "list", "--format", "json", "--filter", "label=tier");
        same("network", "ls", "--format", "raw", "--filter", "name=nit-");
        same("network", "ls", "--format", "table {{.Name}}\\t{{.Labels}}\\t{{.Label \"tier\"}}\\t{{.Internal}}\\t{{.IPv6}}"
                + "\\t{{.CreatedAt}}", "--filter", "name=nit-a");
        same("network", "ls", "-f", "bogus");
        same("network", "ls", "--format", "{{.Nope}}");
        same("network", "inspect", "nit-a");
        same("network", "inspect", "-f", "{{.Name}} {{.Driver}} {{json .IPAM.Config}} {{len .Containers}}", "nit-a");
        same("network", "inspect", "nit-a", "nope");
        same("inspect", "nit-a");
        same("inspect", "--type", "network", "nope");
        same("network", "inspect");
    }

    @Test
    void portAndPs() throws Exception {
        same("port", "nit-web");
        same("port", "nit-web", "80");
        same("container", "port", "nit-web", "53/udp");
        same("port", "nit-web", "7000");
        same("port", "nit-web", "x");
        same("port", "nit-web", "80", "extra");
        same("port", "nope");
        same("port", "nit-idle");
        same("ps", "--filter", "name=nit-");
        same("ps", "--format", "{{.Names}} {{.Ports}} {{.Networks}}", "--filter", "name=nit-");
    }

    @Test
    void networkCommandsRefuseAsDockers() throws Exception {
        same("network", "create", "nit-a");
        same("network", "create", "--subnet", "x", "nit-x");
        same("network", "create", "--subnet", "10.237.0.0/16", "--subnet", "10.237.1.0/24", "nit-x");
        same("network", "create", "--subnet", "10.237.0.0/16", "--gateway", "10.2.0.1", "nit-x");
        same("network", "create", "--gateway", "10.2.0.1", "nit-x");
        same("network", "create", "--label", "=x", "nit-x");
        same("network", "create", "--driver", "nope", "nit-x");
        same("network", "create");
        same("network", "rm", "nope");
        same("network", "rm", "-f", "nope");
        same("network", "rm", "host");
        same("network", "rm", "nit-a");
        same("network", "connect", "nit-a", "nope");
        same("network", "connect", "nope", "nit-web");
        same("network", "connect", "nit-a", "nit-web");
        same("network", "connect", "--driver-opt", "x", "nit-a", "nit-web");
        same("network", "disconnect", "nope", "nit-web");
        same("network", "connect", "nit-a");
        same("network", "prune");
        same("network", "prune", "-f", "--filter", "label=nit-nothing");
    }

    /** Each CLI makes its own network with the same flags; the daemon must hold the same thing for both. */
    @Test
    void createdNetworksMatch() throws Exception {
        String view = "{{.Driver}} {{.EnableIPv6}} {{.Internal}} {{.Attachable}} {{json .IPAM}} {{json .Options}} "
                + "{{json .Labels}}";
        for (List<String> flags : List.of(
                List.of("--subnet", "10.238.0.0/16", "--ip-range", "10.238.2.0/24", "--gateway", "10.238.0.254",
                        "--internal", "--label", "a=b", "--label", "c", "--attachable", "--aux-address", "x=10.238.0.3",
                        "-o", "com.docker.network.bridge.name=btnit1"),
                List.of("--subnet", "10.239.0.0/24", "-o", "com.docker.network.bridge.name=btnit2",
                        "-o", "com.docker.network.bridge.enable_icc=false"))) {
            List<String> d = new ArrayList<>(List.of("network", "create"));
            d.addAll(flags);
            d.add("nit-x");
            Run byDocker = daemon.docker(d.toArray(String[]::new));
            if (byDocker.status() != 0) {
                // a daemon that refuses an option (berthd: --aux-address) refuses it alike for both
                assertThat(daemon.berth(d.toArray(String[]::new)).all())
                        .isEqualTo(byDocker.all().replace("docker", "berth"));
                continue;
            }
            String expected = daemon.docker("network", "inspect", "-f", view, "nit-x").out();
            must(daemon.docker("network", "rm", "nit-x"));
            Run byBerth = daemon.berth(d.toArray(String[]::new));
            must(byBerth);
            assertThat(byBerth.out()).matches("[0-9a-f]{64}\n");
            assertThat(daemon.docker("network", "inspect", "-f", view, "nit-x").out()).as(String.join(" ", flags))
                    .isEqualTo(expected);
            Run rm = daemon.berth("network", "rm", "nit-x");
            assertThat(rm.all()).isEqualTo("status 0\n--- stdout\nnit-x\n--- stderr\n");
        }
        must(daemon.docker("network", "create", "--subnet", "10.237.4.0/24", "nit-p1"));
        must(daemon.berth("network", "create", "--subnet", "10.237.5.0/24", "nit-p2"));
        Run pruned = daemon.berth("network", "prune", "-f", "--filter", "label!=tier");
        assertThat(pruned.out()).contains("Deleted Networks:\n").contains("nit-p1\n").contains("nit-p2\n");
        assertThat(daemon.docker("network", "ls", "-q", "--filter", "name=nit-p").out()).isEmpty();
    }

    @Test
    void connectAndDisconnectMatch() throws Exception {
        must(daemon.docker("network", "create", "--subnet", "10.237.8.0/24", "-o", "com.docker.network.bridge.name=btnit3",
                "nit-b"));
        try {
            must(daemon.docker("run", "-d", "--name", "nit-d1", IMAGE, "sleep", "600"));
            must(daemon.docker("run", "-d", "--name", "nit-b1", IMAGE, "sleep", "600"));
            must(daemon.docker("network", "connect", "--ip", "10.237.8.7", "--alias", "a,b", "--alias", "c", "nit-b",
                    "nit-d1"));
            Run connect = daemon.berth("network", "connect", "--ip", "10.237.8.8", "--alias", "a,b", "--alias", "c", "nit-b",
                    "nit-b1");
            assertThat(connect.all()).isEqualTo("status 0\n--- stdout\n--- stderr\n");
            String view = "{{with index .NetworkSettings.Networks \"nit-b\"}}{{json .IPAMConfig}} {{json .Aliases}} "
                    + "{{.IPPrefixLen}} {{.Gateway}}{{end}}";
            // dockerd adds the container's short id as an alias
            assertThat(daemon.docker("inspect", "-f", view, "nit-b1").out().replaceAll(",\"[0-9a-f]{12}\"", ""))
                    .isEqualTo(daemon.docker("inspect", "-f", view, "nit-d1").out().replace("10.237.8.7", "10.237.8.8")
                            .replaceAll(",\"[0-9a-f]{12}\"", ""));
            same("network", "connect", "nit-b", "nit-b1");
            Run disconnect = daemon.berth("network", "disconnect", "nit-b", "nit-b1");
            assertThat(disconnect.all()).isEqualTo("status 0\n--- stdout\n--- stderr\n");
            same("network", "disconnect", "nit-b", "nit-b1");
            same("network", "disconnect", "-f", "nit-b", "nit-b1");
        } finally {
            // dockerd 20.10 (--bridge=none) leaves the veth of a second network behind when its container is removed
            // while connected: disconnect first
            daemon.docker("network", "disconnect", "-f", "nit-b", "nit-d1");
            daemon.docker("network", "disconnect", "-f", "nit-b", "nit-b1");
            daemon.docker("rm", "-f", "nit-d1", "nit-b1");
            daemon.docker("network", "rm", "nit-b");
        }
    }

    /** Each CLI creates a container with the same flags; the daemon must record the same ports and endpoints. */
    @Test
    void runFlagsReachTheDaemonAlike() throws Exception {
        String view = "{{json .HostConfig.PortBindings}} {{json .Config.ExposedPorts}} {{.HostConfig.NetworkMode}} "
                + "{{.HostConfig.PublishAllPorts}} {{range $k, $v := .NetworkSettings.Networks}}{{$k}}={{json $v.IPAMConfig}}"
                + "{{json $v.Aliases}}{{$v.MacAddress}} {{end}}{{json .HostConfig.Dns}} {{json .HostConfig.DnsSearch}} "
                + "{{json .HostConfig.DnsOptions}} {{json .HostConfig.ExtraHosts}}";
        List<List<String>> cases = List.of(
                List.of("-p", "8080:80", "-p", "127.0.0.1::53/udp", "-p", "8000-8001:80-81", "-p", "9000-9005:90",
                        "--expose", "7000-7001"),
                List.of("-P", "--expose", "5000"),
                List.of("--network", "nit-a", "--ip", "10.236.0.50", "--network-alias", "x", "--network-alias", "y"),
                List.of("--network", "name=nit-a,alias=q,ip=10.236.0.51"),
                List.of("-p", "published=8081,target=81,protocol=udp", "-p", "[::1]:8082:82"),
                List.of("--network", "host"),
                List.of("--network", "none"),
                List.of("--dns", "10.236.0.1", "--dns", "0:0:0:0:0:0:0:1", "--dns-search", "example.com", "--dns-search", ".",
                        "--dns-option", "ndots:2", "--add-host", "a:10.1.2.3", "--add-host", "b=[::1]"));
        for (int i = 0; i < cases.size(); i++) {
            List<String> d = new ArrayList<>(List.of("create", "--name", "nit-d" + (i + 1)));
            d.addAll(cases.get(i));
            d.add(IMAGE);
            List<String> b = new ArrayList<>(List.of("create", "--name", "nit-b" + (i + 1)));
            b.addAll(cases.get(i));
            b.add(IMAGE);
            must(daemon.docker(d.toArray(String[]::new)));
            must(daemon.berth(b.toArray(String[]::new)));
            assertThat(daemon.docker("inspect", "-f", view, "nit-b" + (i + 1)).out()).as(String.join(" ", cases.get(i)))
                    .isEqualTo(daemon.docker("inspect", "-f", view, "nit-d" + (i + 1)).out());
            daemon.docker("rm", "-f", "nit-d" + (i + 1), "nit-b" + (i + 1));
        }
    }

    @Test
    void runFlagErrorsReadAsDockers() throws Exception {
        for (List<String> flags : List.of(List.of("-p", "x"), List.of("-p", ":80/xyz"), List.of("-p", "1.2.3:80:80"),
                List.of("-p", "8000:80-81"), List.of("-p", "70000"), List.of("-p", "published=80,bad"),
                List.of("--expose", "80:81"), List.of("--expose", "90-80"), List.of("--mac-address", "zz"),
                List.of("--network", ""), List.of("--network", "alias=x"), List.of("--network", "name=nit-a,foo=bar"),
                List.of("--network", "host", "--network-alias", "a"), List.of("--network", "nit-a", "--network", "nit-a"),
                List.of("--network", "nit-a", "--network", "host"), List.of("--dns", "x"), List.of("--dns-search", "-x"),
                List.of("--add-host", "x"), List.of("--add-host", "a:b"))) {
            for (String verb : List.of("create", "run")) {
                List<String> args = new ArrayList<>(List.of(verb));
                args.addAll(flags);
                args.add(IMAGE);
                args.add("true");
                same(args.toArray(String[]::new));
            }
        }
    }
}
