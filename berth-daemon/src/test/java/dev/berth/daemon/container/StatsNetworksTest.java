package dev.berth.daemon.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * docker stats' networks of a real container: a veth the test puts into the container's
 * network namespace (host end bt-i4…, a /30 of 10.231.7.0, traffic only between the host and
 * that namespace) shows up with its counters; lo never does. Needs root and ip(8).
 */
class StatsNetworksTest {
    private static final String HOST_END = "bt-i4s" + ProcessHandle.current().pid() % 100000;

    private ContainerDaemon d;

    @BeforeEach
    void start() throws Exception {
        ContainerDaemon.assumePrivileged();
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip")),
                "needs ip(8)");
        d = ContainerDaemon.start();
    }

    @AfterEach
    void stop() throws Exception {
        try {
            sh("ip", "link", "del", HOST_END); // its peer in the container goes with it
        } catch (AssertionError alreadyGone) {
            // the container's exit took the pair away
        }
        if (d != null) {
            d.close();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theContainersInterfacesButLoWithTheirCounters() throws Exception {
        String id = d.run("netstat", "[\"sleep\",\"1000\"]");
        Map<String, Object> before = d.object("GET", "/containers/" + id + "/stats?stream=false&one-shot=1", null);
        assertThat(before).as("network none: only lo, so no networks, as dockerd").doesNotContainKey("networks");

        long pid = ((Number) ((Map<String, Object>) d.object("GET", "/containers/" + id + "/json", null).get("State")).get("Pid")).longValue();
        sh("ip", "link", "add", HOST_END, "type", "veth", "peer", "name", "eth0", "netns", Long.toString(pid));
        sh("ip", "addr", "add", "10.231.7.1/30", "dev", HOST_END);
        sh("ip", "link", "set", HOST_END, "up");
        sh("nsenter", "-t", Long.toString(pid), "-n", "ip", "addr", "add", "10.231.7.2/30", "dev", "eth0");
        sh("nsenter", "-t", Long.toString(pid), "-n", "ip", "link", "set", "eth0", "up");
        sh("/bin/busybox", "ping", "-c", "3", "-W", "5", "10.231.7.2");

        Map<String, Object> stats = d.object("GET", "/containers/" + id + "/stats?stream=false&one-shot=1", null);
        Map<String, Map<String, Object>> networks = (Map<String, Map<String, Object>>) stats.get("networks");
        assertThat(networks).containsOnlyKeys("eth0");
        Map<String, Object> eth0 = networks.get("eth0");
        assertThat(eth0.keySet()).containsExactly("rx_bytes", "rx_packets", "rx_errors", "rx_dropped",
                "tx_bytes", "tx_packets", "tx_errors", "tx_dropped");
        assertThat(((Number) eth0.get("rx_packets")).longValue()).as("the pings in").isGreaterThanOrEqualTo(3);
        assertThat(((Number) eth0.get("tx_packets")).longValue()).as("the answers out").isGreaterThanOrEqualTo(3);
        assertThat(((Number) eth0.get("rx_bytes")).longValue()).isGreaterThanOrEqualTo(3 * 84);
        assertThat((List<Object>) ((Map<String, Object>) stats.get("blkio_stats")).get("io_service_bytes_recursive")).isNotNull();
        assertThat(d.call("DELETE", "/containers/" + id + "?force=1", null).status()).isEqualTo(204);
    }

    private static void sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + out).isZero();
    }
}
