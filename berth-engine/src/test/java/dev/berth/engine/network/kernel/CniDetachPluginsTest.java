package dev.berth.engine.network.kernel;

import static dev.berth.engine.network.kernel.KernelTestNetworks.SYS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.engine.network.NetworkKernel.BridgeSpec;
import dev.berth.engine.network.NetworkKernel.EndpointSpec;
import dev.berth.engine.network.NetworkKernel.PortMapping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which plugins a detach runs, against fake plugins that only log their calls (no root): none
 * for the bridge when the namespace is gone (its DEL would only run static IPAM's, which has
 * nothing to release), portmap's DEL whenever ports were published.
 */
class CniDetachPluginsTest {
    @TempDir
    Path dir;
    private Path log;
    private CniNetworkKernel kernel;

    private static final BridgeSpec BRIDGE = KernelTestNetworks.bridge("btfake0", "10.251.9", true, false);

    @BeforeEach
    void setUp() throws IOException {
        Path plugins = Files.createDirectory(dir.resolve("plugins"));
        log = dir.resolve("calls.log");
        for (String type : List.of("bridge", "portmap", "static")) {
            Path p = plugins.resolve(type);
            // the kernel's warm-up asks for VERSION on its own thread at any time: not logged
            Files.writeString(p, "#!/bin/sh\ncat >/dev/null\n[ \"$CNI_COMMAND\" = VERSION ] && exit 0\n"
                    + "echo \"" + type + " $CNI_COMMAND netns=$CNI_NETNS\" >> " + log + "\n");
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        kernel = new CniNetworkKernel(SYS, dir.resolve("exec"), plugins);
    }

    private List<String> calls() throws IOException {
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    @Test
    void withoutTheNamespaceAndWithoutPortsNoPluginRuns() throws IOException {
        EndpointSpec e = KernelTestNetworks.endpoint("ctr-gone", "10.251.9.2", List.of());
        kernel.detach(kernel.netnsPath("ctr-gone"), BRIDGE, e);
        assertThat(calls()).isEmpty();
    }

    @Test
    void withoutTheNamespacePortmapStillRemovesItsRules() throws IOException {
        EndpointSpec e = KernelTestNetworks.endpoint("ctr-ports", "10.251.9.3", List.of(new PortMapping("tcp", "", 18080, 80)));
        kernel.detach(kernel.netnsPath("ctr-ports"), BRIDGE, e);
        assertThat(calls()).containsExactly("portmap DEL netns=");
    }

    @Test
    void aRecordWithoutAddressesIsDetachedTheSameWay() throws IOException {
        // recovery of a record whose addresses were cleared: the DEL configuration has no addresses
        EndpointSpec e = new EndpointSpec("ctr-cleared", "eth0", List.of(), true, "", List.of());
        kernel.detach(kernel.netnsPath("ctr-cleared"), BRIDGE, e);
        assertThat(calls()).isEmpty();
    }

    @Test
    void aNamespaceThatIsNoPinIsTreatedAsGone() throws IOException {
        // a plain file where the pin would be: not a namespace, so the plugins get none
        Path notPinned = Files.createDirectories(dir.resolve("exec/netns")).resolve("ctr-file");
        Files.writeString(notPinned, "");
        EndpointSpec e = KernelTestNetworks.endpoint("ctr-file", "10.251.9.4", List.of(new PortMapping("udp", "", 18081, 53)));
        kernel.detach(notPinned, BRIDGE, e);
        assertThat(calls()).containsExactly("portmap DEL netns=");
    }
}
