package dev.berth.engine.network.kernel;

import static dev.berth.engine.network.kernel.KernelTestNetworks.SYS;

import dev.berth.engine.network.NetworkKernel.BridgeSpec;
import dev.berth.engine.network.NetworkKernel.EndpointSpec;
import dev.berth.engine.network.NetworkKernel.PortMapping;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Prints how long the kernel's steps take (run by hand:
 * {@code -Dtest=NetworkKernelTimings}; not a test, no assertion on time).
 */
class NetworkKernelTimings {
    private static final int ROUNDS = 20;

    @Test
    void printTimings() throws Exception {
        KernelTestNetworks.assumeRootWithCni();
        Path execRoot = Files.createTempDirectory("berth-nettimes-");
        var kernel = new CniNetworkKernel(SYS, execRoot, CniNetworkKernel.DEFAULT_PLUGIN_DIR);
        var plugins = new CniPlugins(CniNetworkKernel.DEFAULT_PLUGIN_DIR, java.time.Duration.ofSeconds(30));
        Thread.sleep(2000); // a daemon opens its engine well before the first container: let the warm-up run
        String prefix = KernelTestNetworks.subnetPrefix();
        BridgeSpec b = KernelTestNetworks.bridge(KernelTestNetworks.bridgeName(), prefix, true, false);
        String[] names = {"createNetns", "loopbackUp", "attach", "detach", "removeNetns", "attach -p", "detach -p",
            "lo plugin", "unpin+detach"};
        List<long[]> samples = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            samples.add(new long[ROUNDS]);
        }
        long t0 = System.nanoTime();
        kernel.setUpNetwork(b);
        long setUp = System.nanoTime() - t0;
        try {
            for (int round = 0; round < ROUNDS; round++) {
                String id = "timing-" + round;
                long a = System.nanoTime();
                Path ns = kernel.createNetns(id);
                long c = System.nanoTime();
                kernel.loopbackUp(ns);
                long d = System.nanoTime();
                var plain = new EndpointSpec(id, "eth0", List.of(prefix + ".2/24"), true, "", List.of());
                kernel.attach(ns, b, plain);
                long e = System.nanoTime();
                kernel.detach(ns, b, plain);
                long f = System.nanoTime();
                var ported = new EndpointSpec(id, "eth0", List.of(prefix + ".2/24"), true, "",
                        List.of(new PortMapping("tcp", "", 20000 + round, 80)));
                kernel.attach(ns, b, ported);
                long g = System.nanoTime();
                kernel.detach(ns, b, ported);
                long h = System.nanoTime();
                kernel.removeNetns(id);
                long k = System.nanoTime();
                // the loopback plugin, for comparison with loopbackUp's ioctl
                Path ns2 = kernel.createNetns(id);
                long l0 = System.nanoTime();
                plugins.run(new CniPlugins.Call("ADD", id, ns2, "lo"),
                        java.util.Map.of("cniVersion", "1.0.0", "name", "lo", "type", "loopback"));
                long l1 = System.nanoTime();
                // a container's exit: unpin first, then DEL finds no namespace (the kernel frees the veth)
                kernel.attach(ns2, b, plain);
                long m0 = System.nanoTime();
                kernel.removeNetns(id);
                kernel.detach(ns2, b, plain);
                long m1 = System.nanoTime();
                long[] values = {c - a, d - c, e - d, f - e, k - h, g - f, h - g, l1 - l0, m1 - m0};
                for (int i = 0; i < values.length; i++) {
                    samples.get(i)[round] = values[i];
                }
            }
        } finally {
            long t1 = System.nanoTime();
            kernel.tearDownNetwork(b);
            System.out.printf("setUpNetwork %.1f ms, tearDownNetwork %.1f ms%n", setUp / 1e6, (System.nanoTime() - t1) / 1e6);
            for (String id : kernel.pinnedNetns()) {
                kernel.removeNetns(id);
            }
            Files.deleteIfExists(execRoot.resolve("netns"));
            Files.deleteIfExists(execRoot);
        }
        for (int i = 0; i < names.length; i++) {
            long[] s = samples.get(i);
            long first = s[0];
            long[] rest = Arrays.copyOfRange(s, 1, s.length);
            Arrays.sort(rest);
            System.out.printf("%-12s first %6.1f ms, then median %6.1f ms, max %6.1f ms%n", names[i], first / 1e6,
                    rest[rest.length / 2] / 1e6, rest[rest.length - 1] / 1e6);
        }
    }
}
