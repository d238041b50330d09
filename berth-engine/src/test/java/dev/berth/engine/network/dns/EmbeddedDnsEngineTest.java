package dev.berth.engine.network.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.engine.ContainerEngine;
import dev.berth.engine.CreateRequest;
import dev.berth.engine.EngineOptions;
import dev.berth.engine.ExecConfig;
import dev.berth.engine.container.Container;
import dev.berth.engine.container.ContainerConfig;
import dev.berth.engine.container.HostConfig;
import dev.berth.engine.logs.LogOptions;
import dev.berth.engine.network.Network;
import dev.berth.engine.network.NetworkCreateRequest;
import dev.berth.engine.network.kernel.CniNetworkKernel;
import dev.berth.engine.spec.HostInfo;
import dev.berth.engine.testing.EngineFixture;
import dev.berth.runtime.sys.LinuxSyscalls;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The embedded DNS server through the engine, with the real network kernel: a container on a
 * user network resolves another by name and an outside name, which the server forwards to the
 * host's resolv.conf nameserver (a fake one on a host loopback address: reachable because the
 * server runs in the host's namespace). Needs root and the CNI plugins.
 */
class EmbeddedDnsEngineTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final InetAddress OUTSIDE = InetAddress.ofLiteral("203.0.113.9");

    private EngineFixture fx;
    private ContainerEngine engine;
    private FakeUpstream upstream;
    private String network;
    private final List<String> ids = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        EngineFixture.assumePrivileged();
        assumeTrue(Files.isExecutable(EngineOptions.DEFAULT_CNI_DIR.resolve("bridge")), "needs the CNI plugins in /usr/lib/cni");
        long pid = ProcessHandle.current().pid();
        InetAddress upstreamAddress = InetAddress.ofLiteral("127.54." + ((pid >> 8) & 0xFF) + "." + Math.max(1, pid & 0xFF));
        upstream = new FakeUpstream(new InetSocketAddress(upstreamAddress, ResolvConf.DNS_PORT),
                (q, tcp) -> Optional.of(DnsTestPackets.answer(q, 0, false, List.of(OUTSIDE))));
        fx = new EngineFixture().start();
        fx.engine.close();
        Path etc = Files.createDirectories(fx.base.resolve("host-etc"));
        Files.writeString(etc.resolve("resolv.conf"), "nameserver " + upstreamAddress.getHostAddress() + "\n");
        Files.writeString(etc.resolve("hosts"), "127.0.0.1\tlocalhost\n");
        HostInfo host = HostInfo.detect();
        EngineOptions options = new EngineOptions(fx.dataRoot, fx.execRoot, EngineFixture.helper(), LogOptions.DEFAULT,
                new HostInfo(host.arch(), host.kernelVersion(), host.hostname(), host.swapAccounting(), host.initBinary(), etc),
                EngineOptions.NO_BRIDGE, "", EngineOptions.DEFAULT_CNI_DIR);
        fx.engine = ContainerEngine.open(options, fx.images,
                new CniNetworkKernel(new LinuxSyscalls(), fx.execRoot, EngineOptions.DEFAULT_CNI_DIR));
        engine = fx.engine;
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (fx != null && engine != null) {
                for (Container c : engine.list(true)) {
                    engine.remove(c.id(), true);
                }
                if (network != null) {
                    engine.networkRemove(network);
                }
                fx.assertNoLeaks(ids);
            }
        } finally {
            if (fx != null) {
                fx.close();
            }
            if (upstream != null) {
                upstream.close();
            }
        }
    }

    @Test
    void aContainerResolvesAnotherByNameAndOutsideNamesThroughTheHostsResolver() throws Exception {
        String suffix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
        String net = "10." + (200 + ThreadLocalRandom.current().nextInt(51)) + "." + ThreadLocalRandom.current().nextInt(256);
        Network n = engine.networkCreate(new NetworkCreateRequest("dnstest-" + suffix, "bridge", false, false, false,
                List.of(new Network.IpamPool(net + ".0/24", "", net + ".1")),
                Map.of("com.docker.network.bridge.name", "btdns" + suffix), Map.of()));
        network = n.id();
        Container web = engine.create(CreateRequest.of(ContainerConfig.of("busybox", List.of("sleep", "1000")),
                HostConfig.DEFAULT.withNetworkMode(n.name())).named("web-" + suffix));
        ids.add(web.id());
        engine.start(web.id());
        String webAddress = engine.inspect(web.id()).networks().get(n.name()).ipv4Address();

        Container client = engine.create(CreateRequest.of(ContainerConfig.of("busybox", List.of("sleep", "1000")),
                HostConfig.DEFAULT.withNetworkMode(n.name())));
        ids.add(client.id());
        engine.start(client.id());

        String byName = exec(client, "cat /etc/resolv.conf; nslookup web-" + suffix);
        String otherCase = exec(client, "nslookup WEB-" + suffix.toUpperCase(java.util.Locale.ROOT) + ".");
        assertThat(upstream.udpQueries.get()).as("container names stay inside").isZero();
        String outside = exec(client, "nslookup example.org");

        assertThat(byName).contains("nameserver " + net + ".1").contains("Address: " + webAddress).doesNotContain("203.0.113.9");
        assertThat(otherCase).contains("Address: " + webAddress).doesNotContain("203.0.113.9");
        assertThat(outside).contains("Address: 203.0.113.9");
        assertThat(upstream.udpQueries.get()).isPositive();
    }

    /** Runs {@code script} in the running container; its output, after checking it succeeded. */
    private String exec(Container c, String script) throws Exception {
        String exec = engine.execCreate(c.id(), ExecConfig.of(List.of("sh", "-c", script)));
        StringBuilder out = new StringBuilder();
        int status = engine.execStart(exec, e -> {
                    synchronized (out) {
                        out.append(e.text());
                    }
                })
                .get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        synchronized (out) {
            assertThat(status).as(out.toString()).isZero();
            return out.toString();
        }
    }
}
