package dev.berth.daemon.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** blkio and network counters for docker stats, from fixture files as the kernel writes them. */
class StatsCountersTest {
    @TempDir
    Path tmp;

    private static final String NET_DEV = """
            Inter-|   Receive                                                |  Transmit
             face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                lo:     140       2    0    0    0     0          0         0      140       2    0    0    0     0       0          0
              eth0:    1296      16    1    2    0     0          0         0      656        8    3    4    0     0       0          0
              eth1: 9876543210123 7 0 0 0 0 0 0 5 6 0 0 0 0 0 0
            """;

    @Test
    void blkioEntriesPerDeviceAndOperationTotalLeftOut() {
        assertThat(BlkioCounters.parse("8:0 Read 4096\n8:0 Write 12288\n8:0 Sync 0\n8:0 Async 16384\n8:0 Discard 0\n8:0 Total 16384\nTotal 16384\n"))
                .hasSize(6)
                .first().isEqualTo(Map.of("major", 8L, "minor", 0L, "op", "Read", "value", 4096L));
        assertThat(BlkioCounters.parse("Total 0\n")).isEmpty();
        assertThat(BlkioCounters.parse("garbage line here\nx:y Read 1\n")).isEmpty();
    }

    @Test
    void blkioFilesAreTriedAsRuncDoes() throws Exception {
        assertThat(BlkioCounters.read(tmp.resolve("missing"))).isEqualTo(BlkioCounters.NONE);
        Files.writeString(tmp.resolve("blkio.bfq.io_serviced_recursive"), "Total 0\n"); // BFQ counted nothing
        Files.writeString(tmp.resolve("blkio.throttle.io_serviced_recursive"), "Total 0\n");
        Files.writeString(tmp.resolve("blkio.throttle.io_serviced"), "253:0 Read 3\n253:0 Write 1\nTotal 4\n");
        Files.writeString(tmp.resolve("blkio.throttle.io_service_bytes"), "253:0 Read 12288\n253:0 Write 4096\nTotal 16384\n");
        BlkioCounters plain = BlkioCounters.read(tmp);
        assertThat(plain.serviced()).extracting(e -> e.get("value")).containsExactly(3L, 1L);
        assertThat(plain.serviceBytes()).extracting(e -> e.get("op") + "=" + e.get("value")).containsExactly("Read=12288", "Write=4096");
        Files.writeString(tmp.resolve("blkio.throttle.io_serviced_recursive"), "253:0 Read 5\nTotal 5\n");
        Files.writeString(tmp.resolve("blkio.throttle.io_service_bytes_recursive"), "253:0 Read 20480\nTotal 20480\n");
        assertThat(BlkioCounters.read(tmp).serviceBytes()).extracting(e -> e.get("value")).containsExactly(20480L);
    }

    @Test
    void networkCountersOfEveryInterfaceButLo() {
        Map<String, NetworkCounters> nets = NetworkCounters.parse(NET_DEV);
        assertThat(nets).containsOnlyKeys("eth0", "eth1");
        assertThat(nets.get("eth0")).isEqualTo(new NetworkCounters(1296, 16, 1, 2, 656, 8, 3, 4));
        assertThat(nets.get("eth1").rxBytes()).isEqualTo(9876543210123L);
        assertThat(nets.get("eth0").toWire().keySet()).containsExactly("rx_bytes", "rx_packets", "rx_errors", "rx_dropped",
                "tx_bytes", "tx_packets", "tx_errors", "tx_dropped");
    }

    @Test
    void aProcessInTheHostsNetworkNamespaceHasNoNetworks() throws Exception {
        Path self = fakeProc("self", "net:[4026531840]");
        Path host = fakeProc("100", "net:[4026531840]");
        Path own = fakeProc("200", "net:[4026532999]");
        assertThat(NetworkCounters.ofProcess(host, self)).isEmpty();
        assertThat(NetworkCounters.ofProcess(own, self)).containsOnlyKeys("eth0", "eth1");
        assertThat(NetworkCounters.ofProcess(tmp.resolve("gone"), self)).isEmpty();
    }

    @Test
    void theContainersProcessIsFoundThroughItsCgroup() throws Exception {
        Path cgroups = tmp.resolve("cgroup");
        Files.createDirectories(cgroups.resolve("pids/berth/abc"));
        Files.writeString(cgroups.resolve("pids/berth/abc/cgroup.procs"), "");
        assertThat(NetworkCounters.ofCgroup(cgroups, "berth/abc")).as("no process: none").isEmpty();
        assertThat(NetworkCounters.ofCgroup(cgroups, "berth/nope")).isEmpty();
        Files.writeString(cgroups.resolve("pids/berth/abc/cgroup.procs"), ProcessHandle.current().pid() + "\n");
        assertThat(NetworkCounters.ofCgroup(cgroups, "berth/abc")).as("this JVM shares the host's namespace").isEmpty();
    }

    private Path fakeProc(String name, String netns) throws Exception {
        Path p = Files.createDirectories(tmp.resolve(name).resolve("ns"));
        Files.createSymbolicLink(p.resolve("net"), Path.of(netns));
        Files.writeString(Files.createDirectories(p.getParent().resolve("net")).resolve("dev"), NET_DEV);
        return p.getParent();
    }
}
