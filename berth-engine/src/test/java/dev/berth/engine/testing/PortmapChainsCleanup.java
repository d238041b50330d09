package dev.berth.engine.testing;

import dev.berth.engine.network.kernel.PortmapChains;
import java.util.Set;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Suite-level clean-up of the CNI portmap plugin's base chains (CNI-HOSTPORT-*), which this
 * module's tests and berth-daemon's (which registers it from this module's test jar) make through
 * published ports and which neither portmap nor berthd removes (see {@link PortmapChains}). Registered for every test class by autodetection
 * (META-INF/services and junit-platform.properties in src/test/resources): before the first
 * class it notes whether the chains were there already; once every test of this JVM has run
 * (the root context closes, after the last class's daemons are gone) it removes them, if they
 * were not there before and nothing publishes a port through them any more.
 */
public final class PortmapChainsCleanup implements BeforeAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PortmapChainsCleanup.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(AtEnd.class, k -> AtEnd.start(), AtEnd.class);
    }

    /** Closed by JUnit when the root context closes: after every test class of this run. */
    private record AtEnd(Set<String> presentBefore) implements AutoCloseable {
        static AtEnd start() {
            if (!isRoot()) {
                return new AtEnd(null);
            }
            try {
                return new AtEnd(PortmapChains.presentIn());
            } catch (RuntimeException noIptables) {
                return new AtEnd(null);
            }
        }

        @Override
        public void close() {
            if (presentBefore == null) {
                return;
            }
            Set<String> ours = new java.util.HashSet<>(Set.of("iptables", "ip6tables"));
            ours.removeAll(presentBefore);
            try {
                PortmapChains.removeIdle(ours);
            } catch (RuntimeException e) {
                System.err.println("warning: portmap's chains stay: " + e.getMessage());
            }
        }

        private static boolean isRoot() {
            try {
                return java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status")).stream()
                        .anyMatch(l -> l.matches("Uid:\\s+0\\s.*"));
            } catch (java.io.IOException e) {
                return false;
            }
        }
    }
}
