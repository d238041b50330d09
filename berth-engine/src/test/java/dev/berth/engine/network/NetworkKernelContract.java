package dev.berth.engine.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.BerthException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the engine relies on from a {@link NetworkKernel}, checked against the fake the engine
 * tests use and against the real CNI one: every call idempotent, a detach after the namespace
 * went is harmless, the pinned namespaces listed.
 */
abstract class NetworkKernelContract {
    protected final String containerId = HexFormat.of().formatHex(randomBytes());
    protected final String bridgeName = "bt" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    protected final String prefix = "10." + (200 + ThreadLocalRandom.current().nextInt(51)) + "."
            + ThreadLocalRandom.current().nextInt(256);
    protected final NetworkKernel.BridgeSpec bridge = new NetworkKernel.BridgeSpec("net-" + bridgeName, "contract", bridgeName,
            List.of(new NetworkKernel.Subnet(prefix + ".0/24", prefix + ".1")), true, false, true, 1500);
    protected final NetworkKernel.EndpointSpec endpoint = new NetworkKernel.EndpointSpec(containerId, "eth0",
            List.of(prefix + ".2/24"), true, "02:42:0a:00:00:02", List.of());

    /** The kernel under test; made once per test. */
    protected abstract NetworkKernel kernel();

    /** Removes whatever a failed test left (namespaces, the bridge). */
    protected abstract void cleanUp();

    private static byte[] randomBytes() {
        byte[] b = new byte[32];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    @AfterEach
    void after() {
        cleanUp();
    }

    @Test
    void aNamespaceIsPinnedListedAndRemovedIdempotently() {
        NetworkKernel k = kernel();
        Path ns = k.createNetns(containerId);
        assertThat(ns).isEqualTo(k.netnsPath(containerId));
        assertThat(Files.exists(ns)).isTrue();
        assertThat(k.pinnedNetns()).contains(containerId);
        k.loopbackUp(ns);
        k.removeNetns(containerId);
        k.removeNetns(containerId);
        assertThat(k.pinnedNetns()).doesNotContain(containerId);
        assertThat(Files.exists(ns)).isFalse();
        assertThatThrownBy(() -> k.loopbackUp(ns)).isInstanceOf(BerthException.class);
    }

    @Test
    void anEndpointComesAndGoesAndADetachAfterTheNamespaceIsHarmless() {
        NetworkKernel k = kernel();
        k.setUpNetwork(bridge);
        k.setUpNetwork(bridge);
        Path ns = k.createNetns(containerId);
        try {
            k.loopbackUp(ns);
            NetworkKernel.AttachResult r = k.attach(ns, bridge, endpoint);
            assertThat(r.macAddress()).isNotEmpty();
            k.detach(ns, bridge, endpoint);
            k.attach(ns, bridge, endpoint);
        } finally {
            k.removeNetns(containerId);
        }
        k.detach(ns, bridge, endpoint); // recovery after a crash: the namespace is gone, the host side is cleaned
        k.tearDownNetwork(bridge);
        k.tearDownNetwork(bridge);
        assertThat(k.pinnedNetns()).doesNotContain(containerId);
    }
}
