package dev.berth.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.engine.network.Network;
import dev.berth.engine.network.kernel.CniNetworkKernel;
import dev.berth.engine.testing.EngineFixture;
import dev.berth.runtime.sys.LinuxSyscalls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Engines opened one after the other on fresh data roots, without --bip, over a default bridge
 * device that already exists (an earlier daemon's, as docker0 outlives dockerd): each takes the
 * device's address, through EngineContext's wiring of the kernel into the registry, and the
 * device keeps exactly one address. Root, /usr/lib/cni; its own bridge {@code bt} + hex with a
 * random 10.2xx.y.0/24, removed with its rules after, even when the test fails.
 */
class DefaultBridgeAdoptionTest {
    private final String device = "bt" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    private boolean made;

    @AfterEach
    void removeBridge() {
        if (made) {
            CniNetworkKernel.removeBridge(device);
        }
    }

    @Test
    void enginesWithFreshDataRootsTakeTheExistingDefaultBridgesAddress() throws Exception {
        EngineFixture.assumePrivileged();
        assumeTrue(Files.isExecutable(CniNetworkKernel.DEFAULT_PLUGIN_DIR.resolve("bridge")), "needs the CNI plugins");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/iptables-save")), "needs iptables");
        String prefix = freePrefix();
        made = true;
        exec("ip", "link", "add", "name", device, "type", "bridge");
        exec("ip", "addr", "add", prefix + ".1/24", "dev", device);
        for (int start = 0; start < 2; start++) {
            try (EngineFixture fx = new EngineFixture()) {
                var kernel = new CniNetworkKernel(new LinuxSyscalls(), fx.execRoot, CniNetworkKernel.DEFAULT_PLUGIN_DIR);
                fx.startWithNetworks(kernel, device, "");
                Network bridge = fx.engine.networkInspect("bridge");
                assertThat(bridge.ipam()).containsExactly(new Network.IpamPool(prefix + ".0/24", "", prefix + ".1"));
                assertThat(exec("ip", "-o", "-4", "addr", "show", "dev", device).strip().lines()
                        .map(l -> l.trim().split("\\s+")[3]).toList())
                        .as("start " + start).containsExactly(prefix + ".1/24");
            }
        }
    }

    /** A random 10.2xx.y prefix no route of the host mentions. */
    private static String freePrefix() throws Exception {
        String routes = exec("ip", "-4", "route", "show");
        while (true) {
            var r = ThreadLocalRandom.current();
            String prefix = "10." + (200 + r.nextInt(51)) + "." + r.nextInt(256);
            if (!routes.contains(prefix + ".") && !routes.contains("10." + prefix.split("\\.")[1] + ".0.0/16")) {
                return prefix;
            }
        }
    }

    private static String exec(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", argv) + ": " + out).isZero();
        return out;
    }
}
