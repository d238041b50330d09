package dev.berth.engine.network.kernel;

import static dev.berth.engine.network.kernel.KernelTestNetworks.subnetPrefix;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.engine.network.Network;
import dev.berth.engine.network.NetworkRegistry;
import dev.berth.engine.network.NetworkStore;
import dev.berth.oci.BerthException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A default bridge device that already exists (an earlier daemon's, as docker0 outlives dockerd)
 * is taken as it is by daemons with fresh data roots: its address becomes the bridge network's,
 * and setting the network up adds no second one. As root, on a bridge of its own ({@code bt} +
 * hex, a random 10.2xx.y.0/24), removed after even when the test fails; parsing {@code ip}'s
 * output needs no root.
 */
class DefaultBridgeAdoptionKernelTest {
    @TempDir
    Path tmp;
    private String device;

    @AfterEach
    void removeBridge() {
        if (device != null) {
            CniNetworkKernel.removeBridge(device); // its firewall chains too: setUpNetwork made them
        }
    }

    @Test
    void ipsOneLineOutputIsReadInOrderPrimaryFirst() {
        assertThat(BridgeDevice.parseIpv4("""
                5083: berth0    inet 172.17.0.1/16 scope global berth0\\       valid_lft forever preferred_lft forever
                5083: berth0    inet 172.18.0.1/16 brd 172.18.255.255 scope global berth0\\       valid_lft forever preferred_lft forever
                5083: berth0    inet 172.17.0.9/16 scope global secondary berth0\\       valid_lft forever preferred_lft forever
                9: tun0    inet 10.8.0.1 peer 10.8.0.2/32 scope global tun0\\       valid_lft forever preferred_lft forever
                """)).containsExactly("172.17.0.1/16", "172.18.0.1/16", "172.17.0.9/16", "10.8.0.1/32");
        assertThat(BridgeDevice.parseIpv4("")).isEmpty();
        assertThatThrownBy(() -> BridgeDevice.ipv4Addresses("bad/name")).isInstanceOf(BerthException.class);
    }

    @Test
    void freshDataRootsTakeTheExistingBridgesAddressAndAddNoOther() {
        KernelTestNetworks.assumeRootWithCni();
        String prefix = subnetPrefix();
        device = KernelTestNetworks.bridgeName();
        assertThat(BridgeDevice.ipv4Addresses(device)).as("no device: nothing, and no ip call fails").isEmpty();
        ip("link", "add", "name", device, "type", "bridge");
        assertThat(BridgeDevice.ipv4Addresses(device)).as("a device without IPv4 addresses").isEmpty();
        ip("addr", "add", prefix + ".1/24", "dev", device);

        CniNetworkKernel kernel = new CniNetworkKernel(KernelTestNetworks.SYS, tmp.resolve("exec"), CniNetworkKernel.DEFAULT_PLUGIN_DIR);
        for (String root : List.of("one", "two")) {
            // what EngineContext makes at a daemon's start, and what recovery then sets up
            NetworkRegistry r = new NetworkRegistry(new NetworkStore(tmp.resolve(root)), device, "", Path.of("/proc/net/route"),
                    kernel::ipv4Addresses);
            Network bridge = r.find(NetworkRegistry.BRIDGE);
            assertThat(bridge.ipam()).containsExactly(new Network.IpamPool(prefix + ".0/24", "", prefix + ".1"));
            kernel.setUpNetwork(NetworkRegistry.bridgeSpec(bridge));
            assertThat(kernel.ipv4Addresses(device)).as("start with data root " + root).containsExactly(prefix + ".1/24");
        }

        // what the bug left on hosts: more addresses; the first is taken and none is added
        String other = subnetPrefix();
        ip("addr", "add", other + ".1/24", "dev", device);
        NetworkRegistry r = new NetworkRegistry(new NetworkStore(tmp.resolve("three")), device, "", Path.of("/proc/net/route"),
                kernel::ipv4Addresses);
        kernel.setUpNetwork(NetworkRegistry.bridgeSpec(r.find(NetworkRegistry.BRIDGE)));
        assertThat(r.find(NetworkRegistry.BRIDGE).ipam().getFirst().subnet()).isEqualTo(prefix + ".0/24");
        assertThat(kernel.ipv4Addresses(device)).containsExactly(prefix + ".1/24", other + ".1/24");
    }

    private static void ip(String... args) {
        List<String> argv = new java.util.ArrayList<>(List.of("ip"));
        argv.addAll(List.of(args));
        HostCommand.Result r = HostCommand.run(argv, Map.of(), "", Duration.ofSeconds(30));
        assertThat(r.ok()).as(String.join(" ", argv) + ": " + r.stderr()).isTrue();
    }
}
