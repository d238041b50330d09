package dev.berth.engine.network.kernel;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.engine.network.NetworkKernel.BridgeSpec;
import dev.berth.engine.network.NetworkKernel.EndpointSpec;
import dev.berth.engine.network.NetworkKernel.PortMapping;
import dev.berth.engine.network.NetworkKernel.Subnet;
import dev.berth.runtime.sys.LinuxSyscalls;
import dev.berth.runtime.sys.Syscalls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Test bridges, subnets and TCP probes in namespaces, for the kernel tests that run as root. */
final class KernelTestNetworks {
    static final Syscalls SYS = new LinuxSyscalls();

    private KernelTestNetworks() {}

    static void assumeRootWithCni() {
        assumeTrue(!Boolean.getBoolean("berth.skipPrivileged"), "privileged tests disabled with -Dberth.skipPrivileged=true");
        assumeTrue(isRoot(), "needs root: network namespaces, bridges and iptables (run as root, as CI does)");
        assumeTrue(Files.isExecutable(Path.of("/usr/lib/cni/bridge")),
                "needs the CNI plugins in /usr/lib/cni (apt-get install containernetworking-plugins)");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/iptables-restore")), "needs iptables");
    }

    static boolean isRoot() {
        try {
            return Files.readString(Path.of("/proc/self/status")).lines()
                    .anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[1].equals("0"));
        } catch (IOException e) {
            return false;
        }
    }

    /** A unique test bridge name: bt + 8 hex (≤ 15 characters). */
    static String bridgeName() {
        return "bt" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }

    /**
     * A random /24 in 10.200.0.0 - 10.250.255.0, the range the session's tests use, that no
     * route of the host covers yet (other tests may have networks there right now).
     */
    static String subnetPrefix() {
        var r = ThreadLocalRandom.current();
        while (true) {
            String prefix = "10." + (200 + r.nextInt(51)) + "." + r.nextInt(256);
            Cidr candidate = Cidr.parse(prefix + ".0/24");
            if (hostRoutes().stream().noneMatch(route -> route.contains(candidate.address())
                    || candidate.contains(route.address()))) {
                return prefix;
            }
        }
    }

    /** The host's IPv4 routes (/proc/net/route: hex little-endian destination and mask). */
    private static List<Cidr> hostRoutes() {
        try {
            return Files.readAllLines(Path.of("/proc/net/route")).stream().skip(1).map(l -> l.trim().split("\\s+"))
                    .filter(f -> f.length > 7 && !f[1].equals("00000000"))
                    .map(f -> {
                        int dest = Integer.reverseBytes((int) Long.parseLong(f[1], 16));
                        int prefix = Integer.bitCount((int) Long.parseLong(f[7], 16));
                        return Cidr.parse(((dest >>> 24) & 255) + "." + ((dest >>> 16) & 255) + "."
                                + ((dest >>> 8) & 255) + "." + (dest & 255) + "/" + prefix);
                    })
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    static BridgeSpec bridge(String bridgeName, String prefix24, boolean icc, boolean internal) {
        return new BridgeSpec("id-" + bridgeName, "net-" + bridgeName, bridgeName,
                List.of(new Subnet(prefix24 + ".0/24", prefix24 + ".1")), icc, internal, true, 0);
    }

    static EndpointSpec endpoint(String containerId, String address, List<PortMapping> ports) {
        return new EndpointSpec(containerId, "eth0", List.of(address + "/24"), true, "", ports);
    }

    /** A server socket made inside the namespace (a socket stays in the namespace it was made in). */
    static ServerSocket listenIn(Path netns, int port) {
        return NetnsThread.inNetns(SYS, netns, () -> {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(port));
            return s;
        });
    }

    /** Connects from inside the namespace (or from the host when netns is null) and returns the connected socket. */
    static Socket connectFrom(Path netns, String host, int port, int timeoutMillis) throws IOException {
        java.util.concurrent.Callable<Socket> connect = () -> {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress(host, port), timeoutMillis);
                s.setSoTimeout(5000);
                return s;
            } catch (IOException e) {
                s.close();
                throw new java.io.UncheckedIOException(e);
            }
        };
        try {
            return netns == null ? connect.call() : NetnsThread.inNetns(SYS, netns, connect);
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    /**
     * Accepts one connection on server (in the background), sends "hello" from the client and
     * returns what the server read, or throws when the client cannot connect.
     */
    static String exchange(ServerSocket server, Path clientNetns, String host, int port) throws Exception {
        var accepted = new java.util.concurrent.CompletableFuture<String>();
        Thread acceptor = Thread.ofVirtual().start(() -> {
            try (Socket peer = server.accept(); InputStream in = peer.getInputStream()) {
                peer.setSoTimeout(5000);
                accepted.complete(new String(in.readNBytes(5), StandardCharsets.US_ASCII));
            } catch (IOException e) {
                accepted.completeExceptionally(e);
            }
        });
        try (Socket client = connectFrom(clientNetns, host, port, 3000); OutputStream out = client.getOutputStream()) {
            out.write("hello".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return accepted.get(10, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            acceptor.interrupt();
        }
    }

    /** A port free on the host now (bound, then released). */
    static int freeHostPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Lines of iptables-save and ip6tables-save that mention the text. */
    static List<String> firewallLinesMentioning(String text) {
        List<String> out = new java.util.ArrayList<>();
        for (var f : BerthFirewall.Family.values()) {
            HostCommand.Result r = HostCommand.run(List.of(f.tool + "-save"), java.util.Map.of(), "",
                    java.time.Duration.ofSeconds(30));
            r.stdout().lines().filter(l -> l.contains(text)).forEach(out::add);
        }
        return out;
    }

    /** Runs a command in the namespace with nsenter (for set-ups the kernel does not make, e.g. a route). */
    static HostCommand.Result nsenter(Path netns, String... command) {
        List<String> argv = new java.util.ArrayList<>(List.of("nsenter", "--net=" + netns));
        argv.addAll(List.of(command));
        return HostCommand.run(argv, java.util.Map.of(), "", java.time.Duration.ofSeconds(30));
    }
}
