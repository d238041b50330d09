package dev.berth.engine.network;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.engine.network.kernel.CniNetworkKernel;
import dev.berth.engine.testing.EngineFixture;
import dev.berth.runtime.sys.LinuxSyscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;

/** The real kernel (CNI plugins, iptables) keeps the same contract. Root, /usr/lib/cni. */
class CniNetworkKernelContractTest extends NetworkKernelContract {
    private final Path execRoot = Path.of("/tmp/berth-kernel-contract-" + UUID.randomUUID().toString().substring(0, 8));
    private CniNetworkKernel kernel;

    @BeforeEach
    void assumeCni() {
        assumeTrue(EngineFixture.isRoot() && !Boolean.getBoolean("berth.skipPrivileged"), "needs root");
        assumeTrue(Files.isExecutable(CniNetworkKernel.DEFAULT_PLUGIN_DIR.resolve("bridge")), "needs the CNI plugins");
        kernel = new CniNetworkKernel(new LinuxSyscalls(), execRoot, CniNetworkKernel.DEFAULT_PLUGIN_DIR);
    }

    @Override
    protected NetworkKernel kernel() {
        return kernel;
    }

    @Override
    protected void cleanUp() {
        if (kernel == null) {
            return;
        }
        try {
            kernel.removeNetns(containerId);
        } catch (RuntimeException ignored) {
            // not made
        }
        try {
            kernel.tearDownNetwork(bridge);
        } catch (RuntimeException ignored) {
            // not made
        }
        try (var files = Files.walk(execRoot)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // nothing made
        }
    }
}
