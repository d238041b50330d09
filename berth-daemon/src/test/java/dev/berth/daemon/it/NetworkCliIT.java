package dev.berth.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.daemon.testing.RawHttp;
import dev.berth.daemon.testing.TestBridges;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * bin/berthd's networks driven by the real docker CLIs (28.x on PATH, 20.10 at /usr/bin/docker):
 * network create/ls/inspect/rm/prune/connect/disconnect with their errors, published ports
 * (-p, -P, docker port, ps), and two containers on a user network reaching each other by name.
 * The expected words and tables are what the same CLIs print against a private dockerd 20.10.
 * The daemon gets a default bridge of its own ({@code bt} + 6 hex, a random 10.2xx.y.0/24) and
 * every user network here names its device ({@code com.docker.network.bridge.name=bt…}) and
 * subnet, so that tests side by side never share one; everything is removed at the end.
 */
class NetworkCliIT {
    private Path dir;
    private Process daemon;
    private String tag;
    private int octet;
    private int third;
    private final List<String> devices = new ArrayList<>();

    record Result(int code, String out, String err) {}

    @BeforeEach
    void startDaemon() throws Exception {
        Path berthd = Path.of(System.getProperty("berth.repo", "."), "bin", "berthd").toAbsolutePath();
        Assumptions.assumeTrue(Files.isExecutable(berthd), "bin/berthd not found at " + berthd);
        Assumptions.assumeTrue(System.getProperty("user.name").equals("root"), "networks need root");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/local/bin/docker")), "no docker CLI 28");
        tag = UUID.randomUUID().toString().replace("-", "").substring(0, 6);
        octet = 200 + ThreadLocalRandom.current().nextInt(51);
        third = ThreadLocalRandom.current().nextInt(0, 200);
        dir = Path.of("/tmp/berth-network-it-" + tag);
        System.out.println("NetworkCliIT: bridge bt" + tag + ", subnets " + subnet(0) + " and the next ones");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("none.json"), "{}");
        devices.add("bt" + tag);
        daemon = new ProcessBuilder(berthd.toString(), "--data-root", dir.resolve("data").toString(),
                "--exec-root", dir.resolve("exec").toString(), "-H", "unix://" + socket(),
                "--bridge", "bt" + tag, "--bip", subnet(0).replace(".0/24", ".1/24"),
                "--config-file", dir.resolve("none.json").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("berthd.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        // the socket file appears at bind: wait until a ping is answered, not only for the file
        while (!answersPing()) {
            assertThat(daemon.isAlive()).as("berthd exited: " + Files.readString(dir.resolve("berthd.log"))).isTrue();
            assertThat(System.nanoTime()).as("berthd did not answer: " + Files.readString(dir.resolve("berthd.log")))
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
        RawHttp.Response boot = RawHttp.call(socket(), "POST", "/berth/images/bootstrap?name=busybox");
        assertThat(boot.text()).contains("Loaded image: busybox:latest");
    }

    private boolean answersPing() {
        if (!Files.exists(socket())) {
            return false;
        }
        try {
            return RawHttp.call(socket(), "GET", "/_ping").status() == 200;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** The i-th /24 of this test: 10.2xx.(third + i).0/24. */
    private String subnet(int i) {
        return "10." + octet + "." + (third + i) + ".0/24";
    }

    private String prefix(int i) {
        return "10." + octet + "." + (third + i) + ".";
    }

    /** A user network's device name, remembered for the cleanup. */
    private String device(String suffix) {
        String name = "bt" + tag + suffix;
        devices.add(name);
        return name;
    }

    @AfterEach
    void stopDaemon() throws Exception {
        if (daemon != null && daemon.isAlive()) {
            // containers and user networks first, so that the daemon undoes their wiring itself
            String ids = docker("ps", "-aq").out().trim();
            if (!ids.isEmpty()) {
                List<String> rm = new ArrayList<>(List.of("rm", "-f"));
                rm.addAll(List.of(ids.split("\\s+")));
                docker(rm.toArray(String[]::new));
            }
            docker("network", "prune", "-f");
            daemon.destroy();
            if (!daemon.waitFor(60, TimeUnit.SECONDS)) {
                daemon.destroyForcibly();
            }
        }
        for (String device : devices) {
            TestBridges.remove(device); // the default bridge stays when berthd stops, as docker0 does
        }
        if (dir != null) {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo")).reversed()) {
                String point = line.split(" ")[4];
                if (point.startsWith(dir.toString())) {
                    new ProcessBuilder("umount", "-l", point).inheritIO().start().onExit().join();
                }
            }
            dev.berth.image.io.FileTrees.deleteQuietly(dir);
        }
    }

    private Path socket() {
        return dir.resolve("berth.sock");
    }

    private Result docker(String... args) throws Exception {
        return cli("/usr/local/bin/docker", args);
    }

    private Result docker2010(String... args) throws Exception {
        return cli("/usr/bin/docker", args);
    }

    private Result cli(String docker, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(docker, "-H", "unix://" + socket()));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().remove("DOCKER_HOST");
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", argv)).isTrue();
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    private String ok(String... args) throws Exception {
        Result r = docker(args);
        assertThat(r.code()).as("docker " + String.join(" ", args) + "\n" + r.err()).isZero();
        return r.out();
    }

    private void fails(Result r, String words) {
        assertThat(r.code()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).contains(words);
    }

    @Test
    void theDockerCliManagesNetworks() throws Exception {
        String id = ok("network", "create", "--subnet", subnet(1), "--gateway", prefix(1) + "254", "--ip-range", prefix(1) + "128/25",
                "-o", "com.docker.network.bridge.name=" + device("a"), "--label", "team=a", "n1").trim();
        assertThat(id).matches("[0-9a-f]{64}");
        String ls = ok("network", "ls");
        assertThat(ls.lines().findFirst().orElseThrow()).isEqualTo("NETWORK ID     NAME      DRIVER    SCOPE");
        assertThat(ls).contains(id.substring(0, 12) + "   n1        bridge    local");
        assertThat(ls.lines().skip(1).map(l -> l.split("\\s+")[1]).toList()).containsExactly("bridge", "host", "n1", "none");
        assertThat(docker2010("network", "ls").out()).isEqualTo(ls);
        assertThat(ok("network", "ls", "-q", "--filter", "name=^n1$")).isEqualTo(id.substring(0, 12) + "\n");
        assertThat(ok("network", "ls", "--filter", "type=custom", "--format", "{{.Name}} {{.Driver}} {{.Labels}}")).isEqualTo("n1 bridge team=a\n");
        assertThat(ok("network", "ls", "--filter", "type=builtin", "--format", "{{.Name}}")).isEqualTo("bridge\nhost\nnone\n");
        assertThat(ok("network", "ls", "--filter", "dangling=true", "--format", "{{.Name}}")).isEqualTo("n1\n");
        assertThat(ok("network", "ls", "--filter", "label=team=a", "--no-trunc", "-q")).isEqualTo(id + "\n");
        assertThat(ok("network", "inspect", "-f", "{{.Name}} {{.Driver}} {{.Scope}} {{.Internal}} {{range .IPAM.Config}}{{.Subnet}} "
                + "{{.IPRange}} {{.Gateway}}{{end}} {{index .Options \"com.docker.network.bridge.name\"}}", "n1"))
                .isEqualTo("n1 bridge local false " + subnet(1) + " " + prefix(1) + "128/25 " + prefix(1) + "254 bt" + tag + "a\n");
        assertThat(docker2010("network", "inspect", "-f", "{{.Id}}", id.substring(0, 10)).out()).isEqualTo(id + "\n");
        assertThat(ok("network", "inspect", "-f", "{{.IPAM.Config}}", "bridge")).isEqualTo("[{" + subnet(0) + "  " + prefix(0) + "1 map[]}]\n");

        // docker's words for bad input, through both CLIs
        fails(docker("network", "create", "n1"), "Error response from daemon: network with name n1 already exists");
        fails(docker("network", "create", "--subnet", prefix(1) + "128/25", "-o", "com.docker.network.bridge.name=" + device("b"), "n2"),
                "Error response from daemon: Pool overlaps with other one on this address space");
        fails(docker("network", "create", "bridge"), "Error response from daemon: operation is not permitted on predefined bridge network");
        fails(docker("network", "create", "-d", "foo", "n3"), "Error response from daemon: plugin \"foo\" not found");
        fails(docker("network", "create", "--subnet", "bogus", "n3"), "Error response from daemon: Invalid subnet bogus : invalid CIDR address: bogus");
        fails(docker("network", "rm", "bridge"), "Error response from daemon: bridge is a pre-defined network and cannot be removed");
        fails(docker("network", "rm", "nope"), "Error response from daemon: network nope not found");
        assertThat(docker("network", "rm", "-f", "nope").code()).isZero();
        fails(docker("network", "inspect", "nope"), "Error response from daemon: network nope not found");
        fails(docker2010("network", "inspect", "nope"), "Error: No such network: nope");
        fails(docker2010("network", "rm", "nope"), "Error: No such network: nope");
        fails(docker("network", "ls", "--filter", "type=x"), "Error response from daemon: invalid filter 'type=x'");

        // run's network errors: no pull attempt, dockerd's words, exit 125
        for (String[] run : new String[][] {
                {"--network", "nope", "network nope not found"},
                {"--network", "container:nope", "No such container: nope"},
                {"--ip", "10.1.2.3", "user specified IP address is supported on user defined networks only"},
                {"--network", "n1", "--ip", "10.99.0.9", "Invalid address 10.99.0.9: It does not belong to any of this network's subnets"},
                {"--network", "host", "--mac-address", "02:42:ac:11:00:02",
                        "conflicting options: mac-address and the network mode"}}) {
            List<String> argv = new ArrayList<>(List.of("run", "--rm"));
            argv.addAll(List.of(run).subList(0, run.length - 1));
            argv.addAll(List.of("busybox", "true"));
            Result r = docker(argv.toArray(String[]::new));
            assertThat(r.code()).as(r.err()).isEqualTo(125);
            assertThat(r.err()).contains("docker: Error response from daemon: " + run[run.length - 1]).doesNotContain("Unable to find image");
        }

        // --mac-address: the interface has it, inspect shows it (API 1.44+ sends it in the endpoint)
        assertThat(ok("run", "--rm", "--network", "n1", "--mac-address", "02:42:ac:11:00:99", "busybox",
                "cat", "/sys/class/net/eth0/address")).isEqualTo("02:42:ac:11:00:99\n");

        // connect, disconnect and their errors on a running container (dockerd's endpoints exist while it runs)
        ok("run", "-d", "--name", "c1", "--network", "n1", "--ip", prefix(1) + "130", "--network-alias", "db", "busybox", "sleep", "1000");
        assertThat(ok("inspect", "-f", "{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{$v.IPAMConfig.IPv4Address}} "
                + "{{$v.Aliases}} {{$v.IPAddress}}{{end}}", "c1")).isEqualTo("n1 " + prefix(1) + "130 [db] " + prefix(1) + "130\n");
        // API 1.41 (the 20.10 CLI) still sees the short id among the aliases
        String shortId = ok("inspect", "-f", "{{.Id}}", "c1").substring(0, 12);
        assertThat(docker2010("inspect", "-f", "{{range .NetworkSettings.Networks}}{{.Aliases}}{{end}}", "c1").out())
                .isEqualTo("[db " + shortId + "]\n");
        fails(docker("network", "connect", "n1", "c1"), "Error response from daemon: endpoint with name c1 already exists in network n1");
        fails(docker("network", "connect", "n1", "nope"), "Error response from daemon: No such container: nope");
        fails(docker("network", "connect", "nope", "c1"), "Error response from daemon: network nope not found");
        fails(docker("network", "disconnect", "bridge", "c1"), "is not connected to network bridge");
        fails(docker("network", "rm", "n1"), "Error response from daemon: error while removing network: network n1 id " + id
                + " has active endpoints");
        assertThat(ok("network", "ls", "--filter", "dangling=true", "-q")).isEmpty();
        ok("network", "disconnect", "n1", "c1");
        assertThat(ok("inspect", "-f", "{{len .NetworkSettings.Networks}}", "c1")).isEqualTo("0\n");
        ok("network", "connect", "--alias", "cache", "n1", "c1");
        assertThat(ok("network", "inspect", "-f", "{{range $id, $c := .Containers}}{{$c.Name}}{{end}}", "n1")).isEqualTo("c1\n");
        ok("rm", "-f", "c1");
        assertThat(ok("network", "inspect", "-f", "{{len .Containers}}", "n1")).isEqualTo("0\n");

        // prune takes unused user networks only, and honours label filters
        ok("network", "create", "--subnet", subnet(2), "-o", "com.docker.network.bridge.name=" + device("c"), "--label", "keep=1", "n2");
        assertThat(ok("network", "prune", "-f", "--filter", "label!=keep")).isEqualTo("Deleted Networks:\nn1\n\n");
        assertThat(ok("network", "prune", "-f")).isEqualTo("Deleted Networks:\nn2\n\n");
        assertThat(ok("network", "prune", "-f")).isEmpty();
        assertThat(ok("network", "ls", "--format", "{{.Name}}")).isEqualTo("bridge\nhost\nnone\n");
        // the 20.10 CLI creates and removes too
        String old = docker2010("network", "create", "--subnet", subnet(3), "-o", "com.docker.network.bridge.name=" + device("d"),
                "n4").out().trim();
        assertThat(old).matches("[0-9a-f]{64}");
        assertThat(docker2010("network", "rm", "n4").out()).isEqualTo("n4\n");
    }

    @Test
    void eventsTellOfNetworks() throws Exception {
        String since = Long.toString(System.currentTimeMillis() / 1000 - 1);
        String id = ok("network", "create", "--subnet", subnet(4), "-o", "com.docker.network.bridge.name=" + device("e"), "n5").trim();
        String c5 = ok("run", "-d", "--name", "c5", "--network", "n5", "busybox", "sleep", "1000").trim();
        ok("network", "disconnect", "n5", "c5");
        ok("rm", "-f", "c5");
        // a container that never ran: its disconnect is an event too, as dockerd's
        ok("create", "--name", "c6", "--network", "n5", "busybox", "true");
        ok("network", "disconnect", "n5", "c6");
        ok("rm", "c6");
        ok("network", "rm", "n5");
        String until = Long.toString(System.currentTimeMillis() / 1000 + 1);
        String events = ok("events", "--since", since, "--until", until, "--filter", "type=network",
                "--format", "{{.Type}} {{.Action}} {{.Actor.ID}} {{.Actor.Attributes.name}} {{.Actor.Attributes.type}}");
        assertThat(events).contains("network create " + id + " n5 bridge\n", "network connect " + id + " n5 bridge\n",
                "network disconnect " + id + " n5 bridge\n", "network destroy " + id + " n5 bridge\n");
        assertThat(events.lines().filter(l -> l.startsWith("network disconnect")).count()).isEqualTo(2);
        String container = ok("events", "--since", since, "--until", until, "--filter", "type=network", "--filter", "event=connect",
                "--format", "{{.Actor.Attributes.container}}");
        assertThat(container).isEqualTo(c5 + "\n");
    }

    /** Needs the engine's kernel side: namespaces, veths, CNI, the embedded DNS. */
    @Test
    void publishedPortsAndNamesWork() throws Exception {
        int port = 20000 + ThreadLocalRandom.current().nextInt(10000);
        String web = ok("run", "-d", "--name", "web", "-p", "127.0.0.1:" + port + ":80", "--expose", "90", "busybox", "sh", "-c",
                "mkdir /www && echo hello > /www/index.html && exec httpd -f -p 80 -h /www").trim();
        assertThat(ok("port", "web")).isEqualTo("80/tcp -> 127.0.0.1:" + port + "\n");
        assertThat(ok("port", "web", "80")).isEqualTo("127.0.0.1:" + port + "\n");
        assertThat(docker2010("port", "web").out()).isEqualTo("80/tcp -> 127.0.0.1:" + port + "\n");
        assertThat(docker2010("ps", "--format", "{{.Ports}}", "--filter", "name=web").out()).isEqualTo("90/tcp, 127.0.0.1:" + port + "->80/tcp\n");
        fails(docker("port", "web", "90"), "Error: No public port '90' published for web");
        assertThat(ok("ps", "--format", "{{.Names}}\t{{.Ports}}", "--filter", "name=web"))
                .isEqualTo("web\t90/tcp, 127.0.0.1:" + port + "->80/tcp\n");
        assertThat(ok("ps", "-q", "--filter", "publish=" + port)).isEqualTo(web.substring(0, 12) + "\n");
        assertThat(ok("ps", "-q", "--filter", "expose=90/tcp")).isEqualTo(web.substring(0, 12) + "\n");
        assertThat(ok("ps", "-q", "--filter", "network=bridge")).isEqualTo(web.substring(0, 12) + "\n");
        String address = ok("inspect", "-f", "{{.NetworkSettings.IPAddress}} {{.NetworkSettings.Networks.bridge.IPAddress}}", "web");
        assertThat(address).startsWith(prefix(0)).matches("(\\S+) \\1\n");
        assertThat(httpGet(port)).contains("hello");

        // -P publishes every exposed port on a free host port
        ok("run", "-d", "--name", "all", "-P", "--expose", "70", "--expose", "71/udp", "busybox", "sleep", "1000");
        String ports = ok("port", "all");
        assertThat(ports).matches("70/tcp -> 0\\.0\\.0\\.0:\\d+\n71/udp -> 0\\.0\\.0\\.0:\\d+\n");
        Result clash = docker("run", "-d", "--name", "clash", "-p", "127.0.0.1:" + port + ":80", "busybox", "sleep", "1000");
        assertThat(clash.code()).isEqualTo(125);
        assertThat(clash.err()).contains("Bind for 127.0.0.1:" + port + " failed: port is already allocated");

        // two containers on a user network find each other by name and alias
        ok("network", "create", "--subnet", subnet(5), "-o", "com.docker.network.bridge.name=" + device("f"), "app");
        ok("run", "-d", "--name", "srv", "--network", "app", "--network-alias", "api", "busybox", "sh", "-c",
                "mkdir /www && echo from-srv > /www/index.html && exec httpd -f -p 80 -h /www");
        // a container that asks at once, and one that runs a while before it asks
        assertThat(ok("run", "--rm", "--network", "app", "busybox", "wget", "-qO-", "http://srv/")).isEqualTo("from-srv\n");
        assertThat(ok("run", "--rm", "--network", "app", "busybox", "wget", "-qO-", "http://api/")).isEqualTo("from-srv\n");
        ok("run", "-d", "--name", "client", "--network", "app", "busybox", "sleep", "1000");
        assertThat(ok("exec", "client", "wget", "-qO-", "http://srv/")).isEqualTo("from-srv\n");
        assertThat(ok("exec", "client", "wget", "-qO-", "http://api/")).isEqualTo("from-srv\n");
        assertThat(ok("exec", "client", "nslookup", "-type=a", "srv")).contains("Name:\tsrv");
        // a running container joins the network later: it gets an address there and its name resolves
        ok("network", "connect", "--alias", "www", "app", "web");
        assertThat(ok("inspect", "-f", "{{.NetworkSettings.Networks.app.IPAddress}}", "web")).startsWith(prefix(5));
        assertThat(ok("exec", "client", "wget", "-qO-", "http://www/")).isEqualTo("hello\n");
        // and, as with dockerd, its own resolv.conf now points at the embedded DNS: it finds srv
        assertThat(ok("exec", "web", "wget", "-qO-", "http://srv/")).isEqualTo("from-srv\n");
        ok("network", "disconnect", "app", "web");
        assertThat(ok("inspect", "-f", "{{len .NetworkSettings.Networks}}", "web")).isEqualTo("1\n");
    }

    /** GET / from 127.0.0.1:port, the way a user's browser would reach a published port. */
    private static String httpGet(int port) throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                out.write(("GET / HTTP/1.0\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                last = e; // httpd may not listen yet
                Thread.sleep(100);
            }
        }
        throw last;
    }
}
